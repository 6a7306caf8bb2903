"""Choosing the next tip for someone."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from bot.domain.content import SAFE_TAG, Content, Strategy, Tip

# Preferred after several check-ins where the user felt their partner gave more.
PARTNER_CARRYING_TAG = "appreciation-tips"


def choose_tip(
    content: Content,
    shown: Mapping[str, int] | Iterable[str],
    *,
    topic: str | None = None,
    prefer: Collection[str] = (),
    exclude_tags: Collection[str] = (),
    only_tags: Collection[str] = (),
    rng: random.Random | None = None,
) -> Tip:
    """Pick a tip this person has seen least often.

    ``shown`` says how many times each tip was shown to them: a mapping of tip id
    to times (what the store keeps), or the ids of every tip shown (repeats
    included), alike. So nobody sees a tip twice until they have seen every tip of
    the pool. The cost depends on the pool and on the number of distinct tips
    shown, never on how many times they were shown.
    ``only_tags``, when given, limits the pool to strategies carrying one of those
    tags, without exception: a ``topic`` outside them gives a tip from them instead.
    ``topic`` limits the pool to one strategy; ``prefer`` names strategies to
    lean toward among the least-seen tips; strategies carrying one of
    ``exclude_tags`` are left out (unless that would leave nothing).
    """
    rng = rng or random.Random()
    if topic is not None and content.strategy(topic) is None:
        raise ValueError(f"unknown topic {topic!r}")
    strategies = list(content.strategies)
    if only_tags:
        strategies = [s for s in strategies if s.tags & set(only_tags)]
        if not strategies:
            raise ValueError(f"no strategy carries one of the tags {sorted(only_tags)}")
    on_topic = [s for s in strategies if s.id == topic]
    if on_topic:
        strategies = on_topic
    elif exclude_tags:
        kept = [s for s in strategies if not (s.tags & set(exclude_tags))]
        strategies = kept or strategies
    pool = [tip for s in strategies for tip in s.tips]
    counts: Mapping[str, int] = shown if isinstance(shown, Mapping) else Counter(shown)
    seen = [counts.get(tip.id, 0) for tip in pool]  # .get: no Counter.__missing__ call
    fewest = min(seen)
    candidates = [tip for tip, times in zip(pool, seen, strict=True) if times == fewest]
    preferred = [tip for tip in candidates if tip.strategy_id in prefer]
    return rng.choice(preferred or candidates)


class Leaning(NamedTuple):
    """How a user's tips lean: the keyword arguments of :func:`choose_tip`."""

    prefer: list[str]  # strategy ids
    exclude: list[str]  # tags, left out unless that leaves nothing
    only: list[str]  # tags: when any, tips come from those strategies alone


def leaning(
    content: Content,
    *,
    weakest_strategy: str | None,
    reassess: bool,
    safety_flag: bool,
    partner_carrying: bool = False,
) -> Leaning:
    """Which strategies to prefer, leave out or keep to, from what the user's
    check-ins revealed.

    Tips lean toward the strategy of the weakest area; after a run of
    giving-heavy check-ins (``reassess``), toward self-respect (own life, honesty,
    boundaries, reciprocity) and away from the "distance" strategies (mystery,
    time apart); after several check-ins where the partner gave more
    (``partner_carrying``), toward appreciation. While a user has said they do
    not feel safe (``safety_flag``), tips come only from the strategies tagged
    "safe" (self-care and support, their own life), whatever else applies.
    """
    prefer: list[str] = [weakest_strategy] if weakest_strategy else []
    exclude: list[str] = []
    if reassess:
        prefer += [s.id for s in content.strategies if "self-respect" in s.tags]
        exclude.append("distance")
    if partner_carrying:
        prefer += [s.id for s in content.strategies if PARTNER_CARRYING_TAG in s.tags]
    return Leaning(prefer, exclude, [SAFE_TAG] if safety_flag else [])


def allowed_strategies(content: Content, *, safety_flag: bool) -> tuple[Strategy, ...]:
    """The strategies this user's tips may come from (all of them, unless a safety
    answer stands)."""
    if not safety_flag:
        return content.strategies
    return tuple(s for s in content.strategies if SAFE_TAG in s.tags)
