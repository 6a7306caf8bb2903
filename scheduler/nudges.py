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
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.replies import Reply
from bot.domain.timing import (
    local_date,
    next_daily,
    next_weekly,
    parse_hhmm,
    within_grace,
    zone,
)
from bot.features.base import Services
from bot.features.nudges import nudge_reply
from bot.features.reminders import reminder_message
from bot.features.tips import next_tip_for
from bot.store import repo
from bot.store.models import NudgeDelivery, User
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


@dataclass
class Job:
    delivery_id: int
    chat_id: int
    reply: Reply
    outcome: str = "retry"
    error: str | None = None


@dataclass
class NudgeScheduler:
    services: Services
    sender: Sender
    limiter: RateLimiter
    batch: int = 200
    lease: timedelta = timedelta(minutes=5)  # far longer than one batch takes to send
    max_attempts: int = 6
    send_tries: int = 3
    max_rate_limited: int = 10
    retry_delay: timedelta = timedelta(seconds=15)
    backoff_seconds: float = 0.5
    mark_every: float = 0.05
    _pruned_at: datetime = NEVER
    max_in_flight: int = 64
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _in_flight: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        # Bounded concurrency: httpx's connection pool slows down sharply with
        # hundreds of requests queued at once; 64 in flight is plenty for 1000/s.
        self._in_flight = asyncio.Semaphore(self.max_in_flight)

    async def tick(self, now: datetime | None = None) -> TickReport:
        """One pass: plan due nudges, then send every ready delivery.

        ``now`` pins the clock (tests); otherwise each step reads the clock anew,
        so a long fan-out records true send times. Finished sends are marked in
        small groups at least every ``mark_every`` seconds, so a crash can only
        repeat the sends in flight or finished within that last moment.
        """
        async with self._lock:
            report = TickReport()
            start = now or self.services.now()
            await asyncio.to_thread(self._plan, start, report)
            if start - self._pruned_at >= PRUNE_EVERY:
                await asyncio.to_thread(self._prune, start)
            while jobs := await asyncio.to_thread(self._claim, start):
                finished: asyncio.Queue[Job | None] = asyncio.Queue()
                marker = asyncio.create_task(self._marker(finished, now, report))
                await asyncio.gather(*(self._send_then(job, finished) for job in jobs))
                await finished.put(None)
                await marker
            return report

    async def _send_then(self, job: Job, finished: asyncio.Queue[Job | None]) -> None:
        await self._send(job)
        await finished.put(job)

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
            while len(group) < 200:
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
        grace = timedelta(hours=self.services.settings.nudge_grace_hours)
        for kind in ("nudge", "reminder"):
            while True:
                with self.services.session_factory.begin() as session:
                    users = repo.due_users(session=session, now=now, limit=self.batch, kind=kind)
                    for user in users:
                        self._plan_one(session, user, kind, now, grace, report)
                if len(users) < self.batch:
                    break

    def _plan_one(
        self,
        session: Session,
        user: User,
        kind: str,
        now: datetime,
        grace: timedelta,
        report: TickReport,
    ) -> None:
        """One delivery row for the due slot (if still within grace), then the next slot."""
        nudge = kind == "nudge"
        tz = zone(user.timezone)
        at = parse_hhmm(user.nudge_time if nudge else user.reminder_time)
        due = user.next_nudge_at if nudge else user.next_reminder_at
        enabled = user.nudges_enabled if nudge else user.reminder_enabled
        upcoming: datetime | None = None
        if tz is not None and at is not None and due is not None and enabled:
            if within_grace(due, now, grace):
                added = repo.add_delivery(
                    session=session,
                    user_id=user.id,
                    local_date=local_date(due, tz),
                    due_at=due,
                    now=now,
                    kind=kind,
                )
                report.planned += added is not None
            else:
                report.skipped += 1
            after = max(now, due)
            upcoming = (
                next_daily(at, tz, after)
                if nudge
                else next_weekly(user.reminder_weekday, at, tz, after)
            )
        if nudge:
            user.next_nudge_at = upcoming
        else:
            user.next_reminder_at = upcoming

    def _prune(self, now: datetime) -> None:
        """Keep delivery records for KEEP_DELIVERIES only (data minimisation)."""
        with self.services.session_factory.begin() as session:
            repo.prune_deliveries(
                session=session, before=(now - KEEP_DELIVERIES).date(), limit=10_000
            )
        self._pruned_at = now

    # --- 2. claim -----------------------------------------------------------------------

    def _claim(self, now: datetime) -> list[Job]:
        content = self.services.content
        jobs: list[Job] = []
        with self.services.session_factory.begin() as session:
            claimed = repo.claim_deliveries(
                session=session, now=now, lease=self.lease, limit=self.batch
            )
            for delivery in claimed:
                user = session.get(User, delivery.user_id)
                if user is None:
                    continue
                if delivery.kind == "reminder":
                    jobs.append(Job(delivery.id, user.chat_id, reminder_message()))
                    continue
                tip = content.tip(delivery.tip_id) if delivery.tip_id else None
                if tip is None:
                    tip = next_tip_for(session, user, content, self.services.rng)
                    delivery.tip_id = tip.id
                again = delivery.sent_at is not None
                reply = nudge_reply(content, tip, delivery.id, again=again)
                jobs.append(Job(delivery.id, user.chat_id, reply))
        return jobs

    # --- 3. send ------------------------------------------------------------------------

    async def _send(self, job: Job) -> None:
        """Send one nudge: a 429 waits as told and retries (not counted as a try);
        transient errors back off and retry; after ``send_tries`` the nudge waits
        for a later tick."""
        tries = rate_limited = 0
        while tries < self.send_tries and rate_limited < self.max_rate_limited:
            try:
                async with self._in_flight:  # take a slot first: the rate stamp must be
                    await self.limiter.acquire()  # taken right before the request leaves
                    await self.sender.send(job.chat_id, job.reply)
            except RetryAfter as exc:
                self.limiter.pause(exc.seconds)
                rate_limited += 1
                job.error = "429 Too Many Requests"
            except Unreachable as exc:
                job.outcome, job.error = "unreachable", str(exc)[:200]
                return
            except Transient as exc:
                job.error = str(exc)[:200]
                await asyncio.sleep(self.backoff_seconds * 2**tries)
                tries += 1
            else:
                job.outcome, job.error = "sent", None
                return

    # --- 4. mark ------------------------------------------------------------------------

    def _mark(self, jobs: list[Job], now: datetime, report: TickReport) -> None:
        with self.services.session_factory.begin() as session:
            for job in jobs:
                delivery = session.get(NudgeDelivery, job.delivery_id)
                if delivery is None:
                    continue
                if job.outcome == "sent":
                    if delivery.sent_at is None and delivery.tip_id:
                        repo.record_tip_shown(
                            session=session,
                            user_id=delivery.user_id,
                            tip_id=delivery.tip_id,
                            source="nudge",
                            now=now,
                        )
                    delivery.status, delivery.sent_at, delivery.error = "sent", now, None
                    report.sent += 1
                elif job.outcome == "unreachable":
                    self._opt_out(session, delivery, job.error or "unreachable", now)
                    report.unreachable += 1
                elif delivery.attempts >= self.max_attempts:
                    delivery.status, delivery.error = "failed", job.error
                    report.failed += 1
                else:
                    delivery.status = "pending"
                    delivery.error = job.error
                    backoff = self.retry_delay * 2 ** (delivery.attempts - 1)
                    delivery.next_attempt_at = now + min(backoff, timedelta(minutes=30))
                    report.retry_later += 1

    def _opt_out(
        self, session: Session, delivery: NudgeDelivery, reason: str, now: datetime
    ) -> None:
        delivery.status, delivery.error = "failed", reason
        user = session.get(User, delivery.user_id)
        if user is not None:
            repo.mark_unreachable(session=session, user=user, reason=reason, now=now)
        log.info("user %s unreachable, nudges turned off", delivery.user_id)
