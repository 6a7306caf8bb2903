"""Logging set-up that never writes the bot token or what people type.

The token is in every Bot API URL (``/bot<token>/sendMessage``), so it turns up in
httpx's request lines, in PTB's ``InvalidToken`` ("The token `...` was rejected") and
in any traceback that shows a URL. Everything the process writes about itself goes
through :func:`redact`: log records (message, arguments, traceback, stack) by the
:class:`RedactTokens` filter of the one handler, and what is not logged (an uncaught
exception, one in a thread, one Python can only report as "ignored", a warning) by the
hooks :func:`guard_output` installs first thing, before the settings are even read.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

_TOKEN_IN_TEXT = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{20,}|/bot\d{1,20}:[^/\s]+")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Secrets known by value (the configured token, whatever its shape), longest first.
_secrets: list[str] = []


def register_secret(value: str | None) -> None:
    """Redact ``value`` wherever it appears, even when it looks like no token (a test
    server's ``123456:TEST``); too short a value would blank ordinary words: ignored."""
    if value and len(value) >= 6 and value not in _secrets:
        _secrets.append(value)
        _secrets.sort(key=len, reverse=True)


def redact(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, "<token>")
    return _TOKEN_IN_TEXT.sub(
        lambda m: "/bot<token>" if m.group(0).startswith("/bot") else "<token>", text
    )


class RedactTokens(logging.Filter):
    """Replace anything shaped like a bot token (and token URLs) in log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return True


def _handler() -> logging.Handler:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(RedactTokens())
    return handler


def _write(text: str) -> None:
    try:
        sys.stderr.write(redact(text))
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # no stderr left (closed, or None)
        pass


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    _write("".join(traceback.format_exception(kind, value, tb)))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread is not None else "?"
    text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
    _write(f"Exception in thread {name}:\n{text}")


def _unraisablehook(unraisable: Any) -> None:
    where = unraisable.err_msg or "Exception ignored in"
    text = "".join(
        traceback.format_exception(
            unraisable.exc_type, unraisable.exc_value, unraisable.exc_traceback
        )
    )
    _write(f"{where}: {unraisable.object!r}\n{text}")


def guard_output() -> None:
    """Before anything else runs: uncaught exceptions (in the main thread, in threads,
    "ignored" ones) print redacted; warnings become log records; and until
    :func:`setup_logging` a redacting handler shows warnings and errors (Python's own
    last resort would print them as they are)."""
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    sys.unraisablehook = _unraisablehook
    logging.captureWarnings(True)
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(_handler())
        root.setLevel(logging.WARNING)


def setup_logging(level: int) -> None:
    root = logging.getLogger()
    root.handlers[:] = [_handler()]
    root.setLevel(level)
    logging.captureWarnings(True)  # warnings.warn(...) goes through the filter too
    # PTB logs request parameters (message texts) at DEBUG: never below INFO.
    logging.getLogger("telegram").setLevel(max(level, logging.INFO))
    # httpx logs every request URL, which contains the token: keep it quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # A tick still running when the next is due is skipped on purpose: not a warning.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
