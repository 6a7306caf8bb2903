"""Taking updates by long polling (getUpdates): one process per bot token.

Telegram serves one poller per token: a new getUpdates ends the one waiting with 409
Conflict, and two processes polling take turns ending each other's polls (each getting
some of the updates) for as long as both run. So a process that meets a Conflict while
it starts (in its first :data:`START_WINDOW` seconds of polling: the poller already
there polls again within a second or two) is the second one and stops, saying why,
instead of fighting forever. The one that was there first logs the Conflict (at most
once a minute) and keeps polling.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.error import Conflict, TelegramError

from bot.adapters.telegram.context import CoachApplication

log = logging.getLogger(__name__)

#: Seconds after polling starts during which a Conflict means "another process was
#: polling first". The poller already there, its own poll ended by ours, polls again
#: within a second (PTB waits 1 s, then 1.5 s, 2.25 s... after consecutive errors), and
#: ending ours brings us the Conflict. A process younger than this that meets a newer
#: one stops too (both say why): a restart must not overlap the old process by more.
START_WINDOW = 10.0
#: At most one "Conflict" warning this often, once running.
_WARN_EVERY = 60.0


class AnotherPoller(Exception):
    """Another process polls with this token; this one did not start."""

    def __init__(self, description: str) -> None:
        super().__init__(f"another process is polling with this token; stopping ({description})")


class _Watch:
    """The polling loop's error callback (PTB calls it for every TelegramError but
    InvalidToken, RetryAfter and TimedOut; it must not raise)."""

    def __init__(self, task: asyncio.Task[object] | None, window: float) -> None:
        self.task = task
        self.until = time.monotonic() + window
        self.conflict: Conflict | None = None
        self._warned_at = -_WARN_EVERY

    def __call__(self, error: TelegramError) -> None:
        if not isinstance(error, Conflict):
            log.warning("polling for updates failed, trying again: %s", error)
            return
        now = time.monotonic()
        if now < self.until and self.task is not None:
            if self.conflict is None:  # the task is cancelled once; polling() says why
                self.conflict = error
                self.task.cancel()
            return
        if now - self._warned_at >= _WARN_EVERY:
            self._warned_at = now
            log.warning("another process polled with this token (%s); still polling", error)


@asynccontextmanager
async def polling(
    application: CoachApplication, *, start_window: float | None = None
) -> AsyncIterator[None]:
    """Poll for every kind of update while the block runs.

    Raises :class:`AnotherPoller` (the block interrupted, polling stopped) when another
    process answers for the token as this one starts (``start_window``: seconds,
    :data:`START_WINDOW` by default).
    """
    updater = application.updater
    assert updater is not None, "built without an updater (webhook mode)"
    window = START_WINDOW if start_window is None else start_window
    watch = _Watch(asyncio.current_task(), window)
    await updater.start_polling(allowed_updates=Update.ALL_TYPES, error_callback=watch)
    try:
        yield
    except asyncio.CancelledError:
        if watch.conflict is None:
            raise  # a cancellation of our own caller: not ours to turn into anything
        if watch.task is not None:
            watch.task.uncancel()
        raise AnotherPoller(watch.conflict.message) from None
    finally:
        watch.task = None  # stopping: a Conflict now cancels nothing
        await updater.stop()
