"""Command line: ``python -m bot run | chat | migrate`` (also installed as ``coachbot``)."""

from __future__ import annotations

import argparse
import sys

from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging

NO_TOKEN = (
    "No TELEGRAM_BOT_TOKEN set: opening the bot as a chat in this terminal. "
    "To connect Telegram, put TELEGRAM_BOT_TOKEN=<token from @BotFather> in .env and run again."
)


def _fail(message: str) -> int:
    print(f"coachbot: {message}", file=sys.stderr)
    return 2


def _services(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.app import build_services

    return build_services(settings)


def main(argv: list[str] | None = None) -> int:
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
        setup_logging(settings.log_level_number)
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
    if webhook:
        run_webhook(services)
        return 0
    run_polling(services)
    return 0


if __name__ == "__main__":
    sys.exit(main())
