"""Shared helpers of the benchmarks: the store, the bot subprocess, the fake server, statistics.

Every benchmark only talks to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.store.db import make_engine, migrate
from fake_bot_api import BotProcess, Call, FakeTelegramServer
from fake_bot_api.process import proc_status_mb as proc_status_mb

TOKEN = "123456:TEST"
DAILY_TIP = "Your daily tip"

# bench_throughput and bench_scheduling's PTB jobs answer PTB in process with the adapter
# tests' RecordingRequest (tests/fakes/recording.py); `tests` is not installed, so the
# repository root goes on sys.path for it, last (everything else comes installed).
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))


# --- the store ---------------------------------------------------------------------------


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def new_store(path: Path) -> Engine:
    """A migrated SQLite store at ``path`` (removed first if it exists)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(sqlite_url(path))
    migrate(engine)
    return engine


def insert_users(
    engine: Engine,
    count: int,
    due_at: Callable[[int], datetime],
    *,
    first_id: int = 1_000_000,
    batch: int = 50_000,
) -> float:
    """Bulk-insert ``count`` opted-in users (zone UTC); user ``i`` is due at ``due_at(i)``.

    Chat id = Telegram user id = ``first_id + i``. One ``executemany`` per batch with
    values already in SQLAlchemy's SQLite format (``YYYY-MM-DD HH:MM:SS.ffffff``, naive
    UTC), as ``UTCDateTime`` stores them. Returns the seconds it took.
    """
    if engine.dialect.name != "sqlite":
        raise ValueError("the benchmarks fill SQLite stores only")
    started = time.perf_counter()
    created = _sqlite_stamp(datetime.now(UTC))
    columns = (
        "platform, platform_user_id, chat_id, language, timezone, nudge_time, nudges_enabled, "
        "next_nudge_at, created_at, reminder_enabled, reminder_weekday, reminder_time, "
        "safety_flag"
    )
    sql = (
        f"INSERT INTO users ({columns}) "
        "VALUES ('telegram', ?, ?, 'en', 'UTC', ?, 1, ?, ?, 0, 6, '18:00', 0)"
    )
    stamps: dict[datetime, tuple[str, str]] = {}
    with engine.begin() as connection:
        for start in range(0, count, batch):
            rows: list[tuple[int, int, str, str, str]] = []
            for i in range(start, min(count, start + batch)):
                due = due_at(i)
                known = stamps.get(due)
                if known is None:
                    known = stamps[due] = (f"{due.astimezone(UTC):%H:%M}", _sqlite_stamp(due))
                rows.append((first_id + i, first_id + i, known[0], known[1], created))
            connection.exec_driver_sql(sql, rows)
    return time.perf_counter() - started


def _sqlite_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def minute_floor(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


def spread_over_day(count: int, start: datetime) -> Callable[[int], datetime]:
    """Due instants on whole minutes, spread evenly over the 24 hours from ``start``."""
    step = timedelta(days=1) / max(count, 1)

    def due(i: int) -> datetime:
        return minute_floor(start + step * i) + timedelta(minutes=1)

    return due


# --- the bot as a subprocess -------------------------------------------------------------


def bench_bot(
    server: FakeTelegramServer, db_url: str, log: Path, env: dict[str, str] | None = None
) -> BotProcess:
    """``python -m bot run`` as the benchmarks run it: ``LOG_LEVEL=WARNING``, ready (and
    timed) at its first getUpdates, ``env`` on top of its environment."""
    return BotProcess(
        server, db_url, log, extra_env=env, ready_method="getUpdates", log_level="WARNING"
    )


def wait_until(predicate: Callable[[], bool], timeout: float, poll: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(poll)
    return predicate()


# --- reading the fake server -------------------------------------------------------------


def nudge_calls(server: FakeTelegramServer, *, ok_only: bool = True) -> list[Call]:
    return [
        c
        for c in server.calls("sendMessage")
        if DAILY_TIP in (c.text or "") and (c.ok or not ok_only)
    ]


def max_in_window(stamps: Sequence[float], window: float = 1.0) -> int:
    """The most stamps in any half-open window ``[t, t + window)``."""
    ordered = sorted(stamps)
    best = start = 0
    for end, stamp in enumerate(ordered):
        while stamp - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


# --- statistics and output ---------------------------------------------------------------


def percentile(values: Iterable[float], q: float) -> float:
    """The ``q`` quantile (0..1), nearest-rank; NaN for no values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered))))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def verdict(ok: bool) -> str:
    return "MET" if ok else "NOT MET"


def line(text: str = "") -> None:
    print(text, flush=True)


def report(checks: dict[str, bool]) -> bool:
    """Print each target with MET / NOT MET; whether all were met."""
    for name, ok in checks.items():
        line(f"  {verdict(ok):8} {name}")
    return all(checks.values())


def machine() -> str:
    cpu = "?"
    for row in Path("/proc/cpuinfo").read_text().splitlines():
        if row.startswith("model name"):
            cpu = row.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} cpu ({cpu}), Python {sys.version.split()[0]}"
