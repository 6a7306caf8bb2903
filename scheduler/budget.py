"""One nudge budget for every instance: NUDGE_RATE_PER_SECOND split between the
processes sending on one database, coordinated through that database (no new server).

While an instance sends, it beats every ``beat_every`` seconds (a row in
``sender_instances``) and reads who else beat within ``stale_after``. Its share is the
rate divided by the live instances, the remainder going one each to the first in id
order, so the shares add up to the rate exactly; each instance's own
:class:`~scheduler.delivery.RateLimiter` keeps it within its share in any one-second
window, so together they never exceed the rate. Claims skip rows another instance
holds, so with equal shares the work is shared evenly.

Changes are made safe in time rather than by locks:

- A newcomer that finds others sending waits ``beat_every + 1.2`` seconds before its
  first send: by then each of the others has beaten again, seen it, lowered its share,
  and let a full second pass at the lower rate.
- An instance that stops sending deletes its row; one that dies stops beating, and
  after ``stale_after`` the others take its share (its leased nudges come back when
  their lease runs out).
- An instance that itself went unheard for ``stale_after`` (a long pause) may have
  been counted gone: it waits like a newcomer before sending again.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.store import instances
from scheduler.delivery import RateLimiter

if TYPE_CHECKING:
    from scheduler.nudges import SchedulerServices

log = logging.getLogger(__name__)


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
    beat_every: float = 0.5
    stale_after: float = 5.0
    clock: Callable[[], float] = time.monotonic
    _beat_at: float = -1e9
    _task: asyncio.Task[None] | None = None
    _others: int = 0

    @property
    def settle(self) -> float:
        """How long a newcomer waits while the others lower their shares."""
        return self.beat_every + 1.2

    def _beat(self) -> list[str]:
        now = self.services.now()
        with self.services.session_factory.begin() as session:
            instances.beat(session=session, instance_id=self.instance_id, now=now)
            return instances.live(session=session, since=now - timedelta(seconds=self.stale_after))

    async def _apply(self) -> bool:
        """Beat, and take this instance's share; whether it must first wait (others
        are sending and may not have seen it yet)."""
        unheard = self.clock() - self._beat_at > self.stale_after
        live = await asyncio.to_thread(self._beat)
        self._beat_at = self.clock()
        others = len(live) - 1
        if others != self._others:
            log.info("nudge budget shared by %d sending instances", others + 1)
        self._others = others
        self.limiter.set_rate(share_of(self.rate, live, self.instance_id))
        return unheard and others > 0

    async def join(self) -> None:
        """Start sending: beat, wait if others are sending, then keep beating."""
        if await self._apply():
            self.limiter.hold(self.settle)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._keep_beating())

    async def _keep_beating(self) -> None:
        while True:
            await asyncio.sleep(self.beat_every)
            try:
                if await self._apply():
                    self.limiter.hold(self.settle)
            except Exception as exc:  # the store hiccuped: the share stands, try again
                log.debug("nudge budget heartbeat failed: %s", type(exc).__name__)

    async def leave(self) -> None:
        """Stop sending: the share goes to the others at their next beat."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        try:
            await asyncio.to_thread(self._leave)
        except Exception as exc:  # its row goes stale and is deleted by the others
            log.debug("nudge budget leave failed: %s", type(exc).__name__)
        self._beat_at = -1e9

    def _leave(self) -> None:
        with self.services.session_factory.begin() as session:
            instances.leave(session=session, instance_id=self.instance_id)
