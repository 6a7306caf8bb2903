"""Choosing the next tip for someone."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Iterable

from bot.domain.content import Content, Tip


def choose_tip(
    content: Content,
    shown: Iterable[str],
    *,
    topic: str | None = None,
    prefer: Collection[str] = (),
    exclude_tags: Collection[str] = (),
    rng: random.Random | None = None,
) -> Tip:
    """Pick a tip this person has seen least often.

    ``shown`` lists the ids of every tip shown to them (repeats included), so
    nobody sees a tip twice until they have seen every tip of the pool.
    ``topic`` limits the pool to one strategy; ``prefer`` names strategies to
    lean toward among the least-seen tips; strategies carrying one of
    ``exclude_tags`` are left out (unless that would leave nothing).
    """
    rng = rng or random.Random()
    strategies = [s for s in content.strategies if topic is None or s.id == topic]
    if not strategies:
        raise ValueError(f"unknown topic {topic!r}")
    if topic is None and exclude_tags:
        kept = [s for s in strategies if not (s.tags & set(exclude_tags))]
        strategies = kept or strategies
    pool = [tip for s in strategies for tip in s.tips]
    counts = Counter(shown)
    seen = [counts.get(tip.id, 0) for tip in pool]  # .get: no Counter.__missing__ call
    fewest = min(seen)
    candidates = [tip for tip, times in zip(pool, seen, strict=True) if times == fewest]
    preferred = [tip for tip in candidates if tip.strategy_id in prefer]
    return rng.choice(preferred or candidates)


def leaning(
    content: Content, *, weakest_strategy: str | None, reassess: bool, safety_flag: bool
) -> tuple[list[str], list[str]]:
    """Which strategies to prefer and which tags to leave out, from what the user's
    latest check-in revealed.

    Tips lean toward the strategy of the weakest area; after a run of
    giving-heavy check-ins, toward self-respect (own life, honesty, boundaries,
    reciprocity); and while a user has said they do not feel safe, or is
    reassessing, the "distance" strategies (mystery, time apart) are left out.
    """
    prefer: list[str] = [weakest_strategy] if weakest_strategy else []
    exclude: list[str] = []
    if reassess:
        prefer += [s.id for s in content.strategies if "self-respect" in s.tags]
        exclude.append("distance")
    if safety_flag:
        exclude.append("distance")
    return prefer, exclude
