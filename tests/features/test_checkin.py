"""The check-in as a chat: answers in the database after every press, a summary that
says what the answers said, and corrections that never lose a finished check-in."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import func, select

from bot.features.base import Services
from bot.store.models import Checkin, CheckinAnswer, CheckinStatus, User
from tests.conftest import Clock
from tests.features.chat import Chat, Message

# Value per question, in content/checkin.yaml's order: five balance questions (1 I gave
# far more ... 3 about even ... 5 my partner gave far more), then five health questions
# (1 worst ... 5 best; the last one is "did you feel safe and respected").
GIVING_HEAVY = ["1", "2", "1", "2", "2", "4", "3", "4", "4", "5"]
RECEIVING_HEAVY = ["5", "4", "5", "4", "4", "4", "4", "4", "4", "5"]
REFLECT = "What do you wish there were more of between you"  # in the reassess message
EVEN_AND_WELL = ["3", "3", "3", "3", "3", "5", "5", "5", "5", "5"]


def label(chat: Chat, number: int, value: str) -> str:
    """What the answer ``value`` of question ``number`` (from 0) reads on its button."""
    key = chat.services.content.questions[number].answer_key(int(value))
    assert key is not None, (number, value)
    return chat.services.locale("en").t(key)


async def answer(chat: Chat, values: list[str], first: int = 0) -> None:
    """Answer the open check-in's questions, from question ``first``, by their labels."""
    for number, value in enumerate(values, start=first):
        await chat.press(label(chat, number, value))


async def run_checkin(chat: Chat, values: list[str]) -> Message:
    """A whole check-in; the check-in message, now its summary."""
    [question] = await chat.send("/checkin")
    await answer(chat, values)
    return question


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
    [question] = await chat.send("/checkin")
    assert "Check-in · 1/10" in question.text and "suggested plans" in question.text
    assert "0 answered · 0 skipped" in question.text
    assert question.labels == [
        "Me, by far",
        "Me, a bit more",
        "About even",
        "My partner, a bit more",
        "My partner, by far",
        "Skip",
        "Cancel",
    ]
    for number, value in enumerate(GIVING_HEAVY):
        await chat.press(label(chat, number, value))
        assert len(answers_in_db(services)) == number + 1  # saved at the press
    text = question.text
    # The five balance answers: -100, -60, -100, -60, -60 -> their mean, -76.
    assert "Give and take: <b>-76</b>, you gave far more than you received" in text
    assert "-100 you gave far more · 0 about even · +100 your partner gave far more" in text
    # "Me, by far" on plans: one-sided, 0/100, the first of the lowest areas.
    assert "Needs care: Plans and initiative (0/100)" in text
    assert "Going well: Your own life (100/100)" not in text  # own time was "Some" (50)
    assert "Going well: Feeling understood (75/100)" in text
    assert "10 answered · 0 skipped" in text
    assert "A tip for “Plans and initiative”" in chat.last.text
    [checkin] = checkins_in_db(services)
    assert checkin.status == CheckinStatus.DONE and checkin.balance == -76
    assert checkin.weakest_area == "initiative" and checkin.weakest_strategy == "reciprocity"
    assert len(chat.messages) == 2  # the question message, then the tip: all else in place
    assert question.edits == 10


async def test_about_even_with_the_top_answers_is_even_and_names_no_area_that_needs_care(
    chat: Chat,
) -> None:
    summary = await run_checkin(chat, EVEN_AND_WELL)
    assert "Give and take: <b>+0</b>, about even" in summary.text
    assert "Needs care" not in summary.text
    assert "Going well: Plans and initiative (100/100)" in summary.text
    assert chat.messages == [summary]  # nothing needs care: no tip pushed


async def test_the_lowest_health_answers_never_go_well(chat: Chat) -> None:
    [question] = await chat.send("/checkin")
    await answer(chat, ["1"] * 9)
    await chat.press("Skip")  # the safety question
    assert "Give and take: <b>-100</b>" in question.text
    assert "Going well" not in question.text
    assert re.search(r"Needs care: .+ \(0/100\)", question.text)


async def test_doesnt_apply_counts_as_skipped(chat: Chat, services: Services) -> None:
    [question] = await chat.send("/checkin")
    await answer(chat, ["3", "3"])
    assert "Neither of us needed support" in question.labels
    await chat.press("Neither of us needed support")
    assert "2 answered · 1 skipped" in question.text
    await answer(chat, ["3", "3", "5", "5", "5", "5", "5"], first=3)
    assert "9 answered · 1 skipped" in question.text
    assert ("support", 0) in answers_in_db(services)


