"""The nudge tick with injected time and a recording sender."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable

from bot.domain.platform import PLAIN
from bot.domain.replies import Reply
from bot.features.base import Identity, Services
from bot.features.dispatch import handle_button, handle_command
from bot.features.outgoing import Outgoing
from bot.store import deliveries
from bot.store.models import DeliveryKind, DeliveryStatus, NudgeDelivery, TipShown, TipSource, User
from scheduler.delivery import RateLimiter, RetryAfter, Transient, Unreachable
from scheduler.nudges import NudgeScheduler, TickReport
from tests.conftest import Clock, agree


def messages(services: Services) -> Outgoing:
    """What the nudges say, as the wiring place (bot.app) hands it to the scheduler."""
    return Outgoing(services, lambda: PLAIN)


def tg_user(user_id: int) -> Identity:
    """A Telegram user in their private chat with the bot."""
    return Identity(user_id, user_id, platform="telegram")


class RecordingSender:
    """Records every nudge; ``script`` maps a chat to errors raised on its next sends."""

    def __init__(self) -> None:
        self.sent: list[tuple[int, Reply]] = []
        self.script: dict[int, list[Exception]] = {}

    async def send(self, chat_id: int, reply: Reply) -> None:
        errors = self.script.get(chat_id)
        if errors:
            raise errors.pop(0)
        self.sent.append((chat_id, reply))

    def to(self, chat_id: int) -> list[Reply]:
        return [reply for chat, reply in self.sent if chat == chat_id]


def opt_in(services: Services, user_id: int, at: str, zone: str = "Europe/Berlin") -> None:
    identity = tg_user(user_id)
    agree(services, user_id)
    handle_command(services, identity, "timezone", zone)
    handle_command(services, identity, "nudges", at)


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def make_scheduler(services: Services, sender: RecordingSender) -> Callable[[], NudgeScheduler]:
    def make() -> NudgeScheduler:
        return NudgeScheduler(
            services, sender, RateLimiter(1000), messages=messages(services), backoff_seconds=0
        )

    return make


async def test_a_due_user_gets_exactly_one_nudge(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    assert (await scheduler.tick(clock.now + timedelta(minutes=29))).sent == 0
    assert sender.sent == []
    report = await scheduler.tick(clock.now + timedelta(minutes=30))
    assert report.sent == 1
    [reply] = sender.to(42)
    assert "Your daily tip" in reply.text
    assert [b.label for row in reply.buttons for b in row] == [
        "Another tip",
        "Later (in 1 hour)",
        "Stop daily tips",
    ]
    # Later ticks that day, and a fresh scheduler after a "restart", send nothing more.
    for minutes in (31, 45, 120):
        await scheduler.tick(clock.now + timedelta(minutes=minutes))
    await make_scheduler().tick(clock.now + timedelta(minutes=121))
    assert len(sender.to(42)) == 1
    # The next local day brings the next one, with a different tip.
    await scheduler.tick(clock.now + timedelta(days=1, minutes=30))
    second = sender.to(42)
    assert len(second) == 2 and second[0].text != second[1].text


async def test_the_unique_key_forbids_a_second_nudge_for_one_local_day(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    await scheduler.tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    # The user moves the time later the same day: today's nudge is already out.
    clock.now = datetime(2026, 11, 24, 7, 40, tzinfo=UTC)
    opt_in(services, 42, "09:00")
    await scheduler.tick(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert len(sender.to(42)) == 1
    with services.session_factory() as session:
        days = session.scalars(select(NudgeDelivery.local_date)).all()
    assert days == [date(2026, 11, 24)]


async def test_a_nudge_missed_within_the_grace_period_is_sent_once(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    late = datetime(2026, 11, 24, 7, 30, tzinfo=UTC) + timedelta(hours=2, minutes=59)
    await scheduler.tick(late)
    await scheduler.tick(late + timedelta(minutes=1))
    assert len(sender.to(42)) == 1


async def test_a_nudge_missed_beyond_the_grace_period_moves_to_the_next_day(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    report = await scheduler.tick(datetime(2026, 11, 24, 10, 31, tzinfo=UTC))
    assert report.skipped == 1 and sender.sent == []
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
    assert user.next_nudge_at == datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    await scheduler.tick(datetime(2026, 11, 25, 7, 30, tzinfo=UTC))
    assert len(sender.to(42)) == 1


async def test_only_due_users_are_nudged_each_in_their_own_zone(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    clock.now = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)
    opt_in(services, 1, "09:00", "Europe/Berlin")  # 08:00 UTC
    opt_in(services, 2, "09:00", "America/New_York")  # 14:00 UTC
    opt_in(services, 3, "09:00", "Asia/Tokyo")  # 00:00 UTC on the 25th
    scheduler = make_scheduler()
    await scheduler.tick(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert [chat for chat, _ in sender.sent] == [1]
    await scheduler.tick(datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    await scheduler.tick(datetime(2026, 11, 25, 0, 0, tzinfo=UTC))
    assert [chat for chat, _ in sender.sent] == [1, 2, 3]


async def test_rate_limited_send_waits_and_retries_the_same_message(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    sender.script[42] = [RetryAfter(0.01)]
    report = await make_scheduler().tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    assert report.sent == 1 and len(sender.to(42)) == 1


async def test_transient_failures_leave_the_nudge_for_a_later_tick(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    sender.script[42] = [Transient("502")] * 3
    scheduler = make_scheduler()
    due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    report = await scheduler.tick(due)
    assert report.retry_later == 1 and sender.sent == []
    await scheduler.tick(due + timedelta(seconds=14))
    assert sender.sent == []  # backing off
    await scheduler.tick(due + timedelta(seconds=15))
    assert len(sender.to(42)) == 1


async def test_an_unreachable_user_is_opted_out(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    sender.script[42] = [Unreachable("Forbidden: bot was blocked by the user")]
    report = await make_scheduler().tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    assert report.unreachable == 1
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
        delivery = session.scalars(select(NudgeDelivery)).one()
    assert not user.nudges_enabled and user.next_nudge_at is None
    assert delivery.status == DeliveryStatus.FAILED and "blocked" in (delivery.error or "")


async def test_a_crash_after_claiming_loses_nothing(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    crashed = make_scheduler()
    crashed._plan(due, __import__("scheduler.nudges").nudges.TickReport())
    assert len(crashed._claim(due)) == 1  # claimed, then the process dies before sending
    restarted = make_scheduler()
    await restarted.tick(due + timedelta(minutes=1))
    assert sender.sent == []  # still leased to the dead process
    await restarted.tick(due + timedelta(minutes=6))
    assert len(sender.to(42)) == 1


async def test_stopping_mid_fan_out_hands_back_what_was_not_sent(
    services: Services, sender: RecordingSender
) -> None:
    """The bot is told to stop while nudges go out: it finishes what is in flight,
    hands the rest back at once (attempt not counted), and a restart sends those."""
    for user_id in range(100, 130):
        opt_in(services, user_id, "08:30")
    due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    running = True

    class StopAfterTen(RecordingSender):
        async def send(self, chat_id: int, reply: Reply) -> None:
            nonlocal running
            await super().send(chat_id, reply)
            running = len(self.sent) < 10

    stopping = StopAfterTen()
    scheduler = NudgeScheduler(
        services,
        stopping,
        RateLimiter(1000),
        messages=messages(services),
        max_in_flight=1,
        keep_going=lambda: running,
    )
    report = await scheduler.tick(due)
    assert report.sent == 10 and report.released == 20
    with services.session_factory() as session:
        rows = session.execute(select(NudgeDelivery.status, NudgeDelivery.attempts)).all()
    assert sorted(set(rows)) == [(DeliveryStatus.PENDING, 0), (DeliveryStatus.SENT, 1)]
    again = NudgeScheduler(services, sender, RateLimiter(1000), messages=messages(services))
    await again.tick(due + timedelta(minutes=1))
    everyone = {chat for chat, _ in stopping.sent} | {chat for chat, _ in sender.sent}
    assert len(stopping.sent) + len(sender.sent) == 30 and len(everyone) == 30


async def test_a_nudge_counts_as_shown_so_the_next_tip_is_new(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    await make_scheduler().tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    [nudge] = sender.to(42)
    with services.session_factory() as session:
        shown = session.execute(select(TipShown.tip_id, TipShown.source)).all()
    [(tip_id, source)] = shown
    assert source == TipSource.NUDGE and tip_id in [
        t.id for s in services.content.strategies for t in s.tips
    ]
    [reply] = handle_command(services, tg_user(42), "tip", "")
    assert reply.text.split("\n\n")[1] != nudge.text.split("\n\n")[1]


async def test_later_sends_the_same_tip_again_in_an_hour(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    await scheduler.tick(due)
    [nudge] = sender.to(42)
    later = next(d for d in nudge.button_data() if d.startswith("nd:later:"))
    clock.now = due + timedelta(minutes=2)
    result = handle_button(services, tg_user(42), later)
    assert result.notice == "I'll send it again at 09:32."
    again = handle_button(services, tg_user(42), later)
    assert again.notice == "It's already set to come back later."
    await scheduler.tick(due + timedelta(minutes=61))
    assert len(sender.to(42)) == 1
    await scheduler.tick(due + timedelta(minutes=62))
    first, second = sender.to(42)
    assert "an hour later" in second.text
    assert first.text.split("\n\n")[1] == second.text.split("\n\n")[1]
    # Someone else's delivery id is not theirs to snooze.
    agree(services, 7)
    assert handle_button(services, tg_user(7), later).notice.startswith("This button")


async def test_stop_button_turns_daily_tips_off(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    result = handle_button(services, tg_user(42), "nd:stop")
    assert "off" in (result.notice or "")
    await make_scheduler().tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    assert sender.sent == []


class Explain(Executable, ClauseElement):
    """``EXPLAIN`` (PostgreSQL) or ``EXPLAIN QUERY PLAN`` (SQLite) of a statement, with
    the statement's own parameters, bound as it binds them."""

    inherit_cache = False

    def __init__(self, statement: Executable) -> None:
        self.statement = statement


