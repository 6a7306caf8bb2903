"""Check-in scoring: the reciprocity balance and a score per area.

Every answer has a value from 1 to 5 (the five labels of its question, in
order). A question measures what I *gave* (higher: I gave more), what I
*received* (higher: I received or felt more), or my own wellbeing (*self*,
higher: better for me).

- **Balance**, from -100 (I give far more) through 0 to +100 (I receive far
  more): the mean of the received answers minus the mean of the gave answers,
  each first scaled to 0..1, times 100. Without any gave answer the giving
  side counts as even (0.5); without any received answer there is no balance.
- **Area score**, 0 to 100 (higher is healthier): received and self answers
  scale straight ((value - 1) / 4 * 100); a gave answer scores by how even it
  is (3 = even = 100, 1 or 5 = one-sided = 0).
- **Strongest / weakest area**: highest / lowest area score (ties: the earlier
  question). Skipped questions count nowhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.domain.content import Question


@dataclass(frozen=True, slots=True)
class AreaScore:
    question_id: str
    area: str
    strategy_id: str
    score: int


@dataclass(frozen=True, slots=True)
class CheckinScore:
    balance: int | None
    areas: tuple[AreaScore, ...]

    @property
    def weakest(self) -> AreaScore | None:
        return min(self.areas, key=lambda a: a.score, default=None)

    @property
    def strongest(self) -> AreaScore | None:
        return max(reversed(self.areas), key=lambda a: a.score, default=None)


def _unit(value: int) -> float:
    if not 1 <= value <= 5:
        raise ValueError(f"answer value {value} is outside 1..5")
    return (value - 1) / 4


def area_score(question: Question, value: int) -> int:
    if question.measures == "gave":
        return round(100 - abs(value - 3) * 50)
    return round(_unit(value) * 100)


def score_checkin(questions: Sequence[Question], answers: Mapping[str, int]) -> CheckinScore:
    """Score the answers (question id -> value 1..5; skipped ones absent)."""
    gave = [_unit(answers[q.id]) for q in questions if q.measures == "gave" and q.id in answers]
    received = [
        _unit(answers[q.id]) for q in questions if q.measures == "received" and q.id in answers
    ]
    balance = None
    if received:
        giving = sum(gave) / len(gave) if gave else 0.5
        balance = round((sum(received) / len(received) - giving) * 100)
    areas = tuple(
        AreaScore(q.id, q.area, q.strategy_id, area_score(q, answers[q.id]))
        for q in questions
        if q.id in answers
    )
    return CheckinScore(balance, areas)


def describe_balance(balance: int | None) -> str:
    """The balance in plain words."""
    if balance is None:
        return "not enough answers to tell"
    if balance <= -60:
        return "you gave far more than you received"
    if balance <= -20:
        return "you gave more than you received"
    if balance < 20:
        return "give and take felt about even"
    if balance < 60:
        return "you received more than you gave"
    return "you received far more than you gave"


def keeps_giving_more(balances: Sequence[int | None], threshold: int, streak: int) -> bool:
    """Whether the latest ``streak`` balances (newest last) are all at or below ``threshold``."""
    recent = list(balances)[-streak:]
    return len(recent) == streak and all(b is not None and b <= threshold for b in recent)


def feels_unsafe(questions: Sequence[Question], answers: Mapping[str, int]) -> bool | None:
    """True if a safety question was answered low (1 or 2), None if none was answered."""
    values = [answers[q.id] for q in questions if q.safety and q.id in answers]
    if not values:
        return None
    return any(v <= 2 for v in values)
