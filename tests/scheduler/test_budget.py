"""One nudge budget for every instance on one database: shares that add up to the
rate, a newcomer that waits for the others to make room, and two schedulers sending
together that never exceed the rate in any one-second window."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.replies import Reply
from bot.features.base import Services
from scheduler.budget import SharedBudget, decode_holds, encode_holds, share_of
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


class FrozenClock:
    """A limiter's clock that stands still unless moved: the places it holds keep
    their length however slowly the test machine runs."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.02)


def weight(places: list[tuple[float, float]], after: float = 0.0) -> float:
    """How much of the window ``places`` hold for longer than ``after`` seconds."""
    return sum(w for seconds, w in places if seconds > after)


places_st = st.lists(
    st.tuples(st.floats(min_value=0.001, max_value=2.0), st.floats(min_value=0.01, max_value=3)),
    max_size=60,
)


@given(places_st)
def test_places_handed_over_never_hold_less_nor_for_less_time(
    places: list[tuple[float, float]],
) -> None:
    handed = decode_holds(encode_holds(places))
    for tenth in range(21):
        after = tenth * 0.1 - 0.05
        assert weight(handed, after) >= weight(places, after) - 1e-6
    assert weight(handed) <= weight(places) + 0.01 * 20 + 1e-6  # rounded up, no more
    assert all(seconds <= 2.0 for seconds, _ in handed)


def test_a_malformed_holds_text_counts_nothing() -> None:
    assert decode_holds("") == [] and decode_holds("x,2") == []
    assert decode_holds("0,2,nan,-1") == [(0.2, 2.0)]


@given(places_st, st.floats(min_value=0.0, max_value=1.0))
def test_a_hand_over_keeps_a_fraction_of_each_place_and_gives_the_rest(
    places: list[tuple[float, float]], fraction: float
) -> None:
    clock = FrozenClock()
    limiter = RateLimiter(30, clock=clock)
    limiter.seed("other", places)
    limiter.hand_over(fraction)
    kept = [place for place in limiter.holds() if place not in limiter.given()]
    assert weight(limiter.holds()) == pytest.approx(weight(places), abs=1e-6)
    assert weight(limiter.given()) == pytest.approx((1 - fraction) * weight(places), abs=1e-6)
    assert weight(kept) <= fraction * weight(places) + 1e-6


async def test_a_seeded_place_holds_the_window_like_a_send_of_its_own() -> None:
    clock = FrozenClock()
    limiter = RateLimiter(3, clock=clock)
    limiter.seed("other", [(0.5, 1.0), (0.5, 1.0)])
    assert limiter.holds() == [(0.5, 1.0), (0.5, 1.0)]
    await limiter.acquire()  # one place left of three
    waiting = asyncio.ensure_future(limiter.acquire())
    await asyncio.sleep(0.05)
    assert not waiting.done()  # two seeded and one in flight fill the window
    clock.now += 0.6  # the seeded places leave the window
    await asyncio.wait_for(waiting, 5)
    assert limiter.holds() == [(2.0, 1.0), (2.0, 1.0)]  # in flight, their answers unknown


async def test_half_a_place_handed_over_leaves_room_for_half_a_send() -> None:
    """After handing half of its 4 places over, a limiter at a share of 2 has room
    for no more than 2 - 4 × 0.5 = 0; when two of the places leave, for one."""
    clock = FrozenClock()
    limiter = RateLimiter(4, clock=clock)
    limiter.seed("own", [(0.3, 1.0), (0.3, 1.0), (0.6, 1.0), (0.6, 1.0)])
    limiter.set_rate(2)
    limiter.hand_over(0.5)
    waiting = asyncio.ensure_future(limiter.acquire())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    clock.now += 0.4  # 2 × 0.5 left: room for one
    await asyncio.wait_for(waiting, 5)
    second = asyncio.ensure_future(limiter.acquire())
    await asyncio.sleep(0.05)
    assert not second.done()  # one in flight and 2 × 0.5 make two
    second.cancel()


async def test_a_newcomer_waits_until_the_others_have_lowered_their_shares(
    services: Services,
) -> None:
    """The first instance lowers its share as soon as it sees the second and hands over
    half of the places its recent sends hold; the second waits for that, then sends at
    once, counting them; when the second leaves, the first takes the whole rate again
    and counts every place the second one held."""
    first = SharedBudget(services, RateLimiter(30, clock=FrozenClock()), 30, instance_id="a")
    await first.join()
    assert first.limiter.base_rate == 30  # alone: at once, the whole rate
    assert first.limiter._held_until <= first.limiter._clock()
    first.limiter.seed("recent", [(0.9, 1.0)] * 12)  # as if it had just sent 12
    second = SharedBudget(services, RateLimiter(30, clock=FrozenClock()), 30, instance_id="b")
    await second.join()
    assert second.limiter.base_rate == 15
    assert second._waiting  # until the first sees it
    assert second.limiter._held_until > second.limiter._clock() + 5
    await until(lambda: not second._waiting)
    assert first.limiter.base_rate == 15  # lowered before the second went on
    assert weight(first.limiter.given()) == pytest.approx(6)  # half of the 12 places
    assert second.limiter._held_until <= second.limiter._clock()  # on at once
    assert second.limiter.holds() == [(pytest.approx(0.9), pytest.approx(6))]  # its own now
    second.limiter.seed("recent", [(0.4, 1.0)] * 3)  # as if the second had just sent 3
    await second.leave()
    await until(lambda: first.limiter.base_rate == 30)  # the share comes back
    from_second = first.limiter._seeds["b"]
    assert weight([(end - 1000.0, w) for end, w in from_second]) == pytest.approx(6 + 3)
    await first.leave()


async def test_two_instances_together_never_exceed_the_rate(
    services: Services, clock: Clock
) -> None:
    """Two schedulers, as two processes would run them, drain 100 due nudges at a
    shared 40 a second, the second joining while the first sends: no second holds more
    than 40, nobody gets two, nobody none, and the second takes a fair part."""
    noon = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    clock.now = noon - timedelta(minutes=30)
    for n in range(100):
        opt_in(services, 5000 + n, "12:00")
    stamps: list[float] = []

    def instance(name: str) -> tuple[NudgeScheduler, StampingSender]:
        limiter = RateLimiter(40)
        sender = StampingSender()
        sender.stamps = stamps  # one platform, one clock
        scheduler = NudgeScheduler(
            services,
            sender,
            limiter,
            messages=messages(services),
            backoff_seconds=0,
            batch=20,
            budget=SharedBudget(services, limiter, 40, instance_id=name),
        )
        return scheduler, sender

    (a, a_sent), (b, b_sent) = instance("a"), instance("b")
    clock.now = noon + timedelta(minutes=1)

    async def joining() -> None:
        await until(lambda: len(a_sent.sent) >= 5)
        await b.tick()

    await asyncio.gather(a.tick(), joining())
    chats = [chat for chat, _ in a_sent.sent + b_sent.sent]
    assert sorted(chats) == [5000 + n for n in range(100)]  # each once
    assert max_in_window(stamps) <= 40
    assert statuses(services) == {"sent": 100}
    assert len(b_sent.sent) >= 15, "the first one did nearly all"