@compiles(Explain)
def _explain(element: Explain, compiler: SQLCompiler, **kw: Any) -> str:
    prefix = "EXPLAIN QUERY PLAN" if compiler.dialect.name == "sqlite" else "EXPLAIN"
    return f"{prefix} {compiler.process(element.statement, **kw)}"


@pytest.mark.parametrize("kind", [DeliveryKind.NUDGE, DeliveryKind.REMINDER])
async def test_the_due_query_uses_the_index(services: Services, kind: DeliveryKind) -> None:
    """The plan of the very statement :func:`deliveries.due_slots` runs: a range search
    of the due column's index, never a scan of the users table."""
    index, column = {
        DeliveryKind.NUDGE: ("ix_users_next_nudge_at", "next_nudge_at"),
        DeliveryKind.REMINDER: ("ix_users_next_reminder_at", "next_reminder_at"),
    }[kind]
    now = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    with services.session_factory.begin() as session:
        statement = deliveries.due_query(session=session, now=now, limit=200, kind=kind)
        if session.get_bind().dialect.name == "sqlite":
            plan = "\n".join(row.detail for row in session.execute(Explain(statement)))
            assert f"SEARCH users USING INDEX {index} ({column}<?)" in plan, plan
        else:  # an empty table makes a scan cheapest: ask whether the index can serve
            session.execute(text("SET LOCAL enable_seqscan = off"))
            session.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = "\n".join(row[0] for row in session.execute(Explain(statement)))
            assert f"Index Scan using {index} on users" in plan, plan
            assert f"Index Cond: ({column} <= " in plan, plan
        # the index gives the order too: the first rows are the oldest, nothing to sort
        assert "SCAN users" not in plan and "Seq Scan" not in plan, plan
        assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan


