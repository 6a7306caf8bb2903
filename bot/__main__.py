"""Command line: ``python -m bot run | chat | migrate`` (also installed as ``coachbot``).

Whatever stops the bot from starting ends in one line on stderr, ``coachbot: ...``, and
a non-zero exit status: 2 when a setting or the surroundings are wrong (an invalid
setting, the token rejected, another process polling with it), 1 when the Bot API
could not be reached (trying again later may work). No line, log record or traceback
the process writes shows the token (see :mod:`bot.logs`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from urllib.parse import urlsplit

from bot.config import ConfigError, Settings, env_file_warning, load_settings, prepare_data_dir
from bot.logs import guard_output, redact, register_secret, setup_logging

NO_TOKEN = (
    "No TELEGRAM_BOT_TOKEN set: opening the bot as a chat in this terminal. "
    "To connect Telegram, put TELEGRAM_BOT_TOKEN=<token from @BotFather> in .env and run again."
)

log = logging.getLogger("bot")


def _fail(message: str, status: int = 2) -> int:
    print(f"coachbot: {redact(message)}", file=sys.stderr)
    return status


def _services(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.app import build_services

    return build_services(settings)


def _where(base_url: str) -> str:
    """The Bot API's address for a message: no user or password of the URL."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _telegram_failure(exc: Exception, settings: Settings) -> tuple[str, int]:
    """One line (and the exit status) for what stopped the bot talking to Telegram."""
    from telegram.error import InvalidToken, NetworkError, TelegramError

    from bot.adapters.telegram.polling import AnotherPoller

    where = _where(settings.telegram_api_base_url)
    if isinstance(exc, AnotherPoller):
        return str(exc), 2
    if isinstance(exc, InvalidToken):  # 401 or 404 from getMe: the token or the URL
        answer = exc.__cause__ if isinstance(exc.__cause__, TelegramError) else exc
        return (
            f"the Bot API at {where} rejected the bot token ({answer.message}): check "
            "TELEGRAM_BOT_TOKEN, and TELEGRAM_API_BASE_URL if it is not https://api.telegram.org",
            2,
        )
    if isinstance(exc, NetworkError):  # TimedOut too; not a 4xx answer
        return f"cannot reach the Bot API at {where}: {exc.message}", 1
    assert isinstance(exc, TelegramError)
    return f"Telegram refused to start the bot: {exc.__class__.__name__}: {exc.message}", 2


def main(argv: list[str] | None = None) -> int:
    guard_output()  # before anything can fail: nothing unredacted reaches the terminal
    parser = argparse.ArgumentParser(prog="coachbot", description="Relationship coach bot")
    sub = parser.add_subparsers(dest="command")
    run = sub.add_parser("run", help="run on Telegram (or in the terminal without a token)")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="take updates by webhook (WEBHOOK_URL, WEBHOOK_SECRET) instead of polling",
    )
    sub.add_parser("chat", help="the same bot as a chat in this terminal")
    sub.add_parser("migrate", help="apply the database migrations and exit")
    sub.add_parser("stats", help="print the operator's numbers and exit")
    args = parser.parse_args(argv)
    command = args.command or "run"

    from sqlalchemy.exc import SQLAlchemyError

    from bot.domain.content import ContentError

    try:
        settings = load_settings()
        if settings.telegram_bot_token is not None:
            register_secret(settings.telegram_bot_token.get_secret_value())
        setup_logging(settings.log_level_number)
        warning = env_file_warning()
        if warning:
            log.warning(warning)
        webhook = command == "run" and args.webhook
        if webhook and (
            settings.telegram_bot_token is None
            or not settings.webhook_url
            or settings.webhook_secret is None
        ):
            raise ConfigError(
                "WEBHOOK_URL: webhook mode needs TELEGRAM_BOT_TOKEN, WEBHOOK_URL and WEBHOOK_SECRET"
            )
        if command == "run" and settings.telegram_bot_token is None:
            print(NO_TOKEN, file=sys.stderr)
            command = "chat"
        prepare_data_dir(settings)
        services = _services(settings)
    except ConfigError as exc:
        return _fail(f"invalid setting {exc}")
    except ContentError as exc:
        return _fail(f"content error: {exc}")
    except SQLAlchemyError as exc:
        return _fail(
            f"database error: cannot open DATABASE_URL ({exc.__class__.__name__}: "
            f"{str(exc.orig if hasattr(exc, 'orig') else exc).splitlines()[0][:200]})"
        )
    except OSError as exc:
        return _fail(f"cannot start: {exc}")
    except KeyboardInterrupt:
        return 130

    if command == "migrate":
        print("database is up to date")
        return 0
    if command == "stats":
        from bot.features.admin import collect, format_stats

        with services.session_factory() as session:
            print(format_stats(services.locale(None), collect(session, services.now())))
        return 0
    from bot.app import run_chat, run_polling, run_webhook

    if command == "chat":
        return run_chat(services)
    from telegram.error import TelegramError

    from bot.adapters.telegram.polling import AnotherPoller

    try:
        if webhook:
            run_webhook(services)
        else:
            run_polling(services)
    except (TelegramError, AnotherPoller) as exc:
        message, status = _telegram_failure(exc, settings)
        return _fail(message, status)
    except KeyboardInterrupt:  # before the signal handlers were in place
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
