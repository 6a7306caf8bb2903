"""The one runtime: the tick it drives for every platform, and how it stops."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.app import Runtime
from bot.domain.platform import PLAIN
from bot.domain.replies import Reply
from bot.features.base import Services
from bot.store.models import DeliveryStatus, NudgeDelivery
from scheduler.nudges import TickReport
from tests.conftest import Clock
from tests.scheduler.test_tick import opt_in


class SlowSender:
    def __init__(self) -> None:
        self.sent: list[int] = []

    async def send(self, chat_id: int, reply: Reply) -> None:
        await asyncio.sleep(0.02)
        self.sent.append(chat_id)


async def test_leaving_ticking_stops_claiming_and_hands_back_what_was_not_sent(
    services: Services, clock: Clock
) -> None:
    for user_id in range(1, 41):
        opt_in(services, user_id, "08:30")
    clock.now = datetime(2026, 11, 24, 7, 31, tzinfo=UTC)  # 08:31 in Berlin: all due
    runtime = Runtime(services, PLAIN)
    sender = SlowSender()
    runtime.deliver_through(sender, max_in_flight=1, batch=10)
    async with runtime.ticking(interval=3600, at_once=True):
        while len(sender.sent) < 3:
            await asyncio.sleep(0.01)
    sent = len(sender.sent)
    assert 3 <= sent < 40
    with services.session_factory() as session:
        statuses = session.scalars(select(NudgeDelivery.status)).all()
        attempts = session.scalars(
            select(NudgeDelivery.attempts).where(NudgeDelivery.status == DeliveryStatus.PENDING)
        ).all()
    assert statuses.count(DeliveryStatus.SENT) == sent
    assert statuses.count(DeliveryStatus.PENDING) == 40 - sent  # ready again, at once
    assert set(attempts) == {0}  # handed back: the attempt is not counted
    another = Runtime(services, PLAIN)  # another instance, or the next start
    another.deliver_through(sender)
    await another.tick()
    assert sorted(sender.sent) == list(range(1, 41))  # each exactly once


async def test_the_tick_goes_on_after_a_failed_one(services: Services) -> None:
    runtime = Runtime(services, PLAIN)
    runtime.deliver_through(SlowSender())
    calls = 0

    async def failing_tick() -> None:
        nonlocal calls
        calls += 1
        raise RuntimeError("the database went away")

    runtime.tick = failing_tick  # type: ignore[assignment, method-assign]
    async with runtime.ticking(interval=0.05, at_once=True):
        while calls < 3:
            await asyncio.sleep(0.01)


async def test_a_store_that_fails_the_tick_is_said_once_as_it_begins_and_once_as_it_ends(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    """A locked or unreachable store fails tick after tick: one warning, then one line
    with its length when a tick goes through again; no traceback a tick."""
    runtime = Runtime(services, PLAIN)
    runtime.deliver_through(SlowSender())
    real, calls = runtime.tick, 0

    async def locked_three_times() -> TickReport:
        nonlocal calls
        calls += 1
        if calls <= 3:
            raise OperationalError("UPDATE ...", {}, sqlite3.OperationalError("database is locked"))
        return await real()

    runtime.tick = locked_three_times  # type: ignore[method-assign]
    caplog.set_level(logging.INFO)
    async with runtime.ticking(interval=0.05, at_once=True):
        while calls < 5:
            await asyncio.sleep(0.01)
    lines = [
        (r.levelname, r.getMessage()) for r in caplog.records if "nudge tick" in r.getMessage()
    ]
    assert [level for level, _ in lines] == ["WARNING", "INFO"]
    assert "database is locked" in lines[0][1] and "answering again after" in lines[1][1]
    assert not [r for r in caplog.records if r.exc_info]
