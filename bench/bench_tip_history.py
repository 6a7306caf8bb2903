"""Tip history: what one /tip costs a user shown 10 tips and one shown 300,000.

One SQLite store at revision 0009 (before the bounded history) gets three users:
the heavy one was shown 300,000 tips (a week at the flood limit), all but the last
1,000 bulk-inserted one row per show, as that store kept them; the old read (every
tip id ever shown) is timed on them for context. Then the store is upgraded (0010
folds the old shows) and, through the /tip path (read the history, choose, record):
the light user is shown 10 tips, the "round" user one of every tip (66), and the
heavy user their last 1,000, so their history is as a flood leaves it (repeats
waiting for the next fold included).

Then, interleaved, ``--runs`` times each: the /tip choice as ``bot.features.tips``
makes it, ``tip_history`` + ``next_tip``, and the same plus ``record_tip_shown``
(information). Each run is its own transaction, rolled back, so every run sees the
same history. Targets: the heavy user's median at most 2x the light one's and 1.5x
the round one's (the cost stops growing once every tip has been seen: 66 tips shown
10 times or 4,500 times are a few numbers each), and under 5 ms.

    .venv/bin/python bench/bench_tip_history.py [--quick] [--shows N] [--runs N] [--strict]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _common as common
from _common import line, median, percentile
from sqlalchemy import MetaData, Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import ROOT
from bot.domain.content import Content, load_content
from bot.features.tips import next_tip
from bot.store import accounts
from bot.store import tips as tip_store
from bot.store.db import make_engine, make_session_factory, migrate
from bot.store.models import TipShown, TipSource

RATIO_TARGET = 2.0  # heavy / light (10 shows: fewer distinct tips to count)
ROUND_RATIO_TARGET = 1.5  # heavy / round (every tip seen once)
HEAVY_MS_TARGET = 5.0
LIGHT_SHOWS = 10
THROUGH_TIP = 1_000  # the heavy user's last shows, through the /tip path
NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def add_user(session: Session, platform_id: int) -> int:
    return accounts.add_user(
        session=session,
        platform="telegram",
        platform_user_id=platform_id,
        chat_id=platform_id,
        language="en",
        timezone="UTC",
        nudge_time="09:00",
        now=NOW,
    ).id


def show_tips(
    factory: sessionmaker[Session], content: Content, user_id: int, count: int, rng: random.Random
) -> None:
    """``count`` tips through the /tip path, one transaction each."""
    for n in range(count):
        with factory.begin() as session:
            history = tip_store.tip_history(session=session, user_id=user_id)
            tip = next_tip(content, history, False, rng)
            tip_store.record_tip_shown(
                session=session,
                user_id=user_id,
                tip_id=tip.id,
                source=TipSource.COMMAND,
                now=NOW + timedelta(seconds=n),
            )


def bulk_shows(factory: sessionmaker[Session], content: Content, user_id: int, count: int) -> None:
    """``count`` shows one row each (round after round of every tip, as the choice gives
    them), as the store kept them before 0010."""
    ids = [tip.id for tip in content.tips]
    batch = 50_000
    with factory.begin() as session:
        table = Table("tips_shown", MetaData(), autoload_with=session.connection())
        for start in range(0, count, batch):
            session.execute(
                table.insert(),
                [
                    {
                        "user_id": user_id,
                        "tip_id": ids[n % len(ids)],
                        "source": TipSource.COMMAND,
                        "shown_at": NOW - timedelta(seconds=count - n),
                    }
                    for n in range(start, min(start + batch, count))
                ],
            )


def old_read_ms(factory: sessionmaker[Session], user_id: int) -> float:
    """The read before 0010: every tip id ever shown, counted."""
    with factory() as session:
        started = time.perf_counter()
        Counter(
            session.scalars(
                select(TipShown.tip_id).where(TipShown.user_id == user_id).order_by(TipShown.id)
            )
        )
        return (time.perf_counter() - started) * 1000


def rows_of(factory: sessionmaker[Session], user_id: int) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).where(TipShown.user_id == user_id)) or 0


def timed(
    factory: sessionmaker[Session], content: Content, user_id: int, rng: random.Random
) -> Callable[[bool], float]:
    def run(record: bool) -> float:
        with factory() as session:
            started = time.perf_counter()
            history = tip_store.tip_history(session=session, user_id=user_id)
            tip = next_tip(content, history, False, rng)
            if record:
                tip_store.record_tip_shown(
                    session=session, user_id=user_id, tip_id=tip.id, source="command", now=NOW
                )
                session.flush()
            elapsed = (time.perf_counter() - started) * 1000
            session.rollback()
            return elapsed

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30,000 shows, 300 runs")
    parser.add_argument("--shows", type=int, help="the heavy user's shows (default 300,000)")
    parser.add_argument("--runs", type=int, help="timed runs per user and kind (default 2000)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args()
    shows = args.shows or (30_000 if args.quick else 300_000)
    runs = args.runs or (300 if args.quick else 2_000)
    if shows <= THROUGH_TIP:
        parser.error(f"--shows must be more than {THROUGH_TIP}")

    tmp = Path(tempfile.mkdtemp(prefix="bench-tip-history-"))
    line(f"machine: {common.machine()}; temp dir {tmp}")
    try:
        engine = make_engine(common.sqlite_url(tmp / "store.sqlite3"))
        migrate(engine, "0009")
        factory = make_session_factory(engine)
        content = load_content(ROOT / "content")
        rng = random.Random(1)
        with factory.begin() as session:
            light, heavy, rounded = (add_user(session, n) for n in (1, 2, 3))
        bulk_shows(factory, content, heavy, shows - THROUGH_TIP)
        before = rows_of(factory, heavy)
        old = median([old_read_ms(factory, heavy) for _ in range(3)])
        line(
            f"revision 0009, heavy user: {before:,} shows one row each; the old read of "
            f"every tip id takes {old:.1f} ms"
        )
        started = time.perf_counter()
        migrate(engine)
        line(
            f"0010 folded them to {rows_of(factory, heavy)} rows in "
            f"{time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        show_tips(factory, content, light, LIGHT_SHOWS, rng)
        show_tips(factory, content, rounded, len(content.tips), rng)
        show_tips(factory, content, heavy, THROUGH_TIP, rng)
        line(
            f"through /tip: {LIGHT_SHOWS}, {len(content.tips)} and {THROUGH_TIP:,} shows "
            f"in {time.perf_counter() - started:.1f} s"
        )
        with factory() as session:
            counted = sum(tip_store.tip_history(session=session, user_id=heavy).shown.values())
        assert counted == shows, (counted, shows)
        rows = {
            "light": rows_of(factory, light),
            "round": rows_of(factory, rounded),
            "heavy": rows_of(factory, heavy),
        }
        line(
            f"rows: light {rows['light']} ({LIGHT_SHOWS} shows), round {rows['round']} "
            f"({len(content.tips)} shows), heavy {rows['heavy']} ({shows:,} shows; "
            f"{len(content.tips)} tips)"
        )

        users = {
            "light": timed(factory, content, light, rng),
            "round": timed(factory, content, rounded, rng),
            "heavy": timed(factory, content, heavy, rng),
        }
        for run in users.values():  # warm up
            for _ in range(20):
                run(False)
                run(True)
        times: dict[tuple[str, bool], list[float]] = {
            (who, record): [] for who in users for record in (False, True)
        }
        for _ in range(runs):
            for who, run in users.items():
                for record in (False, True):
                    times[who, record].append(run(record))
        medians = {key: median(values) for key, values in times.items()}
        for record in (False, True):
            kind = "read + choice + record" if record else "read + choice"
            figures = ", ".join(
                f"{who} {medians[who, record]:.3f} ms (p99 "
                f"{percentile(times[who, record], 0.99):.3f})"
                for who in users
            )
            line(
                f"{kind:22}: median {figures}; heavy/light "
                f"{medians['heavy', record] / medians['light', record]:.2f}"
            )
        light_ms, round_ms, heavy_ms = (medians[who, False] for who in users)
        ratio, round_ratio = heavy_ms / light_ms, heavy_ms / round_ms
        recorded = medians["heavy", True] / medians["light", True]
        checks = {
            f"/tip read + choice, {shows:,} shows vs {LIGHT_SHOWS}: median ratio "
            f"{ratio:.2f} <= {RATIO_TARGET}": ratio <= RATIO_TARGET,
            f"/tip read + choice, {shows:,} shows vs {len(content.tips)}: median ratio "
            f"{round_ratio:.2f} <= {ROUND_RATIO_TARGET}": round_ratio <= ROUND_RATIO_TARGET,
            f"/tip read + choice at {shows:,} shows: median {heavy_ms:.3f} ms "
            f"< {HEAVY_MS_TARGET} ms": heavy_ms < HEAVY_MS_TARGET,
        }
        ok = common.report(checks)
        line(
            f"SUMMARY tip_history: shows={shows} light_ms={light_ms:.3f} "
            f"round_ms={round_ms:.3f} heavy_ms={heavy_ms:.3f} ratio={ratio:.2f} "
            f"round_ratio={round_ratio:.2f} with_record_ratio={recorded:.2f} "
            f"rows={rows['heavy']} old_read_ms={old:.1f} {'PASS' if ok else 'FAIL'}"
        )
        engine.dispose()
        return 1 if args.strict and not ok else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
