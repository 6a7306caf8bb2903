"""The nudge tick: find who is due (one indexed query), then claim, send and mark.

Every step lives in the database, so a restart or a second instance loses
nothing:

1. *plan*: users whose ``next_nudge_at`` has come get one delivery row for
   that local day (a unique key forbids a second), and their next instant
   moves to the next local day. Slots missed by more than the grace period
   are skipped, not sent late.
2. *claim*: ready deliveries are leased (status ``sending``) in one
   transaction, so no other tick or process sends them meanwhile.
3. *send*: through the rate limiter; 429 waits and retries, transient errors
   back off, unreachable users are opted out.
4. *mark*: ``sent``, back to ``pending`` for a later tick, or ``failed``.

A process killed between 2 and 4 leaves rows ``sending``; when their lease
runs out a later tick sends them again. So the bot errs toward a duplicate of
the few messages in flight at the moment of a crash, never toward a loss.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.replies import Reply
from bot.domain.timing import (
    local_date,
    next_daily,
    next_weekly,
    parse_hhmm,
    within_grace,
    zone,
)
from bot.store import accounts, pairings
from bot.store import deliveries as outbox
from bot.store import tips as tip_store
from bot.store.db import StallReporter
from bot.store.deliveries import DeliveryKind, DeliveryStatus
from bot.store.models import User
from scheduler.budget import SharedBudget
from scheduler.delivery import RateLimiter, RetryAfter, Sender, Transient, Unreachable

log = logging.getLogger(__name__)
KEEP_DELIVERIES = timedelta(days=35)
PRUNE_EVERY = timedelta(hours=1)
NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class TickReport:
    planned: int = 0
    skipped: int = 0
    sent: int = 0
    retry_later: int = 0
    unreachable: int = 0
    failed: int = 0
    released: int = 0


class Outcome(StrEnum):
    """What became of one send."""

    SENT = "sent"
    UNREACHABLE = "unreachable"  # blocked, gone: the user is opted out
    RETRY = "retry"  # not sent: a later tick tries again, or it has failed for good
    RELEASED = "released"  # not tried: the bot is stopping, handed back
    GONE = "gone"  # not tried: the user deleted everything meanwhile (or it was withdrawn)


@dataclass
class Job:
    claimed: outbox.Claimed
    reply: Reply
    tip_id: str | None = None
    outcome: Outcome = Outcome.RETRY
    error: str | None = None


class SchedulerServices(Protocol):
    """What the scheduler needs of the bot's services (``bot.features.base.Services``
    has it all)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def session_factory(self) -> sessionmaker[Session]: ...

    def now(self) -> datetime: ...


class NudgeMessages(Protocol):
    """What the nudges say: made by the features, handed in by the wiring place
    (``bot.app``), so that the scheduler imports no feature."""

    def nudge(self, claimed: outbox.Claimed, context: tip_store.TipContext) -> tuple[Reply, str]:
        """The daily tip for this delivery and the id of its tip (the kept one, or a
        new one: then it counts as shown once sent)."""

    def reminder(self, claimed: outbox.Claimed) -> Reply:
        """The weekly check-in reminder."""

    def pairing(self, claimed: outbox.Claimed) -> Reply | None:
        """One of a pairing's messages (an accepted invitation, the shared week's
        mirror, a partner's reminder...); ``None``: it no longer applies (the pairing
        ended, the partner checked in meanwhile), and it is skipped, unsent."""


