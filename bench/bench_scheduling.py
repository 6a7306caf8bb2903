"""Scheduling at scale: one million opted-in users, one tick, and no job per user.

1. A SQLite store with 1,000,000 opted-in users (daily tip times spread over the
   next 24 h, starting 10 minutes from now, so nobody is due during the run).
2. ``python -m bot run`` as a subprocess against the fake Bot API server: seconds
   from process start to its first getUpdates ("ready"), and its resident memory
   (VmRSS) when ready and after a few one-second ticks.
3. In process: one ``NudgeScheduler.tick(now)`` on that store with a no-op sender
   and no rate limit, with nobody due (median of 20) and with 1,000 users due
   (the per-due-user cost).
4. Memory of scheduling, the one-job-per-user way against ours: a fresh
   subprocess adds 100,000 ``job_queue.run_daily`` jobs to a PTB Application
   (RSS delta; --tracemalloc adds the traced Python memory); our bot's RSS on a
   100,000-user store minus on an empty store (each the median of 3 runs).

Targets: RSS < 100 MB, ready < 2 s, idle tick < 10 ms, and at least 100x less
memory for scheduling than one job per user.

    .venv/bin/python bench/bench_scheduling.py [--quick] [--users N] [--jobs N] [--due N]
        [--keep] [--strict] [--tracemalloc]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

import _common as common
from _common import TOKEN, line, median, percentile

from bot.adapters.telegram.platform import telegram_platform
from bot.app import build_services, scheduler_options
from bot.config import load_settings
from bot.domain.replies import Reply
from bot.features.outgoing import Outgoing
from fake_bot_api import FakeTelegramServer
from scheduler.delivery import RateLimiter
from scheduler.nudges import NudgeScheduler, TickReport

RSS_TARGET_MB = 100.0
READY_TARGET_S = 2.0
IDLE_TICK_TARGET_MS = 10.0
MEMORY_RATIO_TARGET = 100.0


class NoopSender:
    """A sender that delivers nothing and never fails."""

    sent = 0

    async def send(self, chat_id: int, reply: Reply) -> None:
        self.sent += 1


class NoLimit(RateLimiter):
    """The rate limiter with no limit: the tick's own work is what is measured."""

    def __init__(self) -> None:
        super().__init__(1)

    async def acquire(self) -> int:
        return 0

    def release(self, generation: int) -> None:
        return None


# --- 2. the bot process ------------------------------------------------------------------


@dataclass
class BotFigures:
    ready_s: float
    rss_ready_mb: float
    rss_ticks_mb: float
    hwm_mb: float
    nudges: int


def measure_bot(
    server: FakeTelegramServer, db_url: str, log: Path, ticks: float = 3.0
) -> BotFigures:
    bot = common.bench_bot(server, db_url, log)
    since = len(common.nudge_calls(server))
    try:
        ready = bot.start()
        time.sleep(0.3)  # let the ready process settle (its first tick is at most 1 s away)
        rss_ready = bot.rss_mb()
        time.sleep(ticks + 0.5)
        if not bot.alive():
            raise RuntimeError(f"the bot died:\n{log.read_text(errors='replace')[-2000:]}")
        return BotFigures(
            ready, rss_ready, bot.rss_mb(), bot.hwm_mb(), len(common.nudge_calls(server)) - since
        )
    finally:
        bot.stop()


# --- 3. the tick in process --------------------------------------------------------------


async def time_tick(scheduler: NudgeScheduler, now: datetime) -> tuple[float, TickReport]:
    started = time.perf_counter()
    report = await scheduler.tick(now)
    return time.perf_counter() - started, report


def make_due(db_path: Path, first_row: int, count: int, at: datetime) -> None:
    """Rows ``first_row .. first_row + count - 1`` of the users table become due at ``at``."""
    import sqlite3

    stamp = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(db_path, timeout=30) as connection:
        connection.execute(
            "UPDATE users SET next_nudge_at = ?, nudge_time = ? WHERE id >= ? AND id < ?",
            (stamp, at.astimezone(UTC).strftime("%H:%M"), first_row, first_row + count),
        )


