"""The mirror of a shared week: how two partners' views of the same areas compare.

Each partner answers their own check-in. For every area both answered (not skipped,
not "doesn't apply", never the safety question) the mirror says, from the reader's
side, whether their views meet or differ; it never holds the answers themselves.

- **Balance areas** ask who gave more. Each answer leans one way: 1-2 "I gave more",
  3 "about even", 4-5 "my partner gave more". The partner's answer is turned to the
  reader's side (their "I gave more" is "my partner gave more" for the reader). The
  views *meet* when they lean the same way (how far aside: "a bit" and "far" meet);
  otherwise they *differ*.
- **Health areas** ask how an area felt, each for themselves, 1 (worst) to 5 (best).
  Both at 4 or more: both well; both at 2 or less: both found it hard; two or more
  apart: they differ (the one higher felt it more); otherwise similar.

The relation seen by the partner is the reader's turned round (:func:`turned`):
``compare(b, a)`` is ``compare(a, b)`` with every relation turned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.checkin import answered
from bot.domain.content import Question


class Relation(StrEnum):
    """How the reader's view of one area compares with their partner's."""

    # balance areas, views that meet
    BOTH_EVEN = "both-even"  # both feel it is about even
    BOTH_SEE_YOU = "both-you"  # both feel the reader gave more
    BOTH_SEE_PARTNER = "both-partner"  # both feel the partner gave more
    # balance areas, views that differ
    EACH_GIVES = "each-gives"  # each feels they are the one who gave more
    EACH_RECEIVES = "each-receives"  # each feels the other gave more
    EVEN_THEY_SEE_YOU = "even-you"  # the reader: even; the partner: the reader gave more
    EVEN_THEY_GIVE = "even-partner"  # the reader: even; the partner: they gave more
    YOU_GIVE_THEY_EVEN = "you-even"  # the reader: they gave more; the partner: even
    THEY_GIVE_THEY_EVEN = "partner-even"  # the reader: the partner gave more; partner: even
    # health areas
    BOTH_WELL = "both-well"
    BOTH_LOW = "both-low"
    SIMILAR = "similar"
    YOU_MORE = "you-more"  # the reader felt it clearly more than the partner did
    PARTNER_MORE = "partner-more"  # the partner felt it clearly more

    @property
    def differ(self) -> bool:
        return self not in MEET


MEET = frozenset(
    {
        Relation.BOTH_EVEN,
        Relation.BOTH_SEE_YOU,
        Relation.BOTH_SEE_PARTNER,
        Relation.BOTH_WELL,
        Relation.BOTH_LOW,
        Relation.SIMILAR,
    }
)
_TURNED = {
    Relation.BOTH_SEE_YOU: Relation.BOTH_SEE_PARTNER,
    Relation.BOTH_SEE_PARTNER: Relation.BOTH_SEE_YOU,
    Relation.EVEN_THEY_SEE_YOU: Relation.THEY_GIVE_THEY_EVEN,
    Relation.THEY_GIVE_THEY_EVEN: Relation.EVEN_THEY_SEE_YOU,
    Relation.EVEN_THEY_GIVE: Relation.YOU_GIVE_THEY_EVEN,
    Relation.YOU_GIVE_THEY_EVEN: Relation.EVEN_THEY_GIVE,
    Relation.YOU_MORE: Relation.PARTNER_MORE,
    Relation.PARTNER_MORE: Relation.YOU_MORE,
}
# (reader's leaning, partner's leaning turned to the reader's side) -> relation;
# leaning -1: the reader gave more, 0: about even, +1: the partner gave more.
_BALANCE = {
    (0, 0): Relation.BOTH_EVEN,
    (-1, -1): Relation.BOTH_SEE_YOU,
    (1, 1): Relation.BOTH_SEE_PARTNER,
    (-1, 1): Relation.EACH_GIVES,
    (1, -1): Relation.EACH_RECEIVES,
    (0, -1): Relation.EVEN_THEY_SEE_YOU,
    (0, 1): Relation.EVEN_THEY_GIVE,
    (-1, 0): Relation.YOU_GIVE_THEY_EVEN,
    (1, 0): Relation.THEY_GIVE_THEY_EVEN,
}


def turned(relation: Relation) -> Relation:
    """The same comparison seen from the other partner's side."""
    return _TURNED.get(relation, relation)


@dataclass(frozen=True, slots=True)
class AreaView:
    question_id: str
    relation: Relation


def leaning(value: int) -> int:
    """-1 "I gave more", 0 "about even", +1 "my partner gave more" (values 1..5)."""
    return (value > 3) - (value < 3)


def relate(question: Question, mine: int, theirs: int) -> Relation:
    """How two answers (1..5) to one question compare, from the side of ``mine``."""
    if not (1 <= mine <= 5 and 1 <= theirs <= 5):
        raise ValueError("answers run from 1 to 5")
    if question.kind == "balance":
        return _BALANCE[(leaning(mine), -leaning(theirs))]
    if mine >= 4 and theirs >= 4:
        return Relation.BOTH_WELL
    if mine <= 2 and theirs <= 2:
        return Relation.BOTH_LOW
    if mine - theirs >= 2:
        return Relation.YOU_MORE
    if theirs - mine >= 2:
        return Relation.PARTNER_MORE
    return Relation.SIMILAR


def compare(
    questions: Sequence[Question],
    mine: Mapping[str, int | None],
    theirs: Mapping[str, int | None],
) -> tuple[AreaView, ...]:
    """Each area both answered, in question order, as the reader (``mine``) sees it
    next to their partner. The safety question is never compared."""
    views = []
    for q in questions:
        a, b = mine.get(q.id), theirs.get(q.id)
        if q.safety or not answered(a) or not answered(b) or a is None or b is None:
            continue
        views.append(AreaView(q.id, relate(q, a, b)))
    return tuple(views)


def encode(views: Iterable[AreaView]) -> str:
    """``initiative:each-gives,effort:both-even`` (as stored)."""
    return ",".join(f"{v.question_id}:{v.relation}" for v in views)


def decode(text: str) -> tuple[AreaView, ...]:
    """The stored form back; parts that no longer parse are left out."""
    views = []
    for part in text.split(","):
        question_id, _, relation = part.partition(":")
        if question_id and relation in Relation._value2member_map_:
            views.append(AreaView(question_id, Relation(relation)))
    return tuple(views)
