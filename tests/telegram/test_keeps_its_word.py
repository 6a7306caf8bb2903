"""The bot keeps its word, through PTB: an older button never overrides a newer choice,
and in a group nobody's settings are changed or shown."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.features.base import IN_PRIVATE, OLDER_MESSAGE, Services
from bot.store.models import User
from tests.telegram.conftest import Chat

GROUP = -100555


def user_row(services: Services, platform_user_id: int = 42) -> User | None:
    with services.session_factory() as session:
        return session.scalars(
            select(User).where(User.platform_user_id == platform_user_id)
        ).first()


def last_notice(chat: Chat) -> str:
    return str(chat.request.last("answerCallbackQuery").params.get("text"))


async def test_yes_from_the_welcome_offer_after_nudges_keeps_the_newer_time(
    chat: Chat, services: Services
) -> None:
    await chat.send("/start")
    yes = chat.button("st:at:0900:")  # "Yes, at 09:00", drawn for the settings of then
    await chat.send("/nudges 20:15")
    assert "Daily tip on, at 20:15" in chat.last_reply()
    before = user_row(services)
    assert before is not None
    await chat.press(yes)
    assert last_notice(chat) == OLDER_MESSAGE
    edit = chat.request.last("editMessageText").params["text"]
    assert "on</b> at <b>20:15" in edit and "✅" not in edit  # the settings as they are
    after = user_row(services)
    assert after is not None
    assert (after.nudges_enabled, after.nudge_time) == (True, "20:15")
    assert after.next_nudge_at == before.next_nudge_at
    assert after.settings_version == before.settings_version
    # The redrawn message's buttons are current: they work.
    await chat.press(chat.button("st:off:"))
    assert "Daily tip off" in chat.request.last("editMessageText").params["text"]
    off = user_row(services)
    assert off is not None and not off.nudges_enabled


async def test_every_change_by_command_or_button_makes_older_buttons_stale(
    chat: Chat, services: Services
) -> None:
    def version() -> int:
        row = user_row(services)
        assert row is not None
        return row.settings_version

    await chat.send("/settings")
    old_on = chat.button("st:on:")
    assert old_on == "st:on:v0"
    await chat.send("/nudges 08:00")
    assert version() == 1
    await chat.press(chat.button("st:time"))  # only shows the time picker: no change
    assert version() == 1
    await chat.press(chat.button("st:at:0730:"))
    assert version() == 2
    await chat.send("/timezone Europe/Berlin")
    assert version() == 3
    await chat.press(chat.button("st:zone"))
    await chat.press(chat.button("st:tz:Asia/Tokyo:"))
    assert version() == 4
    await chat.send("/checkin remind")
    old_monday = chat.button("ci:rem:d:0:")
    await chat.press(old_monday)
    assert version() == 5 and "Mon 18:00" in chat.request.last("editMessageText").params["text"]
    await chat.press(chat.button("ci:rem:at:1900:"))
    assert version() == 6
    await chat.send("/nudges off")
    assert version() == 7

    # Buttons drawn before: nothing changes, and their message shows what is set now.
    for stale in (old_on, old_monday, "st:at:0900", "st:tz:UTC:v3", "ci:rem:off:v6"):
        await chat.press(stale)
        assert last_notice(chat) == OLDER_MESSAGE, stale
    row = user_row(services)
    assert row is not None
    assert (row.nudges_enabled, row.nudge_time, row.timezone) == (False, "07:30", "Asia/Tokyo")
    assert (row.reminder_enabled, row.reminder_weekday, row.reminder_time) == (True, 0, "19:00")
    assert row.settings_version == 7
    assert "Mon 19:00" in chat.request.last("editMessageText").params["text"]

    # Withdrawing consent always works, from any message however old.
    await chat.send("/nudges on")
    await chat.press("nd:stop")
    row = user_row(services)
    assert row is not None and not row.nudges_enabled and row.settings_version == 9
    await chat.send("/stop")
    row = user_row(services)
    assert row is not None and not row.reminder_enabled and row.settings_version == 10


async def test_button_data_stays_within_telegrams_64_bytes(chat: Chat, services: Services) -> None:
    await chat.send("/settings")
    with services.session_factory.begin() as session:
        session.execute(update(User).values(settings_version=2**31 - 1))
    await chat.send("/settings")
    await chat.press(chat.button("st:zone"))
    zones = chat.request.buttons(chat.request.last("editMessageText"))
    await chat.send("/checkin remind")
    reminders = chat.request.buttons(chat.request.last("sendMessage"))
    data = [d for _, d in zones + reminders]
    assert "st:tz:America/Los_Angeles:v2147483647" in data
    assert max(len(d.encode()) for d in data) <= 64
    await chat.press("st:tz:America/Los_Angeles:v2147483647")
    assert last_notice(chat) == "Saved"


async def test_a_settings_button_pressed_in_a_group_changes_and_shows_nothing(
    chat: Chat, services: Services
) -> None:
    await chat.send("/nudges 07:00")
    before = user_row(services)
    assert before is not None and before.settings_version == 1
    since = len(chat.request.calls)
    # A group message's buttons, pressed by the member they belong to, with the right
    # version, and by a member the bot has never seen in private.
    for presser in (42, 77):
        for data in ("st:at:0900:v1", "st:on:v0", "nd:stop", "ci:rem:on:v1", "ci:new", "del:yes"):
            await chat.press(data, user_id=presser, chat_id=GROUP, chat_type="supergroup")
            assert last_notice(chat) == IN_PRIVATE, data
    methods = [call.method for call in chat.request.calls[since:]]
    assert set(methods) == {"answerCallbackQuery"}  # nothing sent or edited in the group
    after = user_row(services)
    assert after is not None
    assert (after.nudges_enabled, after.nudge_time, after.next_nudge_at) == (
        True,
        "07:00",
        before.next_nudge_at,
    )
    assert after.settings_version == before.settings_version
    assert user_row(services, 77) is None  # not even a row for the stranger


async def test_tip_buttons_work_in_a_group_for_whoever_pressed_them(
    chat: Chat, services: Services
) -> None:
    await chat.send("/tip", user_id=77, chat_id=GROUP, chat_type="group")
    await chat.press("tip:more", user_id=77, chat_id=GROUP, chat_type="group")
    tips = [c for c in chat.request.calls if c.method == "sendMessage"]
    assert len(tips) == 2 and all(c.params["chat_id"] == GROUP for c in tips)
    assert "Today's tip" in str(tips[1].params["text"])
    # Seen only in a group: the daily tip stays off whatever is pressed there.
    await chat.press("st:on:v0", user_id=77, chat_id=GROUP, chat_type="group")
    row = user_row(services, 77)
    assert row is not None and not row.nudges_enabled and row.next_nudge_at is None


async def test_start_in_a_group_only_points_to_the_private_chat(
    chat: Chat, services: Services
) -> None:
    for command in ("/start", "/start@CoachTestBot", "/settings", "/stop", "/nudges on"):
        await chat.send(command, user_id=77, chat_id=GROUP, chat_type="group")
    assert len(chat.replies()) == 5
    assert not any("one tip every day" in reply for reply in chat.replies())
    links = [chat.request.buttons(c) for c in chat.request.calls if c.method == "sendMessage"]
    assert links[0] == [("Continue in private", "https://t.me/CoachTestBot?start=start")]
    assert links[2] == [("Continue in private", "https://t.me/CoachTestBot?start=settings")]
    assert user_row(services, 77) is None  # no settings were created
    # The link opens the welcome and the offer in private.
    await chat.send("/start start", user_id=77)
    assert "one tip every day" in chat.last_reply()
