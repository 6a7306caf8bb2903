from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.timing import (
    format_hhmm,
    local_date,
    local_instant,
    next_daily,
    next_daily_tip,
    next_weekly,
    parse_hhmm,
    within_grace,
    zone,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:30", time(8, 30)),
        ("8:30", time(8, 30)),
        (" 20.15 ", time(20, 15)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("٨:٣٠", time(8, 30)),
    ],
)
def test_parse_hhmm_accepts_24_hour_times(text: str, expected: time) -> None:
    assert parse_hhmm(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8:60", "830", "eight", "", "8:3", "-1:00"])
def test_parse_hhmm_rejects_what_is_not_a_time(text: str) -> None:
    assert parse_hhmm(text) is None


def test_format_hhmm_pads() -> None:
    assert format_hhmm(time(8, 5)) == "08:05"


def test_zone_finds_iana_names_in_any_case_and_rejects_others() -> None:
    assert zone("Europe/Berlin") == BERLIN
    assert zone("europe/berlin") == BERLIN
    assert zone("Mars/Olympus") is None
    assert zone("../../etc/passwd") is None
    assert zone("") is None


def test_next_daily_later_today_when_the_time_is_still_ahead() -> None:
    after = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 07:00 in Berlin
    assert next_daily(time(9, 0), BERLIN, after) == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_next_daily_tomorrow_when_the_time_has_passed() -> None:
    after = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # exactly 09:00 in Berlin
    assert next_daily(time(9, 0), BERLIN, after) == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_next_daily_uses_the_local_date_not_the_utc_date() -> None:
    # 23:30 UTC on the 24th is already 00:30 on the 25th in Berlin.
    after = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert next_daily(time(0, 15), BERLIN, after) == datetime(2026, 11, 25, 23, 15, tzinfo=UTC)


def test_a_time_skipped_by_spring_forward_fires_after_the_jump() -> None:
    # 29 March 2026: Berlin clocks jump from 02:00 to 03:00; 02:30 does not exist.
    fire = local_instant(date(2026, 3, 29), time(2, 30), BERLIN)
    assert fire == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert fire.astimezone(BERLIN).strftime("%H:%M") == "03:30"


def test_a_time_repeated_by_fall_back_fires_once_at_its_first_occurrence() -> None:
    # 25 October 2026: Berlin clocks go back from 03:00 to 02:00; 02:30 happens twice.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    before = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert next_daily(time(2, 30), BERLIN, before) == first
    # After firing, the next one is the following day, not the second 02:30.
    assert next_daily(time(2, 30), BERLIN, first) == datetime(2026, 10, 26, 1, 30, tzinfo=UTC)


def test_daily_time_keeps_its_local_hour_across_a_dst_change() -> None:
    # 8 March 2026: New York springs forward; that day is 23 hours long.
    before = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    instants = []
    for _ in range(3):
        before = next_daily(time(8, 0), NEW_YORK, before)
        instants.append(before)
    assert [i.astimezone(NEW_YORK).strftime("%d %H:%M") for i in instants] == [
        "07 08:00",
        "08 08:00",
        "09 08:00",
    ]
    assert instants[1] - instants[0] == timedelta(hours=23)


def test_next_weekly_finds_the_coming_weekday() -> None:
    after = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # a Tuesday
    sunday = next_weekly(6, time(18, 0), BERLIN, after)
    assert sunday == datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    assert next_weekly(1, time(9, 0), BERLIN, after) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def test_local_date_and_grace() -> None:
    instant = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert local_date(instant, BERLIN) == date(2026, 11, 25)
    due = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    assert within_grace(due, due + timedelta(hours=3), timedelta(hours=3))
    assert not within_grace(due, due + timedelta(hours=3, seconds=1), timedelta(hours=3))


def test_the_next_daily_tip_is_today_when_today_has_none_yet() -> None:
    after = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
    today = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)  # 20:00 in Berlin
    assert next_daily_tip(time(20, 0), BERLIN, after) == today
    assert next_daily_tip(time(20, 0), BERLIN, after, {date(2026, 11, 23)}) == today


def test_after_todays_tip_a_later_time_today_means_tomorrow() -> None:
    # Today's tip went out at 09:00; at 10:00 the user moves the time to 20:00.
    after = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    taken = {date(2026, 11, 24)}
    assert next_daily_tip(time(20, 0), BERLIN, after, taken) == datetime(
        2026, 11, 25, 19, 0, tzinfo=UTC
    )
    # An earlier time has passed anyway: tomorrow, whatever today holds.
    assert next_daily_tip(time(8, 0), BERLIN, after, taken) == datetime(
        2026, 11, 25, 7, 0, tzinfo=UTC
    )


def test_the_taken_day_is_the_local_day_not_the_utc_day() -> None:
    # 23:30 UTC on the 24th is 00:30 on the 25th in Berlin; 23:45 local is still the 25th.
    after = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    assert next_daily_tip(time(23, 45), BERLIN, after, {date(2026, 11, 24)}) == datetime(
        2026, 11, 25, 22, 45, tzinfo=UTC
    )
    assert next_daily_tip(time(23, 45), BERLIN, after, {date(2026, 11, 25)}) == datetime(
        2026, 11, 26, 22, 45, tzinfo=UTC
    )


def test_the_next_daily_tip_skips_a_taken_day_across_spring_forward() -> None:
    # 29 March 2026 in Berlin: 02:30 does not exist, that day's slot is 03:30 local.
    after = datetime(2026, 3, 28, 23, 0, tzinfo=UTC)  # 00:00 on the 29th in Berlin
    assert next_daily_tip(time(2, 30), BERLIN, after) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert next_daily_tip(time(2, 30), BERLIN, after, {date(2026, 3, 29)}) == datetime(
        2026, 3, 30, 0, 30, tzinfo=UTC
    )
