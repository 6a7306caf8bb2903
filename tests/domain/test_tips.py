import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.content import Content
from bot.domain.tips import choose_tip


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
