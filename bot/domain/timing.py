"""Nudge timing: local wall-clock times in IANA zones turned into UTC instants.

Daylight-saving rules: a local time that does not exist on a given day (the
clocks jump over it) fires at the same distance after the jump, i.e. later;
a local time that occurs twice (the clocks go back) fires once, at its first
occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_HHMM = re.compile(r"^\s*(\d{1,2})\s*[:.h]\s*(\d{2})\s*$")


def parse_hhmm(text: str) -> time | None:
    """Parse a 24-hour time like ``8:30``, ``08:30`` or ``20.15``; ``None`` if invalid."""
    match = _HHMM.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


# How people write a time of day: 8, 08, 8:30, 20.30, 20h, 20h30, 830, 0830, each
# 24-hour; or 1 to 12 with am/pm: 8pm, 8 PM, 8:30am, 8.30 p.m., 830pm.
_TIME_OF_DAY = re.compile(
    r"""^\s*(?:
        (?P<hour>\d{1,2})
        (?:\s*[:.]\s*(?P<minute>\d{2}) | \s*h\s*(?P<h_minute>\d{2})? (?P<h>) )?
      | (?P<compact>\d{3,4})
    )
    \s*(?:(?P<half>[ap])\s*\.?\s*m\s*\.?)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_time_of_day(text: str) -> time | None:
    """A time of day as people type it, ``None`` if it is none: 24-hour ``8``, ``08``,
    ``8:30``, ``20.30``, ``20h``, ``20h30``, ``830``, ``0830``; or 12-hour with am/pm,
    ``8pm``, ``8 PM``, ``8:30am``, ``8.30 p.m.`` (``12am`` is 00:00, ``12pm`` noon).
    Refused: hours past 23 (``24:00``, ``25``), minutes past 59, ``13pm``, ``0pm``."""
    match = _TIME_OF_DAY.match(text)
    if not match:
        return None
    if match["compact"]:
        digits = match["compact"]
        hour, minute = int(digits[:-2]), int(digits[-2:])
    else:
        hour = int(match["hour"])
        minute = int(match["minute"] or match["h_minute"] or 0)
    if minute > 59:
        return None
    half = (match["half"] or "").lower()
    if half:
        if match["h"] is not None or not 1 <= hour <= 12:  # "20h pm", "13pm", "0am"
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23:
        return None
    return time(hour, minute)


def format_hhmm(value: time) -> str:
    """``time(8, 5)`` -> ``"08:05"``."""
    return f"{value.hour:02d}:{value.minute:02d}"


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone of that name, or ``None`` if there is none."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", cleaned):
        return None
    try:
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return _case_insensitive_zone(cleaned)


def _case_insensitive_zone(name: str) -> ZoneInfo | None:
    wanted = name.lower()
    for candidate in available_timezones():
        if candidate.lower() == wanted:
            return ZoneInfo(candidate)
    return None


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz`` (DST rules above)."""
    # fold=0 picks the first of two occurrences, and for a skipped time uses the
    # offset in force before the jump, which lands after the jump: both wanted.
    return datetime.combine(day, at, tzinfo=tz).replace(fold=0).astimezone(UTC)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The calendar date in ``tz`` at ``instant``."""
    return instant.astimezone(tz).date()


def next_daily(at: time, tz: ZoneInfo, after: datetime) -> datetime:
    """The first instant strictly after ``after`` whose local time is ``at``."""
    day = local_date(after, tz) - timedelta(days=1)
    for offset in range(4):
        candidate = local_instant(day + timedelta(days=offset), at, tz)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a daily time recurs within three days")


def next_daily_tip(
    at: time, tz: ZoneInfo, after: datetime, taken: Collection[date] = ()
) -> datetime:
    """When the next daily tip really goes out: the first instant after ``after`` at
    local ``at`` on a local day whose tip does not exist yet (``taken``: the local days
    that already have theirs; one tip per local day). Changing the time to later
    today after today's tip went out therefore means tomorrow."""
    candidate = next_daily(at, tz, after)
    while local_date(candidate, tz) in taken:
        candidate = next_daily(at, tz, candidate)
    return candidate


def next_weekly(weekday: int, at: time, tz: ZoneInfo, after: datetime) -> datetime:
    """The first instant after ``after`` on ``weekday`` (Monday=0) at local ``at``."""
    start = local_date(after, tz) - timedelta(days=1)
    for offset in range(9):
        day = start + timedelta(days=offset)
        if day.weekday() != weekday:
            continue
        candidate = local_instant(day, at, tz)
        if candidate > after:
            return candidate
    raise AssertionError("unreachable: a weekday recurs within nine days")


def within_grace(due: datetime, now: datetime, grace: timedelta) -> bool:
    """Whether a slot due at ``due`` may still be delivered at ``now``."""
    return now - due <= grace


def week_of(instant: datetime, tz: ZoneInfo) -> date:
    """The Monday of the week ``instant`` falls in, in ``tz`` (a week runs Monday to
    Sunday, in each person's own zone)."""
    day = local_date(instant, tz)
    return day - timedelta(days=day.weekday())
