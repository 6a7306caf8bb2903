"""The neutral core, without any adapter: what every platform gets without writing it
again (the flood limit, the group rules, store work off the event loop) and features
that ask the platform's capabilities instead of assuming Telegram's."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.flood import FloodGuard, user_key
from bot.domain.platform import PLAIN, Capabilities
from bot.features import dispatch
from bot.features.base import Identity, Services
from bot.features.core import Core
from bot.store.models import FloodWindow
from tests.conftest import Clock, agree

# A made-up second platform: few buttons per message, its own private-chat links.
TIGHT = Capabilities(
    name="tight",
    max_button_data=100,
    max_rows=5,
    max_per_row=5,
    private_chat_link="https://chat.example/coach?start={arg}",
)


def person(user_id: int = 5, *, private: bool = True) -> Identity:
    return Identity(user_id, user_id if private else -100, private=private, platform="tight")


class Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def monotonic() -> Monotonic:
    return Monotonic()


@pytest.fixture
def core(services: Services, monotonic: Monotonic) -> Core:
    return Core(services, TIGHT, clock=monotonic)


async def test_a_flooding_user_is_told_once_then_ignored_and_others_go_on(
    core: Core, services: Services, clock: Clock
) -> None:
    agree(services, 5, platform="tight")  # stored: counted in the store
    core.flood = FloodGuard(3, window=60)  # USER_COMMANDS_PER_MINUTE=3
    for _ in range(3):
        assert await core.command(person(), "help", "")
    [slow] = await core.command(person(), "tip", "")
    assert slow.text.startswith("You're going a little fast")
    assert await core.text(person()) == []  # quiet until the minute frees up
    assert (await core.button(person(), "tip:more")).notice == slow.text  # a press: a toast
    assert await core.command(person(6), "help", "")  # someone else is not slowed
    clock.now += timedelta(seconds=60)
    assert "Today's tip" in (await core.command(person(), "tip", ""))[0].text
    assert user_key("tight", 5) not in core.flood._events  # counted in the store, not here


async def test_someone_not_stored_is_counted_in_memory_and_leaves_no_row(
    core: Core, services: Services, monotonic: Monotonic
) -> None:
    core.flood = FloodGuard(2, window=60)
    newcomer = person(77)
    assert await core.command(newcomer, "help", "")
    assert await core.command(newcomer, "tip", "")
    [slow] = await core.command(newcomer, "help", "")
    assert slow.text.startswith("You're going a little fast")
    assert await core.command(newcomer, "help", "") == []
    monotonic.now += 60
    assert await core.command(newcomer, "help", "")
    with services.session_factory() as session:
        assert session.scalars(select(FloodWindow)).all() == []  # nothing kept of them


async def test_the_limit_counts_across_instances_on_one_store(
    services: Services, monotonic: Monotonic
) -> None:
    """Two processes on one database (two cores over the same store): a user whose
    updates alternate between them is slowed after the limit, not after twice it."""
    agree(services, 5, platform="tight")
    first, second = Core(services, TIGHT, clock=monotonic), Core(services, TIGHT, clock=monotonic)
    for core in (first, second):
        core.flood = FloodGuard(4, window=60)
    answers = [await (first if n % 2 else second).command(person(), "help", "") for n in range(6)]
    assert [len(a) for a in answers[:4]] == [1, 1, 1, 1]
    assert answers[4][0].text.startswith("You're going a little fast")
    assert answers[5] == []


async def test_in_a_group_chatter_and_other_bots_commands_get_nothing(core: Core) -> None:
    group = person(private=False)
    assert await core.text(group) == []
    assert await core.command(group, "roll", "") == []  # some other bot's command
    [unknown] = await core.command(group, "roll", "", addressed=True)
    assert "/roll" in unknown.text
    assert await core.not_for_us(group) == []


async def test_private_commands_in_a_group_link_the_way_the_platform_links(
    core: Core, services: Services
) -> None:
    [reply] = await core.command(person(private=False), "settings", "")
    assert reply.buttons[0][0].url == "https://chat.example/coach?start=settings"
    [safety] = await core.command(person(private=False), "safety", "")
    assert safety.buttons[0][0].url == "https://chat.example/coach?start=safety"
    core.platform = PLAIN  # no links on this one: the text says how instead
    [reply] = await core.command(person(private=False), "settings", "")
    assert reply.buttons == ()
    [safety] = await core.command(person(private=False), "safety", "")
    assert safety.buttons == () and "/safety" in safety.text


async def test_keyboards_fit_a_platform_with_few_rows(core: Core) -> None:
    """The check-in's question (six answers in a column, then its controls), the
    settings, the reminder's days and times: laid out for five rows of five."""
    joined = await core.button(person(), "ob:ok")  # "Sounds good": then the first step
    assert joined.edit is not None
    shown = [joined.edit, *await core.command(person(), "checkin", "")]
    shown += (await core.button(person(), "st:time")).send
    shown += [*await core.command(person(), "settings", "")]
    shown += [*await core.command(person(), "checkin", "remind")]
    for reply in shown:
        assert TIGHT.fits(reply.buttons), reply.buttons
    question = shown[1]
    assert len(question.buttons) <= 5 and len(question.button_data()) >= 6


async def test_button_data_longer_than_the_platform_carries_changes_nothing(
    core: Core,
) -> None:
    core.platform = Capabilities("tiny", max_button_data=7, max_rows=5, max_per_row=5)
    result = await core.button(person(), "tip:more")
    assert result.notice is not None and "expired" in result.notice and not result.send


async def test_store_work_runs_off_the_event_loop_even_on_sqlite(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A locked or slow SQLite must not freeze the loop (other users, the nudges): the
    quick commands go to a thread too, not only the slow ones."""
    threads: dict[str, int] = {}
    original = dispatch.handle_command

    def recording(services: Services, who: Identity, name: str, *args: Any, **kw: Any) -> Any:
        threads[name] = threading.get_ident()
        return original(services, who, name, *args, **kw)

    monkeypatch.setattr(dispatch, "handle_command", recording)
    await core.command(person(), "help", "")
    await core.command(person(), "export", "")
    assert core.services.local_store
    assert threading.get_ident() not in (threads["help"], threads["export"])
