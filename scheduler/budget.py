"""One nudge budget for every instance: NUDGE_RATE_PER_SECOND split between the
processes sending on one database, coordinated through that database (no new server).

While an instance sends, it beats every ``beat_every`` seconds (a row in
``sender_instances``) and reads who else beat within ``stale_after``. Its share is the
rate divided by the live instances, the remainder going one each to the first in id
order, so the shares add up to the rate exactly; each instance's own
:class:`~scheduler.delivery.RateLimiter` keeps it within its share in any one-second
window, so together they never exceed the rate. Claims skip rows another instance
holds, so with equal shares the work is shared evenly.

Changes are made safe by acknowledgement, not by timing:

- Each beat writes how many sending instances this one took its share for (``sees``,
  as of its previous beat: the lower rate is already in force).
- A newcomer that finds others sending sends nothing until every other one sees at
  least as many instances as it does, and then one second more, for their last
  second at the higher rate to leave the window.
- An instance that stops sending deletes its row a second after its last send; one
  that dies stops beating, and after ``stale_after`` the others take its share (its
  leased nudges come back when their lease runs out). A share only grows once the
  other instance is gone.
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
    _n: int = 1  # sending instances counted, and the share taken for them
    _waiting: bool = False  # a newcomer not yet seen by every other instance

    def _beat(self) -> list[tuple[str, int]]:
        now = self.services.now()
        with self.services.session_factory.begin() as session:
            instances.beat(session=session, instance_id=self.instance_id, now=now, sees=self._n)
            return instances.live(session=session, since=now - timedelta(seconds=self.stale_after))

    async def _apply(self) -> None:
        """Beat, take this instance's share, and (while waiting to be seen) send once
        every other instance has taken its share for this one too."""
        if self.clock() - self._beat_at > self.stale_after:
            self._waiting = True  # new, or unheard for long: maybe counted gone
        live = await asyncio.to_thread(self._beat)
        self._beat_at = self.clock()
        ids = [instance_id for instance_id, _ in live]
        if self.instance_id not in ids:
            ids = sorted([*ids, self.instance_id])
        count = len(ids)
        if count != self._n:
            log.info("nudge budget shared by %d sending instances", count)
        self._n = count
        self.limiter.set_rate(share_of(self.rate, ids, self.instance_id))
        if self._waiting:
            seen = all(
                sees >= count for instance_id, sees in live if instance_id != self.instance_id
            )
            if count == 1 or seen:
                self._waiting = False
                # alone: at once; else one more second, for the others' window to drain
                self.limiter.hold_only(0.0 if count == 1 else 1.0)
            else:
                self.limiter.hold_only(self.stale_after * 2)  # until they see this one

    async def join(self) -> None:
        """Start sending: beat, wait until the others make room, keep beating."""
        await self._apply()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._keep_beating())

    async def _keep_beating(self) -> None:
        while True:
            await asyncio.sleep(self.beat_every)
            try:
                await self._apply()
            except Exception as exc:  # the store hiccuped: the share stands, try again
                log.debug("nudge budget heartbeat failed: %s", type(exc).__name__)

    async def leave(self) -> None:
        """Stop sending: the share goes to the others at their next beat, once this
        instance's last second of sends has left the window (the others never count
        them: were its row gone at once, they could spend the whole rate on top)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        if self._n > 1:
            await asyncio.sleep(1.0)
        try:
            await asyncio.to_thread(self._leave)
        except Exception as exc:  # its row goes stale and is deleted by the others
            log.debug("nudge budget leave failed: %s", type(exc).__name__)
        self._beat_at, self._n = -1e9, 1

    def _leave(self) -> None:
        with self.services.session_factory.begin() as session:
            instances.leave(session=session, instance_id=self.instance_id)
