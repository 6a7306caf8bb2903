"""The one wiring place: settings -> content, engine, services; the one runtime (the
neutral core and the nudge tick); and around it the platform, Telegram (by polling or
webhook) or the terminal chat. Nothing else builds a scheduler or drives the tick."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO, cast

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

from bot.adapters.telegram import handlers
from bot.adapters.telegram.context import CoachApplication, CoachContext
from bot.adapters.telegram.limits import ReplyLimiter
from bot.adapters.telegram.menu import publish_menus
from bot.adapters.telegram.platform import telegram_platform
from bot.adapters.telegram.polling import polling
from bot.adapters.telegram.sender import TelegramSender
from bot.config import Settings
from bot.domain.content import load_content
from bot.domain.platform import Capabilities
from bot.features.base import Services
from bot.features.core import Core
from bot.features.outgoing import Outgoing
from bot.i18n import Catalogue
from bot.store.db import (
    StallReporter,
    describe,
    make_engine,
    make_session_factory,
    migrate,
    transient,
)
from scheduler.budget import SharedBudget
from scheduler.delivery import RateLimiter, Sender
from scheduler.nudges import NudgeScheduler, TickReport

log = logging.getLogger(__name__)


def build_services(settings: Settings) -> Services:
    """Load and validate the content, open the store and migrate it."""
    content = load_content(settings.content_dir)
    catalogue = Catalogue.load(settings.content_dir / "locales")
    catalogue.require(content.catalogue_keys)  # every tip and question has its words
    engine = make_engine(settings.database_url)
    migrate(engine)
    return Services(
        settings=settings,
        content=content,
        session_factory=make_session_factory(engine),
        catalogue=catalogue,
    )


def seconds_to_next_tick(interval: float, now: datetime | None = None) -> float:
    """Ticks fall on the minute (or on multiples of ``interval``), plus one second."""
    now = now or datetime.now(UTC)
    elapsed = now.timestamp() % interval
    return interval - elapsed + (1.0 if interval >= 60 else 0.05)


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


class Runtime:
    """The one runtime of a process, whatever the platform: the neutral core every
    adapter calls, and the nudge tick, which delivers through the adapter's sender.

    ``deliver_through(sender)`` builds the scheduler; ``ticking()`` runs the tick while
    its block runs and, leaving it, stops claiming, lets the sends in flight finish
    and hands back the claimed nudges that had not gone out.
    """

    def __init__(self, services: Services, platform: Capabilities) -> None:
        self.services = services
        self.core = Core(services, platform)
        self.scheduler: NudgeScheduler | None = None
        self.report_level = logging.INFO  # of each tick's report, when it did something
        self._stopping = asyncio.Event()
        self._ticking = asyncio.Lock()  # held while a tick runs
        self._loop: asyncio.AbstractEventLoop | None = None  # the tick's, while ticking
        self._woken: asyncio.Future[None] | None = None
        self._wake_again = False
        # A tick that meets a locked or unreachable store: said once as it begins and
        # once, with its length, when a tick goes through again (not a traceback a tick).
        self._tick_stalls = StallReporter("store (nudge tick)")
        self._tick_troubled = False
        services.wake = self.wake  # a message to someone else goes now, not in a minute

    def deliver_through(self, sender: Sender, **options: Any) -> NudgeScheduler:
        """The nudge scheduler, sending through ``sender``, with what the features say
        (for the platform as the core knows it at the time)."""
        settings = self.services.settings
        limiter = RateLimiter(settings.nudge_rate_per_second)
        budget = SharedBudget(self.services, limiter, int(settings.nudge_rate_per_second))
        self.scheduler = NudgeScheduler(
            self.services,
            sender,
            limiter,
            budget=budget,
            messages=Outgoing(self.services, lambda: self.core.platform),
            keep_going=lambda: not self._stopping.is_set(),  # stopping: hand back the rest
            **{**scheduler_options(settings), **options},
        )
        return self.scheduler

    async def tick(self) -> TickReport:
        """One pass: deliver every nudge that is due."""
        assert self.scheduler is not None, "deliver_through(sender) first"
        report = await self.scheduler.tick()
        if report.planned or report.sent or report.unreachable or report.failed:
            log.log(self.report_level, "nudge tick: %s", report)
        return report

    @asynccontextmanager
    async def ticking(
        self, *, interval: float | None = None, at_once: bool = False
    ) -> AsyncIterator[None]:
        """Tick every ``interval`` seconds (TICK_SECONDS), on the minute (or on
        multiples of it), while the block runs: one APScheduler interval job, never two
        ticks at once, a late one not made up twice; ``at_once``: a first tick right
        away. Leaving the block stops claiming, and the tick under way finishes."""
        every = interval or self.services.settings.tick_seconds
        self._stopping.clear()
        self._loop = asyncio.get_running_loop()
        first = datetime.now(UTC) + timedelta(
            seconds=seconds_to_next_tick(every, self.services.now())
        )
        jobs = AsyncIOScheduler(timezone=UTC)
        jobs.add_job(
            self._tick_logged,
            IntervalTrigger(seconds=every, start_date=first, timezone=UTC),
            id="nudge-tick",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=max(1, int(every)),
        )
        if at_once:
            jobs.add_job(self._tick_logged, id="first-tick")
        jobs.start()
        try:
            yield
        finally:
            self._stopping.set()  # the tick under way stops claiming and hands back
            jobs.shutdown(wait=False)
            async with self._ticking:  # ... and finishes before we go on
                pass

    def wake(self) -> None:
        """Deliver what waits in the outbox now, not at the next tick: an update put a
        message to someone else there (a partner told). Callable from any thread; a
        wake while a woken tick runs brings one more tick after it."""
        loop = self._loop
        if loop is None or loop.is_closed() or self._stopping.is_set():
            return
        loop.call_soon_threadsafe(self._tick_soon)

    def _tick_soon(self) -> None:
        if self.scheduler is None:
            return
        self._wake_again = True
        if self._woken is None or self._woken.done():
            self._woken = asyncio.ensure_future(self._woken_ticks())

    async def _woken_ticks(self) -> None:
        while self._wake_again and not self._stopping.is_set():
            self._wake_again = False
            await self._tick_logged()

    async def _tick_logged(self) -> None:
        if self._stopping.is_set():
            return
        async with self._ticking:
            try:
                await self.tick()
            except asyncio.CancelledError:  # shutting down mid-tick: what was claimed
                if not self._stopping.is_set():  # is handed back by the tick itself
                    raise
                log.debug("nudge tick stopped at shutdown")
            except SQLAlchemyError as error:  # the next tick tries again
                if not transient(error):
                    log.exception("nudge tick failed")
                elif not self._tick_troubled:
                    self._tick_troubled = True
                    self._tick_stalls.trouble(describe(error))
            except Exception:  # the next tick tries again; the process keeps running
                log.exception("nudge tick failed")
            else:
                if self._tick_troubled:
                    self._tick_troubled = False
                    self._tick_stalls.done(troubled=True, answered=True)


# --- Telegram ----------------------------------------------------------------------


def build_application(
    services: Services,
    request: BaseRequest | None = None,
    *,
    webhook: bool = False,
    rate_limited: bool | None = None,
) -> CoachApplication:
    """The PTB Application: handlers that call the runtime's core, and the runtime,
    delivering nudges through Telegram (in ``bot_data["runtime"]``).

    ``request`` replaces PTB's HTTP layer (tests pass a recording one);
    ``webhook`` leaves out the polling updater (updates come from bot.adapters.webhook).

    Replies keep within Telegram's flood limits (:class:`ReplyLimiter`: queued, and
    retried after a 429, never dropped); ``rate_limited`` defaults to whether the requests
    go to a real server (PTB's own HTTP layer): a replaced one is no Telegram and
    counts nothing, so tests and in-process benchmarks are not slowed to 30 a second.

    Nudges go through a second, plain ``Bot`` on the same HTTP layer (connections and
    all) without that limiter: the scheduler paces them itself, and a broadcast then
    never makes a reply wait behind it. That bot needs no ``initialize``: the shared
    requests are opened and closed with the Application, and nudges are sent only
    between the two (while the runtime ticks).
    """
    settings = services.settings
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    base = settings.telegram_api_base_url
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .application_class(CoachApplication)
        .token(token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .context_types(ContextTypes(context=CoachContext))
        .concurrent_updates(32)
        .job_queue(None)  # the runtime drives the tick
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    if rate_limited if rate_limited is not None else request is None:
        builder = builder.rate_limiter(ReplyLimiter())
    if webhook:
        builder = builder.updater(None)
    application = cast(CoachApplication, builder.build())
    shared = application.bot.request
    nudge_bot = Bot(
        token,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        request=shared,
        get_updates_request=shared,  # never polls; no second HTTP client made for it
    )
    runtime = Runtime(services, telegram_platform())  # with its links once getMe answers
    runtime.deliver_through(TelegramSender(nudge_bot, paid=settings.allow_paid_broadcast))
    application.bot_data["services"] = services
    application.bot_data["runtime"] = runtime
    application.bot_data["core"] = runtime.core
    handlers.register(application)
    return application


Receiving = Callable[[CoachApplication], AbstractAsyncContextManager[None]]


async def serve_telegram(application: CoachApplication, receiving: Receiving) -> None:
    """Run until SIGTERM or SIGINT: initialise (getMe), set the command menus (in the
    background), start the tick and take updates (``receiving``: polling or the webhook
    server); then stop in reverse: no more updates, those under way finished, the tick
    stopped (claimed nudges not yet sent handed back), shut down."""
    runtime = application.bot_data["runtime"]
    assert isinstance(runtime, Runtime)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with application:
        # The menus and descriptions, a dozen calls, go out while updates are already
        # taken: a restart keeps nobody waiting for them.
        menus = asyncio.create_task(publish_menus(application.bot, runtime.services.catalogue))
        log.info("bot @%s ready", application.bot.username)
        async with runtime.ticking():
            await application.start()
            try:
                async with receiving(application):
                    await stop.wait()
            finally:
                menus.cancel()
                await application.stop()


# Seconds from the stop signal (SIGTERM, SIGINT) to the end of the process, whatever
# the store does: an orderly stop that has not finished by then (it waits for a store
# that does not answer, or the interpreter would join a thread stuck in a call to it)
# is cut short. Below the 10 s a process manager usually grants before SIGKILL.
SHUTDOWN_DEADLINE = 8.0


def run_polling(services: Services) -> None:
    _serve_until_stopped(build_application(services), polling)


def run_webhook(services: Services) -> None:
    from bot.adapters import webhook  # tornado, loaded for webhook mode only

    def receiving(application: CoachApplication) -> AbstractAsyncContextManager[None]:
        return webhook.receiving(application, services)

    _serve_until_stopped(build_application(services, webhook=True), receiving)


def _serve_until_stopped(application: CoachApplication, receiving: Receiving) -> None:
    """``serve_telegram`` on an event loop whose stop signal also starts a watchdog:
    the process ends SHUTDOWN_DEADLINE seconds after the signal at the latest, the
    orderly stop done or not."""
    with asyncio.Runner(loop_factory=_StopWithDeadline) as runner:
        runner.run(serve_telegram(application, receiving))


class _StopWithDeadline(asyncio.SelectorEventLoop):
    """The event loop of a Telegram process. The signal handlers ``serve_telegram``
    installs (which begin the orderly stop) also start the watchdog: a daemon timer
    that, if the process still runs SHUTDOWN_DEADLINE seconds later, logs one line and
    ends it with ``os._exit`` (no interpreter shutdown: that would join the threads
    stuck in a call to a store that does not answer, and wait for ever)."""

    _watchdog: object | None = None

    def add_signal_handler(  # type: ignore[override]  # typeshed's is generic in args
        self, sig: int, callback: Callable[..., object], *args: Any
    ) -> None:
        def stop() -> None:
            self._start_watchdog()
            callback(*args)

        super().add_signal_handler(sig, stop)

    def _start_watchdog(self) -> None:
        import os
        import threading

        if self._watchdog is not None:  # a second signal: the first one's deadline holds
            return

        def cut_short() -> None:
            log.warning("the stop took longer than %g s: exiting now", SHUTDOWN_DEADLINE)
            os._exit(1)

        timer = threading.Timer(SHUTDOWN_DEADLINE, cut_short)
        timer.daemon = True
        timer.start()
        self._watchdog = timer


# --- the terminal chat ---------------------------------------------------------------


async def chat(services: Services, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """The same bot in a terminal, nudges printed when due (a tick at once, then at
    most every 30 seconds), until end of input."""
    from bot.adapters.console import CONSOLE_PLATFORM, Console

    runtime = Runtime(services, CONSOLE_PLATFORM)
    runtime.report_level = logging.DEBUG  # the chat shows the nudges themselves
    console = Console(runtime.core, out)
    runtime.deliver_through(console)
    await console.greet()
    async with runtime.ticking(interval=min(services.settings.tick_seconds, 30.0), at_once=True):
        await console.run(stdin)


def run_chat(services: Services) -> int:
    try:
        asyncio.run(chat(services))
    except KeyboardInterrupt:
        print("\nBye.")
    return 0
