"""The chat driver itself: what it shows is what a person would see, and a press of
something not on screen fails the test instead of guessing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import Clock
from tests.features.chat import Chat


async def test_free_text_gets_a_pointer_and_a_group_hears_nothing(chat: Chat) -> None:
    [pointer] = await chat.send("some free text")
    assert "/help" in pointer.text
    group = chat.in_group(-7)
    assert await group.send("hello everyone") == []
    assert await group.send("/roll@OtherBot") == []  # another bot's command
    assert group.messages == []


async def test_a_label_on_no_message_fails_naming_the_labels_there(chat: Chat) -> None:
    [question] = await chat.send("/checkin")
    await chat.press("Cancel")
    assert question.labels == []  # the edit took the check-in's buttons away
    await chat.send("/tip")
    with pytest.raises(pytest.fail.Exception) as failure:
        await chat.press("Skip")
    assert "no button 'Skip'" in str(failure.value) and "Another tip" in str(failure.value)


async def test_a_press_acts_on_the_newest_message_showing_its_label(chat: Chat) -> None:
    first, *_ = await chat.send("/tip")
    second, *_ = await chat.send("/tip")
    await chat.press("Choose a topic")
    assert (first.edits, second.edits) == (0, 0) and "Pick a topic:" in chat.last.text
    assert chat.notice is None  # no toast for a tip button


async def test_users_have_their_own_chats_and_nudges_land_in_theirs(
    chat: Chat, clock: Clock
) -> None:
    ben = chat.as_user(43)
    await chat.send("/nudges 08:00")  # the clock stands at 07:00 UTC, zone UTC
    await ben.send("/tip")
    report = await chat.tick(clock.now + timedelta(hours=1))
    assert report.sent == 1
    [nudge] = chat.nudges
    assert chat.messages[-1] is nudge and "Your daily tip" in nudge.text
    assert ben.nudges == [] and len(ben.messages) == 1
    await chat.press("Stop daily tips")
    assert chat.notice is not None and "off" in chat.notice


async def test_an_app_language_without_texts_of_its_own_gets_english(chat: Chat) -> None:
    """Only English has texts so far (the Spanish helplines of an es-MX app are in
    test_safety.py); a language code the catalogue lacks falls back to English."""
    [reply] = await chat.speaking("xx").send("/help")
    assert reply.text == (await chat.as_user(43).send("/help"))[0].text
    assert "What I can do" in reply.text
