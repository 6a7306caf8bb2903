"""The daily tip while a safety answer stands: only allowed tips, and an offer to pause."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.domain.content import SAFE_TAG, Content
from bot.features.base import Services
from bot.features.dispatch import handle_button
from bot.i18n import default_catalogue
from bot.store.models import NudgeDelivery, TipShown, User
from scheduler.delivery import RateLimiter
from scheduler.nudges import NudgeScheduler
from tests.conftest import Clock
from tests.scheduler.test_tick import RecordingSender, messages, opt_in, tg_user

EN = default_catalogue().locale("en")
PAUSE_OFFER, PAUSED = EN.t("nudge-pause-offer"), EN.t("nudge-paused")

DUE = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)  # 08:30 in Berlin


@pytest.fixture
def sender() -> RecordingSender:
    return RecordingSender()


@pytest.fixture
def make_scheduler(services: Services, sender: RecordingSender) -> Callable[[], NudgeScheduler]:
    return lambda: NudgeScheduler(
        services, sender, RateLimiter(1000), messages=messages(services), backoff_seconds=0
    )


def set_safety_flag(services: Services, flag: bool = True) -> None:
    with services.session_factory.begin() as session:
        session.execute(update(User).values(safety_flag=flag))


def shown(services: Services) -> list[str]:
    with services.session_factory() as session:
        return list(session.scalars(select(TipShown.tip_id).order_by(TipShown.id)))


def allowed_tips(content: Content) -> set[str]:
    return {t.id for s in content.strategies if SAFE_TAG in s.tags for t in s.tips}


def labels(reply: object) -> list[str]:
    return [b.label for row in reply.buttons for b in row]  # type: ignore[attr-defined]


async def test_a_safety_flagged_user_gets_only_allowed_daily_tips_and_can_pause(
    services: Services, sender: RecordingSender, make_scheduler: Callable, content: Content
) -> None:
    opt_in(services, 42, "08:30")
    set_safety_flag(services)
    allowed = allowed_tips(content)
    scheduler = make_scheduler()
    days = len(allowed) + 2  # a whole round and the start of the next
    for day in range(days):
        await scheduler.tick(DUE + timedelta(days=day))
    nudges = sender.to(42)
    assert len(nudges) == days
    assert set(shown(services)) <= allowed and set(shown(services)[: len(allowed)]) == allowed
    for nudge in nudges:
        assert nudge.text.startswith("<b>Your daily tip")
        assert nudge.text.endswith(PAUSE_OFFER)
        assert labels(nudge) == ["Another tip", "Later (in 1 hour)", "Pause daily tips"]
        assert "nd:pause" in nudge.button_data()
    # "Another tip" under the nudge: allowed too.
    more = handle_button(services, tg_user(42), "tip:more")
    assert shown(services)[-1] in allowed and "Keep a little mystery" not in more.send[0].text
    # Pausing turns daily tips off, in words of a pause.
    paused = handle_button(services, tg_user(42), "nd:pause")
    assert paused.notice == PAUSED == "Daily tips paused. /nudges on brings them back."
    await scheduler.tick(DUE + timedelta(days=days))
    assert len(sender.to(42)) == days
    with services.session_factory() as session:
        assert not session.scalars(select(User.nudges_enabled)).one()


async def test_without_a_safety_answer_the_nudge_has_no_pause_offer(
    services: Services, sender: RecordingSender, make_scheduler: Callable
) -> None:
    opt_in(services, 42, "08:30")
    await make_scheduler().tick(DUE)
    [nudge] = sender.to(42)
    assert PAUSE_OFFER not in nudge.text
    assert labels(nudge)[-1] == "Stop daily tips"


async def test_a_tip_asked_for_later_is_replaced_if_a_safety_answer_came_meanwhile(
    services: Services,
    clock: Clock,
    sender: RecordingSender,
    make_scheduler: Callable,
    content: Content,
) -> None:
    opt_in(services, 42, "08:30")
    scheduler = make_scheduler()
    await scheduler.tick(DUE)
    with services.session_factory.begin() as session:  # the nudge was a mystery tip
        session.execute(update(NudgeDelivery).values(tip_id="mystery-1"))
    [nudge] = sender.to(42)
    later = next(d for d in nudge.button_data() if d.startswith("nd:later:"))
    clock.now = DUE + timedelta(minutes=2)
    handle_button(services, tg_user(42), later)
    set_safety_flag(services)  # a check-in meanwhile says they do not feel safe
    await scheduler.tick(DUE + timedelta(minutes=62))
    _, second = sender.to(42)
    assert "Keep a little mystery" not in second.text and PAUSE_OFFER in second.text
    assert second.text.startswith("<b>Your daily tip")  # a new tip, not "as asked"
    assert shown(services)[-1] in allowed_tips(content)  # and recorded as shown
