"""Sending with a budget: a sliding one-second window, and the outcomes of a send."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
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
    """At most ``rate`` sends reaching the platform in any one-second window.

    The platform counts a request when it arrives, which is some time after the
    bot lets it go (the event loop may be busy) and before its answer returns.
    So a send holds its place in the window from the moment it is let go until
    one second after its answer came back: a new send goes only while fewer
    than ``rate`` sends are in flight or answered within the last second. Any
    ``rate + 1`` sends then arrive more than a second apart, whatever the
    delays, at the cost of the round trip (rate / (1 + round trip) at most).
    Sends are also spaced evenly, 1/rate apart, instead of in bursts.

    ``pause`` holds every send (after a 429) until the given time has passed
    and slows the rate to 80% for a minute; each further 429 episode slows it
    again, down to half the rate.
    """

    RECOVERY_SECONDS = 60.0

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.base_rate = max(1, int(rate))
        self.rate = self.base_rate
        self._clock = clock
        self._answered: deque[float] = deque()  # answer instants of the last second
        self._in_flight = 0
        self._next_at = 0.0
        self._lock = asyncio.Lock()
        self._released = asyncio.Event()
        self._paused_until = 0.0
        self._held_until = 0.0
        self._slow_until = 0.0

    def set_rate(self, rate: float) -> None:
        """A new budget (this instance's share of a rate several instances split): a
        slowdown after a 429 goes on, from the new rate."""
        rate = max(1, int(rate))
        if rate == self.base_rate:
            return
        slowed = self.rate < self.base_rate
        self.base_rate = rate
        self.rate = min(self.rate, rate) if slowed else rate

    def hold_only(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (``0``: go on at once), whatever an
        earlier hold said; a 429's pause still counts. For a newcomer waiting for the
        other instances to make room, without slowing down afterwards."""
        self._held_until = self._clock() + seconds

    def pause(self, seconds: float) -> None:
        now = self._clock()
        if now >= self._paused_until:  # slow down once per 429 episode, to half at most
            self.rate = max(1, self.base_rate // 2, int(self.rate * 0.8))
        self._paused_until = max(self._paused_until, now + seconds)
        self._slow_until = now + seconds + self.RECOVERY_SECONDS

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a place in the window for one send: ``async with limiter.slot(): send``."""
        await self.acquire()
        try:
            yield
        finally:
            self.release()

    async def acquire(self) -> None:
        """Wait for a place; pair every call with :meth:`release` once the answer is in."""
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until or now < self._held_until:
                    wait = max(self._paused_until, self._held_until) - now
                    await asyncio.sleep(min(wait, 0.1))  # a hold may be lifted early
                    continue
                if self.rate < self.base_rate and now >= self._slow_until:
                    self.rate = self.base_rate
                while self._answered and now - self._answered[0] >= 1.0:
                    self._answered.popleft()
                if self._in_flight + len(self._answered) >= self.rate:
                    if self._answered:  # the oldest answer leaves the window first
                        await asyncio.sleep(1.0 - (now - self._answered[0]) + 0.001)
                    else:  # all in flight: wait for an answer
                        self._released.clear()
                        with suppress(TimeoutError):
                            await asyncio.wait_for(self._released.wait(), 1.0)
                    continue
                if now < self._next_at:
                    await asyncio.sleep(self._next_at - now)
                    continue
                interval = 1.0 / self.rate
                # Even spacing. A late wake-up may catch up what 20 ms (at least one
                # interval) would have let go, no more: at high rates the event loop
                # can't wake up for every single send.
                credit = max(interval, 0.02)
                self._next_at = max(self._next_at, now - credit) + interval
                self._in_flight += 1
                return

    def release(self) -> None:
        self._in_flight -= 1
        self._answered.append(self._clock())
        self._released.set()
