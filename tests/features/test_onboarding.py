"""A newcomer's first minutes: a short welcome, consent in one button, then the time
zone, the tip time in that zone, the partner wording and the weekly reminder; and a
kind answer, with buttons, to whatever they type."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from bot.features.base import Services
from bot.features.core import Core
from bot.features.dispatch import COMMANDS
from bot.store.models import Base, User
from tests.features.chat import Chat
from tests.test_catalogue import _dummy_language


def stored_user(services: Services, platform_user_id: int) -> User | None:
    with services.session_factory() as session:
        user = session.scalars(
            select(User).where(User.platform_user_id == platform_user_id)
        ).one_or_none()
        if user is not None:
            session.expunge(user)
        return user


def rows_in_store(services: Services) -> int:
    with services.session_factory() as session:
        return sum(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        )


def everything_stored(services: Services) -> str:
    """Every value of every row, as text: to look for what a person typed."""
    with services.session_factory() as session:
        return "\n".join(
            repr(tuple(row))
            for table in Base.metadata.sorted_tables
            for row in session.execute(text(f"SELECT * FROM {table.name}"))
        )


async def test_the_welcome_is_short_asks_consent_once_and_stores_nothing(chat: Chat) -> None:
    ana = chat.newcomer(77)
    [welcome] = await ana.send("/start")
    plain = re.sub(r"<[^>]+>", "", welcome.text)
    assert len(plain.split()) <= 50
    assert "/privacy" in welcome.text
    assert welcome.labels == ["Sounds good"]
    for command in ("/tip", "/help", "/privacy", "/safety"):  # these work meanwhile
        await ana.send(command)
    assert "Today's tip" in ana.with_text("Today's tip")[0].text
    [again] = await ana.send("/checkin")  # what needs the store asks first
    assert again.labels == ["Sounds good"]
    await ana.send("my partner ignored me today")
    assert rows_in_store(chat.services) == 0
    assert stored_user(chat.services, 77) is None


async def test_onboarding_asks_zone_then_time_in_that_zone_then_wording_then_reminder(
    chat: Chat,
) -> None:
    ana = chat.newcomer(78)
    await ana.send("/start")
    await ana.press("Sounds good")
    user = stored_user(chat.services, 78)
    assert user is not None and user.consented_at is not None
    zone_step = ana.last
    assert "1/4" in zone_step.text and "Skip" in zone_step.labels
    assert "Berlin" in zone_step.labels  # common zones, by their city
    [time_step] = await ana.send("new york")  # a typed city
    assert "America/New_York" in time_step.text and "2/4" in time_step.text
    assert "02:00" in time_step.text  # 07:00 UTC is 02:00 in New York: offered in that zone
    await ana.press("20:00", on=time_step)
    assert "3/4" in time_step.text and "20:00" in time_step.text
    await ana.press("she / her", on=time_step)
    assert "4/4" in time_step.text
    await ana.press("Yes, remind me", on=time_step)
    assert "/tip" in time_step.text and "All set" in time_step.text
    user = stored_user(chat.services, 78)
    assert user is not None
    assert (user.timezone, user.nudge_time, user.nudges_enabled) == (
        "America/New_York",
        "20:00",
        True,
    )
    assert user.next_nudge_at == datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 20:00 in New York
    assert user.partner == "she" and user.reminder_enabled and user.awaiting is None


async def test_every_step_can_be_skipped_and_nothing_is_switched_on(chat: Chat) -> None:
    ana = chat.newcomer(79)
    await ana.send("/start")
    await ana.press("Sounds good")
    step = ana.last
    await ana.press("Skip", on=step)
    await ana.press("No daily tip", on=step)
    await ana.press("Skip", on=step)
    await ana.press("No, thanks", on=step)
    assert "All set" in step.text
    user = stored_user(chat.services, 79)
    assert user is not None
    assert not user.nudges_enabled and not user.reminder_enabled and user.partner == "they"
    [free] = await ana.send("Berlin")  # nothing waits for a city any more
    assert "I can't read messages" in free.text


async def test_a_typed_time_and_a_shared_location_move_onboarding_on(chat: Chat) -> None:
    ana = chat.newcomer(80)
    await ana.send("/start")
    await ana.press("Sounds good")
    [time_step] = await ana.share_location(52.52, 13.40)  # Berlin
    assert "Europe/Berlin" in time_step.text
    [not_a_time] = await ana.send("whenever")
    assert "8pm" in not_a_time.text  # the forms it understands
    [partner_step] = await ana.send("8pm")
    assert "3/4" in partner_step.text and "20:00" in partner_step.text
    user = stored_user(chat.services, 80)
    assert user is not None and (user.nudge_time, user.timezone) == ("20:00", "Europe/Berlin")


async def test_free_text_gets_a_kind_answer_with_buttons_and_is_never_kept(chat: Chat) -> None:
    await chat.send("/tip")  # Ana is known
    [reply] = await chat.send("my partner ignored me today")
    assert reply.labels == ["💡 A tip for today", "📝 Weekly check-in", "🤝 Support and safety"]
    [tip] = await chat.press("💡 A tip for today")
    assert "Today's tip" in tip.text
    [checkin] = await chat.press("📝 Weekly check-in", on=reply)
    assert "Check-in · 1/" in checkin.text
    [safety] = await chat.press("🤝 Support and safety", on=reply)
    assert "If you are in danger right now" in safety.text
    assert "ignored" not in everything_stored(chat.services)


async def test_language_is_chosen_with_buttons_and_the_chat_menu_follows(
    tmp_path: Path, services: Services, core: Core, chat: Chat
) -> None:
    services.catalogue = _dummy_language(tmp_path)
    [menu] = await chat.send("/language")
    labels = [label.removeprefix("• ") for label in menu.labels]
    assert labels[:4] == ["English", "Español", "Русский", "Test"]
    await chat.press("Test")
    assert "⟦xx⟧" in chat.last.text
    assert "⟦xx⟧" in (await chat.send("/help"))[0].text  # stored: it stays
    user = stored_user(services, 42)
    assert user is not None and user.chosen_language == "xx"
    [reply] = await core.command(chat.who, "language", "English")
    assert reply.chat_menu == "en"  # the adapter sets this chat's menu in English
    assert "⟦xx⟧" not in (await chat.send("/help"))[0].text


async def test_the_partner_wording_and_name_are_kept_and_exported(chat: Chat) -> None:
    await chat.send("/settings")
    await chat.press("Partner wording")
    await chat.press("he / him")
    assert "“he”" in chat.last.text
    await chat.press("Add or change a first name")
    [saved] = await chat.send("Sam")
    assert "Sam" in saved.text
    await chat.send("/export")
    data = json.loads(chat.attachments("document")[-1].content)
    assert data["settings"]["partner_wording"] == "he"
    assert data["settings"]["partner_name"] == "Sam"
    assert data["settings"]["consented_at"] is not None


async def test_every_command_answers_a_newcomer_without_storing_them(chat: Chat) -> None:
    ana = chat.newcomer(81)
    for command in COMMANDS:
        replies = await ana.send(f"/{command.name}")
        assert replies, command.name
    assert rows_in_store(chat.services) == 0
