"""The check-in flow through PTB, answers in the database after every press."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.features.base import Services
from bot.store.models import Checkin, CheckinAnswer, User
from tests.conftest import Clock
from tests.telegram.conftest import Chat

GIVING_HEAVY = ["5", "1", "1", "2", "2", "3", "3", "3"]  # value per question


def current_buttons(chat: Chat) -> list[tuple[str, str]]:
    """The buttons of the check-in message as it stands (last send or edit)."""
    calls = [
        c
        for c in chat.request.calls
        if c.method in ("sendMessage", "editMessageText")
        and "Check-in" in str(c.params.get("text", ""))
    ]
    return chat.request.buttons(calls[-1])


def press_value(chat: Chat, value: str) -> str:
    data = next(d for _, d in current_buttons(chat) if d.endswith(f":{value}"))
    return data


async def run_checkin(chat: Chat, values: list[str], user_id: int = 42) -> None:
    await chat.send("/checkin", user_id=user_id)
    for value in values:
        await chat.press(press_value(chat, value), user_id=user_id)


def answers_in_db(services: Services) -> list[tuple[str, int | None]]:
    with services.session_factory() as session:
        return [
            (a.question_id, a.value)
            for a in session.scalars(select(CheckinAnswer).order_by(CheckinAnswer.id))
        ]


async def test_a_checkin_runs_to_its_summary_with_buttons_only(
    chat: Chat, services: Services
) -> None:
    await chat.send("/checkin")
    first = chat.last_reply()
    assert "Check-in · 1/8" in first and "who reached out" in first
    labels = [label for label, _ in current_buttons(chat)]
    assert labels[:5] == [
        "Almost always him",
        "Mostly him",
        "About equal",
        "Mostly me",
        "Almost always me",
    ]
    assert labels[5:] == ["Skip", "Cancel"]
    for number, value in enumerate(GIVING_HEAVY, start=1):
        await chat.press(press_value(chat, value))
        assert len(answers_in_db(services)) == number  # saved at the press
    summary = chat.request.last("editMessageText").params["text"]
    assert "Check-in done" in summary
    assert re.search(r"Balance: <b>-\d+</b> \(you gave (far )?more than you received\)", summary)
    # Initiative (almost always me: one-sided, 0) ties with Appreciated (not at all, 0):
    # the earlier question is named, and the tip comes from its strategy.
    assert "Needs care: Initiative (0/100)" in summary
    assert "A tip for initiative" in chat.last_reply()
    assert "Notice the give and take" in chat.last_reply()
    with services.session_factory() as session:
        checkin = session.scalars(select(Checkin)).one()
    assert checkin.status == "done" and checkin.balance is not None and checkin.balance < -25
    assert len(chat.replies()) == 2  # the question message, then the tip: all else in place


async def test_back_skip_and_cancel(chat: Chat, services: Services) -> None:
    await chat.send("/checkin")
    await chat.press(press_value(chat, "4"))
    back = next(d for label, d in current_buttons(chat) if label == "« Back")
    await chat.press(back)
    assert "1/8" in chat.request.last("editMessageText").params["text"]
    assert ("• Mostly me", press_value(chat, "4")) in current_buttons(chat)
    await chat.press(press_value(chat, "3"))
    skip = next(d for label, d in current_buttons(chat) if label == "Skip")
    await chat.press(skip)
    assert answers_in_db(services) == [("initiative", 3), ("appreciated", None)]
    cancel = next(d for label, d in current_buttons(chat) if label == "Cancel")
    await chat.press(cancel)
    assert "Check-in cancelled" in chat.request.last("editMessageText").params["text"]


async def test_stale_and_finished_checkin_buttons_change_nothing(
    chat: Chat, services: Services
) -> None:
    await chat.send("/checkin")
    old_first = press_value(chat, "2")
    await chat.press(old_first)
    await chat.press(old_first)  # a double tap: that question has moved on
    assert chat.request.last("answerCallbackQuery").params["text"] == "That question has moved on."
    await run_checkin(chat, [])  # /checkin while one is open offers continue / start over
    assert "in progress (1/8 answered)" in chat.last_reply()
    await chat.press("ci:new")
    await chat.press(old_first)  # a button of the replaced check-in
    assert (
        chat.request.last("answerCallbackQuery")
        .params["text"]
        .startswith("This check-in is closed")
    )
    assert answers_in_db(services) == [("initiative", 2)]
    # Someone else's check-in is closed to them, too.
    await chat.press("ci:2:0:5", user_id=77)
    assert (
        chat.request.last("answerCallbackQuery")
        .params["text"]
        .startswith("This check-in is closed")
    )


async def test_three_giving_heavy_checkins_bring_the_reassess_message(
    chat: Chat, services: Services, clock: Clock
) -> None:
    for week in range(3):
        clock.now += timedelta(days=7 * week)
        await run_checkin(chat, GIVING_HEAVY)
        reassess = [t for t in chat.replies() if "pause" in t.lower() and "future" in t.lower()]
        assert len(reassess) == (1 if week == 2 else 0)
    await chat.send("/history")
    assert chat.last_reply().count("balance -") == 3
    # Tips now lean away from the "distance" strategies.
    for _ in range(10):
        await chat.send("/tip")
        assert "Keep a little mystery" not in chat.last_reply()


async def test_feeling_unsafe_shows_help_once_and_keeps_distance_tips_out(
    chat: Chat, services: Services
) -> None:
    await run_checkin(chat, ["3", "3", "3", "3", "3", "3", "3", "1"])
    help_messages = [
        c
        for c in chat.request.calls
        if c.method == "sendMessage" and "findahelpline.com" in str(c.params.get("reply_markup"))
    ]
    assert len(help_messages) == 1
    with services.session_factory() as session:
        assert session.scalars(select(User)).one().safety_flag
    for _ in range(15):
        await chat.send("/tip")
        assert "Keep a little mystery" not in chat.last_reply()
        assert "Balance presence and time apart" not in chat.last_reply()
    await run_checkin(chat, ["3", "3", "3", "3", "3", "3", "3", "5"])
    with services.session_factory() as session:
        assert not session.scalars(select(User)).one().safety_flag


async def test_the_latest_checkin_can_be_corrected(chat: Chat, services: Services) -> None:
    await run_checkin(chat, GIVING_HEAVY)
    summary = chat.request.last("editMessageText")
    fix = next(d for label, d in chat.request.buttons(summary) if label == "Change my answers")
    await chat.press(fix)
    await chat.press(press_value(chat, "3"))
    for _ in range(7):
        skip_or_keep = press_value(chat, "5")
        await chat.press(skip_or_keep)
    with services.session_factory() as session:
        checkins = session.scalars(select(Checkin)).all()
    assert len(checkins) == 1 and checkins[0].status == "done"
    assert checkins[0].balance is not None and checkins[0].balance > 0


async def test_trend_needs_two_checkins_then_sends_a_png(chat: Chat, clock: Clock) -> None:
    await chat.send("/trend")
    assert "at least two check-ins" in chat.last_reply()
    await run_checkin(chat, GIVING_HEAVY)
    clock.now += timedelta(days=7)
    await run_checkin(chat, ["3", "4", "4", "4", "4", "4", "4", "5"])
    await chat.send("/trend")
    photo = chat.request.last("sendPhoto")
    [png] = photo.files.values()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert "over 2 check-ins" in photo.params["caption"]


async def test_checkin_in_a_group_points_to_private(chat: Chat) -> None:
    await chat.send("/checkin", chat_id=-5, chat_type="group")
    assert "private chat" in chat.last_reply()


async def test_weekly_reminder_from_settings(chat: Chat, services: Services) -> None:
    await chat.send("/settings")
    assert "Weekly check-in reminder: <b>off</b>" in chat.last_reply()
    await chat.press("ci:rem:show")
    await chat.press("ci:rem:d:0")
    await chat.press("ci:rem:at:1900")
    assert "Mon 19:00" in chat.request.last("editMessageText").params["text"]
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
    assert user.reminder_enabled and user.next_reminder_at is not None


async def test_after_a_checkin_tips_lean_toward_the_area_that_needs_care(chat: Chat) -> None:
    """The latest check-in comes with the account in /tip's one read: its weakest area
    (here honesty) decides which strategy the next tips come from, while unseen ones last."""
    await run_checkin(chat, ["3", "4", "4", "4", "4", "4", "1", "4"])
    for _ in range(3):
        await chat.send("/tip")
        assert "Be genuine about what you need" in chat.last_reply()
