"""Sending with a budget: a sliding one-second window, and the outcomes of a send."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
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


Place = tuple[float, float]  # (when it leaves the window, its weight)


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

    Several instances share one rate (``scheduler.budget``), each within its
    share, and the places in the window can change hands without anybody
    waiting out a second. A place has a weight: each is counted once in all, by
    one instance or in parts by several.

    - :meth:`hand_over`: an instance whose share is lowered (``fraction`` of
      what it was) keeps that fraction of each place it holds and gives the rest
      to whoever takes the share, so its old sends weigh on each alike, as they
      would on one instance at the old share: the rate goes on unbroken.
    - :meth:`given` is what it gave, :meth:`holds` everything it holds (for an
      instance that stops); :meth:`seed` counts another instance's places.
    - :meth:`settled`: every send let go before the last lowering has been
      answered (until then its place has no known end, so nothing is handed over).
    """

    IN_FLIGHT_HOLD = 2.0  # a send still waiting for its answer, when handed over
    RECOVERY_SECONDS = 60.0

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.base_rate = max(1, int(rate))
        self.rate = self.base_rate
        self._clock = clock
        self._answered: deque[Place] = deque()  # answered sends, oldest first
        self._in_flight: Counter[int] = Counter()  # sends awaiting an answer, by generation
        self._generation = 0  # one more at each lowering of the rate
        self._seeds: dict[str, list[Place]] = {}  # other instances' places, by instance
        self._given: list[Place] = []  # what this one handed over, until it leaves
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
        if rate < self.base_rate:
            self._generation += 1
        self.base_rate = rate
        self.rate = min(self.rate, rate) if slowed else rate

    def hold_only(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (``0``: go on at once), whatever an
        earlier hold said; a 429's pause still counts. For a newcomer waiting for the
        other instances to make room, without slowing down afterwards."""
        self._held_until = self._clock() + seconds

    def seed(self, key: str, places: list[Place]) -> None:
        """Count another instance's (``key``) places as this one's own: each
        ``(seconds from now, weight)``. A new seed for a key replaces the old one."""
        now = self._clock()
        self._seeds[key] = sorted(
            (now + seconds, weight) for seconds, weight in places if seconds > 0 and weight > 0
        )

    def hand_over(self, fraction: float) -> None:
        """Keep ``fraction`` of every place held (answered or seeded) and give the
        rest away (:meth:`given`)."""
        fraction = min(1.0, max(0.0, fraction))
        if fraction >= 1.0:
            return
        now = self._clock()
        self._drop_passed(now)
        held = [*self._answered, *(place for places in self._seeds.values() for place in places)]
        self._given = [place for place in self._given if place[0] > now]
        self._given += [(end, weight * (1.0 - fraction)) for end, weight in held]
        self._answered = deque((end, weight * fraction) for end, weight in self._answered)
        self._seeds = {
            key: [(end, weight * fraction) for end, weight in places]
            for key, places in self._seeds.items()
        }

    def given(self) -> list[Place]:
        """The places handed over that are still in the window: ``(seconds from now,
        weight)``."""
        now = self._clock()
        return [(end - now, weight) for end, weight in self._given if end > now]

    def holds(self) -> list[Place]:
        """Every place this instance holds or gave, ``(seconds from now, weight)``:
        sends still in flight for :attr:`IN_FLIGHT_HOLD` (their answer not known yet)."""
        now = self._clock()
        places = [*self._answered, *(p for places in self._seeds.values() for p in places)]
        held = [(end - now, weight) for end, weight in places if end > now]
        held += [(self.IN_FLIGHT_HOLD, 1.0)] * sum(self._in_flight.values())
        return held + self.given()

    def settled(self) -> bool:
        """Whether every send let go before the last lowering has been answered."""
        return all(generation >= self._generation for generation in self._in_flight)

    def pause(self, seconds: float) -> None:
        now = self._clock()
        if now >= self._paused_until:  # slow down once per 429 episode, to half at most
            self.rate = max(1, self.base_rate // 2, int(self.rate * 0.8))
        self._paused_until = max(self._paused_until, now + seconds)
        self._slow_until = now + seconds + self.RECOVERY_SECONDS

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a place in the window for one send: ``async with limiter.slot(): send``."""
        generation = await self.acquire()
        try:
            yield
        finally:
            self.release(generation)

    async def acquire(self) -> int:
        """Wait for a place; pair every call with :meth:`release` (given what this
        returned) once the answer is in."""
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until or now < self._held_until:
                    wait = max(self._paused_until, self._held_until) - now
                    await asyncio.sleep(min(wait, 0.1))  # a hold may be lifted early
                    continue
                if self.rate < self.base_rate and now >= self._slow_until:
                    self.rate = self.base_rate
                self._drop_passed(now)
                seeded = [place for places in self._seeds.values() for place in places]
                held = float(sum(self._in_flight.values()))
                held += sum(weight for _, weight in [*self._answered, *seeded])
                if held + 1 > self.rate + 1e-9:
                    ends = [end for end, _ in seeded]
                    ends += [self._answered[0][0]] if self._answered else []
                    if ends:  # the first place to leave the window
                        await asyncio.sleep(min(ends) - now + 0.001)
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
                self._in_flight[self._generation] += 1
                return self._generation

    def release(self, generation: int) -> None:
        self._in_flight[generation] -= 1
        if not self._in_flight[generation]:
            del self._in_flight[generation]
        self._answered.append((self._clock() + 1.0, 1.0))
        self._released.set()

    def _drop_passed(self, now: float) -> None:
        """Forget the places that have left the window."""
        while self._answered and self._answered[0][0] <= now:
            self._answered.popleft()
        for key in list(self._seeds):
            self._seeds[key] = [place for place in self._seeds[key] if place[0] > now]
            if not self._seeds[key]:
                del self._seeds[key]
