"""The check-in through the real bot process and the fake Bot API server, as a user
would: the numbers it shows follow from the answers given, a correction never loses a
finished check-in, and check-ins saved before the equity questions survive."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from bot.config import ROOT
from bot.domain.checkin import score_checkin
from bot.domain.content import load_content
from bot.store.db import make_engine
from tests.e2e.conftest import BotProcess, User
from tests.fakes.telegram_server import Call, FakeTelegramServer
from tests.telegram.test_earlier_checkins import _old_store

CONTENT = load_content(ROOT / "content")


def press_label(ana: User, message: Call, label: str, contains: str = "") -> Call:
    """Press the button whose label reads ``label`` (a "• " mark aside)."""
    data = next(d for shown, d in message.buttons() if shown.removeprefix("• ") == label)
    return ana.press_and_wait(message, data, contains=contains)


def answer(ana: User, values: list[int | None]) -> Call:
    """A whole check-in: each value by its label (None: Skip); returns the summary."""
    message = ana.ask("/checkin", "Check-in · 1/")
    for question, value in zip(CONTENT.questions, values, strict=True):
        label = "Skip" if value is None else question.label(value)
        assert label is not None
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
            assert f"Needs care: {expected.weakest.area} ({expected.weakest.score}/100)" in text
        if expected.strongest is None:
            assert "Going well" not in text
        else:
            assert f"Going well: {expected.strongest.area} ({expected.strongest.score}/100)" in (
                text
            )
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
    ana = User(server)
    history = ana.ask("/history", "Your last check-ins")
    assert (history.text or "").count("(earlier questions)") == 3
    assert "03 Nov 2026: give and take -100" in (history.text or "")
    since = ana.send("/export")
    ana.wait_reply(since, method="sendDocument")
