"""Check-in scoring: the give-and-take balance and a health score per area.

Each answer has a value 1 to 5 (the five labels of its question, in order); 0 means
"doesn't apply" and, like a skipped question, counts nowhere.

- **Balance questions** compare what I gave with what my partner gave in one area, on
  one scale centred on "about even": 1 I gave far more, 2 I gave a bit more, 3 about
  even, 4 my partner gave a bit more, 5 my partner gave far more.
- **Balance**, from -100 (I gave far more everywhere) through 0 (even) to +100 (my
  partner gave far more everywhere): the mean over the answered balance questions of
  -100, -60, 0, +60, +100 for values 1 to 5. Health questions never move it. Without
  an answered balance question there is no balance.
- **Area score**, 0 to 100, higher is healthier. A balance question scores by how
  even it was: about even 100, a bit one-sided either way 50, far one-sided 0. A health
  question scores straight: (value - 1) × 25.
- **Going well**: the highest-scoring area at 75 or more that is not one-sided (ties:
  the earlier question). **Needs care**: the lowest-scoring area at 50 or less (ties:
  the earlier question). The safety question is never either: it has its own path.
- **Streaks**: ``streak`` check-ins in a row with a balance at or below ``-limit`` mean
  the user keeps giving more; at or above ``+limit``, their partner may be carrying more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.content import NOT_APPLICABLE, EarlierQuestion, Question

BALANCE_POINTS = {1: -100, 2: -60, 3: 0, 4: 60, 5: 100}
EVENNESS = {1: 0, 2: 50, 3: 100, 4: 50, 5: 0}
GOING_WELL = 75  # an area is named "going well" only at or above this
NEEDS_CARE = 50  # and "needs care" only at or below this
UNSAFE_AT_MOST = 2  # a safety answer of 1 or 2


class Band(StrEnum):
    """The balance in words, by range."""

    GAVE_FAR_MORE = "gave_far_more"  # -100 .. -70
    GAVE_MORE = "gave_more"  # -69 .. -20
    EVEN = "even"  # -19 .. +19
    RECEIVED_MORE = "received_more"  # +20 .. +69
    RECEIVED_FAR_MORE = "received_far_more"  # +70 .. +100


class Streak(StrEnum):
    GIVING = "giving"  # I keep giving more: time to reassess
    RECEIVING = "receiving"  # my partner may be carrying more


@dataclass(frozen=True, slots=True)
class AreaScore:
    question_id: str  # its area's name is the catalogue's question-<id>-area
    strategy_id: str  # tips for it (for balance areas, by which side gave more)
    score: int
    leaning: int  # balance areas: -1 I gave more, +1 my partner gave more; else 0
    safety: bool = False

    @property
    def one_sided(self) -> bool:
        return self.leaning != 0


@dataclass(frozen=True, slots=True)
class CheckinScore:
    balance: int | None
    areas: tuple[AreaScore, ...]  # answered questions, in question order
    answered: int
    skipped: int  # skipped or "doesn't apply"

    @property
    def strongest(self) -> AreaScore | None:
        """Going well: the best even or healthy area at or above GOING_WELL."""
        eligible = [
            a for a in self.areas if not a.safety and not a.one_sided and a.score >= GOING_WELL
        ]
        return max(eligible, key=lambda a: a.score, default=None)  # ties: the first

    @property
    def weakest(self) -> AreaScore | None:
        """Needs care: the lowest area at or below NEEDS_CARE."""
        eligible = [a for a in self.areas if not a.safety and a.score <= NEEDS_CARE]
        return min(eligible, key=lambda a: a.score, default=None)  # ties: the first

    @property
    def band(self) -> Band | None:
        return None if self.balance is None else band(self.balance)


def _check(value: int) -> int:
    if not 1 <= value <= 5:
        raise ValueError(f"answer value {value} is outside 1..5")
    return value


def area_score(question: Question, value: int) -> AreaScore:
    _check(value)
    if question.kind == "balance":
        leaning = (value > 3) - (value < 3)
        strategy = question.strategy_id
        if leaning > 0 and question.strategy_receiving:
            strategy = question.strategy_receiving
        return AreaScore(question.id, strategy, EVENNESS[value], leaning)
    score = (value - 1) * 25
    return AreaScore(question.id, question.strategy_id, score, 0, question.safety)


def answered(value: int | None) -> bool:
    return value is not None and value != NOT_APPLICABLE


def score_checkin(questions: Sequence[Question], answers: Mapping[str, int | None]) -> CheckinScore:
    """Score the answers (question id -> value 1..5, 0 or None for skipped)."""
    points = [
        BALANCE_POINTS[_check(value)]
        for q in questions
        if q.kind == "balance" and (value := answers.get(q.id)) is not None and answered(value)
    ]
    balance = round(sum(points) / len(points)) if points else None
    areas = tuple(
        area_score(q, value)
        for q in questions
        if answered(value := answers.get(q.id)) and value is not None
    )
    skipped = sum(1 for q in questions if q.id in answers and not answered(answers[q.id]))
    return CheckinScore(balance, areas, len(areas), skipped)


def band(balance: int) -> Band:
    if balance <= -70:
        return Band.GAVE_FAR_MORE
    if balance <= -20:
        return Band.GAVE_MORE
    if balance < 20:
        return Band.EVEN
    if balance < 70:
        return Band.RECEIVED_MORE
    return Band.RECEIVED_FAR_MORE


def streak(balances: Sequence[int | None], limit: int, length: int) -> Streak | None:
    """Whether the latest ``length`` balances (newest last) all lean one way by at least
    ``limit`` (a positive number of points)."""
    recent = list(balances)[-length:]
    if len(recent) < length or any(b is None for b in recent):
        return None
    if all(b is not None and b <= -limit for b in recent):
        return Streak.GIVING
    if all(b is not None and b >= limit for b in recent):
        return Streak.RECEIVING
    return None


def feels_unsafe(questions: Sequence[Question], answers: Mapping[str, int | None]) -> bool | None:
    """True if a safety question was answered low (1 or 2), None if none was answered."""
    values = [value for q in questions if q.safety and answered(value := answers.get(q.id))]
    if not values:
        return None
    return any(v is not None and v <= UNSAFE_AT_MOST for v in values)


def from_earlier(
    questions: Sequence[EarlierQuestion], answers: Mapping[str, int | None]
) -> dict[str, int | None]:
    """An earlier format's answers as answers to today's questions, where they map."""
    mapped: dict[str, int | None] = {}
    for q in questions:
        if q.maps_to is None or q.id not in answers:
            continue
        value = answers[q.id]
        mapped[q.maps_to] = q.values[value - 1] if value is not None and 1 <= value <= 5 else None
    return mapped