async def measure_ticks(
    db_path: Path, idle_runs: int, due: int, due_runs: int
) -> tuple[list[float], list[float], list[TickReport]]:
    settings = load_settings(database_url=common.sqlite_url(db_path), telegram_bot_token=TOKEN)
    services = build_services(settings)
    sender = NoopSender()
    scheduler = NudgeScheduler(
        services,
        sender,
        NoLimit(),
        messages=Outgoing(services, telegram_platform),
        **scheduler_options(settings),  # as bot.app builds it
    )
    for _ in range(3):  # warm up: connections, statement caches, thread pool
        await scheduler.tick(services.now())
    idle: list[float] = []
    for _ in range(idle_runs):
        seconds, report = await time_tick(scheduler, services.now())
        assert report.planned == report.sent == 0, report
        idle.append(seconds)
    busy: list[float] = []
    reports: list[TickReport] = []
    for run in range(due_runs):
        now = services.now()
        make_due(db_path, 1 + run * due, due, now - timedelta(seconds=30))
        seconds, report = await time_tick(scheduler, now)
        busy.append(seconds)
        reports.append(report)
    services.session_factory.kw["bind"].dispose()
    return idle, busy, reports


# --- 4. one job per user, in a fresh subprocess --------------------------------------------


async def _nudge_job(context: Any) -> None:
    """What a per-user daily job would run."""


