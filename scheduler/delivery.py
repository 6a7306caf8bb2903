"""Sending with a budget: a sliding one-second window, and the outcomes of a send."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from bot.domain.replies import Reply


class DeliveryError(Exception):
    """A send failed; subclasses say how the platform meant it."""


class RetryAfter(DeliveryError):
    """The platform asks to wait ``seconds`` before sending again (HTTP 429)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """The user can't be reached: bot blocked, account deleted, chat not found."""


class Transient(DeliveryError):
    """A timeout, network error or server error: worth trying again later."""


class Sender(Protocol):
    async def send(self, chat_id: int, reply: Reply) -> None:
        """Deliver ``reply`` to ``chat_id`` or raise a :class:`DeliveryError`."""


class RateLimiter:
    """At most ``rate`` acquisitions in any one-second window.

    A sliding window of the last ``rate`` send instants: a new send waits until
    the oldest of them is a full second old. ``pause`` holds every send (after a
    429) until the given time has passed and slows the rate to 80% for a
    minute; each further 429 episode slows it again, down to half the rate.
    """

    RECOVERY_SECONDS = 60.0

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.base_rate = max(1, int(rate))
        self.rate = self.base_rate
        self._clock = clock
        self._stamps: deque[float] = deque()
        self._lock = asyncio.Lock()
        self._paused_until = 0.0
        self._slow_until = 0.0

    def pause(self, seconds: float) -> None:
        now = self._clock()
        if now >= self._paused_until:  # slow down once per 429 episode, to half at most
            self.rate = max(1, self.base_rate // 2, int(self.rate * 0.8))
        self._paused_until = max(self._paused_until, now + seconds)
        self._slow_until = now + seconds + self.RECOVERY_SECONDS

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until:
                    await asyncio.sleep(self._paused_until - now)
                    continue
                if self.rate < self.base_rate and now >= self._slow_until:
                    self.rate = self.base_rate
                while self._stamps and now - self._stamps[0] >= 1.0:
                    self._stamps.popleft()
                if len(self._stamps) < self.rate:
                    self._stamps.append(now)
                    return
                await asyncio.sleep(1.0 - (now - self._stamps[0]) + 0.001)
