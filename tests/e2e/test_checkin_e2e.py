"""The check-in through the real bot process and the fake Bot API server, as a user
would: the numbers it shows follow from the answers given, a correction never loses a
finished check-in, and check-ins saved before the equity questions survive."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import ROOT
from bot.domain.checkin import score_checkin
from bot.domain.content import load_content
from bot.i18n import default_catalogue
from bot.store.db import make_engine
from fake_bot_api import BotProcess, Call, FakeTelegramServer
from tests.e2e.conftest import User, bot_clock_before_a_minute, bot_minute
from tests.features.test_earlier_checkins import _old_store

CONTENT = load_content(ROOT / "content")
EN = default_catalogue().locale("en")


def press_label(ana: User, message: Call, label: str, contains: str = "") -> Call:
    """Press the button whose label reads ``label`` (a "• " mark aside)."""
    data = next(d for shown, d in message.buttons() if shown.removeprefix("• ") == label)
    return ana.press_and_wait(message, data, contains=contains)


def question_area(question_id: str) -> str:
    question = CONTENT.question(question_id)
    assert question is not None
    return question.area_key


def answer(ana: User, values: list[int | None]) -> Call:
    """A whole check-in: each value by its label (None: Skip); returns the summary."""
    message = ana.ask("/checkin", "Check-in · 1/")
    for question, value in zip(CONTENT.questions, values, strict=True):
        key = question.answer_key(value)
        label = "Skip" if value is None else EN.t(key or "")
        message = press_label(ana, message, label)
    return message


def test_the_summary_follows_from_the_answers(server: FakeTelegramServer, bot: BotProcess) -> None:
    rng = random.Random(10)
    patterns: list[list[int | None]] = [
        [3, 3, 3, 3, 3, 5, 5, 5, 5, 5],  # about even, everything well: 0, nothing needs care
        [1, 1, 1, 1, 1, 1, 1, 1, 1, None],  # the lowest everywhere (safety skipped)
        [2, 2, 2, 2, 2, 5, 5, 5, 5, 5],  # a bit more given everywhere: -60
    ]
    patterns += [
        [rng.choice([None, 1, 2, 3, 4, 5]) for _ in range(9)] + [rng.choice([None, 3, 4, 5])]
        for _ in range(3)
    ]
    texts: list[str] = []
    for user_id, values in enumerate(patterns, start=100):
        ana = User(server, user_id)
        text = answer(ana, values).text or ""
        texts.append(text)
        given = {q.id: v for q, v in zip(CONTENT.questions, values, strict=True)}
        expected = score_checkin(CONTENT.questions, given)
        shown = re.search(r"Give and take: <b>([+-]\d+)</b>", text)
        if expected.balance is None:
            assert shown is None and "no balance" in text
        else:
            assert shown is not None and int(shown.group(1)) == expected.balance, values
        if expected.weakest is None:
            assert "Needs care" not in text
        else:
            weakest = EN.t(question_area(expected.weakest.question_id))
            assert f"Needs care: {weakest} ({expected.weakest.score}/100)" in text
        if expected.strongest is None:
            assert "Going well" not in text
        else:
            strongest = EN.t(question_area(expected.strongest.question_id))
            assert f"Going well: {strongest} ({expected.strongest.score}/100)" in text
    assert "Give and take: <b>+0</b>, about even" in texts[0]
    assert "Give and take: <b>-60</b>, you gave more" in texts[2]
    assert server.internal_errors() == []


def test_change_then_cancel_keeps_the_finished_checkin(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    ana = User(server)
    summary = answer(ana, [1, 1, 3, 3, 3, 5, 5, 5, 5, 5])
    assert "Give and take: <b>-40</b>" in (summary.text or "")
    fix = press_label(ana, summary, "Change my answers", "Changing your answers · 1/10")
    assert "Skip" not in [label for label, _ in fix.buttons()]
    changed = press_label(ana, fix, "About even", "Changing your answers · 2/10")
    press_label(ana, changed, "Cancel", "stays as it was")
    history = ana.ask("/history", "Your last check-ins")
    assert "give and take -40" in (history.text or "")


def test_checkins_of_an_existing_database_survive_the_migration(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess], tmp_path: Path
) -> None:
    bot = make_bot()
    engine = make_engine(bot.db_url)
    _old_store(engine)  # the store as the bot left it before the equity questions
    engine.dispose()
    bot.start()  # migrations run at start-up
    ana = User(server, stored=True)
    history = ana.ask("/history", "Your last check-ins")
    assert (history.text or "").count("(earlier questions)") == 3
    assert "03 Nov 2026: give and take -100" in (history.text or "")
    since = ana.send("/export")
    ana.wait_reply(since, method="sendDocument")


SAFE_TITLES = [EN.t(s.title_key) for s in CONTENT.strategies if "safe" in s.tags]
OTHER_TITLES = [EN.t(s.title_key) for s in CONTENT.strategies if "safe" not in s.tags]


def _titled_safe(text: str) -> bool:
    return any(t in text for t in SAFE_TITLES) and not any(t in text for t in OTHER_TITLES)


@pytest.mark.slow
def test_a_safety_answer_brings_care_only_then_safe_tips_and_a_pausable_daily_tip(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    offset = bot_clock_before_a_minute(25)
    bot = make_bot()
    bot.extra_env["CLOCK_OFFSET_SECONDS"] = str(offset)
    bot.start()
    minute = bot_minute(offset)
    ana = User(server)
    ana.join()
    since = server.call_count()
    care = answer(ana, [1, 1, 1, 1, 1, 3, 3, 3, 3, 1])  # "not at all" safe and respected
    text = care.text or ""
    assert "safe" in text and "Give and take" not in text and "Needs care" not in text
    assert any(url for _, url in care.buttons())
    time.sleep(1)
    tips_after = [
        c
        for c in server.delivered("sendMessage", 42)
        if c.index >= since and "tip" in (c.text or "").lower()
    ]
    assert tips_after == []  # no tip came with the care message
    for _ in range(4):
        assert _titled_safe(ana.ask("/tip", "Today's tip").text or "")
    ana.ask(f"/nudges {minute:%H:%M}", f"Daily tip on, at {minute:%H:%M}")
    nudge = server.wait_for(
        lambda c: c.method == "sendMessage" and "Your daily tip" in (c.text or ""), 120
    )
    assert _titled_safe(nudge.text or "")
    assert "Pause daily tips" in [label for label, _ in nudge.buttons()]
    assert server.internal_errors() == []


def test_safety_answers_in_private_and_points_there_from_a_group(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    ana = User(server)
    private = ana.ask("/safety", "emergency")
    assert any(url.startswith("https://") for _, url in private.buttons())
    since = ana.send("/safety", chat_id=-100, chat_type="group")
    group = server.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == -100, 15, since=since
    )
    assert "emergency" not in (group.text or "")
    assert [url for _, url in group.buttons()] == [
        f"https://t.me/{server.bot_username}?start=safety"
    ]


def test_a_press_in_a_group_never_shows_or_changes_settings(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    ben = User(server, 43)
    since = ben.send("/tip", chat_id=-100, chat_type="group")
    tip = server.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == -100, 15, since=since
    )
    since = server.call_count()
    server.user_presses(
        43, int(tip.result["message_id"]), "st:at:0900:v0", chat_id=-100, check_button=False
    )
    notice = server.wait_for(lambda c: c.method == "answerCallbackQuery", 15, since=since)
    assert "private chat" in str(notice.params.get("text"))
    time.sleep(0.5)
    to_group = [c for c in server.calls()[since:] if c.chat_id == -100 and c.method != "getUpdates"]
    assert to_group == []  # nothing sent or edited in the group
    settings = ben.ask("/settings", "Your settings")
    assert "Daily tip: <b>off</b>" in (settings.text or "")
