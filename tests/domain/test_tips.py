import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.content import SAFE_TAG, Content
from bot.domain.tips import Leaning, allowed_strategies, choose_tip, leaning


def test_nobody_sees_a_tip_twice_before_seeing_them_all(content: Content) -> None:
    shown: list[str] = []
    rng = random.Random(1)
    total = len(content.tips)
    for _ in range(total):
        shown.append(choose_tip(content, shown, rng=rng).id)
    assert len(set(shown)) == total
    # The second round starts over, and again has no repeats.
    for _ in range(total):
        shown.append(choose_tip(content, shown, rng=rng).id)
    assert Counter(shown) == Counter({tip.id: 2 for tip in content.tips})


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 10_000), already=st.lists(st.integers(0, 55), max_size=80))
def test_the_chosen_tip_is_always_one_of_the_least_seen(
    content: Content, seed: int, already: list[int]
) -> None:
    tips = content.tips
    shown = [tips[i % len(tips)].id for i in already]
    counts = Counter(shown)
    tip = choose_tip(content, shown, rng=random.Random(seed))
    assert counts[tip.id] == min(counts[t.id] for t in tips)


def test_a_topic_limits_the_pool_and_cycles_within_it(content: Content) -> None:
    strategy = content.strategies[2]
    shown: list[str] = []
    for _ in range(len(strategy.tips)):
        tip = choose_tip(content, shown, topic=strategy.id)
        assert tip.strategy_id == strategy.id
        shown.append(tip.id)
    assert sorted(shown) == sorted(t.id for t in strategy.tips)


def test_preferred_strategies_come_first_among_unseen(content: Content) -> None:
    tip = choose_tip(content, [], prefer=["boundaries"], rng=random.Random(3))
    assert tip.strategy_id == "boundaries"


def test_excluded_tags_keep_those_strategies_out(content: Content) -> None:
    excluded = {s.id for s in content.strategies if "distance" in s.tags}
    assert excluded
    shown: list[str] = []
    for _ in range(40):
        tip = choose_tip(content, shown, exclude_tags=["distance"])
        assert tip.strategy_id not in excluded
        shown.append(tip.id)


# --- while a safety answer stands ------------------------------------------------------

SAFE = {"own-life", "care"}


def _safe_leaning(content: Content, **more: Any) -> Leaning:
    return leaning(
        content,
        weakest_strategy=more.pop("weakest_strategy", "mystery"),
        reassess=more.pop("reassess", False),
        safety_flag=True,
        **more,
    )


def test_a_safety_answer_keeps_tips_to_self_care_and_own_life(content: Content) -> None:
    lean = _safe_leaning(content, partner_carrying=True)
    assert lean.only == [SAFE_TAG]
    assert {s.id for s in allowed_strategies(content, safety_flag=True)} == SAFE
    pool = sum(len(s.tips) for s in content.strategies if s.id in SAFE)
    shown: list[str] = []
    rng = random.Random(5)
    for _ in range(2 * pool):  # two full rounds, each tip once per round
        tip = choose_tip(content, shown, prefer=lean.prefer, only_tags=lean.only, rng=rng)
        assert tip.strategy_id in SAFE
        shown.append(tip.id)
    assert set(Counter(shown).values()) == {2} and len(set(shown)) == pool


def test_a_topic_outside_the_allowed_ones_gives_an_allowed_tip(content: Content) -> None:
    for topic in ("mystery", "presence", "boundaries", "appreciation"):
        tip = choose_tip(content, [], topic=topic, only_tags=[SAFE_TAG], rng=random.Random(1))
        assert tip.strategy_id in SAFE
    tip = choose_tip(content, [], topic="care", only_tags=[SAFE_TAG])
    assert tip.strategy_id == "care"


def test_there_is_no_fallback_to_other_strategies(content: Content) -> None:
    every_safe_tip = [t.id for s in content.strategies if s.id in SAFE for t in s.tips]
    others = [t.id for s in content.strategies if s.id not in SAFE for t in s.tips]
    # Every allowed tip seen three times, none of the others: still an allowed one.
    tip = choose_tip(content, every_safe_tip * 3, topic="mystery", only_tags=[SAFE_TAG])
    assert tip.strategy_id in SAFE and others
    with pytest.raises(ValueError, match="no strategy carries"):
        choose_tip(content, [], only_tags=["no-such-tag"])