async def test_back_skip_and_cancel_keep_no_answers_of_a_new_checkin(
    chat: Chat, services: Services
) -> None:
    [question] = await chat.send("/checkin")
    await chat.press("My partner, a bit more")
    await chat.press("« Back")
    assert "1/10" in question.text
    assert "• My partner, a bit more" in question.labels  # the current answer is marked
    await chat.press("About even")
    await chat.press("Skip")
    assert "1 answered · 1 skipped" in question.text
    assert answers_in_db(services) == [("initiative", 3), ("effort", None)]
    await chat.press("Cancel")
    assert "none of its answers kept" in question.text
    assert question.labels == []  # nothing left to press
    assert answers_in_db(services) == []
    assert [c.status for c in checkins_in_db(services)] == [CheckinStatus.CANCELLED]


async def test_a_checkin_with_every_question_skipped_records_nothing(
    chat: Chat, services: Services
) -> None:
    [question] = await chat.send("/checkin")
    for _ in range(10):
        await chat.press("Skip")
    assert "nothing was recorded" in question.text
    assert [c.status for c in checkins_in_db(services)] == [CheckinStatus.CANCELLED]
    assert answers_in_db(services) == []
    await chat.send("/history")
    assert "No check-ins yet" in chat.last.text


async def test_stale_and_finished_checkin_buttons_change_nothing(
    chat: Chat, services: Services
) -> None:
    [question] = await chat.send("/checkin")
    first = question.button("Me, a bit more")
    assert first is not None and first.data is not None
    old_first = first.data  # what that button carried, pressed again below on purpose
    await chat.press("Me, a bit more")
    await chat.press_data(old_first, on=question)  # a double tap: that question moved on
    assert chat.notice == "That question has moved on."
    assert "2/10" in question.text
    await chat.send("/checkin")  # while one is open: continue or start over
    assert "in progress (question 2 of 10)" in chat.last.text
    await chat.press("Start a new one")
    await chat.press_data(old_first, on=question)  # a button of the replaced check-in
    assert chat.notice is not None and chat.notice.startswith("This check-in is closed")
    assert answers_in_db(services) == []  # the replaced one kept nothing
    # Someone else's check-in is closed to them, too (forged data).
    current = checkins_in_db(services)[-1]
    stranger = chat.as_user(77)
    await stranger.press_data(f"ci:{current.id}:0:5")
    assert stranger.notice is not None and stranger.notice.startswith("This check-in is closed")
    assert answers_in_db(services) == []
    assert stranger.messages == []


async def test_three_giving_heavy_checkins_bring_the_reassess_message(
    chat: Chat, services: Services, clock: Clock
) -> None:
    for week in range(3):
        clock.now += timedelta(days=7)
        await run_checkin(chat, GIVING_HEAVY)
        assert len(chat.with_text(REFLECT)) == (1 if week == 2 else 0)
    [reassess] = chat.with_text(REFLECT)
    assert reassess.links  # a counsellor or helpline
    assert len(reassess.text.split("\n\n")[0].split()) < 80
    await chat.send("/history")
    assert chat.last.text.count("give and take -76") == 3
    for _ in range(10):  # tips now lean away from the "distance" strategies
        await chat.send("/tip")
        assert "Keep a little mystery" not in chat.last.text


async def test_three_receiving_heavy_checkins_bring_a_gentle_note(
    chat: Chat, services: Services, clock: Clock
) -> None:
    for week in range(3):
        clock.now += timedelta(days=7)
        summary = await run_checkin(chat, RECEIVING_HEAVY)
        assert len(chat.with_text("partner has been giving more")) == (1 if week == 2 else 0)
    assert "your partner gave far more than you did" in summary.text
    assert checkins_in_db(services)[-1].partner_carrying
    assert chat.with_text(REFLECT) == []


async def test_feeling_unsafe_shows_only_the_care_message_and_resources(
    chat: Chat, services: Services
) -> None:
    care = await run_checkin(chat, [*GIVING_HEAVY[:-1], "1"])
    assert "safe" in care.text.lower()
    assert "Give and take" not in care.text and "Needs care" not in care.text
    assert care.links  # where to find help
    assert chat.messages == [care]  # no tip, no reassess message: nothing else at all
    with services.session_factory() as session:
        assert session.scalars(select(User)).one().safety_flag
    await run_checkin(chat, EVEN_AND_WELL)  # a later check-in says otherwise
    with services.session_factory() as session:
        assert not session.scalars(select(User)).one().safety_flag


