"""Logging set-up that never writes the bot token or what people type."""

from __future__ import annotations

import logging
import re

_TOKEN_IN_TEXT = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{20,}|/bot\d{1,20}:[^/\s]+")


def redact(text: str) -> str:
    return _TOKEN_IN_TEXT.sub(
        lambda m: "/bot<token>" if m.group(0).startswith("/bot") else "<token>", text
    )


class RedactTokens(logging.Filter):
    """Replace anything shaped like a bot token (and token URLs) in log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def setup_logging(level: int) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # PTB logs request parameters (message texts) at DEBUG: never below INFO.
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
    # httpx logs every request URL, which contains the token: keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # A tick still running when the next is due is skipped on purpose: not a warning.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
