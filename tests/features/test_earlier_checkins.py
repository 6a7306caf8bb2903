"""Check-ins saved with the first question set survive the migration to the equity
check-in: every answer kept, scored by today's rules where the questions map, and shown
as an earlier format in /history, /trend and /export."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from bot.store.db import make_engine, migrate
from bot.store.models import CheckinStatus
from tests.features.chat import Chat

# Format 1, in its own order: initiative (1 "almost always my partner" .. 5 "almost always
# me"), appreciated, support, own_time, boundaries, resentment, honesty, safe.
OLD_QUESTIONS = (
    "initiative",
    "appreciated",
    "support",
    "own_time",
    "boundaries",
    "resentment",
    "honesty",
    "safe",
)
OLD_CHECKINS = {
    # id: (finished day, values; None skipped)
    1: (datetime(2026, 11, 3, 18, tzinfo=UTC), [5, 1, 1, 2, 2, 3, 3, 4]),
    2: (datetime(2026, 11, 10, 18, tzinfo=UTC), [3, 5, 5, 5, 5, 5, 5, 5]),
    3: (datetime(2026, 11, 17, 18, tzinfo=UTC), [None, 4, 4, 1, 4, 4, 4, 4]),
}


def _old_store(engine: Engine) -> None:
    """A store at revision 0003 holding a user with three finished check-ins and one
    left open, as the bot wrote them before."""
    migrate(engine, "0003")
    stamp = "2026-11-01 08:00:00.000000"
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO users (id, platform_user_id, chat_id, language, timezone, "
                "nudge_time, nudges_enabled, created_at, reminder_enabled, reminder_weekday, "
                "reminder_time, safety_flag) VALUES (1, 42, 42, 'en', 'UTC', '09:00', 0, "
                ":at, 0, 6, '18:00', 0)"
            ),
            {"at": stamp},
        )
        for checkin_id, (finished, values) in OLD_CHECKINS.items():
            c.execute(
                text(
                    "INSERT INTO checkins (id, user_id, status, position, started_at, "
                    "finished_at, balance, weakest_area, weakest_strategy, reassess, "
                    "safety_shown) VALUES (:id, 1, 'done', 8, :at, :at, 50, 'Initiative', "
                    "'reciprocity', 0, 0)"
                ),
                {"id": checkin_id, "at": finished.strftime("%Y-%m-%d %H:%M:%S.%f")},
            )
            for question, value in zip(OLD_QUESTIONS, values, strict=True):
                c.execute(
                    text(
                        "INSERT INTO checkin_answers (checkin_id, question_id, value, "
                        "answered_at) VALUES (:c, :q, :v, :at)"
                    ),
                    {"c": checkin_id, "q": question, "v": value, "at": stamp},
                )
        c.execute(
            text(
                "INSERT INTO checkins (id, user_id, status, position, started_at, reassess, "
                "safety_shown) VALUES (4, 1, 'open', 2, :at, 0, 0)"
            ),
            {"at": stamp},
        )
        c.execute(
            text(
                "INSERT INTO checkin_answers (checkin_id, question_id, value, answered_at) "
                "VALUES (4, 'initiative', 2, :at), (4, 'appreciated', 3, :at)"
            ),
            {"at": stamp},
        )


def _rows(engine: Engine, query: str) -> list[tuple[object, ...]]:
    with engine.connect() as c:
        return [tuple(row) for row in c.execute(text(query))]


@pytest.fixture
def old_engine(db_url: str) -> Engine:
    engine = make_engine(db_url)
    _old_store(engine)
    return engine


def test_the_migration_keeps_every_answer_and_rescores_by_todays_rules(
    old_engine: Engine,
) -> None:
    answers_before = _rows(old_engine, "SELECT checkin_id, question_id, value FROM checkin_answers")
    migrate(old_engine)
    assert _rows(old_engine, "SELECT checkin_id, question_id, value FROM checkin_answers") == (
        answers_before
    )
    checkins = _rows(
        old_engine,
        "SELECT id, status, format, balance, weakest_area, weakest_strategy FROM checkins "
        "ORDER BY id",
    )
    assert checkins == [
        # "almost always me" made the plans: I gave far more; own time 2 -> 25 is lowest
        # after the one-sided plans (0)
        (1, CheckinStatus.DONE, 1, -100, "initiative", "reciprocity"),
        # about even, and every mapped health answer at the top: nothing needs care
        (2, CheckinStatus.DONE, 1, 0, None, None),
        # plans skipped: no balance; own time "none at all" needs care
        (3, CheckinStatus.DONE, 1, None, "own_time", "own-life"),
        # left open mid-way with questions no longer asked: closed, answers kept
        (4, CheckinStatus.CANCELLED, 1, None, None, None),
    ]


async def test_earlier_checkins_show_in_history_trend_and_export(
    old_engine: Engine,
    chat: Chat,  # in this order: the bot starts on the old store
) -> None:
    [history] = await chat.send("/history")
    assert history.text.count("(earlier questions)") == 3
    assert "03 Nov 2026: give and take -100, needs care: Plans and initiative" in history.text
    assert "17 Nov 2026: give and take no balance, needs care: Your own life" in history.text
    [trend] = await chat.send("/trend")
    assert "over 2 check-ins" in trend.text and trend.attachment is not None
    [export] = await chat.send("/export")
    assert export.attachment is not None
    exported = json.loads(export.attachment.content)
    first = exported["checkins"][0]
    assert first["format"] == 1
    assert [a["value"] for a in first["answers"]] == OLD_CHECKINS[1][1]
    assert first["answers"][0]["answer"] == "Almost always me"
    assert first["answers"][1]["question_text"].startswith("Did you feel appreciated")
    # A finished earlier check-in can't be walked again with today's questions.
    await chat.press_data("ci:3:fix")
    assert chat.notice is not None and "/checkin starts a new one" in chat.notice
