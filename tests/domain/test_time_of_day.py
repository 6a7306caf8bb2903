"""Times of day as people type them (``parse_time_of_day``): literal cases, then every
valid hour and minute written in each form, held by hypothesis."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.timing import parse_time_of_day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8pm", time(20, 0)),
        ("8 pm", time(20, 0)),
        ("8PM", time(20, 0)),
        ("8", time(8, 0)),
        ("08", time(8, 0)),
        ("0830", time(8, 30)),
        ("830", time(8, 30)),
        ("20h", time(20, 0)),
        ("20h30", time(20, 30)),
        ("20.30", time(20, 30)),
        ("20:30", time(20, 30)),
        ("8:30am", time(8, 30)),
        ("8.30 p.m.", time(20, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:30 am", time(0, 30)),
        ("0", time(0, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        (" 7 A.M. ", time(7, 0)),
        ("830pm", time(20, 30)),
    ],
)
def test_the_forms_people_type_are_read(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "24:00",
        "25",
        "8:60",
        "13pm",
        "0pm",
        "0am",
        "",
        "   ",
        "junk",
        "eight",
        "8:3",
        "-1",
        "2400",
        "12345",
        "8 o'clock",
        "20h pm",
        "8::30",
        "8:30:00",
        "pm",
    ],
)
def test_what_is_not_a_time_of_day_is_refused(text: str) -> None:
    assert parse_time_of_day(text) is None


HOURS = st.integers(0, 23)
MINUTES = st.integers(0, 59)
SUFFIXES = st.sampled_from(["am", "AM", " am", "a.m.", " a.m.", " A.M.", "a. m."])


def _24_hour_forms(hour: int, minute: int) -> list[str]:
    forms = [
        f"{hour}:{minute:02d}",
        f"{hour:02d}:{minute:02d}",
        f"{hour}.{minute:02d}",
        f"{hour}h{minute:02d}",
        f"{hour} h {minute:02d}",
        f"{hour:02d}{minute:02d}",
        f"{hour}{minute:02d}",
    ]
    if minute == 0:
        forms += [f"{hour}", f"{hour:02d}", f"{hour}h", f"{hour:02d}H"]
    return forms


def _12_hour_forms(hour: int, minute: int, suffix: str) -> list[str]:
    twelve = hour % 12 or 12
    suffix = suffix.replace("a", "p").replace("A", "P") if hour >= 12 else suffix
    forms = [f"{twelve}:{minute:02d}{suffix}", f"{twelve}.{minute:02d}{suffix}"]
    if minute == 0:
        forms.append(f"{twelve}{suffix}")
    return forms


@given(HOURS, MINUTES)
def test_every_24_hour_time_in_every_form_reads_back_as_itself(hour: int, minute: int) -> None:
    for form in _24_hour_forms(hour, minute):
        assert parse_time_of_day(form) == time(hour, minute), form


@given(HOURS, MINUTES, SUFFIXES)
def test_every_12_hour_time_in_every_form_reads_back_as_itself(
    hour: int, minute: int, suffix: str
) -> None:
    for form in _12_hour_forms(hour, minute, suffix):
        assert parse_time_of_day(form) == time(hour, minute), form


@given(st.integers(24, 99), MINUTES)
def test_an_hour_past_23_never_reads(hour: int, minute: int) -> None:
    for form in _24_hour_forms(hour, minute):
        assert parse_time_of_day(form) is None, form


@given(HOURS, st.integers(60, 99))
def test_a_minute_past_59_never_reads(hour: int, minute: int) -> None:
    for form in _24_hour_forms(hour, minute) + _12_hour_forms(hour, minute, "am"):
        assert parse_time_of_day(form) is None, form


@given(st.one_of(st.just(0), st.integers(13, 99)), MINUTES, SUFFIXES)
def test_a_12_hour_time_outside_1_to_12_never_reads(hour: int, minute: int, suffix: str) -> None:
    for form in (f"{hour}:{minute:02d}{suffix}", f"{hour}{suffix}"):
        assert parse_time_of_day(form) is None, form


@given(st.text(max_size=12))
def test_anything_typed_is_a_valid_time_or_none(text: str) -> None:
    found = parse_time_of_day(text)
    assert found is None or isinstance(found, time)
