"""The Telegram adapter through PTB's Application.process_update, offline."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.features.base import Services
from bot.i18n import default_catalogue
from bot.store.models import TipShown, User
from tests.telegram.conftest import Chat

APOLOGY = default_catalogue().locale("en").t("apology")


async def test_start_welcomes_asks_consent_and_stores_nothing_before(
    chat: Chat, services: Services
) -> None:
    chat.newcomers.add(42)
    await chat.send("/start")
    [welcome] = chat.replies()
    assert "/privacy" in welcome and "store" in welcome
    labels = [label for label, _ in chat.request.buttons(chat.request.last("sendMessage"))]
    assert labels == ["Sounds good"]
    with services.session_factory() as session:
        assert session.scalars(select(User)).all() == []


async def test_start_with_a_deep_link_payload_works_the_same(chat: Chat) -> None:
    chat.newcomers.add(42)
    await chat.send("/start from-a-friend_\u202e\u200b")
    assert len(chat.replies()) == 1 and "/privacy" in chat.last_reply()


async def test_onboarding_edits_its_message_in_place_step_by_step(
    chat: Chat, services: Services
) -> None:
    chat.newcomers.add(42)
    await chat.send("/start")
    await chat.press(chat.button("ob:ok"))
    assert "1/4" in chat.request.last("editMessageText").params["text"]
    await chat.press(chat.button("ob:z:Europe/Berlin:"))
    assert "2/4" in chat.request.last("editMessageText").params["text"]
    await chat.press(chat.button("ob:t:0800:"))
    edit = chat.request.last("editMessageText")
    assert "Daily tip on, at 08:00" in edit.params["text"] and "3/4" in edit.params["text"]
    assert chat.request.last("answerCallbackQuery").params.get("text") == "Saved"
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
    assert user.nudges_enabled and user.next_nudge_at is not None
    assert user.timezone == "Europe/Berlin" and user.consented_at is not None


async def test_tip_gives_a_tip_with_more_buttons_and_records_it(
    chat: Chat, services: Services
) -> None:
    await chat.send("/tip")
    assert "Today's tip" in chat.last_reply()
    assert [label for label, _ in chat.request.buttons(chat.request.last("sendMessage"))] == [
        "Another tip",
        "Choose a topic",
    ]
    await chat.press("tip:more")
    assert len(chat.replies()) == 2 and chat.replies()[0] != chat.replies()[1]
    with services.session_factory() as session:
        assert len(session.scalars(select(TipShown)).all()) == 2


async def test_tip_with_a_topic_and_with_an_unknown_topic(chat: Chat) -> None:
    await chat.send("/tip boundaries")
    assert "Set kind, clear boundaries" in chat.last_reply()
    await chat.send("/tip astrology")
    assert "I don't know the topic “astrology”" in chat.last_reply()
    assert "/tip mystery" in chat.last_reply()


async def test_nudges_time_timezone_and_settings(chat: Chat) -> None:
    await chat.send("/nudges 8:30")
    assert "Daily tip on, at 08:30" in chat.last_reply()
    await chat.send("/timezone Europe/Berlin")
    assert "Time zone: Berlin (Europe/Berlin)" in chat.last_reply()
    await chat.send("/settings")
    assert "on</b> at <b>08:30" in chat.last_reply()
    assert "Europe/Berlin" in chat.last_reply()
    await chat.send("/nudges 25:00")
    assert "couldn't read “25:00” as a time" in chat.last_reply()
    assert "Try 8pm, 20:30 or 0830" in chat.last_reply()
    await chat.send("/timezone Mars/Base")
    assert "couldn't find a place called “Mars/Base”" in chat.last_reply()
    await chat.send("/nudges off")
    assert "Daily tip off" in chat.last_reply()


async def test_settings_buttons_edit_the_same_message(chat: Chat) -> None:
    await chat.send("/settings")
    for data, expected in [
        ("st:time", "When would you like"),
        ("st:at:0730:", "at 07:30"),
        ("st:zone", "Your time zone is"),
        ("st:tz:Asia/Tokyo:", "Asia/Tokyo"),
        ("st:off:", "Daily tip off"),
    ]:
        await chat.press(chat.button(data))
        assert expected in chat.request.last("editMessageText").params["text"]
    assert len(chat.replies()) == 1  # everything happened in the one message


async def test_every_button_press_is_answered_even_forged_ones(chat: Chat) -> None:
    forged = [
        "",
        "x",
        "tip:",
        "tip:t:nope",
        "st:at:9999",
        "st:tz:Etc/Nowhere",
        "nd:later:abc",
        "nd:later:99999",
        "zz:top",
        "st:at:0900:extra",
        "💥" * 40,
    ]
    for data in forged:
        await chat.press(data)
    answers = chat.request.texts("answerCallbackQuery")
    assert len(answers) == len(forged)
    assert all(a.startswith("This button has expired") for a in answers)
    assert chat.replies() == []


async def test_stop_turns_everything_off_in_one_line(chat: Chat, services: Services) -> None:
    await chat.send("/nudges on")
    await chat.send("/stop")
    assert chat.last_reply().startswith("Done: I won't message you again")
    with services.session_factory() as session:
        assert not session.scalars(select(User)).one().nudges_enabled


async def test_unknown_commands_and_free_text_get_a_pointer_to_help(chat: Chat) -> None:
    await chat.send("/dance")
    assert "I don't know /dance" in chat.last_reply() and "/help" in chat.last_reply()
    await chat.send("hello there")
    assert "/help" in chat.last_reply()
    await chat.send("/help")
    for command in ("/tip", "/nudges", "/timezone", "/settings", "/stop"):
        assert command in chat.last_reply()


async def test_commands_for_another_bot_are_ignored_ours_are_answered(chat: Chat) -> None:
    await chat.send("/tip@SomeOtherBot", chat_id=-100, chat_type="group")
    assert chat.replies() == []
    await chat.send("/tip@CoachTestBot", chat_id=-100, chat_type="group")
    assert "Today's tip" in chat.last_reply()


async def test_settings_in_a_group_point_to_a_private_chat(chat: Chat) -> None:
    await chat.send("/settings", chat_id=-100, chat_type="group")
    assert "private chat" in chat.last_reply()
    assert chat.request.buttons(chat.request.last("sendMessage")) == [
        ("Continue in private", "https://t.me/CoachTestBot?start=settings")
    ]


async def test_a_shared_location_sets_the_zone(chat: Chat) -> None:
    await chat.send("", location={"latitude": 52.52, "longitude": 13.405})
    assert "Time zone: Berlin (Europe/Berlin)" in chat.last_reply()


async def test_the_menu_lists_every_command_but_start_and_admin_ones(services: Services) -> None:
    from bot.adapters.telegram.menu import menu_commands
    from bot.i18n import default_catalogue

    names = [c.command for c in menu_commands(default_catalogue().locale(None))]
    assert names == [
        "tip",
        "nudges",
        "timezone",
        "checkin",
        "history",
        "trend",
        "partner",
        "mirror",
        "settings",
        "language",
        "stop",
        "safety",
        "privacy",
        "export",
        "delete",
        "help",
    ]


async def test_blocking_the_bot_opts_out_and_start_asks_again(
    chat: Chat, services: Services
) -> None:
    await chat.send("/nudges 08:00")
    member = {"user": {"id": 123456, "is_bot": True, "first_name": "Coach"}}
    await chat.process(
        {
            "update_id": 900,
            "my_chat_member": {
                "chat": {"id": 42, "type": "private", "first_name": "Ana"},
                "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
                "date": 0,
                "old_chat_member": {**member, "status": "member"},
                "new_chat_member": {**member, "status": "kicked", "until_date": 0},
            },
        }
    )
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
        assert not user.nudges_enabled and user.blocked_at is not None
        assert user.blocked_reason == "bot blocked by the user"
    await chat.send("/start")
    assert "Welcome back" in chat.last_reply()  # nothing switched on again silently
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
        assert not user.nudges_enabled and user.blocked_at is None


async def test_a_flooding_user_is_slowed_politely_without_slowing_others(chat: Chat) -> None:
    from bot.domain.flood import FloodGuard

    chat.app.bot_data["core"].flood = FloodGuard(30)  # the default USER_COMMANDS_PER_MINUTE
    for _ in range(30):
        await chat.send("/help")
    assert len(chat.replies()) == 30
    await chat.send("/tip")
    await chat.send("/tip")
    await chat.press("tip:more")
    assert chat.replies()[30].startswith("You're going a little fast")
    assert len(chat.replies()) == 31  # warned once, then quiet
    assert chat.request.last("answerCallbackQuery").params["text"].startswith("You're going")
    await chat.send("/tip", user_id=7)
    assert "Today's tip" in chat.last_reply()


async def test_the_continue_in_private_link_opens_that_command(chat: Chat) -> None:
    await chat.send("/start settings")
    welcome, settings = chat.replies()
    assert "welcome" in welcome.lower() and "Your settings" in settings
    await chat.send("/start nonsense")
    assert "Welcome back" in chat.last_reply()


async def test_arguments_after_a_newline_and_unknown_commands_in_groups(chat: Chat) -> None:
    await chat.send("/tip\nboundaries")
    assert "Set kind, clear boundaries" in chat.last_reply()
    await chat.send("/roll", chat_id=-100, chat_type="group")  # some other bot's command
    assert len(chat.replies()) == 1
    await chat.send("/roll@CoachTestBot", chat_id=-100, chat_type="group")
    assert "I don't know /roll" in chat.last_reply()


async def test_an_update_that_fails_halfway_keeps_nothing_and_apologises(
    chat: Chat, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain statements (the new user, the tip shown) and ORM changes (the daily tip
    switched on) of one update are one transaction: a failure after them keeps none."""
    from bot.features import schedule, tips

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(tips, "tip_text", broken)
    chat.newcomers.add(42)
    await chat.send("/tip")
    assert chat.replies() == [APOLOGY]  # in the user's language
    with services.session_factory() as session:
        assert session.scalars(select(User)).all() == []
        assert session.scalars(select(TipShown)).all() == []

    await chat.send("/help", user_id=43)  # the user exists, nudges off
    monkeypatch.setattr(schedule, "settings_reply", broken)
    await chat.send("/nudges 07:30", user_id=43)
    assert chat.replies()[-1] == APOLOGY
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
    assert not user.nudges_enabled and user.next_nudge_at is None
    assert user.nudge_time == services.settings.default_nudge_time


async def test_another_tip_shows_every_tip_once_before_any_comes_again(
    chat: Chat, services: Services
) -> None:
    """The tips a returning user has seen come with their account in one read, and each
    update's own tip is added to them: no repeat until every tip has been shown."""
    every_tip = len(services.content.tips)
    await chat.send("/tip")
    for _ in range(every_tip - 1):
        await chat.press("tip:more")
    bodies = [text.split("\n\n")[1] for text in chat.replies()]
    assert len(bodies) == every_tip and len(set(bodies)) == every_tip
    await chat.press("tip:more")
    assert chat.replies()[-1].split("\n\n")[1] in bodies
