"""The bot keeps its word, as a chat: an older button never overrides a newer choice,
and in a group nobody's settings are changed or shown."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.features.base import Services
from bot.i18n import default_catalogue
from bot.store.models import User
from tests.features.chat import Chat, Message

EN = default_catalogue().locale("en")
IN_PRIVATE, OLDER_MESSAGE = EN.t("button-private-only"), EN.t("button-older")

GROUP = -100555


def user_row(services: Services, platform_user_id: int = 42) -> User | None:
    with services.session_factory() as session:
        return session.scalars(
            select(User).where(User.platform_user_id == platform_user_id)
        ).first()


def data_of(message: Message, label: str) -> str:
    """What the button ``label`` of ``message`` carries: kept, to press it again once
    it is stale (on purpose)."""
    button = message.button(label)
    assert button is not None and button.data is not None, message.labels
    return button.data


async def test_a_time_from_onboarding_after_nudges_keeps_the_newer_time(
    chat: Chat, services: Services
) -> None:
    ana = chat.newcomer(42)
    await ana.send("/start")
    await ana.press("Sounds good")
    await ana.press("Skip")  # the zone
    [offer] = ana.with_text("2/4")
    await ana.send("/nudges 20:15")
    assert "Daily tip on, at 20:15" in ana.last.text
    before = user_row(services)
    assert before is not None
    await ana.press("09:00", on=offer)  # drawn for the settings of then
    assert ana.notice == OLDER_MESSAGE
    assert "on</b> at <b>20:15" in offer.text and "✅" not in offer.text  # as they are
    after = user_row(services)
    assert after is not None
    assert (after.nudges_enabled, after.nudge_time) == (True, "20:15")
    assert after.next_nudge_at == before.next_nudge_at
    assert after.settings_version == before.settings_version
    # The redrawn message's buttons are current: they work.
    await ana.press("Turn daily tip off", on=offer)
    assert "Daily tip off" in offer.text
    off = user_row(services)
    assert off is not None and not off.nudges_enabled


async def test_every_change_by_command_or_button_makes_older_buttons_stale(
    chat: Chat, services: Services
) -> None:
    def version() -> int:
        row = user_row(services)
        assert row is not None
        return row.settings_version

    [settings] = await chat.send("/settings")
    old_on = data_of(settings, "Turn daily tip on")
    assert old_on == "st:on:v0"
    await chat.send("/nudges 08:00")
    assert version() == 1
    await chat.press("Change time")  # only shows the time picker: no change
    assert version() == 1
    await chat.press("07:30")
    assert version() == 2
    await chat.send("/timezone Europe/Berlin")
    assert version() == 3
    await chat.press("Change time zone")
    await chat.press("Tokyo")
    assert version() == 4
    [reminder] = await chat.send("/checkin remind")
    old_monday = data_of(reminder, "Mon")
    await chat.press("Mon")
    assert version() == 5 and "Mon 18:00" in reminder.text
    await chat.press("19:00")
    assert version() == 6
    old_off = data_of(reminder, "Turn reminder off")
    await chat.send("/nudges off")
    assert version() == 7

    # Buttons drawn before: nothing changes, and their message shows what is set now.
    # "st:at:0900" is from before versions; "st:tz:UTC:v3" from a zone picker of then.
    stale = [(old_on, settings), (old_monday, reminder), ("st:at:0900", None)]
    stale += [("st:tz:UTC:v3", None), (old_off, reminder)]
    for data, message in stale:
        await chat.press_data(data, on=message)
        assert chat.notice == OLDER_MESSAGE, data
    row = user_row(services)
    assert row is not None
    assert (row.nudges_enabled, row.nudge_time, row.timezone) == (False, "07:30", "Asia/Tokyo")
    assert (row.reminder_enabled, row.reminder_weekday, row.reminder_time) == (True, 0, "19:00")
    assert row.settings_version == 7
    assert "Mon 19:00" in reminder.text

    # Withdrawing consent always works, from any message however old: "Stop daily
    # tips" of a daily tip long gone from this chat.
    await chat.send("/nudges on")
    await chat.press_data("nd:stop")
    row = user_row(services)
    assert row is not None and not row.nudges_enabled and row.settings_version == 9
    await chat.send("/stop")
    row = user_row(services)
    assert row is not None and not row.reminder_enabled and row.settings_version == 10


async def test_button_data_stays_within_the_platforms_64_bytes(
    chat: Chat, services: Services
) -> None:
    await chat.send("/settings")
    with services.session_factory.begin() as session:
        session.execute(update(User).values(settings_version=2**31 - 1))
    [settings] = await chat.send("/settings")
    await chat.press("Change time zone", on=settings)
    zones = settings.buttons
    [reminder] = await chat.send("/checkin remind")
    data = [d for _, d in zones + reminder.buttons]
    assert "st:tz:America/Los_Angeles:v2147483647" in data
    assert max(len(d.encode()) for d in data) <= 64
    await chat.press("Los Angeles")
    assert chat.notice == "Saved"


async def test_a_settings_button_pressed_in_a_group_changes_and_shows_nothing(
    chat: Chat, services: Services
) -> None:
    await chat.send("/nudges 07:00")
    before = user_row(services)
    assert before is not None and before.settings_version == 1
    said = len(chat.transcript.messages)
    # A group message's buttons, pressed by the member they belong to, with the right
    # version, and by a member the bot has never seen in private (data on purpose: the
    # bot never draws these in a group).
    for member in (chat.in_group(GROUP), chat.newcomer(77).in_group(GROUP)):
        for data in ("st:at:0900:v1", "st:on:v0", "nd:stop", "ci:rem:on:v1", "ci:new", "del:yes"):
            await member.press_data(data)
            assert member.notice == IN_PRIVATE, data
    assert len(chat.transcript.messages) == said  # nothing sent or edited, anywhere
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
    group = chat.in_group(GROUP).as_user(77)
    await group.send("/tip")
    await group.press("Another tip")
    first, second = group.messages
    assert "Today's tip" in second.text and second.text != first.text
    assert chat.messages == [] and Chat(chat.core, 77).messages == []  # none in private
    # Seen only in a group: the daily tip stays off whatever is pressed there.
    await group.press_data("st:on:v0")
    assert group.notice == IN_PRIVATE
    row = user_row(services, 77)
    assert row is not None and not row.nudges_enabled and row.next_nudge_at is None


async def test_start_in_a_group_only_points_to_the_private_chat(
    chat: Chat, services: Services
) -> None:
    group = chat.newcomer(77).in_group(GROUP)
    for command in ("/start", "/start@CoachTestBot", "/settings", "/stop", "/nudges on"):
        await group.send(command)
    assert len(group.messages) == 5
    assert not group.with_text("one tip every day")
    links = [m.buttons for m in group.messages]
    assert links[0] == [("Continue in private", "https://chat.example/coach?start=start")]
    assert links[2] == [("Continue in private", "https://chat.example/coach?start=settings")]
    assert user_row(services, 77) is None  # no settings were created
    # The link opens the welcome and its agreement in private.
    private = chat.newcomer(77)
    await private.send("/start start")
    assert private.last.labels == ["Sounds good"]
