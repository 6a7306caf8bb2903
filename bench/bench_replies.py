"""Replies under Telegram's flood limit: 600 people sending /help at once.

``python -m bot run`` runs as a subprocess against the fake Bot API server (a thread of
this process), which answers 429 (``retry_after`` 1) to any send beyond 30 in a sliding
second, as Telegram does. 600 users who never talked to the bot each queue ``/help`` at
the same moment; the bot's replies are queued by its rate limiter (about 30 a second
overall) and a reply that meets a 429 is made again after ``retry_after``.

Measured: how many were answered (exactly once), the time from queueing the updates to
the last answer (against the ideal, users / rate), the most sends the server accepted
in any one second, and how many sends met a 429 on the way.

Target: every one answered, exactly once.

    .venv/bin/python bench/bench_replies.py [--quick] [--users N] [--rate R]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import _common as common
from _common import TOKEN, line

from fake_bot_api import FakeTelegramServer

FIRST_ID = 5_000_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 users")
    parser.add_argument("--users", type=int, help="users sending /help at once (default 600)")
    parser.add_argument("--rate", type=float, default=30.0, help="the fake's sends a second")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args()
    users = args.users or (200 if args.quick else 600)
    rate = args.rate

    tmp = Path(tempfile.mkdtemp(prefix="bench-replies-"))
    line(f"machine: {common.machine()}; {users} users, flood limit {rate:g}/s; temp dir {tmp}")
    db = tmp / "store.sqlite3"
    common.new_store(db).dispose()
    try:
        with FakeTelegramServer(token=TOKEN) as server:
            bot = common.bench_bot(server, common.sqlite_url(db), tmp / "bot.log")
            try:
                ready = bot.start()
                server.wait_for(lambda c: c.method == "setMyCommands", 15)
                time.sleep(1.0)  # the menus (a dozen calls) out of the way
                server.set_rate_limit(rate)
                since = server.call_count()
                people = set(range(FIRST_ID, FIRST_ID + users))
                started = time.monotonic()
                for user_id in sorted(people):
                    server.user_sends(user_id, "/help")

                def sends() -> list[common.Call]:
                    return [
                        c
                        for c in server.calls("sendMessage")
                        if c.index >= since and c.chat_id in people
                    ]

                def answered() -> int:
                    return len({c.chat_id for c in sends() if c.ok})

                timeout = users / rate * 3 + 30
                common.wait_until(lambda: answered() >= users, timeout, poll=0.2)
                time.sleep(1.0)  # anything late (a duplicate) would show now
                alive = bot.alive()
            finally:
                bot.stop()
            sent = sends()
        ok = [c for c in sent if c.ok]
        per_chat = Counter(c.chat_id for c in ok)
        got = len(per_chat)
        twice = sum(1 for n in per_chat.values() if n > 1)
        refused = sum(1 for c in sent if c.failed_status == 429)
        stamps = sorted(c.at for c in ok)
        last = (stamps[-1] - started) if stamps else float("nan")
        ideal = users / rate
        busiest = common.max_in_window(stamps)
        line(f"bot ready in {ready:.1f}s")
        line(
            f"answered {got} of {users} ({users - got} never), {twice} twice; last answer "
            f"{last:.1f}s after the updates were queued (ideal at {rate:g}/s: {ideal:.1f}s, "
            f"{got / last if last > 0 else float('nan'):.1f}/s achieved)"
        )
        line(f"most sends accepted in one second: {busiest}; sends that met a 429: {refused}")
        checks = {
            "every one answered": got == users,
            "none answered twice": twice == 0,
            "the bot stayed up": alive,
        }
        passed = common.report(checks)
        line(
            f"SUMMARY replies: users={users} rate={rate:g}/s answered={got} unanswered="
            f"{users - got} duplicates={twice} last_answer={last:.1f}s ideal={ideal:.1f}s "
            f"max1s={busiest} refused_429={refused} {'PASS' if passed else 'FAIL'}"
        )
        return 1 if args.strict and not passed else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
