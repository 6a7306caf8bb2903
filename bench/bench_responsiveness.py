"""Responsiveness: /tip reply latency while a 30-per-second broadcast runs.

``python -m bot run`` runs as a subprocess against the fake Bot API server (a
thread of this process), with NUDGE_RATE_PER_SECOND=30 and 3,000 opted-in users
who are not due yet. Users who are not opted in send ``/tip`` every ~200 ms
(taking turns, so that each sends one every few seconds, as a person would).
Latency: from the moment the update is queued on the server (``user_sends``) to
the moment the server receives the bot's sendMessage to that chat (``Call.at``;
both on this process's monotonic clock).

First a baseline with nothing to broadcast; then the 3,000 users are made due
(an UPDATE on the store) and the same /tip traffic continues until every nudge
is out. "During the broadcast" is every /tip queued from that update to the last
nudge: the tick's planning phase (from the update to the first nudge) and the
sending phase (first to last nudge), also reported apart.

Target: p99 < 50 ms during the broadcast.

    .venv/bin/python bench/bench_responsiveness.py [--quick] [--users N] [--baseline S]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import _common as common
from _common import TOKEN, line, median, percentile

from fake_bot_api import Call, FakeTelegramServer

P99_TARGET_MS = 50.0
RATE = 30
FIRST_ID = 1_000_000
TIP_USERS = [9_000_001 + i for i in range(20)]
INTERVAL = 0.2


@dataclass
class Push:
    user_id: int
    at: float
    latency: float | None = None


class TipTraffic:
    """A thread queueing ``/tip`` every ``INTERVAL`` seconds, round robin over the users."""

    def __init__(self, server: FakeTelegramServer) -> None:
        self.server = server
        self.pushes: list[Push] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tip-traffic", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        turn = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            user = TIP_USERS[turn % len(TIP_USERS)]
            turn += 1
            at = time.monotonic()
            self.server.user_sends(user, "/tip")
            self.pushes.append(Push(user, at))
            next_at += INTERVAL
            self._stop.wait(max(0.0, next_at - time.monotonic()))


def match_replies(server: FakeTelegramServer, pushes: list[Push]) -> None:
    """Give each push the latency of the first later sendMessage to its chat."""
    replies: dict[int, list[float]] = defaultdict(list)
    for call in server.delivered("sendMessage"):
        chat = call.chat_id
        if isinstance(chat, int) and chat in TIP_USERS:
            replies[chat].append(call.at)
    by_user: dict[int, list[Push]] = defaultdict(list)
    for push in pushes:
        by_user[push.user_id].append(push)
    for user, own in by_user.items():
        stamps = sorted(replies[user])
        index = 0
        for push in sorted(own, key=lambda p: p.at):
            while index < len(stamps) and stamps[index] < push.at:
                index += 1
            if index < len(stamps):
                push.latency = stamps[index] - push.at
                index += 1


def warm_up(server: FakeTelegramServer) -> None:
    """Each /tip user talks to the bot once (their row is created), unmeasured."""
    for user in TIP_USERS:
        since = server.call_count()
        server.user_sends(user, "/tip")
        server.wait_for(partial(_reply_to, user), 15, since=since)


def _reply_to(user: int, call: Call) -> bool:
    return call.method == "sendMessage" and call.chat_id == user


def figures(samples: list[Push]) -> tuple[float, float, float, int]:
    """(median ms, p99 ms, max ms, unanswered) of the samples."""
    answered = [p.latency * 1000 for p in samples if p.latency is not None]
    missing = sum(1 for p in samples if p.latency is None)
    if not answered:
        return float("nan"), float("nan"), float("nan"), missing
    return median(answered), percentile(answered, 0.99), max(answered), missing


def make_due(db: Path, at: datetime) -> None:
    stamp = at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with sqlite3.connect(db, timeout=30) as connection:
        connection.execute(
            "UPDATE users SET next_nudge_at = ?, nudge_time = ? WHERE platform_user_id >= ? "
            "AND platform_user_id < ?",
            (stamp, f"{at.astimezone(UTC):%H:%M}", FIRST_ID, FIRST_ID + 10_000_000),
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="600 users, 5 s baseline")
    parser.add_argument("--users", type=int, help="users in the broadcast (default 3000)")
    parser.add_argument("--baseline", type=float, help="seconds of baseline (default 15)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args()
    users = args.users or (600 if args.quick else 3000)
    baseline_s = args.baseline or (5.0 if args.quick else 15.0)

    tmp = Path(tempfile.mkdtemp(prefix="bench-responsiveness-"))
    line(f"machine: {common.machine()}; {users} users at {RATE}/s; temp dir {tmp}")
    db = tmp / "store.sqlite3"
    engine = common.new_store(db)
    later = datetime.now(UTC) + timedelta(hours=1)
    common.insert_users(engine, users, lambda _: later, first_id=FIRST_ID)
    engine.dispose()
    try:
        with FakeTelegramServer(token=TOKEN) as server:
            env = {"NUDGE_RATE_PER_SECOND": str(RATE), "ALLOW_PAID_BROADCAST": "false"}
            bot = common.bench_bot(server, common.sqlite_url(db), tmp / "bot.log", env)
            try:
                ready = bot.start()
                warm_up(server)
                traffic = TipTraffic(server)
                traffic.start()
                time.sleep(baseline_s)
                due_at = time.monotonic()
                make_due(db, datetime.now(UTC) - timedelta(seconds=30))
                timeout = users / RATE + 60
                done = common.wait_until(
                    lambda: len(common.nudge_calls(server)) >= users, timeout, poll=0.5
                )
                time.sleep(1.0)
                traffic.stop()
                alive = bot.alive()
            finally:
                bot.stop()
            nudges = sorted(c.at for c in common.nudge_calls(server))
            match_replies(server, traffic.pushes)
        if not nudges:
            raise RuntimeError("no nudge was sent")
        first, last = nudges[0], nudges[-1]
        base = [p for p in traffic.pushes if p.at < due_at]
        planning = [p for p in traffic.pushes if due_at <= p.at < first]
        sending = [p for p in traffic.pushes if first <= p.at <= last]
        during = planning + sending
        b_med, b_p99, b_max, b_missing = figures(base)
        p_med, p_p99, p_max, p_missing = figures(planning)
        s_med, s_p99, s_max, s_missing = figures(sending)
        d_med, d_p99, d_max, d_missing = figures(during)
        achieved = (len(nudges) / (last - first)) if last > first else float("nan")
        line(f"bot ready in {ready:.1f}s")
        line(
            f"baseline (no broadcast): {len(base)} /tip, median {b_med:.1f} ms, "
            f"p99 {b_p99:.1f} ms, max {b_max:.1f} ms, {b_missing} unanswered"
        )
        line(
            f"while the tick plans ({first - due_at:.1f}s from the store update to the first "
            f"nudge, incl. up to 1 s to the next tick): {len(planning)} /tip, median "
            f"{p_med:.1f} ms, p99 {p_p99:.1f} ms, max {p_max:.1f} ms, {p_missing} unanswered"
        )
        line(
            f"while nudges go out ({len(nudges)} nudges in {last - first:.1f}s, "
            f"{achieved:.1f}/s): {len(sending)} /tip, median {s_med:.1f} ms, "
            f"p99 {s_p99:.1f} ms, max {s_max:.1f} ms, {s_missing} unanswered"
        )
        line(
            f"the whole broadcast (both): {len(during)} /tip, median {d_med:.1f} ms, "
            f"p99 {d_p99:.1f} ms, max {d_max:.1f} ms, {d_missing} unanswered"
        )
        checks = {
            f"p99 during the broadcast < {P99_TARGET_MS:.0f} ms": d_p99 < P99_TARGET_MS
            and d_missing == 0,
            "the broadcast finished and the bot stayed up": done and alive,
        }
        ok = common.report(checks)
        line(
            f"SUMMARY responsiveness: users={users} rate={RATE}/s baseline_median={b_med:.1f}ms "
            f"baseline_p99={b_p99:.1f}ms during_median={d_med:.1f}ms during_p99={d_p99:.1f}ms "
            f"during_max={d_max:.0f}ms sending_p99={s_p99:.1f}ms planning_max={p_max:.0f}ms "
            f"samples={len(during)} unanswered={d_missing} "
            f"{'PASS' if ok else 'FAIL'}"
        )
        return 1 if args.strict and not ok else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
