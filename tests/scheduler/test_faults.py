"""The tick under faults, with injected time: a user deleted mid-send, a store that
fails to mark, an API outage shorter than the grace window, a clock that jumped ahead
and came back. Nothing is lost, nothing doubled."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.domain.replies import Reply
from bot.features.base import Services
from bot.store import deliveries, privacy
from bot.store.models import DeliveryStatus, NudgeDelivery, User
from scheduler.delivery import RateLimiter, RetryAfter, Transient
from scheduler.nudges import NudgeScheduler
from tests.conftest import Clock
from tests.scheduler.test_tick import RecordingSender, messages, opt_in

NOON = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
BEFORE = NOON - timedelta(minutes=30)  # when they opt in


def scheduler(services: Services, sender: object, **options: object) -> NudgeScheduler:
    return NudgeScheduler(
        services,
        sender,  # type: ignore[arg-type]
        RateLimiter(1000),
        messages=messages(services),
        backoff_seconds=0,
        **options,  # type: ignore[arg-type]
    )


def user_id_of(services: Services, telegram_id: int) -> int:
    with services.session_factory() as session:
        found = session.scalar(select(User.id).where(User.platform_user_id == telegram_id))
        assert found is not None
        return found


def statuses(services: Services) -> dict[str, int]:
    with services.session_factory() as session:
        rows = session.execute(
            select(NudgeDelivery.status, func.count()).group_by(NudgeDelivery.status)
        )
        return {status: n for status, n in rows}


class DeletingSender(RecordingSender):
    """Right after the ``at``-th send, two users delete everything: the one just sent
    to (before that send is marked) and one still waiting for their turn."""

    def __init__(self, services: Services, waiting: int, at: int) -> None:
        super().__init__()
        self.services, self.waiting, self.at = services, waiting, at

    async def send(self, chat_id: int, reply: Reply) -> None:
        await super().send(chat_id, reply)
        if len(self.sent) == self.at:
            with self.services.session_factory.begin() as session:
                for telegram_id in (chat_id, self.waiting):
                    user_id = user_id_of(self.services, telegram_id)
                    privacy.delete_user(session=session, user_id=user_id)


async def test_a_user_deleted_mid_send_costs_nobody_a_second_tip(
    services: Services, clock: Clock
) -> None:
    clock.now = BEFORE
    for n in range(60):
        opt_in(services, 1000 + n, "12:00")
    waiting = 1059  # due last, all claimed at once: deleted while the first go out
    sender = DeletingSender(services, waiting, at=5)
    first = scheduler(services, sender, batch=100, recheck_every=0.0, mark_every=10.0)
    report = await first.tick(NOON + timedelta(minutes=1))
    assert sender.to(waiting) == []  # nothing after "everything is deleted"
    assert report.sent == 59
    # every other send is marked (the deleted users' rows are gone, not written back)
    assert statuses(services) == {DeliveryStatus.SENT: 58}
    # Long after the lease, another process: nobody gets a second tip.
    await scheduler(services, sender).tick(NOON + timedelta(hours=1))
    assert len(sender.sent) == 59 and len({chat for chat, _ in sender.sent}) == 59
    with services.session_factory() as session:
        assert session.scalar(select(func.count(User.id))) == 58


class PausedThenDeleting(RecordingSender):
    """The first send meets a 429 (every send waits its ``retry_after``); meanwhile
    ``deleted`` deletes everything, its tip claimed and waiting for its turn."""

    def __init__(self, services: Services, deleted: int) -> None:
        super().__init__()
        self.services, self.deleted, self.refused = services, deleted, False

    async def send(self, chat_id: int, reply: Reply) -> None:
        if not self.refused:
            self.refused = True
            with self.services.session_factory.begin() as session:
                privacy.delete_user(
                    session=session, user_id=user_id_of(self.services, self.deleted)
                )
            raise RetryAfter(0.3)
        await super().send(chat_id, reply)


async def test_a_tip_waiting_for_its_turn_is_not_sent_after_its_user_deleted_everything(
    services: Services, clock: Clock
) -> None:
    """Whether a tip should still go is asked right before it leaves, after its wait
    for the rate window (here 5 a second, and a 429's wait), not before that wait."""
    clock.now = BEFORE
    for n in range(5):
        opt_in(services, 1100 + n, "12:00")
    sender = PausedThenDeleting(services, deleted=1102)
    ticking = NudgeScheduler(
        services, sender, RateLimiter(5), messages=messages(services), backoff_seconds=0
    )
    report = await ticking.tick(NOON + timedelta(minutes=1))
    assert sender.to(1102) == []
    assert sorted(chat for chat, _ in sender.sent) == [1100, 1101, 1103, 1104]
    assert report.sent == 4


class ReclaimingSender(RecordingSender):
    """During the first send, the other claims' lease runs out and another process
    takes them again (their ``attempts`` go up, as a claim does)."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    async def send(self, chat_id: int, reply: Reply) -> None:
        if not self.sent:
            with self.services.session_factory.begin() as session:
                session.execute(
                    update(NudgeDelivery)
                    .where(NudgeDelivery.user_id != user_id_of(self.services, chat_id))
                    .values(attempts=NudgeDelivery.attempts + 1)
                )
        await super().send(chat_id, reply)


async def test_a_claim_taken_again_by_another_is_no_longer_sent_by_its_old_holder(
    services: Services, clock: Clock
) -> None:
    """Once its lease has run out, a claim may be taken again, by this process or
    another: its old holder no longer sends it, so nobody gets two."""
    clock.now = BEFORE
    for n in range(3):
        opt_in(services, 1200 + n, "12:00")
    sender = ReclaimingSender(services)
    await scheduler(services, sender, max_in_flight=1, recheck_every=0.0).tick(
        NOON + timedelta(minutes=1)
    )
    assert [chat for chat, _ in sender.sent] == [1200]  # the others are the new holder's
    assert statuses(services) == {DeliveryStatus.SENT: 1, DeliveryStatus.SENDING: 2}


async def test_a_failing_mark_falls_back_to_one_by_one(
    services: Services, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first attempt to mark a group fails (a full disk, say): each send is then
    marked on its own, and none is sent again when the lease runs out."""
    clock.now = BEFORE
    for n in range(30):
        opt_in(services, 2000 + n, "12:00")
    real = deliveries.mark_sent
    failures = iter([True])

    def flaky(**kwargs: object) -> None:
        if len(kwargs["sent"]) > 1 and next(failures, False):  # type: ignore[arg-type]
            raise OSError("disk full")
        real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(deliveries, "mark_sent", flaky)
    sender = RecordingSender()
    await scheduler(services, sender, mark_every=10.0).tick(NOON + timedelta(minutes=1))
    assert statuses(services) == {DeliveryStatus.SENT: 30}
    await scheduler(services, sender).tick(NOON + timedelta(hours=1))
    assert len(sender.sent) == 30


class DownUntil(RecordingSender):
    """The Bot API answers 5xx until ``until`` (on the injected clock)."""

    def __init__(self, clock: Clock, until: datetime) -> None:
        super().__init__()
        self.clock, self.until = clock, until

    async def send(self, chat_id: int, reply: Reply) -> None:
        if self.clock.now < self.until:
            raise Transient("502 Bad Gateway")
        await super().send(chat_id, reply)


async def test_an_outage_shorter_than_the_grace_window_loses_nothing(
    services: Services, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """Thirteen minutes of 5xx: every nudge goes out once it ends, and the outage is
    logged once as it begins and once as it ends, not once a failed send."""
    caplog.set_level(logging.INFO, logger="bot.store.db")
    clock.now = BEFORE
    for n in range(5):
        opt_in(services, 3000 + n, "12:00")
    sender = DownUntil(clock, NOON + timedelta(minutes=13))
    ticking = scheduler(services, sender)
    for minute in range(1, 40):  # a tick a minute, for 39 minutes
        clock.now = NOON + timedelta(minutes=minute)
        await ticking.tick(clock.now)
    assert sorted(chat for chat, _ in sender.sent) == [3000 + n for n in range(5)]
    assert statuses(services) == {DeliveryStatus.SENT: 5}
    said = [(r.levelname, r.getMessage()) for r in caplog.records if "Bot API" in r.getMessage()]
    assert [level for level, _ in said] == ["WARNING", "INFO"]
    assert "502 Bad Gateway" in said[0][1] and "answering again after" in said[1][1]


async def test_past_the_grace_window_a_nudge_is_given_up(services: Services, clock: Clock) -> None:
    clock.now = BEFORE
    opt_in(services, 3100, "12:00")
    sender = DownUntil(clock, NOON + timedelta(hours=5))
    ticking = scheduler(services, sender)
    for minute in range(1, 60 * 4, 5):
        clock.now = NOON + timedelta(minutes=minute)
        await ticking.tick(clock.now)
    assert sender.sent == [] and statuses(services) == {DeliveryStatus.FAILED: 1}


async def test_a_clock_that_jumped_ahead_and_came_back_heals_at_the_next_tick(
    services: Services, clock: Clock
) -> None:
    clock.now = NOON
    opt_in(services, 4000, "12:30")
    with services.session_factory.begin() as session:  # planned while 3 days ahead
        session.execute(update(User).values(next_nudge_at=NOON + timedelta(days=3, minutes=30)))
    sender = RecordingSender()
    ticking = scheduler(services, sender)
    await ticking.tick(NOON)
    with services.session_factory() as session:
        planned = session.scalar(select(User.next_nudge_at))
    assert planned == NOON + timedelta(minutes=30)  # today's 12:30 in Berlin
    await ticking.tick(NOON + timedelta(minutes=31))
    assert [chat for chat, _ in sender.sent] == [4000]


def test_nothing_named_max_attempts_remains() -> None:
    """Delivery gives up by time only: no count of attempts ends it."""
    assert "max_attempts" not in NudgeScheduler.__dataclass_fields__
