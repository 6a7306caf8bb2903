"""Check-in scoring: literal cases, then the rules the README states, held by hypothesis."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.checkin import (
    GOING_WELL,
    NEEDS_CARE,
    Band,
    Streak,
    band,
    feels_unsafe,
    from_earlier,
    score_checkin,
    streak,
)
from bot.domain.content import EarlierQuestion, Question


def balance_q(qid: str, **extra: object) -> Question:
    return Question(qid, "balance", "reciprocity", **extra)  # type: ignore[arg-type]


def health_q(qid: str, **extra: object) -> Question:
    return Question(qid, "health", "own-life", **extra)  # type: ignore[arg-type]


QUESTIONS = (
    balance_q("plans", strategy_receiving="appreciation"),
    balance_q("effort"),
    balance_q("support", not_applicable=True),
    balance_q("thanks"),
    health_q("understood", not_applicable=True),
    health_q("own_time"),
    health_q("safe", safety=True),
)
BALANCE_IDS = [q.id for q in QUESTIONS if q.kind == "balance"]
HEALTH_IDS = [q.id for q in QUESTIONS if q.kind == "health"]


# --- literal cases ------------------------------------------------------------------------


def test_about_even_everywhere_with_top_health_answers_is_zero_and_even() -> None:
    """The old scale said +50 and "you received more" here."""
    answers = {q: 3 for q in BALANCE_IDS} | {q: 5 for q in HEALTH_IDS}
    score = score_checkin(QUESTIONS, answers)
    assert score.balance == 0 and score.band is Band.EVEN
    assert score.weakest is None  # nothing scores 50 or less: nothing "needs care"
    assert score.strongest is not None and score.strongest.question_id == "plans"


def test_lowest_health_answers_never_move_the_balance_nor_go_well() -> None:
    answers = {q: 3 for q in BALANCE_IDS} | {q: 1 for q in HEALTH_IDS}
    score = score_checkin(QUESTIONS, answers)
    assert score.balance == 0
    assert score.weakest is not None and score.weakest.question_id == "understood"
    assert score.weakest.score == 0
    assert score.strongest is not None and score.strongest.score == 100  # an even area


def test_i_gave_far_more_everywhere_is_minus_100() -> None:
    score = score_checkin(QUESTIONS, {q: 1 for q in BALANCE_IDS})
    assert score.balance == -100 and score.band is Band.GAVE_FAR_MORE
    assert score.strongest is None  # every area is one-sided


def test_a_bit_more_given_everywhere_is_minus_60() -> None:
    score = score_checkin(QUESTIONS, {q: 2 for q in BALANCE_IDS})
    assert score.balance == -60 and score.band is Band.GAVE_MORE


def test_partner_gave_more_is_positive_and_tips_turn_to_appreciation() -> None:
    score = score_checkin(QUESTIONS, {"plans": 5, "effort": 4})
    assert score.balance == 80 and score.band is Band.RECEIVED_FAR_MORE
    assert score.weakest is not None and score.weakest.question_id == "plans"
    assert score.weakest.strategy_id == "appreciation"  # its receiving-side strategy
    assert score_checkin(QUESTIONS, {"plans": 1}).weakest.strategy_id == "reciprocity"  # type: ignore[union-attr]


def test_doesnt_apply_and_skipped_count_nowhere() -> None:
    score = score_checkin(QUESTIONS, {"plans": 1, "support": 0, "understood": 0, "effort": None})
    assert score.balance == -100
    assert [a.question_id for a in score.areas] == ["plans"]
    assert (score.answered, score.skipped) == (1, 3)


def test_without_a_balance_answer_there_is_no_balance() -> None:
    score = score_checkin(QUESTIONS, {"own_time": 2})
    assert score.balance is None and score.band is None
    assert score.weakest is not None and score.weakest.question_id == "own_time"


def test_needs_care_ties_go_to_the_earlier_question() -> None:
    score = score_checkin(QUESTIONS, {"thanks": 2, "effort": 4, "own_time": 3})
    assert score.weakest is not None and score.weakest.question_id == "effort"


def test_the_safety_question_is_never_going_well_or_needs_care() -> None:
    assert score_checkin(QUESTIONS, {"safe": 5}).strongest is None
    assert score_checkin(QUESTIONS, {"safe": 1}).weakest is None


def test_feeling_unsafe_is_a_low_safety_answer() -> None:
    assert feels_unsafe(QUESTIONS, {"safe": 2}) is True
    assert feels_unsafe(QUESTIONS, {"safe": 3}) is False
    assert feels_unsafe(QUESTIONS, {"plans": 1}) is None
    assert feels_unsafe(QUESTIONS, {"safe": None}) is None


def test_streaks_on_both_sides() -> None:
    assert streak([-30, -60, -25], 25, 3) is Streak.GIVING
    assert streak([10, -60, -25], 25, 3) is None
    assert streak([-60, -25], 25, 3) is None
    assert streak([40, 25, 100], 25, 3) is Streak.RECEIVING
    assert streak([40, None, 100], 25, 3) is None
    assert streak([-100, 40, 25, 100], 25, 3) is Streak.RECEIVING


def test_earlier_answers_map_onto_todays_questions() -> None:
    earlier = (
        EarlierQuestion("initiative", "plans", (5, 4, 3, 2, 1)),
        EarlierQuestion("appreciated"),
    )
    assert from_earlier(earlier, {"initiative": 5, "appreciated": 1}) == {"plans": 1}
    assert from_earlier(earlier, {"initiative": None}) == {"plans": None}


# --- the rules, for every pattern of answers ------------------------------------------------

ANSWER = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, int | None]:
    answers: dict[str, int | None] = {}
    for q in QUESTIONS:
        choice = draw(st.one_of(st.just("absent"), ANSWER, st.just(0)))
        if choice == "absent" or (choice == 0 and not q.not_applicable):
            continue
        answers[q.id] = choice  # type: ignore[assignment]
    return answers


@given(answer_sets())
def test_all_about_even_is_zero_whatever_the_other_answers(answers: dict[str, int | None]) -> None:
    answers |= {q: 3 for q in BALANCE_IDS}
    score = score_checkin(QUESTIONS, answers)
    assert score.balance == 0 and score.band is Band.EVEN


@given(answer_sets(), st.lists(st.sampled_from([1, 2]), min_size=4, max_size=4))
def test_every_item_toward_i_gave_more_is_minus_60_or_below(
    answers: dict[str, int | None], values: list[int]
) -> None:
    answers |= dict(zip(BALANCE_IDS, values, strict=True))
    score = score_checkin(QUESTIONS, answers)
    assert score.balance is not None and score.balance <= -60
    assert score.band in (Band.GAVE_MORE, Band.GAVE_FAR_MORE)


@given(answer_sets(), st.lists(st.sampled_from([4, 5]), min_size=4, max_size=4))
def test_every_item_toward_partner_gave_more_is_plus_60_or_above(
    answers: dict[str, int | None], values: list[int]
) -> None:
    answers |= dict(zip(BALANCE_IDS, values, strict=True))
    score = score_checkin(QUESTIONS, answers)
    assert score.balance is not None and score.balance >= 60
    assert score.band in (Band.RECEIVED_MORE, Band.RECEIVED_FAR_MORE)


@given(answer_sets(), st.sampled_from(BALANCE_IDS))
def test_moving_one_answer_toward_i_gave_more_never_raises_the_balance(
    answers: dict[str, int | None], moved: str
) -> None:
    value = answers.get(moved)
    if value is None or value in (0, 1):
        answers[moved] = 3
        value = 3
    before = score_checkin(QUESTIONS, answers).balance
    after = score_checkin(QUESTIONS, answers | {moved: value - 1}).balance
    assert before is not None and after is not None and after <= before


@given(answer_sets())
def test_named_areas_never_contradict_their_scores(answers: dict[str, int | None]) -> None:
    score = score_checkin(QUESTIONS, answers)
    strongest, weakest = score.strongest, score.weakest
    ranked = [a for a in score.areas if not a.safety]
    if strongest is not None:
        assert not strongest.one_sided and strongest.score >= GOING_WELL
        assert strongest.score == max(a.score for a in ranked if not a.one_sided)
    if weakest is not None:
        assert weakest.score <= NEEDS_CARE
        lowest = min(a.score for a in ranked)
        assert weakest.score == lowest
        first_lowest = next(a for a in ranked if a.score == lowest)  # ties: the earlier one
        assert weakest.question_id == first_lowest.question_id
    elif ranked:
        assert min(a.score for a in ranked) > NEEDS_CARE
    if strongest is not None and weakest is not None:
        assert strongest.question_id != weakest.question_id
    if score.balance is not None:
        words = band(score.balance)
        if score.balance < 0:
            assert words in (Band.GAVE_MORE, Band.GAVE_FAR_MORE, Band.EVEN)
        elif score.balance > 0:
            assert words in (Band.RECEIVED_MORE, Band.RECEIVED_FAR_MORE, Band.EVEN)
        else:
            assert words is Band.EVEN
    assert -100 <= (score.balance or 0) <= 100
