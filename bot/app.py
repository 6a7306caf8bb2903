"""The one wiring place: settings -> content, engine, services -> Application and jobs."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, ContextTypes
from telegram.request import BaseRequest

from bot.config import Settings
from bot.domain.content import load_content
from bot.features import dispatch
from bot.features.base import Services
from bot.store.db import make_engine, make_session_factory, migrate
from bot.telegram import handlers
from bot.telegram.context import CoachApplication, CoachContext
from bot.telegram.sender import TelegramSender
from scheduler.delivery import RateLimiter
from scheduler.nudges import NudgeScheduler

log = logging.getLogger(__name__)


def build_services(settings: Settings) -> Services:
    """Load and validate the content, open the store and migrate it."""
    content = load_content(settings.content_dir)
    engine = make_engine(settings.database_url)
    migrate(engine)
    return Services(
        settings=settings, content=content, session_factory=make_session_factory(engine)
    )


def menu_commands() -> list[BotCommand]:
    return [
        BotCommand(c.name, c.description)
        for c in dispatch.COMMANDS
        if c.in_menu and not c.admin_only
    ]


def seconds_to_next_tick(interval: float, now: datetime | None = None) -> float:
    """Ticks fall on the minute (or on multiples of ``interval``), plus one second."""
    now = now or datetime.now(UTC)
    elapsed = now.timestamp() % interval
    return interval - elapsed + (1.0 if interval >= 60 else 0.05)


async def nudge_tick(context: CoachContext) -> None:
    """The repeating job: deliver every nudge that is due."""
    scheduler = context.application.bot_data["scheduler"]
    assert isinstance(scheduler, NudgeScheduler)
    report = await scheduler.tick()
    if report.planned or report.sent or report.unreachable or report.failed:
        log.info("nudge tick: %s", report)


async def post_init(application: CoachApplication) -> None:
    await application.bot.set_my_commands(menu_commands())
    services: Services = application.bot_data["services"]
    log.info("bot @%s ready", application.bot.username)
    job_queue = application.job_queue
    assert job_queue is not None
    interval = services.settings.tick_seconds
    job_queue.run_repeating(
        nudge_tick,
        interval=interval,
        first=seconds_to_next_tick(interval, services.now()),
        name="nudge-tick",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )


def scheduler_options(settings: Settings) -> dict[str, Any]:
    """Batch, lease and concurrency of the nudge scheduler, from the rate: about two
    seconds of sends per claim, and enough sends in flight for the rate (rate times
    Telegram's round trip, about 0.1 s at most; NUDGE_MAX_IN_FLIGHT overrides)."""
    rate = settings.nudge_rate_per_second
    in_flight = settings.nudge_max_in_flight or min(64, max(16, int(rate) // 10))
    return {
        "batch": min(500, max(20, int(rate * 2))),
        "lease": timedelta(seconds=settings.nudge_lease_seconds),
        "max_in_flight": in_flight,
    }


def build_application(
    services: Services, request: BaseRequest | None = None, *, webhook: bool = False
) -> CoachApplication:
    """The PTB Application with handlers, the nudge scheduler and its tick.

    ``request`` replaces PTB's HTTP layer (tests pass a recording one);
    ``webhook`` leaves out the polling updater (updates come from bot.webhook).
    """
    settings = services.settings
    assert settings.telegram_bot_token is not None
    base = settings.telegram_api_base_url
    builder = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .context_types(ContextTypes(context=CoachContext))
        .concurrent_updates(32)
        .post_init(post_init)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if webhook:
        builder = builder.updater(None)
    application: CoachApplication = builder.build()
    application.bot_data["services"] = services
    application.bot_data["scheduler"] = NudgeScheduler(
        services,
        TelegramSender(application.bot, paid=settings.allow_paid_broadcast),
        RateLimiter(settings.nudge_rate_per_second),
        keep_going=lambda: application.running,  # stopping: hand back what is unsent
        **scheduler_options(settings),
    )
    handlers.register(application)
    return application


def run_polling(services: Services) -> None:
    application = build_application(services)
    application.run_polling(allowed_updates=Update.ALL_TYPES)