async def test_change_then_cancel_keeps_the_finished_checkin(
    chat: Chat, services: Services
) -> None:
    summary = await run_checkin(chat, GIVING_HEAVY)
    before = answers_in_db(services)
    await chat.press("Change my answers")
    assert "Changing your answers · 1/10" in summary.text  # the summary, edited
    assert "Keep" in summary.labels and "Skip" not in summary.labels  # Keep moves on
    assert "• Me, by far" in summary.labels  # the current answer is marked
    await chat.press("About even")
    await chat.press("Keep")
    await chat.press("Cancel")
    assert "stays as it was" in summary.text
    assert answers_in_db(services) == before
    checkin, draft = checkins_in_db(services)
    assert checkin.status == CheckinStatus.DONE and checkin.balance == -76
    assert draft.status == CheckinStatus.CANCELLED and draft.revises_id == checkin.id
    await chat.send("/history")
    assert "give and take -76" in chat.last.text


async def test_a_correction_replaces_the_answers_it_changes_and_keeps_the_rest(
    chat: Chat, services: Services, clock: Clock
) -> None:
    for _ in range(2):
        clock.now += timedelta(days=7)
        summary = await run_checkin(chat, GIVING_HEAVY)
    clock.now += timedelta(hours=1)
    await chat.press("Change my answers", on=summary)
    await chat.press("About even")  # plans: from "Me, by far" to even
    for _ in range(9):
        await chat.press("Keep")
    # -60, -100, -60, -60 over four... plus plans now 0: (0 - 60 - 100 - 60 - 60) / 5 = -56
    assert "Give and take: <b>-56</b>" in summary.text
    done = [c for c in checkins_in_db(services) if c.status == CheckinStatus.DONE]
    assert len(done) == 2  # replaced in place, no new entry
    values = dict(answers_in_db(services)[10:])
    assert values["initiative"] == 3 and values["effort"] == 2 and values["safe"] == 5
    assert len(answers_in_db(services)) == 20
    assert not done[-1].reassess  # two check-ins: no streak of three from a correction


async def test_history_trend_and_export_tell_what_was_answered(
    chat: Chat, services: Services, clock: Clock
) -> None:
    await chat.send("/trend")
    assert "at least two check-ins" in chat.last.text
    await run_checkin(chat, GIVING_HEAVY)
    clock.now += timedelta(hours=2)  # a second check-in on the same day
    await run_checkin(chat, EVEN_AND_WELL)
    [photo] = await chat.send("/trend")
    assert photo.attachment is not None and photo.attachment.kind == "photo"
    png = photo.attachment.content
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert "over 2 check-ins" in photo.text
    await chat.send("/export")
    [document] = chat.attachments("document")
    exported = json.loads(document.content)
    first = exported["checkins"][0]["answers"][0]
    assert first["question"] == "initiative" and first["value"] == 1
    assert first["answer"] == "Me, by far"
    assert first["question_text"].startswith("This week, who reached out")


async def test_checkin_in_a_group_points_to_private(chat: Chat) -> None:
    group = chat.in_group(-5)
    [reply] = await group.send("/checkin")
    assert "private chat" in reply.text
    assert chat.messages == []  # nothing in private either


async def test_weekly_reminder_from_settings(chat: Chat, services: Services) -> None:
    [settings] = await chat.send("/settings")
    assert "Weekly check-in reminder: <b>off</b>" in settings.text
    await chat.press("Check-in reminder")
    for shown in ("Mon", "19:00"):
        await chat.press(shown)
    assert "Mon 19:00" in settings.text  # the settings message, edited in place
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
        assert user.reminder_enabled and user.next_reminder_at is not None


async def test_after_a_checkin_tips_lean_toward_the_area_that_needs_care(chat: Chat) -> None:
    """The weakest area (here honesty about needs) decides which strategy the next tips
    come from, while unseen ones last."""
    summary = await run_checkin(chat, ["3", "3", "3", "3", "3", "4", "4", "1", "4", "4"])
    assert "Needs care: Honesty about needs (0/100)" in summary.text
    for _ in range(3):
        await chat.send("/tip")
        assert "Be genuine about what you need" in chat.last.text


async def test_only_finished_checkins_count(chat: Chat, services: Services) -> None:
    await chat.send("/checkin")
    await chat.press("About even")
    with services.session_factory() as session:
        done = select(func.count(Checkin.id)).where(Checkin.status == CheckinStatus.DONE)
        assert session.scalar(done) == 0
