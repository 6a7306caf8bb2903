"""Check-in scoring with literal cases."""

from __future__ import annotations

import pytest

from bot.domain.checkin import (
    describe_balance,
    feels_unsafe,
    keeps_giving_more,
    score_checkin,
)
from bot.domain.content import Question

ANSWERS = ("1", "2", "3", "4", "5")
QUESTIONS = (
    Question("initiative", "Who reached out?", "Initiative", "gave", "reciprocity", ANSWERS),
    Question("appreciated", "Appreciated?", "Appreciated", "received", "appreciation", ANSWERS),
    Question("support", "Support?", "Support", "received", "presence", ANSWERS),
    Question("own_time", "Own time?", "Own time", "self", "own-life", ANSWERS),
    Question("safe", "Safe?", "Safety", "received", "boundaries", ANSWERS, safety=True),
)


def test_i_always_reach_out_and_receive_nothing_is_minus_100() -> None:
    score = score_checkin(QUESTIONS, {"initiative": 5, "appreciated": 1, "support": 1, "safe": 1})
    assert score.balance == -100


def test_even_initiative_and_middling_care_is_balanced() -> None:
    score = score_checkin(QUESTIONS, {"initiative": 3, "appreciated": 3, "support": 3, "safe": 3})
    assert score.balance == 0
    assert describe_balance(score.balance) == "give and take felt about even"


def test_he_reaches_out_and_i_feel_cared_for_is_plus_100() -> None:
    score = score_checkin(QUESTIONS, {"initiative": 1, "appreciated": 5, "support": 5, "safe": 5})
    assert score.balance == 100


def test_a_mixed_week() -> None:
    # gave: (4-1)/4 = .75; received: (2-1)/4, (3-1)/4, (5-1)/4 -> mean .5833; -> -16.7
    score = score_checkin(QUESTIONS, {"initiative": 4, "appreciated": 2, "support": 3, "safe": 5})
    assert score.balance == -17
    assert [(a.area, a.score) for a in score.areas] == [
        ("Initiative", 50),
        ("Appreciated", 25),
        ("Support", 50),
        ("Safety", 100),
    ]
    assert score.weakest is not None and score.weakest.strategy_id == "appreciation"
    assert score.strongest is not None and score.strongest.area == "Safety"


def test_skipped_questions_count_nowhere() -> None:
    score = score_checkin(QUESTIONS, {"appreciated": 5, "own_time": 1})
    assert score.balance == 50  # no gave answer: giving counts as even
    assert [a.area for a in score.areas] == ["Appreciated", "Own time"]
    assert score.weakest is not None and score.weakest.area == "Own time"
    assert score_checkin(QUESTIONS, {"initiative": 5}).balance is None
    assert score_checkin(QUESTIONS, {}).weakest is None


def test_answer_values_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match=r"outside 1\.\.5"):
        score_checkin(QUESTIONS, {"appreciated": 6})


@pytest.mark.parametrize(
    ("balance", "words"),
    [
        (-100, "far more than you received"),
        (-60, "far more"),
        (-59, "gave more"),
        (-20, "gave more"),
        (-19, "about even"),
        (19, "about even"),
        (20, "received more"),
        (60, "received far more"),
        (None, "not enough"),
    ],
)
def test_balance_in_words(balance: int | None, words: str) -> None:
    assert words in describe_balance(balance)


def test_reassess_needs_the_whole_streak_on_the_giving_side() -> None:
    assert keeps_giving_more([-30, -40, -26], threshold=-25, streak=3)
    assert keeps_giving_more([50, -30, -40, -25], threshold=-25, streak=3)
    assert not keeps_giving_more([-30, -40, -24], threshold=-25, streak=3)
    assert not keeps_giving_more([-30, -40], threshold=-25, streak=3)
    assert not keeps_giving_more([-30, None, -40], threshold=-25, streak=3)


def test_feeling_unsafe() -> None:
    assert feels_unsafe(QUESTIONS, {"safe": 2}) is True
    assert feels_unsafe(QUESTIONS, {"safe": 3}) is False
    assert feels_unsafe(QUESTIONS, {"support": 1}) is None
