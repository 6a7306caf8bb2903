"""Delivery that holds: faults from the Bot API, a killed process, two processes on PostgreSQL."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store.db import make_engine, migrate
from bot.store.models import User
from fake_bot_api import BotProcess, FakeTelegramServer
from tests.e2e.conftest import TOKEN, utc_now, wait_until
from tests.e2e.population import add_due_users
from tests.pg import TempPostgres

FAST = {"NUDGE_RATE_PER_SECOND": "400", "ALLOW_PAID_BROADCAST": "true"}


def nudges_per_chat(*servers: FakeTelegramServer) -> Counter[int]:
    counts: Counter[int] = Counter()
    for server in servers:
        for call in server.delivered("sendMessage"):
            if "Your daily tip" in (call.text or ""):
                counts[int(call.params["chat_id"])] += 1
    return counts


def nudged_everyone(ids: list[int], *servers: FakeTelegramServer) -> bool:
    """Whether each of ``ids`` has had its daily tip (the calls counted once, not per id)."""
    counts = nudges_per_chat(*servers)
    return all(counts[uid] for uid in ids)


def prepare(db_url: str, count: int) -> list[int]:
    engine = make_engine(db_url)
    migrate(engine)
    ids = add_due_users(engine, 10_000, count, utc_now() - timedelta(seconds=30))
    engine.dispose()
    return ids


@pytest.mark.slow
@pytest.mark.timeout(420)  # every 429 pauses all sends for its retry_after (1 s)
def test_a_fan_out_through_faults_reaches_everyone_once_and_opts_out_the_blocked(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess], tmp_path: Path
) -> None:
    bot = make_bot()
    ids = prepare(bot.db_url, 800)  # the 3,000-user run is bench_broadcast.py's faults run
    blocked = set(ids[::50])  # 2%: half tell the bot (my_chat_member), half only answer 403
    for n, uid in enumerate(sorted(blocked)):
        if n % 2:
            server.bot_blocked_by(uid)
        else:
            server.fail_next(
                "sendMessage",
                status=403,
                chat_id=uid,
                count=100,
                description="Forbidden: bot was blocked by the user",
            )
    server.set_faults(
        rate_429=0.10, rate_5xx=0.05, rate_slow=0.05, slow_seconds=1.0, retry_after=1, seed=11
    )
    bot.extra_env.update(FAST)
    bot.start()
    reachable = [uid for uid in ids if uid not in blocked]
    assert wait_until(lambda: nudged_everyone(reachable, server), 360), (
        f"{len(set(reachable) - set(nudges_per_chat(server)))} users still waiting"
    )
    assert wait_until(lambda: _opted_out(bot.db_url, blocked), 30)
    counts = nudges_per_chat(server)
    assert max(counts.values()) == 1, "somebody got two nudges"
    assert not blocked & set(counts)
    assert bot.process is not None and bot.process.poll() is None, "the bot died"
    failures = Counter(c.failed_status for c in server.calls("sendMessage") if not c.ok)
    assert failures[429] and failures[403] and (failures[500] or failures[502])


def _opted_out(db_url: str, user_ids: set[int]) -> bool:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(User.nudges_enabled, User.blocked_at).where(User.platform_user_id.in_(user_ids))
        ).all()
    engine.dispose()
    return len(rows) == len(user_ids) and all(
        not enabled and blocked_at is not None for enabled, blocked_at in rows
    )


@pytest.mark.alone  # the sends in flight at the kill, counted: a busy machine has more
def test_a_process_killed_mid_fan_out_loses_nobody(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    first = make_bot()
    ids = prepare(first.db_url, 600)
    env = {
        "NUDGE_RATE_PER_SECOND": "100",
        "ALLOW_PAID_BROADCAST": "true",
        "NUDGE_LEASE_SECONDS": "3",
    }
    first.extra_env.update(env)
    first.start()
    assert wait_until(lambda: sum(nudges_per_chat(server).values()) >= 150, 60)
    first.kill()
    at_kill = sum(nudges_per_chat(server).values())
    assert at_kill < len(ids), "the fan-out finished before the kill: nothing was tested"
    second = make_bot()
    second.extra_env.update(env)
    second.start()
    assert wait_until(lambda: nudged_everyone(ids, server), 90)
    counts = nudges_per_chat(server)
    duplicates = sum(n - 1 for n in counts.values())
    assert set(counts) == set(ids)  # nobody lost
    # In flight at the kill: sends awaiting their answer, and answered ones not yet
    # marked (marking runs every 50 ms). At 100 per second on a busy machine that
    # is well under half a second of sends.
    assert duplicates <= 50, f"{duplicates} duplicates: more than the sends in flight"


@pytest.mark.slow
def test_a_process_stopped_mid_fan_out_hands_back_the_rest_at_once(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    """SIGTERM during a fan-out: the bot exits promptly, and what it had claimed but
    not sent is ready again at once (not after its lease), sent exactly once."""
    first = make_bot()
    ids = prepare(first.db_url, 400)
    env = {"NUDGE_RATE_PER_SECOND": "50", "ALLOW_PAID_BROADCAST": "true"}
    first.extra_env.update(env)  # the lease stays 5 minutes: a restart must not wait
    first.start()
    assert wait_until(lambda: sum(nudges_per_chat(server).values()) >= 60, 60)
    started = time.monotonic()
    first.stop()  # SIGTERM
    assert time.monotonic() - started < 10
    assert sum(nudges_per_chat(server).values()) < len(ids), "finished before the stop"
    second = make_bot()
    second.extra_env.update(env)
    second.start()
    assert wait_until(lambda: nudged_everyone(ids, server), 60)
    counts = nudges_per_chat(server)
    assert set(counts) == set(ids) and max(counts.values()) == 1


@pytest.mark.slow
def test_two_processes_on_one_postgresql_nudge_each_due_user_exactly_once(
    postgres: TempPostgres, make_bot: Callable[[], BotProcess], tmp_path: Path
) -> None:
    db_url = postgres.create_database()
    engine = make_engine(db_url)
    migrate(engine)  # the users come once both processes are up
    with FakeTelegramServer(token=TOKEN) as other_server:
        first = make_bot()
        second = make_bot()
        second.server = other_server
        for bot in (first, second):
            bot.db_url = db_url
            bot.extra_env.update({"NUDGE_RATE_PER_SECOND": "150", "ALLOW_PAID_BROADCAST": "true"})
        first.start()
        second.start()
        # Due only now: were they due while the second was still starting (a few seconds,
        # more on a loaded machine), the first could send them all alone.
        ids = add_due_users(engine, 10_000, 800, utc_now() - timedelta(seconds=30))
        engine.dispose()
        assert wait_until(lambda: len(nudges_per_chat(first.server, other_server)) == len(ids), 60)
        wait_until(lambda: False, 2)  # a couple more ticks on both
        first_share = nudges_per_chat(first.server)
        second_share = nudges_per_chat(other_server)
        both = first_share + second_share
        assert set(both) == set(ids) and max(both.values()) == 1
        assert first_share and second_share, "both processes should share the work"