async def test_rate_limiter_never_lets_more_than_its_rate_arrive_in_any_second() -> None:
    """Requests reach the platform some time after they are let go and before their
    answer returns; whatever those delays, no second holds more than the rate, and
    sends are spread out rather than sent in bursts."""
    import asyncio
    import random
    import time

    limiter = RateLimiter(20)
    rng = random.Random(7)
    arrivals: list[float] = []

    async def one() -> None:
        async with limiter.slot():
            await asyncio.sleep(rng.uniform(0, 0.08))  # on its way (a busy event loop)
            arrivals.append(time.monotonic())
            await asyncio.sleep(rng.uniform(0, 0.08))  # the answer on its way back

    await asyncio.gather(*(one() for _ in range(50)))

    def most_within(seconds: float) -> int:
        return max(sum(1 for t in arrivals if s <= t < s + seconds) for s in arrivals)

    assert most_within(1.0) <= 20
    assert most_within(0.25) <= 7  # about 5 per quarter second, not a burst of 20
    assert max(arrivals) - min(arrivals) >= 2.0  # 50 sends at 20/s need two full windows


async def test_weekly_checkin_reminder_comes_once_a_week_with_a_start_button(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # Tuesday
    identity = tg_user(5)
    agree(services, 5)
    handle_command(services, identity, "timezone", "Europe/Berlin")
    [menu] = handle_command(services, identity, "checkin", "remind")
    on_sunday = next(d for d in menu.button_data() if d.startswith("ci:rem:d:6:"))
    edited = handle_button(services, identity, on_sunday).edit
    assert edited is not None
    handle_button(
        services, identity, next(d for d in edited.button_data() if d.startswith("ci:rem:at:1800:"))
    )
    scheduler = make_scheduler()
    sunday = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
    await scheduler.tick(sunday - timedelta(minutes=1))
    assert sender.sent == []
    for minutes in (0, 1, 60):
        await scheduler.tick(sunday + timedelta(minutes=minutes))
    [reminder] = sender.to(5)
    assert "weekly check-in" in reminder.text
    assert reminder.button_data() == ["ci:new"]
    await scheduler.tick(sunday + timedelta(days=6))
    assert len(sender.to(5)) == 1
    await scheduler.tick(sunday + timedelta(days=7))
    assert len(sender.to(5)) == 2


async def test_finished_deliveries_are_kept_35_days_then_pruned(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    first = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    await scheduler.tick(first)
    await scheduler.tick(first + timedelta(days=1))
    await scheduler.tick(first + timedelta(days=35, hours=2))  # 35 days on: both still kept
    with services.session_factory() as session:
        assert len(session.scalars(select(NudgeDelivery)).all()) == 2
    await scheduler.tick(first + timedelta(days=36, hours=2))  # the first is now too old
    with services.session_factory() as session:
        days = sorted(session.scalars(select(NudgeDelivery.local_date)))
    assert days == [date(2026, 11, 25), date(2026, 12, 30)]


async def test_no_more_nudges_await_an_answer_than_the_in_flight_limit(
    services: Services,
) -> None:
    """NUDGE_MAX_IN_FLIGHT: with slow answers, at most that many sends are open at once,
    and every due user still gets one nudge."""
    for user_id in range(300, 312):
        opt_in(services, user_id, "08:30")
    open_now, most = 0, 0

    class SlowAnswers(RecordingSender):
        async def send(self, chat_id: int, reply: Reply) -> None:
            nonlocal open_now, most
            open_now += 1
            most = max(most, open_now)
            await asyncio.sleep(0.02)
            open_now -= 1
            await super().send(chat_id, reply)

    slow = SlowAnswers()
    scheduler = NudgeScheduler(
        services, slow, RateLimiter(1000), messages=messages(services), max_in_flight=3
    )
    report = await scheduler.tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    assert report.sent == 12 and len({chat for chat, _ in slow.sent}) == 12
    assert most == 3


# --- the bot keeps its word ------------------------------------------------------------


def deliveries_of(services: Services, platform_user_id: int) -> list[tuple[str, str, str | None]]:
    """``(kind, status, error)`` of each delivery of that user, oldest first."""
    with services.session_factory() as session:
        rows = session.execute(
            select(NudgeDelivery.kind, NudgeDelivery.status, NudgeDelivery.error)
            .join(User, User.id == NudgeDelivery.user_id)
            .where(User.platform_user_id == platform_user_id)
            .order_by(NudgeDelivery.id)
        )
        return [(kind, status, error) for kind, status, error in rows]


def exported_deliveries(services: Services, platform_user_id: int) -> list[dict[str, object]]:
    import json

    identity = tg_user(platform_user_id)
    [reply] = handle_command(services, identity, "export", "")
    assert reply.attachment is not None
    deliveries: list[dict[str, object]] = json.loads(reply.attachment.content)["deliveries"]
    return deliveries


async def test_stop_after_later_sends_nothing_more_not_even_the_snoozed_tip(
    services: Services, clock: Clock
) -> None:
    """The "Later" button puts today's tip back in the outbox for an hour; /stop then withdraws
    it (and a weekly reminder waiting for a retry): past the snooze, nothing comes."""
    failing = True

    class RemindersFail(RecordingSender):
        async def send(self, chat_id: int, reply: Reply) -> None:
            if failing and "weekly check-in" in reply.text:
                raise Transient("502")
            await super().send(chat_id, reply)

    sender = RemindersFail()
    scheduler = NudgeScheduler(
        services, sender, RateLimiter(1000), messages=messages(services), backoff_seconds=0
    )
    identity = tg_user(42)
    clock.now = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # a Tuesday, 07:00 in Berlin
    opt_in(services, 42, "08:30")
    [menu] = handle_command(services, identity, "checkin", "remind")
    on_tuesday = next(d for d in menu.button_data() if d.startswith("ci:rem:d:1:"))
    edited = handle_button(services, identity, on_tuesday).edit
    assert edited is not None
    handle_button(
        services, identity, next(d for d in edited.button_data() if d.startswith("ci:rem:at:0800:"))
    )
    await scheduler.tick(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # the reminder fails
    due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 08:30 in Berlin
    await scheduler.tick(due)  # the daily tip goes out; the reminder fails again
    [nudge] = sender.to(42)
    assert sorted(deliveries_of(services, 42)) == [
        (DeliveryKind.NUDGE, DeliveryStatus.SENT, None),
        (DeliveryKind.REMINDER, DeliveryStatus.PENDING, "502"),
    ]
    clock.now = due + timedelta(minutes=2)
    later = next(d for d in nudge.button_data() if d.startswith("nd:later:"))
    assert handle_button(services, identity, later).notice == "I'll send it again at 09:32."
    [stopped] = handle_command(services, identity, "stop", "")
    assert "won't message you again" in stopped.text
    failing = False  # from now on anything claimed would be sent, and seen here
    for minutes in (5, 62, 63, 120, 24 * 60):
        await scheduler.tick(due + timedelta(minutes=minutes))
    assert sender.sent == [(42, nudge)]
    # The snoozed tip was sent once, and stays so; the reminder never went out.
    assert sorted(deliveries_of(services, 42)) == [
        (DeliveryKind.NUDGE, DeliveryStatus.SENT, "stopped"),
        (DeliveryKind.REMINDER, DeliveryStatus.SKIPPED, "stopped"),
    ]
    # And "Later" on the old message no longer brings it back.
    notice = handle_button(services, identity, later).notice or ""
    assert notice.startswith("Daily tips are off")
    await scheduler.tick(due + timedelta(minutes=24 * 60 + 70))
    assert sender.sent == [(42, nudge)]


async def test_stop_marks_what_was_waiting_at_once_so_export_tells_the_truth(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    """No tick needed: right after /stop (or "Stop daily tips"), /export shows nothing
    waiting to be sent."""
    for user_id in (42, 43):
        opt_in(services, user_id, "08:30")
    due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    await make_scheduler().tick(due)
    clock.now = due + timedelta(minutes=2)
    for user_id in (42, 43):
        later = next(d for d in sender.to(user_id)[0].button_data() if d.startswith("nd:later:"))
        handle_button(services, tg_user(user_id), later)
    assert [d["status"] for d in exported_deliveries(services, 42)] == [DeliveryStatus.PENDING]
    handle_command(services, tg_user(42), "stop", "")
    assert [d["status"] for d in exported_deliveries(services, 42)] == [DeliveryStatus.SENT]
    assert deliveries_of(services, 42) == [(DeliveryKind.NUDGE, DeliveryStatus.SENT, "stopped")]
    # "Stop daily tips" does the same; nobody else's deliveries are touched.
    assert deliveries_of(services, 43) == [(DeliveryKind.NUDGE, DeliveryStatus.PENDING, None)]
    handle_button(services, tg_user(43), "nd:stop")
    assert deliveries_of(services, 43) == [(DeliveryKind.NUDGE, DeliveryStatus.SENT, "stopped")]


async def test_consent_is_checked_again_when_a_delivery_is_claimed(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    """Deliveries planned while users still wanted them: by the time they are claimed
    one user's daily tip is off, one blocked the bot, one turned the reminder off (all
    written straight to the store, as another process would). Only the fourth is sent;
    the others are finished as skipped, with why, in the claim's transaction."""
    for user_id in (1, 2, 3, 4):
        opt_in(services, user_id, "08:30")
    with services.session_factory.begin() as session:
        session.execute(
            update(User).where(User.platform_user_id == 3).values(reminder_enabled=True)
        )
    due = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    scheduler = make_scheduler()
    scheduler._plan(due, TickReport())
    with services.session_factory.begin() as session:
        three = session.scalar(select(User.id).where(User.platform_user_id == 3))
        session.execute(
            NudgeDelivery.__table__.insert().values(
                user_id=three,
                kind=DeliveryKind.REMINDER,
                local_date=date(2026, 11, 24),
                due_at=due,
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=due,
            )
        )
        session.execute(update(User).where(User.platform_user_id == 1).values(nudges_enabled=False))
        session.execute(update(User).where(User.platform_user_id == 2).values(blocked_at=due))
        session.execute(
            update(User).where(User.platform_user_id == 3).values(reminder_enabled=False)
        )
    report = await scheduler.tick(due)
    assert report.sent == 2  # the daily tips of users 3 and 4
    assert sorted(chat for chat, _ in sender.sent) == [3, 4]
    assert all("Your daily tip" in reply.text for _, reply in sender.sent)
    assert deliveries_of(services, 1) == [
        (DeliveryKind.NUDGE, DeliveryStatus.SKIPPED, "daily tip off")
    ]
    assert deliveries_of(services, 2) == [(DeliveryKind.NUDGE, DeliveryStatus.SKIPPED, "blocked")]
    assert sorted(deliveries_of(services, 3)) == [
        (DeliveryKind.NUDGE, DeliveryStatus.SENT, None),
        (DeliveryKind.REMINDER, DeliveryStatus.SKIPPED, "reminder off"),
    ]
    assert deliveries_of(services, 4) == [(DeliveryKind.NUDGE, DeliveryStatus.SENT, None)]
    with services.session_factory() as session:
        attempts = session.scalars(
            select(NudgeDelivery.attempts).where(NudgeDelivery.status == DeliveryStatus.SKIPPED)
        ).all()
    assert attempts == [0, 0, 0]  # never tried


async def test_after_todays_tip_a_later_time_today_means_tomorrow(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    """The "Next one" shown is when the next tip really goes out: one per local day, so moving
    the time to later today after today's tip says tomorrow, and is tomorrow."""
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    await scheduler.tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))  # 08:30 in Berlin
    clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    [reply] = handle_command(services, tg_user(42), "nudges", "20:00")
    assert "Next one: Wed 25 Nov, 20:00" in reply.text
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
    assert user.next_nudge_at == datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
    [settings] = handle_command(services, tg_user(42), "settings", "")
    assert "Next one: Wed 25 Nov, 20:00" in settings.text
    await scheduler.tick(datetime(2026, 11, 24, 19, 0, tzinfo=UTC))
    assert len(sender.to(42)) == 1
    await scheduler.tick(datetime(2026, 11, 25, 19, 0, tzinfo=UTC))
    assert len(sender.to(42)) == 2
    # Someone whose tip today has not gone out yet gets it today at the new time.
    opt_in(services, 43, "08:30")  # at 09:00 Berlin: 08:30 has passed, tomorrow
    [reply] = handle_command(services, tg_user(43), "nudges", "20:00")
    assert "Next one: Tue 24 Nov, 20:00" in reply.text


async def test_a_day_whose_tip_never_went_out_can_still_have_one(
    services: Services, clock: Clock, sender: RecordingSender, make_scheduler: Callable
) -> None:
    """A failed (or skipped) delivery is no tip: "Next one" may be later today, and the
    plan step sends it then, reusing the day's row (one row per user and local day)."""
    opt_in(services, 42, "08:30")
    sender.script[42] = [Unreachable("Forbidden: bot was blocked by the user")]
    scheduler = make_scheduler()
    await scheduler.tick(datetime(2026, 11, 24, 7, 30, tzinfo=UTC))
    assert deliveries_of(services, 42)[0][1] == DeliveryStatus.FAILED
    clock.now = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # back: unblocked, opts in again
    [reply] = handle_command(services, tg_user(42), "nudges", "20:00")
    assert "Next one: Tue 24 Nov, 20:00" in reply.text
    await scheduler.tick(datetime(2026, 11, 24, 19, 0, tzinfo=UTC))
    assert len(sender.to(42)) == 1
    assert deliveries_of(services, 42) == [(DeliveryKind.NUDGE, DeliveryStatus.SENT, None)]
    await scheduler.tick(datetime(2026, 11, 24, 19, 5, tzinfo=UTC))
    assert len(sender.to(42)) == 1
