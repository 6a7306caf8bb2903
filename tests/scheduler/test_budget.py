"""One nudge budget for every instance on one database: shares that add up to the
rate, a newcomer that waits for the others to make room, and two schedulers sending
together that never exceed the rate in any one-second window."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.replies import Reply
from bot.features.base import Services
from scheduler.budget import SharedBudget, share_of
from scheduler.delivery import RateLimiter
from scheduler.nudges import NudgeScheduler
from tests.conftest import Clock
from tests.scheduler.test_faults import statuses
from tests.scheduler.test_tick import RecordingSender, messages, opt_in


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=1, max_value=12))
def test_the_shares_add_up_to_the_rate(rate: int, count: int) -> None:
    ids = sorted(f"i{n:02d}" for n in range(count))
    shares = [share_of(rate, ids, me) for me in ids]
    if rate >= count:
        assert sum(shares) == rate
        assert max(shares) - min(shares) <= 1  # as even as whole numbers allow
    else:
        assert shares == [1] * count  # at least one each


def max_in_window(stamps: list[float], window: float = 1.0) -> int:
    ordered, best, start = sorted(stamps), 0, 0
    for end, stamp in enumerate(ordered):
        while stamp - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


class StampingSender(RecordingSender):
    """Records when each send reached the "platform" (this process's clock), after a
    small round trip."""

    def __init__(self) -> None:
        super().__init__()
        self.stamps: list[float] = []

    async def send(self, chat_id: int, reply: Reply) -> None:
        self.stamps.append(time.monotonic())
        await asyncio.sleep(0.005)
        await super().send(chat_id, reply)


async def test_a_newcomer_waits_until_the_others_have_lowered_their_shares(
    services: Services,
) -> None:
    first = SharedBudget(services, RateLimiter(30), 30, instance_id="a")
    await first.join()
    assert first.limiter.base_rate == 30  # alone: at once, the whole rate
    assert first.limiter._held_until <= time.monotonic()
    second = SharedBudget(services, RateLimiter(30), 30, instance_id="b")
    await second.join()
    assert second.limiter.base_rate == 15
    assert second.limiter._held_until > time.monotonic() + 5  # until the first sees it
    await asyncio.sleep(1.7)  # the first beats, lowers its share, then says so
    assert first.limiter.base_rate == 15
    assert second.limiter._held_until <= time.monotonic() + 1.0  # a second more, then on
    await second.leave()
    await asyncio.sleep(0.8)
    assert first.limiter.base_rate == 30  # the share comes back
    await first.leave()


async def test_two_instances_together_never_exceed_the_rate(
    services: Services, clock: Clock
) -> None:
    """Two schedulers, as two processes would run them, drain 100 due nudges at a
    shared 40 a second: no second holds more than 40, nobody gets two, nobody none."""
    noon = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    clock.now = noon - timedelta(minutes=30)
    for n in range(100):
        opt_in(services, 5000 + n, "12:00")
    sender = StampingSender()

    def instance(name: str) -> NudgeScheduler:
        limiter = RateLimiter(40)
        return NudgeScheduler(
            services,
            sender,
            limiter,
            messages=messages(services),
            backoff_seconds=0,
            batch=20,
            budget=SharedBudget(services, limiter, 40, instance_id=name),
        )

    clock.now = noon + timedelta(minutes=1)
    await asyncio.gather(instance("a").tick(), instance("b").tick())
    chats = [chat for chat, _ in sender.sent]
    assert sorted(chats) == [5000 + n for n in range(100)]  # each once
    assert max_in_window(sender.stamps) <= 40
    assert statuses(services) == {"sent": 100}