async def child_ptb_jobs(count: int, trace: bool) -> dict[str, float]:
    from telegram.ext import Application

    from tests.fakes.recording import RecordingRequest

    request = RecordingRequest()
    application = (
        Application.builder().token(TOKEN).request(request).get_updates_request(request).build()
    )
    job_queue = application.job_queue
    assert job_queue is not None
    async with application:
        await application.start()  # starts the JobQueue's APScheduler
        await asyncio.sleep(0.2)
        gc.collect()
        if trace:
            tracemalloc.start()
        rss_before = common.proc_status_mb(_self_pid())
        traced_before = tracemalloc.get_traced_memory()[0] if trace else 0
        started = time.perf_counter()
        for i in range(count):
            minute = (i * 1440) // count
            job_queue.run_daily(
                _nudge_job,
                time=dtime(minute // 60, minute % 60, tzinfo=UTC),
                name=f"nudge-{i}",
                chat_id=1_000_000 + i,
                user_id=1_000_000 + i,
            )
        add_seconds = time.perf_counter() - started
        await asyncio.sleep(1.0)  # the scheduler's wake-ups after each add run here
        gc.collect()
        rss_after = common.proc_status_mb(_self_pid())
        traced_after = tracemalloc.get_traced_memory()[0] if trace else 0
        jobs = len(job_queue.jobs())
        await application.stop()
    return {
        "jobs": jobs,
        "add_seconds": add_seconds,
        "rss_before_mb": rss_before,
        "rss_after_mb": rss_after,
        "traced_mb": (traced_after - traced_before) / 2**20,
    }


def _self_pid() -> int:
    import os

    return os.getpid()


def run_child(count: int, trace: bool) -> dict[str, float]:
    command = [sys.executable, __file__, "--child-ptb-jobs", str(count)]
    if trace:
        command.append("--trace")
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=200)
    return json.loads(output.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- main ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k users, 20k jobs, fewer runs")
    parser.add_argument("--users", type=int, help="users in the big store (default 1,000,000)")
    parser.add_argument("--jobs", type=int, help="per-user jobs and users (default 100,000)")
    parser.add_argument("--due", type=int, default=1000, help="users due in the busy tick")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace the jobs' Python memory (slow)"
    )
    parser.add_argument("--child-ptb-jobs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_ptb_jobs is not None:
        print(json.dumps(asyncio.run(child_ptb_jobs(args.child_ptb_jobs, args.trace))))
        return 0

    users = args.users or (100_000 if args.quick else 1_000_000)
    jobs = args.jobs or (20_000 if args.quick else 100_000)
    idle_runs, due_runs, repeats = (10, 2, 1) if args.quick else (20, 3, 3)
    tmp = Path(tempfile.mkdtemp(prefix="bench-scheduling-"))
    line(f"machine: {common.machine()}; temp dir {tmp}")
    server = FakeTelegramServer(token=TOKEN).start()
    try:
        # 1. the big store
        big = tmp / "big.sqlite3"
        engine = common.new_store(big)
        start = datetime.now(UTC) + timedelta(minutes=10)
        seconds = common.insert_users(engine, users, common.spread_over_day(users, start))
        engine.dispose()
        size_mb = sum(p.stat().st_size for p in tmp.glob("big.sqlite3*")) / 2**20
        line(f"store: {users:,} opted-in users inserted in {seconds:.1f}s ({size_mb:.0f} MB)")

        # 2. the bot on it
        fig = measure_bot(server, common.sqlite_url(big), tmp / "bot-big.log")
        line(
            f"bot on {users:,} users: ready {fig.ready_s:.2f}s, RSS {fig.rss_ready_mb:.1f} MB "
            f"when ready, {fig.rss_ticks_mb:.1f} MB after 3 ticks (peak {fig.hwm_mb:.1f} MB), "
            f"{fig.nudges} nudges sent"
        )

        # 3. the tick in process
        idle, busy, reports = asyncio.run(measure_ticks(big, idle_runs, args.due, due_runs))
        idle_ms = median(idle) * 1000
        line(
            f"tick, nobody due: median {idle_ms:.2f} ms, p90 {percentile(idle, 0.9) * 1000:.2f} "
            f"ms, min {min(idle) * 1000:.2f} ms ({len(idle)} ticks)"
        )
        per_user: list[float] = []
        for seconds, report in zip(busy, reports, strict=True):
            cost = (seconds * 1000 - idle_ms) / args.due
            per_user.append(cost)
            line(
                f"tick, {args.due} due: {seconds * 1000:.0f} ms (planned {report.planned}, "
                f"sent {report.sent}) = {cost:.2f} ms per due user"
            )
        per_user_ms = median(per_user)

        # 4. memory of scheduling
        ptb = run_child(jobs, trace=False)
        ptb_delta = ptb["rss_after_mb"] - ptb["rss_before_mb"]
        line(
            f"PTB one job per user: {int(ptb['jobs']):,} run_daily jobs added in "
            f"{ptb['add_seconds']:.1f}s; RSS {ptb['rss_before_mb']:.1f} -> "
            f"{ptb['rss_after_mb']:.1f} MB (+{ptb_delta:.1f} MB, "
            f"{ptb_delta * 2**20 / jobs:.0f} bytes per job)"
        )
        if args.tracemalloc:
            traced = run_child(jobs, trace=True)
            line(f"  tracemalloc: +{traced['traced_mb']:.1f} MB of Python objects for the jobs")
        mid = tmp / "mid.sqlite3"
        engine = common.new_store(mid)
        common.insert_users(engine, jobs, common.spread_over_day(jobs, start))
        engine.dispose()
        empty = tmp / "empty.sqlite3"
        common.new_store(empty).dispose()
        ours_mid: list[float] = []
        ours_empty: list[float] = []
        for run in range(repeats):
            for path, results in ((empty, ours_empty), (mid, ours_mid)):
                log = tmp / f"bot-{path.stem}-{run}.log"
                results.append(measure_bot(server, common.sqlite_url(path), log).rss_ticks_mb)
        ours_delta = median(ours_mid) - median(ours_empty)
        spread = max(max(ours_empty) - min(ours_empty), max(ours_mid) - min(ours_mid))
        noise = max(spread, 0.5)
        ratio = ptb_delta / max(ours_delta, noise)
        line(
            f"our bot after 3 ticks: {median(ours_mid):.1f} MB with {jobs:,} users, "
            f"{median(ours_empty):.1f} MB with none (runs: {_mbs(ours_mid)} / "
            f"{_mbs(ours_empty)}): scheduling costs {ours_delta:+.1f} MB "
            f"(noise {noise:.1f} MB)"
        )
        ratio_text = f">={ratio:.0f}" if ours_delta < noise else f"{ratio:.0f}"
        line(
            f"memory ratio, one job per user / ours: {ratio_text}x "
            f"(ours taken as max(delta, noise) = {max(ours_delta, noise):.1f} MB)"
        )

        rss = max(fig.rss_ready_mb, fig.rss_ticks_mb)
        checks = {
            f"RSS < {RSS_TARGET_MB:.0f} MB": rss < RSS_TARGET_MB,
            f"ready < {READY_TARGET_S:.0f} s": fig.ready_s < READY_TARGET_S,
            f"idle tick < {IDLE_TICK_TARGET_MS:.0f} ms": idle_ms < IDLE_TICK_TARGET_MS,
            f"memory ratio >= {MEMORY_RATIO_TARGET:.0f}x": ratio >= MEMORY_RATIO_TARGET,
            "every due user sent in the busy tick": all(r.sent == args.due for r in reports),
        }
        ok = common.report(checks)
        line(
            f"SUMMARY scheduling: users={users} rss={rss:.0f}MB ready={fig.ready_s:.2f}s "
            f"tick_idle={idle_ms:.1f}ms tick_per_due={per_user_ms:.2f}ms "
            f"ptb_jobs={jobs} ptb_jobs_mem={ptb_delta:.1f}MB ours_mem={ours_delta:+.1f}MB "
            f"ratio={ratio_text}x {'PASS' if ok else 'FAIL'}"
        )
        return 1 if args.strict and not ok else 0
    finally:
        server.stop()
        if args.keep:
            line(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _mbs(values: list[float]) -> str:
    return ",".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    raise SystemExit(main())
