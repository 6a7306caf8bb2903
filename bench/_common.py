"""Shared helpers of the benchmarks: the store, the bot subprocess, the fake server, statistics.

Every benchmark only talks to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import math
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `tests.fakes` is not an installed package
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine  # noqa: E402

from bot.store.db import make_engine, migrate  # noqa: E402
from tests.fakes.telegram_server import Call, FakeTelegramServer  # noqa: E402

TOKEN = "123456:TEST"
DAILY_TIP = "Your daily tip"
PYTHON = sys.executable


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
        "platform_user_id, chat_id, language, timezone, nudge_time, nudges_enabled, "
        "next_nudge_at, created_at, reminder_enabled, reminder_weekday, reminder_time, "
        "safety_flag"
    )
    sql = f"INSERT INTO users ({columns}) VALUES (?, ?, 'en', 'UTC', ?, 1, ?, ?, 0, 6, '18:00', 0)"
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


def bot_env(server: FakeTelegramServer, db_url: str, **extra: str) -> dict[str, str]:
    """The environment of ``python -m bot run`` against ``server`` (no proxies, no .env)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "DEFAULT_", "WEBHOOK_", "NUDGE_"))
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    return {
        **base,
        "NO_PROXY": "127.0.0.1,localhost",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_URL": db_url,
        "TICK_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@dataclass
class BotProcess:
    """``python -m bot run`` started like an operator would, against a fake server."""

    server: FakeTelegramServer
    db_url: str
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    ready_at: float = 0.0

    def start(self, timeout: float = 60.0) -> float:
        """Start it and wait for its first getUpdates; returns the seconds that took."""
        since = self.server.call_count()
        with self.log.open("ab") as log:
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(
                [PYTHON, "-m", "bot", "run"],
                cwd=ROOT,
                env=bot_env(self.server, self.db_url, **self.env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            call = self.server.wait_for(lambda c: c.method == "getUpdates", timeout, since=since)
        except TimeoutError:
            self.stop()
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the bot did not start:\n{tail}") from None
        self.ready_at = call.at
        return call.at - self.started_at

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_mb(self) -> float:
        return proc_status_mb(self.pid, "VmRSS")

    def hwm_mb(self) -> float:
        return proc_status_mb(self.pid, "VmHWM")

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def proc_status_mb(pid: int, key: str = "VmRSS") -> float:
    """A ``/proc/<pid>/status`` memory figure in MiB (kB in the file)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)


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
