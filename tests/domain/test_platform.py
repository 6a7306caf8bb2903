"""Platform capabilities: layouts that fit, data that fits, links where there are any."""

from __future__ import annotations

import pytest

from bot.domain.platform import PLAIN, Capabilities
from bot.domain.replies import Button

SMALL = Capabilities(name="small", max_button_data=16, max_rows=3, max_per_row=3)


def buttons(n: int) -> list[Button]:
    return [Button(str(i), f"b:{i}") for i in range(n)]


def test_rows_keep_the_wanted_width_when_it_fits() -> None:
    assert [len(r) for r in PLAIN.rows(*buttons(5))] == [2, 2, 1]
    assert [len(r) for r in PLAIN.rows(*buttons(9), per_row=4)] == [4, 4, 1]


def test_rows_get_wider_when_there_would_be_too_many_and_never_wider_than_allowed() -> None:
    assert [len(r) for r in SMALL.rows(*buttons(7), per_row=1)] == [3, 3, 1]
    assert [len(r) for r in SMALL.rows(*buttons(4), per_row=5)] == [3, 1]
    assert [len(r) for r in SMALL.rows(*buttons(4), per_row=1, spare_rows=1)] == [2, 2]


def test_a_keyboard_joins_the_shortest_neighbours_until_it_fits() -> None:
    one, two, three, four, five = buttons(5)
    laid = SMALL.keyboard((one,), (two,), (three, four), (five,))
    assert laid == ((one, two), (three, four), (five,))
    assert PLAIN.keyboard((one,), (two,)) == ((one,), (two,))  # fits: as given


def test_a_keyboard_that_cannot_fit_is_refused() -> None:
    with pytest.raises(ValueError, match="small"):
        SMALL.keyboard(*[(b,) for b in buttons(10)])
    with pytest.raises(ValueError):
        SMALL.keyboard((Button("long", "x" * 17),))


def test_button_data_is_measured_in_bytes() -> None:
    assert PLAIN.data_fits("é" * 32) and not PLAIN.data_fits("é" * 33)
    assert not PLAIN.data_fits("")


def test_a_start_link_only_where_the_platform_has_one() -> None:
    assert PLAIN.start_link("safety") is None
    linked = Capabilities("x", 64, 10, 8, private_chat_link="https://t.me/Bot?start={arg}")
    assert linked.start_link("safety") == "https://t.me/Bot?start=safety"
    assert linked.start_link("a b&c") == "https://t.me/Bot?start=a%20b%26c"
