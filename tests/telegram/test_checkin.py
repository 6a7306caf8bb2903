"""The check-in flow through PTB: answers in the database after every press, a summary
that says what the answers said, and corrections that never lose a finished check-in."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.config import ROOT
from bot.domain.content import load_content
from bot.features.base import Services
from bot.store.models import Checkin, CheckinAnswer, User
from tests.conftest import Clock
from tests.telegram.conftest import Chat

# Value per question, in content/checkin.yaml's order: five balance questions (1 I gave
# far more ... 3 about even ... 5 my partner gave far more), then five health questions
# (1 worst ... 5 best; the last one is "did you feel safe and respected").
GIVING_HEAVY = ["1", "2", "1", "2", "2", "4", "3", "4", "4", "5"]
RECEIVING_HEAVY = ["5", "4", "5", "4", "4", "4", "4", "4", "4", "5"]
REFLECT = load_content(ROOT / "content").reflection_prompts[0]  # in the reassess message
EVEN_AND_WELL = ["3", "3", "3", "3", "3", "5", "5", "5", "5", "5"]


def checkin_call(chat: Chat):  # type: ignore[no-untyped-def]
    """The check-in message as it stands (its last send or edit)."""
    return [
        c
        for c in chat.request.calls
        if c.method in ("sendMessage", "editMessageText")
        and (
            "Check-in ·" in str(c.params.get("text", ""))
            or "Changing your answers ·" in str(c.params.get("text", ""))
        )
    ][-1]


def current_buttons(chat: Chat) -> list[tuple[str, str]]:
    return chat.request.buttons(checkin_call(chat))


def current_text(chat: Chat) -> str:
    return str(checkin_call(chat).params["text"])


def data_for_value(chat: Chat, value: str) -> str:
    return next(d for _, d in current_buttons(chat) if d.endswith(f":{value}"))


async def press_label(chat: Chat, label: str, user_id: int = 42) -> None:
    """Press the button of the check-in message whose label reads ``label``."""
    data = next(d for shown, d in current_buttons(chat) if shown.removeprefix("• ") == label)
    await chat.press(data, user_id=user_id)


async def run_checkin(chat: Chat, values: list[str], user_id: int = 42) -> None:
    await chat.send("/checkin", user_id=user_id)
    for value in values:
        await chat.press(data_for_value(chat, value), user_id=user_id)


def summary(chat: Chat) -> str:
    return str(chat.request.last("editMessageText").params["text"])


def answers_in_db(services: Services) -> list[tuple[str, int | None]]:
    with services.session_factory() as session:
        return [
            (a.question_id, a.value)
            for a in session.scalars(select(CheckinAnswer).order_by(CheckinAnswer.id))
        ]


def checkins_in_db(services: Services) -> list[Checkin]:
    with services.session_factory() as session:
        return list(session.scalars(select(Checkin).order_by(Checkin.id)))


async def test_a_checkin_runs_to_its_summary_with_buttons_only(
    chat: Chat, services: Services
) -> None:
    await chat.send("/checkin")
    first = chat.last_reply()
    assert "Check-in · 1/10" in first and "suggested plans" in first
    assert "0 answered · 0 skipped" in first
    labels = [label for label, _ in current_buttons(chat)]
    assert labels == [
        "Me, by far",
        "Me, a bit more",
        "About even",
        "My partner, a bit more",
        "My partner, by far",
        "Skip",
        "Cancel",
    ]
    for number, value in enumerate(GIVING_HEAVY, start=1):
        await chat.press(data_for_value(chat, value))
        assert len(answers_in_db(services)) == number  # saved at the press
    text = summary(chat)
    # The five balance answers: -100, -60, -100, -60, -60 -> their mean, -76.
    assert "Give and take: <b>-76</b>, you gave far more than you received" in text
    assert "-100 you gave far more · 0 about even · +100 your partner gave far more" in text
    # "Me, by far" on plans: one-sided, 0/100, the first of the lowest areas.
    assert "Needs care: Plans and initiative (0/100)" in text
    assert "Going well: Your own life (100/100)" not in text  # own time was "Some" (50)
    assert "Going well: Feeling understood (75/100)" in text
    assert "10 answered · 0 skipped" in text
    assert "A tip for plans and initiative" in chat.last_reply()
    [checkin] = checkins_in_db(services)
    assert checkin.status == "done" and checkin.balance == -76
    assert checkin.weakest_area == "initiative" and checkin.weakest_strategy == "reciprocity"
    assert len(chat.replies()) == 2  # the question message, then the tip: all else in place


async def test_about_even_with_the_top_answers_is_even_and_names_no_area_that_needs_care(
    chat: Chat,
) -> None:
    await run_checkin(chat, EVEN_AND_WELL)
    text = summary(chat)
    assert "Give and take: <b>+0</b>, about even" in text
    assert "Needs care" not in text
    assert "Going well: Plans and initiative (100/100)" in text
    assert len(chat.replies()) == 1  # nothing needs care: no tip pushed


async def test_the_lowest_health_answers_never_go_well(chat: Chat) -> None:
    await chat.send("/checkin")
    for value in ["1", "1", "1", "1", "1", "1", "1", "1", "1"]:
        await chat.press(data_for_value(chat, value))
    await press_label(chat, "Skip")  # the safety question
    text = summary(chat)
    assert "Give and take: <b>-100</b>" in text
    assert "Going well" not in text
    assert re.search(r"Needs care: .+ \(0/100\)", text)


async def test_doesnt_apply_counts_as_skipped(chat: Chat, services: Services) -> None:
    await chat.send("/checkin")
    for value in ["3", "3"]:
        await chat.press(data_for_value(chat, value))
    assert "Neither of us needed support" in [label for label, _ in current_buttons(chat)]
    await press_label(chat, "Neither of us needed support")
    assert "2 answered · 1 skipped" in current_text(chat)
    for value in ["3", "3", "5", "5", "5", "5", "5"]:
        await chat.press(data_for_value(chat, value))
    assert "9 answered · 1 skipped" in summary(chat)
    assert ("support", 0) in answers_in_db(services)


async def test_back_skip_and_cancel_keep_no_answers_of_a_new_checkin(
    chat: Chat, services: Services
) -> None:
    await chat.send("/checkin")
    await press_label(chat, "My partner, a bit more")
    await press_label(chat, "« Back")
    assert "1/10" in current_text(chat)
    assert "• My partner, a bit more" in [label for label, _ in current_buttons(chat)]
    await press_label(chat, "About even")
    await press_label(chat, "Skip")
    assert "1 answered · 1 skipped" in current_text(chat)
    assert answers_in_db(services) == [("initiative", 3), ("effort", None)]
    await press_label(chat, "Cancel")
    assert "none of its answers kept" in summary(chat)
    assert answers_in_db(services) == []
    assert [c.status for c in checkins_in_db(services)] == ["cancelled"]


async def test_a_checkin_with_every_question_skipped_records_nothing(
    chat: Chat, services: Services
) -> None:
    await chat.send("/checkin")
    for _ in range(10):
        await press_label(chat, "Skip")
    assert "nothing was recorded" in summary(chat)
    assert [c.status for c in checkins_in_db(services)] == ["cancelled"]
    assert answers_in_db(services) == []
    await chat.send("/history")
    assert "No check-ins yet" in chat.last_reply()


async def test_stale_and_finished_checkin_buttons_change_nothing(
    chat: Chat, services: Services
) -> None:
    await chat.send("/checkin")
    old_first = data_for_value(chat, "2")
    await chat.press(old_first)
    await chat.press(old_first)  # a double tap: that question has moved on
    assert chat.request.last("answerCallbackQuery").params["text"] == "That question has moved on."
    await chat.send("/checkin")  # while one is open: continue or start over
    assert "in progress (question 2 of 10)" in chat.last_reply()
    await chat.press("ci:new")
    await chat.press(old_first)  # a button of the replaced check-in
    notice = chat.request.last("answerCallbackQuery").params["text"]
    assert notice.startswith("This check-in is closed")
    assert answers_in_db(services) == []  # the replaced one kept nothing
    # Someone else's check-in is closed to them, too.
    current = checkins_in_db(services)[-1]
    await chat.press(f"ci:{current.id}:0:5", user_id=77)
    notice = chat.request.last("answerCallbackQuery").params["text"]
    assert notice.startswith("This check-in is closed")
    assert answers_in_db(services) == []


async def test_three_giving_heavy_checkins_bring_the_reassess_message(
    chat: Chat, services: Services, clock: Clock
) -> None:
    for week in range(3):
        clock.now += timedelta(days=7)
        await run_checkin(chat, GIVING_HEAVY)
        reassess = [
            c
            for c in chat.request.calls
            if c.method == "sendMessage" and REFLECT in str(c.params["text"])
        ]
        assert len(reassess) == (1 if week == 2 else 0)
    assert any(url for _, url in chat.request.buttons(reassess[0]))  # a counsellor or helpline
    assert len(str(reassess[0].params["text"]).split("\n\n")[0].split()) < 80
    await chat.send("/history")
    assert chat.last_reply().count("give and take -76") == 3
    for _ in range(10):  # tips now lean away from the "distance" strategies
        await chat.send("/tip")
        assert "Keep a little mystery" not in chat.last_reply()


async def test_three_receiving_heavy_checkins_bring_a_gentle_note(
    chat: Chat, services: Services, clock: Clock
) -> None:
    for week in range(3):
        clock.now += timedelta(days=7)
        await run_checkin(chat, RECEIVING_HEAVY)
        notes = [t for t in chat.replies() if "partner has been giving more" in t]
        assert len(notes) == (1 if week == 2 else 0)
    assert "your partner gave far more than you did" in summary(chat)
    assert checkins_in_db(services)[-1].partner_carrying
    assert not any(REFLECT in t for t in chat.replies())


async def test_feeling_unsafe_shows_only_the_care_message_and_resources(
    chat: Chat, services: Services
) -> None:
    await run_checkin(chat, [*GIVING_HEAVY[:-1], "1"])
    care = chat.request.last("editMessageText")
    text = str(care.params["text"])
    assert "safe" in text.lower()
    assert "Give and take" not in text and "Needs care" not in text
    assert any(url for _, url in chat.request.buttons(care))  # where to find help
    assert len(chat.replies()) == 1  # no tip, no reassess message: nothing else at all
    with services.session_factory() as session:
        assert session.scalars(select(User)).one().safety_flag
    await run_checkin(chat, EVEN_AND_WELL)  # a later check-in says otherwise
    with services.session_factory() as session:
        assert not session.scalars(select(User)).one().safety_flag


async def test_change_then_cancel_keeps_the_finished_checkin(
    chat: Chat, services: Services
) -> None:
    await run_checkin(chat, GIVING_HEAVY)
    before = answers_in_db(services)
    fix = next(
        d
        for label, d in chat.request.buttons(chat.request.last("editMessageText"))
        if label == "Change my answers"
    )
    await chat.press(fix)
    assert "Changing your answers · 1/10" in current_text(chat)
    labels = [label for label, _ in current_buttons(chat)]
    assert "Keep" in labels and "Skip" not in labels  # moving on keeps the answer
    assert "• Me, by far" in labels  # the current answer is marked
    await press_label(chat, "About even")
    await press_label(chat, "Keep")
    await press_label(chat, "Cancel")
    assert "stays as it was" in summary(chat)
    assert answers_in_db(services) == before
    checkin, draft = checkins_in_db(services)
    assert checkin.status == "done" and checkin.balance == -76
    assert draft.status == "cancelled" and draft.revises_id == checkin.id
    await chat.send("/history")
    assert "give and take -76" in chat.last_reply()


async def test_a_correction_replaces_the_answers_it_changes_and_keeps_the_rest(
    chat: Chat, services: Services, clock: Clock
) -> None:
    for _ in range(2):
        clock.now += timedelta(days=7)
        await run_checkin(chat, GIVING_HEAVY)
    fix = next(
        d
        for label, d in chat.request.buttons(chat.request.last("editMessageText"))
        if label == "Change my answers"
    )
    clock.now += timedelta(hours=1)
    await chat.press(fix)
    await press_label(chat, "About even")  # plans: from "Me, by far" to even
    for _ in range(9):
        await press_label(chat, "Keep")
    text = summary(chat)
    # -60, -100, -60, -60 over four... plus plans now 0: (0 - 60 - 100 - 60 - 60) / 5 = -56
    assert "Give and take: <b>-56</b>" in text
    done = [c for c in checkins_in_db(services) if c.status == "done"]
    assert len(done) == 2  # replaced in place, no new entry
    values = dict(answers_in_db(services)[10:])
    assert values["initiative"] == 3 and values["effort"] == 2 and values["safe"] == 5
    assert len(answers_in_db(services)) == 20
    assert not done[-1].reassess  # two check-ins: no streak of three from a correction


async def test_history_trend_and_export_tell_what_was_answered(
    chat: Chat, services: Services, clock: Clock
) -> None:
    await chat.send("/trend")
    assert "at least two check-ins" in chat.last_reply()
    await run_checkin(chat, GIVING_HEAVY)
    clock.now += timedelta(hours=2)  # a second check-in on the same day
    await run_checkin(chat, EVEN_AND_WELL)
    await chat.send("/trend")
    photo = chat.request.last("sendPhoto")
    [png] = photo.files.values()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert "over 2 check-ins" in photo.params["caption"]
    await chat.send("/export")
    [body] = chat.request.last("sendDocument").files.values()
    exported = json.loads(body)
    first = exported["checkins"][0]["answers"][0]
    assert first["question"] == "initiative" and first["value"] == 1
    assert first["answer"] == "Me, by far"
    assert first["question_text"].startswith("This week, who reached out")


async def test_checkin_in_a_group_points_to_private(chat: Chat) -> None:
    await chat.send("/checkin", chat_id=-5, chat_type="group")
    assert "private chat" in chat.last_reply()


async def test_weekly_reminder_from_settings(chat: Chat, services: Services) -> None:
    await chat.send("/settings")
    assert "Weekly check-in reminder: <b>off</b>" in chat.last_reply()
    day = next(
        d
        for label, d in chat.request.buttons(chat.request.last("sendMessage"))
        if label == "Check-in reminder"
    )
    await chat.press(day)
    for label in ("Mon", "19:00"):
        data = next(
            d
            for shown, d in chat.request.buttons(chat.request.last("editMessageText"))
            if shown == label
        )
        await chat.press(data)
    assert "Mon 19:00" in chat.request.last("editMessageText").params["text"]
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
        assert user.reminder_enabled and user.next_reminder_at is not None


async def test_after_a_checkin_tips_lean_toward_the_area_that_needs_care(chat: Chat) -> None:
    """The weakest area (here honesty about needs) decides which strategy the next tips
    come from, while unseen ones last."""
    await run_checkin(chat, ["3", "3", "3", "3", "3", "4", "4", "1", "4", "4"])
    assert "Needs care: Honesty about needs (0/100)" in summary(chat)
    for _ in range(3):
        await chat.send("/tip")
        assert "Be genuine about what you need" in chat.last_reply()


async def test_only_finished_checkins_count(chat: Chat, services: Services) -> None:
    await chat.send("/checkin")
    await press_label(chat, "About even")
    with services.session_factory() as session:
        assert session.scalar(select(func.count(Checkin.id)).where(Checkin.status == "done")) == 0
