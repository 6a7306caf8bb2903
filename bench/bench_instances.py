"""Two instances, one budget: two webhook bots on one PostgreSQL against one fake Bot API.

``python -m bot run --webhook`` runs twice as subprocesses, both on one throwaway
PostgreSQL (``tests/pg.py``), both sending through the one fake Bot API server (a
thread of this process), with ``NUDGE_RATE_PER_SECOND`` set to the rate under test on
each. The store holds ``rate × seconds`` opted-in users due 30 s ago. The instances
split the rate through the store (``scheduler/budget.py``). From the sendMessage calls
the server recorded, the benchmark reads:

* the achieved rate of both together: messages / (last - first);
* the most sends in any sliding one-second window (never above the rate);
* duplicates and lost users (none), and how often the budget was re-shared;
* before it, one instance alone on the same machine, as a baseline: the machine's
  own ceiling at that rate (a loaded 2-core machine reaches less than the rate even
  alone), so the ratio of the two says what sharing costs.

Targets: >= 97% of the rate together, never above it in any one-second window, zero
duplicates, zero lost.

    .venv/bin/python bench/bench_instances.py [--quick] [--seconds S] [--rates 25,30]
        [--instances N] [--timeline] [--strict]
"""

from __future__ import annotations

import argparse
import re
import socket
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _common as common
from _common import TOKEN, line, max_in_window
from sqlalchemy import insert

from bot.store.db import make_engine, migrate
from bot.store.models import User
from fake_bot_api import BotProcess, FakeTelegramServer
from tests.pg import TempPostgres, skip_reason

RATE_SHARE_TARGET = 0.97
FIRST_ID = 2_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fill(url: str, users: int) -> None:
    engine = make_engine(url)
    migrate(engine)
    due = datetime.now(UTC) - timedelta(seconds=30)
    rows = [
        {
            "platform": "telegram",
            "platform_user_id": FIRST_ID + i,
            "chat_id": FIRST_ID + i,
            "language": "en",
            "timezone": "UTC",
            "nudge_time": f"{due:%H:%M}",
            "nudges_enabled": True,
            "next_nudge_at": due,
            "created_at": due,
            "consented_at": due,
            "reminder_enabled": False,
            "reminder_weekday": 6,
            "reminder_time": "18:00",
            "safety_flag": False,
            "settings_version": 0,
            "partner": "they",
        }
        for i in range(users)
    ]
    with engine.begin() as connection:
        connection.execute(insert(User), rows)
    engine.dispose()


def webhook_bot(server: FakeTelegramServer, url: str, log: Path, rate: int) -> BotProcess:
    port = free_port()
    bot = BotProcess(
        server,
        url,
        log,
        args=["run", "--webhook"],
        ready_method="setWebhook",
        log_level="INFO",
        extra_env={
            "NUDGE_RATE_PER_SECOND": str(rate),
            "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "WEBHOOK_SECRET": "bench-secret",
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        },
    )
    return bot


def run(
    postgres: TempPostgres,
    rate: int,
    seconds: float,
    tmp: Path,
    count: int = 2,
    timeline: bool = False,
) -> tuple[bool, float]:
    """One run; whether its checks are met, and the rate achieved."""
    users = int(rate * seconds)
    url = postgres.create_database()
    fill(url, users)
    with FakeTelegramServer(token=TOKEN) as server:
        bots = [
            webhook_bot(server, url, tmp / f"bot{rate}-{count}-{n}.log", rate)
            for n in range(1, count + 1)
        ]
        for bot in bots:
            bot.start()
        deadline = time.monotonic() + seconds * 2 + 60
        ids = set(range(FIRST_ID, FIRST_ID + users))
        while time.monotonic() < deadline:
            reached = {int(c.params["chat_id"]) for c in common.nudge_calls(server)}
            if ids <= reached or not all(b.alive() for b in bots):
                break
            time.sleep(0.5)
        time.sleep(5)  # a few more ticks: would anything be sent twice?
        alive = all(b.alive() for b in bots)
        for bot in bots:
            bot.stop()
        calls = common.nudge_calls(server, ok_only=False)
    ok = [c for c in calls if c.ok]
    counts = Counter(int(c.params["chat_id"]) for c in ok)
    duplicates = sum(1 for n in counts.values() if n > 1)
    lost = sum(1 for uid in ids if counts[uid] == 0)
    stamps = sorted(c.at for c in ok)
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    achieved = len(ok) / span if span else 0.0
    window = max_in_window([c.at for c in calls])
    shares = _shares(tmp, rate, count)
    checks = {
        f"{rate}/s: together >= {RATE_SHARE_TARGET:.0%} of the rate": achieved
        >= RATE_SHARE_TARGET * rate,
        f"{rate}/s: never above {rate} in one second": window <= rate,
        f"{rate}/s: zero duplicates, zero lost": duplicates == 0 and lost == 0,
        f"{rate}/s: both instances alive": alive,
    }
    line(
        f"{rate}/s, {count} instance(s): {len(ok)}/{users} delivered in {span:.1f}s, achieved "
        f"{achieved:.2f}/s ({achieved / rate:.1%}), max {window} in one second, "
        f"{duplicates} duplicates, {lost} lost{shares}"
    )
    if timeline and stamps:
        per_second = Counter(int((stamp - stamps[0]) / 0.5) for stamp in stamps)
        line(
            "  sends per half second: "
            + " ".join(str(per_second[n]) for n in range(max(per_second) + 1))
        )
    return common.report(checks), achieved


def _shares(tmp: Path, rate: int, count: int) -> str:
    """Who sent what cannot be told from the server (same token); the bots' logs say
    how many each sent (their tick reports) and how often the budget was re-shared."""
    notes = []
    for n in range(1, count + 1):
        log = tmp / f"bot{rate}-{count}-{n}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        sent = sum(int(found) for found in re.findall(r"nudge tick: .*?\bsent=(\d+)", text))
        changes = text.count("nudge budget shared by")
        notes.append(f"bot {n} sent {sent} ({changes} share changes)")
    return "; " + ", ".join(notes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="16 s of sending per rate")
    parser.add_argument("--seconds", type=float, help="of sending per rate (default 40)")
    parser.add_argument("--rates", default="25,30")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument(
        "--timeline", action="store_true", help="print the sends in each half second"
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args()
    args.seconds = args.seconds or (16.0 if args.quick else 40.0)
    reason = skip_reason()
    if reason:
        line(f"skipped: {reason}")
        return 0
    line(f"bench_instances on {common.machine()}")
    postgres = TempPostgres().start()
    ok = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for rate in (int(r) for r in args.rates.split(",")):
                _, alone = run(postgres, rate, args.seconds / 2, Path(tmp), 1, args.timeline)
                met, together = run(
                    postgres, rate, args.seconds, Path(tmp), args.instances, args.timeline
                )
                line(
                    f"{rate}/s: {args.instances} instances reach {together / alone:.1%} of what "
                    f"one instance reaches alone in the same run ({alone:.2f}/s)"
                )
                ok = met and ok
    finally:
        postgres.stop()
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