def test_without_a_safety_answer_nothing_is_kept_out(content: Content) -> None:
    lean = leaning(content, weakest_strategy=None, reassess=False, safety_flag=False)
    assert lean == Leaning([], [], [])
    assert allowed_strategies(content, safety_flag=False) == content.strategies
    assert choose_tip(content, [], topic="mystery").strategy_id == "mystery"


def test_a_partner_carrying_more_leans_toward_appreciation(content: Content) -> None:
    lean = leaning(
        content, weakest_strategy=None, reassess=False, safety_flag=False, partner_carrying=True
    )
    assert lean.prefer == ["appreciation"] and lean.only == []
    for seed in range(20):
        tip = choose_tip(content, [], prefer=lean.prefer, rng=random.Random(seed))
        assert tip.strategy_id == "appreciation"


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    already=st.lists(st.integers(0, 200), max_size=150),
    topic=st.one_of(st.none(), st.integers(0, 20)),
    weakest=st.one_of(st.none(), st.integers(0, 20)),
    reassess=st.booleans(),
    partner_carrying=st.booleans(),
)
def test_with_a_safety_answer_the_tip_is_always_from_an_allowed_strategy(
    content: Content,
    seed: int,
    already: list[int],
    topic: int | None,
    weakest: int | None,
    reassess: bool,
    partner_carrying: bool,
) -> None:
    tips, strategies = content.tips, content.strategies
    shown = [tips[i % len(tips)].id for i in already]
    topic_id = None if topic is None else strategies[topic % len(strategies)].id
    lean = leaning(
        content,
        weakest_strategy=None if weakest is None else strategies[weakest % len(strategies)].id,
        reassess=reassess,
        safety_flag=True,
        partner_carrying=partner_carrying,
    )
    tip = choose_tip(
        content,
        shown,
        topic=topic_id,
        prefer=lean.prefer,
        exclude_tags=lean.exclude,
        only_tags=lean.only,
        rng=random.Random(seed),
    )
    strategy = content.strategy(tip.strategy_id)
    assert strategy is not None and SAFE_TAG in strategy.tags
    # ... and still one of the least seen of the allowed pool.
    counts = Counter(shown)
    pool = [t for s in strategies if SAFE_TAG in s.tags for t in s.tips]
    on_topic = [t for t in pool if t.strategy_id == topic_id]
    assert counts[tip.id] == min(counts[t.id] for t in (on_topic or pool))


# --- from how many times each tip was shown (what the store keeps) ----------------------


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    already=st.lists(st.integers(0, 200), max_size=150),
    topic=st.one_of(st.none(), st.integers(0, 20)),
    prefer=st.lists(st.integers(0, 20), max_size=3),
    exclude=st.booleans(),
    safe=st.booleans(),
)
def test_counts_per_tip_choose_exactly_as_every_show_does(
    content: Content,
    seed: int,
    already: list[int],
    topic: int | None,
    prefer: list[int],
    exclude: bool,
    safe: bool,
) -> None:
    """The same tip, with the same random choices, from the list of every show and
    from how many times each tip was shown."""
    tips, strategies = content.tips, content.strategies
    shown = [tips[i % len(tips)].id for i in already] + ["a-retired-tip"]
    kwargs: dict[str, Any] = {
        "topic": None if topic is None else strategies[topic % len(strategies)].id,
        "prefer": [strategies[i % len(strategies)].id for i in prefer],
        "exclude_tags": ["distance"] if exclude else [],
        "only_tags": [SAFE_TAG] if safe else [],
    }
    every = choose_tip(content, shown, rng=random.Random(seed), **kwargs)
    counted = choose_tip(content, dict(Counter(shown)), rng=random.Random(seed), **kwargs)
    assert counted == every


def test_counts_keep_every_round_free_of_repeats(content: Content) -> None:
    """Rounds after rounds from counts alone (a year of tips is a few numbers): each tip
    once per round, whatever the counts grew to."""
    counts: Counter[str] = Counter({tip.id: 10_000 for tip in content.tips})
    rng = random.Random(2)
    for _ in range(3):
        round_: list[str] = []
        for _ in range(len(content.tips)):
            tip = choose_tip(content, counts, rng=rng)
            counts[tip.id] += 1
            round_.append(tip.id)
        assert sorted(round_) == sorted(tip.id for tip in content.tips)