@dataclass
class NudgeScheduler:
    services: SchedulerServices
    sender: Sender
    limiter: RateLimiter
    batch: int = 200
    plan_batch: int = 500
    lease: timedelta = timedelta(minutes=5)  # far longer than one batch takes to send
    send_tries: int = 3
    max_rate_limited: int = 10
    retry_delay: timedelta = timedelta(seconds=15)
    # Retries back off up to this, and stop once the next would fall past the grace
    # window: an outage shorter than NUDGE_GRACE_HOURS loses nothing.
    max_backoff: timedelta = timedelta(minutes=5)
    backoff_seconds: float = 0.5
    mark_every: float = 0.05
    max_in_flight: int = 16
    keep_going: Callable[[], bool] = lambda: True
    messages: NudgeMessages = field(kw_only=True)
    # The rate shared with the other instances on the database (None: this one alone).
    budget: SharedBudget | None = field(default=None, kw_only=True)
    # How often, at most, the claimed deliveries still to send are checked to be there
    # (a user who deleted everything a moment ago gets nothing more).
    recheck_every: float = 0.25
    _pruned_at: datetime = NEVER
    _waiting: dict[int, int] = field(default_factory=dict)  # claimed, not yet sent: attempts
    _checked: set[int] = field(default_factory=set)  # asked about at the last check
    _still_there: set[int] = field(default_factory=set)  # ... and still claimed then
    _checked_at: float = -1e9
    _checking: asyncio.Lock = field(default_factory=asyncio.Lock)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _in_flight: asyncio.Semaphore = field(init=False)
    # An API outage (5xx, timeouts): said once as it begins and once, with its length,
    # at the first send that goes through again; never a line per failed send.
    _api: StallReporter = field(default_factory=lambda: StallReporter("Bot API"))
    _api_troubled: bool = False

    def __post_init__(self) -> None:
        # Bounded concurrency: httpx's connection pool slows down sharply with
        # hundreds of requests queued at once; a few dozen in flight suffice.
        self._in_flight = asyncio.Semaphore(self.max_in_flight)

    async def tick(self, now: datetime | None = None) -> TickReport:
        """One pass: plan due nudges, then send every ready delivery.

        Batches are claimed as a pipeline: the next one is claimed while the
        second half of the current one goes out, so the rate never dips between
        batches. ``now`` pins the clock (tests); otherwise each step reads the
        clock anew, so a long fan-out records true send times. Finished sends
        are marked in small groups at least every ``mark_every`` seconds, so a
        crash can only repeat the sends in flight or finished within that last
        moment. When ``keep_going`` turns false (the bot is stopping), no more
        is claimed, and claimed nudges still waiting for their turn are handed
        back for another process or the next start.
        """
        async with self._lock:
            report = TickReport()
            start = now or self.services.now()
            await asyncio.to_thread(self._plan, start, report)
            if start - self._pruned_at >= PRUNE_EVERY:
                await asyncio.to_thread(self._prune, start)
            finished: asyncio.Queue[Job | None] = asyncio.Queue()
            marker = asyncio.create_task(self._marker(finished, now, report))
            sending: set[asyncio.Task[None]] = set()
            joined = False
            try:
                while self.keep_going():
                    # The lease runs from the claim, not from the tick's start.
                    jobs = await asyncio.to_thread(
                        self._claim, now or self.services.now(), self._batch_now()
                    )
                    if not jobs:
                        break
                    if self.budget is not None and not joined:
                        await self.budget.join()  # this instance's share of the rate
                        joined = True
                    self._waiting.update(
                        {job.claimed.delivery_id: job.claimed.attempts for job in jobs}
                    )
                    sending |= {asyncio.create_task(self._send_then(job, finished)) for job in jobs}
                    while len(sending) > len(jobs) // 2:
                        _, sending = await asyncio.wait(
                            sending, return_when=asyncio.FIRST_COMPLETED
                        )
            finally:  # even if a claim failed: what was sent gets marked
                if sending:
                    await asyncio.wait(sending)
                await finished.put(None)
                await marker
                if joined and self.budget is not None:
                    await self.budget.leave()
            return report

    async def _send_then(self, job: Job, finished: asyncio.Queue[Job | None]) -> None:
        try:
            await self._send(job)
        finally:
            self._waiting.pop(job.claimed.delivery_id, None)
            await finished.put(job)

    async def _still_claimed(self, claimed: outbox.Claimed) -> bool:
        """Whether this claim still stands (the delivery is there to send, by this
        claim, within its lease), as of at most ``recheck_every`` ago: one query for
        every claimed delivery still waiting."""
        delivery_id = claimed.delivery_id
        async with self._checking:
            loop = asyncio.get_running_loop()
            stale = loop.time() - self._checked_at >= self.recheck_every
            if stale or delivery_id not in self._checked:
                claims = {**self._waiting, delivery_id: claimed.attempts}
                self._checked = set(claims)
                self._still_there = await asyncio.to_thread(self._claimed_now, claims)
                self._checked_at = loop.time()
        return delivery_id in self._still_there

    def _claimed_now(self, claims: dict[int, int]) -> set[int]:
        with self.services.session_factory() as session:
            return outbox.still_claimed(session=session, claims=claims, now=self.services.now())

    async def _marker(
        self, finished: asyncio.Queue[Job | None], now: datetime | None, report: TickReport
    ) -> None:
        """Mark finished sends, a group at a time, until the batch is done."""
        done = False
        while not done:
            group: list[Job] = []
            first = await finished.get()
            if first is None:
                return
            group.append(first)
            deadline = asyncio.get_running_loop().time() + self.mark_every
            while len(group) < 500:
                remaining = deadline - asyncio.get_running_loop().time()
                try:
                    job = await asyncio.wait_for(finished.get(), max(remaining, 0))
                except TimeoutError:
                    break
                if job is None:
                    done = True
                    break
                group.append(job)
            await asyncio.to_thread(self._mark, group, now or self.services.now(), report)

    # --- 1. plan ------------------------------------------------------------------------

    def _plan(self, now: datetime, report: TickReport) -> None:
        """Batch by batch, each in its own short transaction: a delivery row for
        every due slot still within grace, and each user's next instant."""
        grace = timedelta(hours=self.services.settings.nudge_grace_hours)
        for kind in (DeliveryKind.NUDGE, DeliveryKind.REMINDER):
            while True:
                with self.services.session_factory.begin() as session:
                    slots = outbox.due_slots(
                        session=session, now=now, limit=self.plan_batch, kind=kind
                    )
                    new: list[outbox.NewDelivery] = []
                    upcoming = [
                        outbox.NextInstant(
                            slot.user_id, self._next_slot(slot, kind, now, grace, new, report)
                        )
                        for slot in slots
                    ]
                    report.planned += outbox.add_deliveries(
                        session=session, deliveries=new, now=now
                    )
                    outbox.set_next_instants(session=session, kind=kind, upcoming=upcoming)
                if len(slots) < self.plan_batch:
                    break
            self._heal(kind, now)

    def _heal(self, kind: DeliveryKind, now: datetime) -> None:
        """Next instants further ahead than they can ever be (planned while the clock was
        ahead, then corrected) are planned again from now, so a clock that jumped and
        came back costs no day's tip: no next tip stays more than a day past the user's
        next local time (a week, for the weekly reminder)."""
        reach = timedelta(hours=26) if kind == DeliveryKind.NUDGE else timedelta(days=8)
        while True:
            with self.services.session_factory.begin() as session:
                far = outbox.far_instants(
                    session=session, kind=kind, beyond=now + reach, limit=self.plan_batch
                )
                upcoming = []
                for slot in far:
                    tz, at = zone(slot.timezone), parse_hhmm(slot.at)
                    if tz is None or at is None or not slot.enabled:
                        upcoming.append(outbox.NextInstant(slot.user_id, None))
                    elif kind == DeliveryKind.NUDGE:
                        upcoming.append(outbox.NextInstant(slot.user_id, next_daily(at, tz, now)))
                    else:
                        following = next_weekly(slot.weekday, at, tz, now)
                        upcoming.append(outbox.NextInstant(slot.user_id, following))
                outbox.set_next_instants(session=session, kind=kind, upcoming=upcoming)
            if far:
                log.warning("%d next %s times were too far ahead: planned again", len(far), kind)
            if len(far) < self.plan_batch:
                return

    @staticmethod
    def _next_slot(
        slot: outbox.DueSlot,
        kind: DeliveryKind,
        now: datetime,
        grace: timedelta,
        new: list[outbox.NewDelivery],
        report: TickReport,
    ) -> datetime | None:
        """Add the due slot's delivery to ``new`` if still within grace; return the
        user's next instant (``None``: nothing to schedule)."""
        tz, at = zone(slot.timezone), parse_hhmm(slot.at)
        if tz is None or at is None or not slot.enabled:
            return None
        if within_grace(slot.due, now, grace):
            new.append(outbox.NewDelivery(slot.user_id, kind, local_date(slot.due, tz), slot.due))
        else:
            report.skipped += 1
        after = max(now, slot.due)
        if kind == DeliveryKind.NUDGE:
            return next_daily(at, tz, after)
        return next_weekly(slot.weekday, at, tz, after)

    def _prune(self, now: datetime) -> None:
        """Keep delivery records for KEEP_DELIVERIES only, and no invitation past its
        expiry (data minimisation)."""
        with self.services.session_factory.begin() as session:
            outbox.prune(session=session, before=(now - KEEP_DELIVERIES).date(), limit=10_000)
            pairings.prune_invitations(session=session, now=now)
        self._pruned_at = now

    # --- 2. claim -----------------------------------------------------------------------

    def _batch_now(self) -> int:
        """The batch to claim: while instances share the rate, this one's part of it,
        so that the same seconds of sending are claimed by each and, when the work runs
        out, they finish together instead of one going on alone at its share."""
        if self.budget is None:
            return self.batch
        return max(1, self.batch * self.limiter.base_rate // max(1, self.budget.rate))

    def _claim(self, now: datetime, batch: int | None = None) -> list[Job]:
        """Lease a batch (one short write transaction), then have ``messages`` write
        each nudge from what a few batched reads say about its user (the tips shown,
        the latest check-in, the safety flag)."""
        with self.services.session_factory.begin() as session:
            claimed = outbox.claim(
                session=session, now=now, lease=self.lease, limit=batch or self.batch
            )
        if not claimed:
            return []
        nudged = [c.user_id for c in claimed if c.kind == DeliveryKind.NUDGE]
        skipped: list[int] = []
        with self.services.session_factory() as session:
            contexts = tip_store.tip_histories(session=session, user_ids=nudged)
        jobs: list[Job] = []
        for c in claimed:
            if c.kind == DeliveryKind.REMINDER:
                jobs.append(Job(c, self.messages.reminder(c)))
                continue
            if c.kind != DeliveryKind.NUDGE:
                message = self.messages.pairing(c)
                if message is None:
                    skipped.append(c.delivery_id)
                else:
                    jobs.append(Job(c, message))
                continue
            reply, tip_id = self.messages.nudge(c, contexts[c.user_id])
            if c.again and tip_id != c.tip_id:
                c = replace(c, again=False)  # a new tip: recorded as shown
            jobs.append(Job(c, reply, tip_id))
        if skipped:
            with self.services.session_factory.begin() as session:
                outbox.mark_unsent(
                    session=session,
                    unsent=[
                        outbox.Unsent(d, DeliveryStatus.SKIPPED, "no longer applies")
                        for d in skipped
                    ],
                )
        return jobs

    # --- 3. send ------------------------------------------------------------------------

    async def _send(self, job: Job) -> None:
        """Send one nudge: a 429 waits as told and retries (not counted as a try);
        transient errors back off and retry; after ``send_tries`` the nudge waits
        for a later tick. One whose turn comes after the bot began stopping is
        released unsent."""
        tries = rate_limited = 0
        while tries < self.send_tries and rate_limited < self.max_rate_limited:
            try:
                # Its turn first (a place in flight, then in the rate window, which
                # may take a while: the spacing, a full second, a 429's wait), then,
                # right before the request leaves, whether it should still go.
                async with self._in_flight, self.limiter.slot():
                    if not self.keep_going():
                        job.outcome = Outcome.RELEASED
                        return
                    if not await self._still_claimed(job.claimed):
                        job.outcome = Outcome.GONE  # nothing to send, nothing to mark
                        return
                    await self.sender.send(job.claimed.chat_id, job.reply)
            except RetryAfter as exc:
                self.limiter.pause(exc.seconds)
                rate_limited += 1
                job.error = "429 Too Many Requests"
            except Unreachable as exc:
                job.outcome, job.error = Outcome.UNREACHABLE, str(exc)[:200]
                return
            except Transient as exc:
                job.error = str(exc)[:200]
                if not self._api_troubled:
                    self._api_troubled = True
                    self._api.trouble(job.error[:80])
                await asyncio.sleep(self.backoff_seconds * 2**tries)
                tries += 1
            else:
                job.outcome, job.error = Outcome.SENT, None
                if self._api_troubled:
                    self._api_troubled = False
                    self._api.done(troubled=True, answered=True)
                return

    # --- 4. mark ------------------------------------------------------------------------

    def _mark(self, jobs: list[Job], now: datetime, report: TickReport) -> None:
        """Record what became of these sends, in one short transaction; should that fail
        (a user deleted meanwhile, a full disk, any database error), each is marked on
        its own, so one failure never leaves the others to be sent again."""
        try:
            self._mark_together(jobs, now, report)
        except Exception as exc:  # any store error: fall back to one by one
            log.warning(
                "marking %d sends failed (%s): marking one by one", len(jobs), type(exc).__name__
            )
            failed = 0
            for job in jobs:
                for wait in (0.0, 0.5, 1.0, 2.0):
                    time.sleep(wait)
                    try:
                        self._mark_together([job], now, report)
                        break
                    except Exception:  # tried again; in the end it stays leased
                        continue
                else:
                    failed += 1
            if failed:
                log.warning("%d sends could not be marked; their lease will expire", failed)

    def _mark_together(self, jobs: list[Job], now: datetime, report: TickReport) -> None:
        grace = timedelta(hours=self.services.settings.nudge_grace_hours)
        sent = [
            outbox.Sent(j.claimed.delivery_id, j.claimed.user_id, j.tip_id, j.claimed.again)
            for j in jobs
            if j.outcome == Outcome.SENT
        ]
        released = [j.claimed.delivery_id for j in jobs if j.outcome == Outcome.RELEASED]
        unsent: list[outbox.Unsent] = []
        counts = TickReport()  # added to the tick's report once the marks are committed
        for job in jobs:
            if job.outcome != Outcome.RETRY:
                continue
            delivery_id, attempts = job.claimed.delivery_id, job.claimed.attempts
            due = job.claimed.due_at or now
            backoff = min(self.retry_delay * 2 ** max(attempts - 1, 0), self.max_backoff)
            if now + backoff > due + grace:  # the next try would come too late: given up
                unsent.append(outbox.Unsent(delivery_id, DeliveryStatus.FAILED, job.error))
                counts.failed += 1
            else:
                unsent.append(
                    outbox.Unsent(delivery_id, DeliveryStatus.PENDING, job.error, now + backoff)
                )
                counts.retry_later += 1
        with self.services.session_factory.begin() as session:
            outbox.mark_sent(session=session, sent=sent, now=now)
            outbox.mark_unsent(session=session, unsent=unsent)
            outbox.release(session=session, delivery_ids=released, now=now)
            for job in jobs:
                if job.outcome == Outcome.UNREACHABLE:
                    self._opt_out(session, job, now)
                    counts.unreachable += 1
        report.failed += counts.failed
        report.retry_later += counts.retry_later
        report.unreachable += counts.unreachable
        report.sent += len(sent)
        report.released += len(released)

    def _opt_out(self, session: Session, job: Job, now: datetime) -> None:
        reason = job.error or "unreachable"
        failed = outbox.Unsent(job.claimed.delivery_id, DeliveryStatus.FAILED, reason)
        outbox.mark_unsent(session=session, unsent=[failed])
        user = session.get(User, job.claimed.user_id)
        if user is not None:
            accounts.mark_unreachable(session=session, user=user, reason=reason, now=now)
        log.info("user %s unreachable, nudges turned off", job.claimed.user_id)
