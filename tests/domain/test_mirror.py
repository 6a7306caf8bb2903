"""The mirror of a shared week: literal cases, then the rules the README states, held
by hypothesis."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.domain import invitation
from bot.domain.mirror import MEET, AreaView, Relation, compare, decode, encode, relate, turned
from bot.domain.timing import week_of
from tests.domain.test_checkin_scoring import QUESTIONS, balance_q, health_q

PLANS, UNDERSTOOD = balance_q("plans"), health_q("understood")
values = st.integers(min_value=1, max_value=5)
answer = st.one_of(st.none(), st.just(0), values)
answers = st.fixed_dictionaries({q.id: answer for q in QUESTIONS})


def test_balance_views_from_the_readers_side() -> None:
    # 1-2 "I gave more", 3 even, 4-5 "my partner gave more", each from their own side
    assert relate(PLANS, 1, 2) is Relation.EACH_GIVES  # both: "me"
    assert relate(PLANS, 5, 4) is Relation.EACH_RECEIVES  # both: "my partner"
    assert relate(PLANS, 2, 5) is Relation.BOTH_SEE_YOU  # me / "my partner" (= me)
    assert relate(PLANS, 4, 1) is Relation.BOTH_SEE_PARTNER
    assert relate(PLANS, 3, 3) is Relation.BOTH_EVEN
    assert relate(PLANS, 3, 4) is Relation.EVEN_THEY_SEE_YOU
    assert relate(PLANS, 3, 2) is Relation.EVEN_THEY_GIVE
    assert relate(PLANS, 1, 3) is Relation.YOU_GIVE_THEY_EVEN
    assert relate(PLANS, 5, 3) is Relation.THEY_GIVE_THEY_EVEN


def test_health_views() -> None:
    assert relate(UNDERSTOOD, 4, 5) is Relation.BOTH_WELL
    assert relate(UNDERSTOOD, 1, 2) is Relation.BOTH_LOW
    assert relate(UNDERSTOOD, 5, 3) is Relation.YOU_MORE
    assert relate(UNDERSTOOD, 2, 4) is Relation.PARTNER_MORE
    assert relate(UNDERSTOOD, 3, 4) is Relation.SIMILAR


def test_only_areas_both_answered_and_never_the_safety_question() -> None:
    mine = {"plans": 1, "effort": None, "support": 0, "thanks": 3, "own_time": 4, "safe": 1}
    theirs = {"plans": 2, "effort": 3, "support": 3, "thanks": 3, "own_time": 4, "safe": 1}
    assert compare(QUESTIONS, mine, theirs) == (
        AreaView("plans", Relation.EACH_GIVES),
        AreaView("thanks", Relation.BOTH_EVEN),
        AreaView("own_time", Relation.BOTH_WELL),
    )


@given(answers, answers)
def test_each_partner_reads_the_same_comparison_from_their_side(
    mine: dict[str, int | None], theirs: dict[str, int | None]
) -> None:
    """compare(b, a) is compare(a, b) turned round, and both see the same areas as
    meeting or differing."""
    ours, theirs_view = compare(QUESTIONS, mine, theirs), compare(QUESTIONS, theirs, mine)
    assert [(v.question_id, turned(v.relation)) for v in ours] == [
        (v.question_id, v.relation) for v in theirs_view
    ]
    assert [v.relation.differ for v in ours] == [v.relation.differ for v in theirs_view]
    assert all(v.question_id != "safe" for v in ours)


@given(values, values)
def test_balance_views_meet_exactly_when_they_lean_the_same_way(mine: int, theirs: int) -> None:
    """Turned to the reader's side, the partner's answer 6 - v leans like the reader's
    answer v; the views meet exactly when both lean the same way (or both say even)."""
    lean = lambda v: (v > 3) - (v < 3)  # noqa: E731
    assert (relate(PLANS, mine, theirs) in MEET) == (lean(mine) == lean(6 - theirs))


@given(values, values)
def test_identical_health_answers_always_meet(mine: int, theirs: int) -> None:
    assert relate(UNDERSTOOD, mine, mine) in MEET
    assert relate(UNDERSTOOD, mine, theirs).differ == (abs(mine - theirs) >= 2)


@given(answers, answers)
def test_what_is_stored_reads_back_the_same(
    mine: dict[str, int | None], theirs: dict[str, int | None]
) -> None:
    views = compare(QUESTIONS, mine, theirs)
    assert decode(encode(views)) == views
    assert all(ch not in encode(views) for ch in "0123456789")  # relations, never values


def test_a_week_runs_monday_to_sunday_in_each_zone() -> None:
    sunday_night_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert week_of(sunday_night_utc, ZoneInfo("UTC")) == date(2026, 11, 23)
    assert week_of(sunday_night_utc, ZoneInfo("Europe/Berlin")) == date(2026, 11, 30)  # Monday
    assert week_of(sunday_night_utc, ZoneInfo("America/New_York")) == date(2026, 11, 23)


@given(st.text(max_size=30))
def test_a_code_reads_back_only_as_issued(text: str) -> None:
    code = invitation.normalise(text)
    assert code is None or (len(code) == invitation.LENGTH and invitation.normalise(code) == code)


def test_codes_are_random_typed_loosely_and_stored_as_a_digest() -> None:
    codes = {invitation.new_code() for _ in range(200)}
    assert len(codes) == 200
    code = codes.pop()
    shown = invitation.shown(code)
    assert invitation.normalise(f" {shown.lower()} ") == code
    assert invitation.normalise(invitation.link_argument(code)) == code
    assert invitation.normalise("0O1IL-00000") == "00111" + "00000"
    assert invitation.normalise("ABCDE") is None and invitation.normalise("ABCDE-FGHJU") is None
    assert invitation.digest(code) != code and len(invitation.digest(code)) == 64
