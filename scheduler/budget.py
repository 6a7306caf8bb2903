"""One nudge budget for every instance: NUDGE_RATE_PER_SECOND split between the
processes sending on one database, coordinated through that database (no new server).

While an instance sends, it beats (a row in ``sender_instances``) every
``beat_every`` seconds alone, every ``shared_beat_every`` while it shares the rate, and
reads who else beat within ``stale_after``. Its share is the rate divided by the live
instances, the remainder going one each to the first in id order, so the shares add up
to the rate exactly; each instance's own :class:`~scheduler.delivery.RateLimiter` keeps
it within its share in any one-second window, so together they never exceed the rate.
Claims skip rows another instance holds, and each claims its share's part of a batch,
so the work is shared evenly and runs out for all at about the same time.

A beat writes first (committed) and reads after, so of two instances starting at once
the later always sees the earlier. Changes are made safe by acknowledgement and by
handing over the places in the window (:class:`~scheduler.delivery.RateLimiter`), not
by timing:

- Each beat writes how many sending instances this one has taken its share for
  (``sees``: its lower share in force, every send let go at the higher one answered).
- An instance that finds a newcomer lowers its share, keeps that fraction of the
  places its recent sends hold in the window and gives the rest (``holds``), and
  says so at once.
- A newcomer that finds others sending sends nothing until every other one sees at
  least as many instances as it does. Then it counts what they gave as its own and
  goes on at once. The old sends weigh on old and new alike, as they would on one
  instance: the rate goes on unbroken, and together they never exceed it.
- An instance that stops sending marks its row ``left`` with every place it holds;
  the others count those and take its share at their next beat. One that dies stops
  beating, and after ``stale_after`` the others take its share (its sends have long
  left the window; its leased nudges come back when their lease runs out).
- An instance that itself went unheard for ``stale_after`` (a long pause) may have
  been counted gone: it waits like a newcomer before sending again.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.store import instances
from scheduler.delivery import Place, RateLimiter

if TYPE_CHECKING:
    from scheduler.nudges import SchedulerServices

log = logging.getLogger(__name__)


HOLD_STEP = 0.1  # places are handed over per tenth of a second, rounded up
HOLD_STEPS = 20  # at most two seconds (RateLimiter.IN_FLIGHT_HOLD)
LEFT_KEPT = 3.0  # a leaver's row outlives its places


def encode_holds(places: list[Place]) -> str:
    """Places (seconds each stays in the window, weight) as the weight per tenth of a
    second, each rounded up, at most two seconds: ``"0,2,0.5"`` is a weight of 2 for up
    to 0.2 s and 0.5 for up to 0.3 s. Rounding only ever holds more, longer."""
    weights = [0.0] * HOLD_STEPS
    for seconds, weight in places:
        if seconds > 0 and weight > 0:
            weights[min(HOLD_STEPS, math.ceil(round(seconds / HOLD_STEP, 6))) - 1] += weight
    while weights and not weights[-1]:
        weights.pop()
    return ",".join(f"{math.ceil(round(weight * 100, 6)) / 100:g}" for weight in weights)


def decode_holds(text: str) -> list[Place]:
    """What :func:`encode_holds` wrote, each tenth's weight until the tenth's end;
    nothing from a malformed text."""
    try:
        weights = [float(part) for part in text.split(",")] if text else []
    except ValueError:
        return []
    return [
        ((step + 1) * HOLD_STEP, weight)
        for step, weight in enumerate(weights[:HOLD_STEPS])
        if math.isfinite(weight) and weight > 0
    ]


def share_of(rate: int, live: list[str], me: str) -> int:
    """This instance's share of ``rate`` among ``live`` (sorted ids, ``me`` among them):
    equal parts, the remainder one each to the first; at least 1."""
    if me not in live:
        live = sorted([*live, me])
    base, extra = divmod(rate, len(live))
    return max(1, base + (1 if live.index(me) < extra else 0))


@dataclass
class SharedBudget:
    services: SchedulerServices
    limiter: RateLimiter
    rate: int
    instance_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    beat_every: float = 0.5  # alone
    shared_beat_every: float = 0.25  # with others: one that stops is noticed soon
    wait_every: float = 0.1  # how often a waiting newcomer looks again
    stale_after: float = 5.0
    settle_within: float = 2.0  # the longest a lowering waits for answers to say so
    clock: Callable[[], float] = time.monotonic
    _beat_at: float = -1e9
    _task: asyncio.Task[None] | None = None
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _n: int = 1  # sending instances counted, and the share in force for them
    _acked: int = 1  # what this instance's row says it sees
    _share: int = 0  # the share in force when it last said so (0: the whole rate)
    _waiting: bool = False  # a newcomer not yet seen by every other instance
    _seeded: set[tuple[str, datetime]] = field(default_factory=set)  # leavers counted

    def _write(self, left: bool = False) -> None:
        """Beat; what it hands over: to a newcomer, what it gave when it lowered its
        share; on leaving, every place it holds."""
        places = self.limiter.holds() if left else self.limiter.given()
        now = self.services.now()
        with self.services.session_factory.begin() as session:
            instances.beat(
                session=session,
                instance_id=self.instance_id,
                now=now,
                sees=self._acked,
                holds=encode_holds(places),
                left=left,
            )

    def _read(self) -> list[instances.Heartbeat]:
        now = self.services.now()
        with self.services.session_factory.begin() as session:
            return instances.live(
                session=session,
                since=now - timedelta(seconds=self.stale_after),
                left_since=now - timedelta(seconds=LEFT_KEPT),
            )

    async def _apply(self) -> None:
        """Beat, take this instance's share, and (while waiting to be seen) send once
        every other instance has taken its share for this one too."""
        if self.clock() - self._beat_at > self.stale_after:
            self._waiting = True  # new, or unheard for long: maybe counted gone
        await asyncio.to_thread(self._write)
        rows = await asyncio.to_thread(self._read)
        self._beat_at = self.clock()
        others = [row for row in rows if row.instance_id != self.instance_id]
        leavers = {(row.instance_id, row.seen_at): row for row in others if row.left}
        for key, row in leavers.items():  # their last sends are still in the window
            if key not in self._seeded:
                self.limiter.seed(row.instance_id, decode_holds(row.holds))
        self._seeded = set(leavers)
        sending = [row for row in others if not row.left]
        ids = sorted([self.instance_id, *(row.instance_id for row in sending)])
        count = len(ids)
        if count != self._n:
            log.info("nudge budget shared by %d sending instances", count)
        share = share_of(self.rate, ids, self.instance_id)
        self.limiter.set_rate(share)
        self._n = count
        if count < self._acked:
            self._acked, self._share = count, share
        elif count > self._acked and await self._settle():
            if not self._waiting:  # its recent sends weigh on the newcomer too
                self.limiter.hand_over(share / (self._share or self.rate))
            self._acked, self._share = count, share
            await asyncio.to_thread(self._write)  # the lower share is in force: say so
        if self._waiting:
            if all(row.sees >= count for row in sending):
                self._waiting = False
                for row in sending:  # what they gave for this one's share
                    self.limiter.seed(row.instance_id, decode_holds(row.holds))
                self.limiter.hold_only(0.0)
            else:
                self.limiter.hold_only(self.stale_after * 2)  # until they see this one

    async def _settle(self) -> bool:
        """Whether every send let go at the higher share has been answered (within
        ``settle_within``): only then do its places have known ends to hand over."""
        deadline = self.clock() + self.settle_within
        while not self.limiter.settled():
            if self.clock() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    async def join(self) -> None:
        """Start sending: beat, wait until the others make room, keep beating."""
        self._stop.clear()
        await self._apply()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._keep_beating())

    async def _keep_beating(self) -> None:
        while not self._stop.is_set():
            with suppress(TimeoutError):
                interval = self.beat_every if self._n == 1 else self.shared_beat_every
                if self._waiting:
                    interval = self.wait_every
                await asyncio.wait_for(self._stop.wait(), interval)
            if self._stop.is_set():
                return
            try:
                await self._apply()
            except Exception as exc:  # the store hiccuped: the share stands, try again
                log.debug("nudge budget heartbeat failed: %s", type(exc).__name__)

    async def leave(self) -> None:
        """Stop sending: the row says so, with what this instance's last sends still
        hold of the window, and the others take its share at their next beat. The
        heartbeat ends first, so no late beat can bring the row back."""
        self._stop.set()
        if self._task is not None:
            with suppress(Exception):
                await self._task
            self._task = None
        try:
            await asyncio.to_thread(self._write, True)
        except Exception as exc:  # its row goes stale and is deleted by the others
            log.debug("nudge budget leave failed: %s", type(exc).__name__)
        self._beat_at, self._n, self._acked, self._share = -1e9, 1, 1, 0
