"""What the bot sends unprompted is in the user's language too: the daily tip and the
weekly reminder, built by the scheduler's tick for each user."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.features.base import Services
from tests.conftest import Clock
from tests.features.chat import Chat
from tests.test_catalogue import _dummy_language


async def test_the_daily_tip_and_the_reminder_come_in_the_users_language(
    tmp_path: Path, services: Services, chat: Chat, clock: Clock
) -> None:
    services.catalogue = _dummy_language(tmp_path)
    xx, en = chat.speaking("xx"), chat.as_user(43)
    for person in (xx, en):
        await person.send("/nudges 08:00")  # the clock stands at 07:00 UTC
    await xx.send("/checkin remind")
    await xx.press("⟦xx⟧ Turn reminder on")
    await chat.tick(clock.now + timedelta(hours=1, minutes=5))  # Tuesday 08:05
    [tip_xx], [tip_en] = xx.nudges, en.nudges
    assert tip_xx.text.startswith("⟦xx⟧") and "⟦xx⟧ Another tip" in tip_xx.labels
    assert "⟦xx⟧" not in tip_en.text and "Another tip" in tip_en.labels
    await chat.tick(clock.now + timedelta(days=5, hours=11, minutes=5))  # Sunday 18:05
    reminder = xx.nudges[-1]
    assert reminder is not tip_xx and "⟦xx⟧" in reminder.text
    assert "⟦xx⟧ Start check-in" in reminder.labels


async def test_a_chosen_language_outweighs_the_apps_for_the_daily_tip(
    tmp_path: Path, services: Services, chat: Chat, clock: Clock
) -> None:
    """The app says English; /language chose the dummy one: the daily tip follows the
    choice."""
    services.catalogue = _dummy_language(tmp_path)
    await chat.send("/nudges 08:00")  # the clock stands at 07:00 UTC
    await chat.send("/language")
    await chat.press("Test")
    await chat.tick(clock.now + timedelta(hours=1, minutes=5))
    [tip] = chat.nudges
    assert tip.text.startswith("⟦xx⟧") and "⟦xx⟧ Another tip" in tip.labels
