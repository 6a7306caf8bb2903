"""A user's tip history stays bounded however many tips they ask for, and the next tip
is chosen exactly as from every show (on migrated SQLite and PostgreSQL)."""

from __future__ import annotations

import random
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from alembic import command
from sqlalchemy import Engine, MetaData, Table, func, select
from sqlalchemy.orm import Session

from bot.domain.content import Content
from bot.domain.tips import choose_tip
from bot.store import accounts, tips
from bot.store.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    make_session_factory,
    migrate,
)
from bot.store.models import TipShown, TipSource

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
TIPS_SHOWN = cast(Table, TipShown.__table__)
SOURCES = (TipSource.COMMAND, TipSource.BUTTON, TipSource.NUDGE)


@pytest.fixture
def engine(any_db_url: str) -> Engine:
    engine = make_engine(any_db_url)
    migrate(engine)
    return engine


def _user(session: Session, platform_id: int) -> int:
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


def _rows(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).where(TipShown.user_id == user_id)) or 0


def _bound(content: Content) -> int:
    """The most rows a user can have: the recent shows, one folded row per tip, and the
    repeats that wait for the next fold."""
    return tips.RECENT_SHOWS + len(content.tips) + tips.FOLD_BATCH


def test_the_choice_from_the_store_is_the_choice_from_every_show(
    engine: Engine, content: Content
) -> None:
    """Shown tip after tip (several rounds, folds in between), the store's history gives
    the very tips that the list of every show gives, with the same random choices; the
    rows stay bounded and every show is counted."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        user_id = _user(session, 31)
    every: list[str] = []
    from_store, from_list = random.Random(11), random.Random(11)
    shows = 6 * len(content.tips)
    for n in range(shows):
        with factory.begin() as session:
            history = tips.tip_history(session=session, user_id=user_id)
            assert history.shown == Counter(every)
            tip = choose_tip(content, history.shown, prefer=["care"], rng=from_store)
            assert tip == choose_tip(content, every, prefer=["care"], rng=from_list)
            every.append(tip.id)
            source = TipSource.COMMAND if n % 2 else TipSource.BUTTON
            tips.record_tip_shown(
                session=session, user_id=user_id, tip_id=tip.id, source=source, now=NOW
            )
            assert _rows(session, user_id) <= _bound(content)
    with factory() as session:
        assert _rows(session, user_id) < shows
        assert sum(session.scalars(select(TipShown.times))) == shows
        assert tips.tip_history(session=session, user_id=user_id).shown == Counter(every)
        assert Counter(every) == Counter({tip.id: 6 for tip in content.tips})


def test_a_flood_of_tips_keeps_the_newest_shows_and_folds_the_rest(engine: Engine) -> None:
    """Thousands of /tip in one transaction: the newest shows stay one row each, in
    order; the older ones are one row per tip, with their count and their last show."""
    factory = make_session_factory(engine)
    ids = [f"tip-{n}" for n in range(7)]
    shows = 2_000
    with factory.begin() as session:
        user_id = _user(session, 32)
        other_id = _user(session, 33)
        tips.record_tip_shown(
            session=session, user_id=other_id, tip_id="tip-0", source=TipSource.NUDGE, now=NOW
        )
        for n in range(shows):
            tips.record_tip_shown(
                session=session,
                user_id=user_id,
                tip_id=ids[n % len(ids)],
                source=SOURCES[n % len(SOURCES)],
                now=NOW + timedelta(seconds=n),
            )
    with factory() as session:
        rows = session.scalars(
            select(TipShown).where(TipShown.user_id == user_id).order_by(TipShown.id)
        ).all()
        assert len(rows) <= tips.RECENT_SHOWS + len(ids) + tips.FOLD_BATCH
        recent = rows[-tips.RECENT_SHOWS :]
        assert [r.tip_id for r in recent] == [
            ids[n % len(ids)] for n in range(shows - tips.RECENT_SHOWS, shows)
        ]
        assert all(r.times == 1 for r in recent)
        assert sum(r.times for r in rows) == shows
        older = rows[: -tips.RECENT_SHOWS]
        assert {r.tip_id for r in older if r.times > 1} == set(ids)  # folded
        # The older rows of a tip still say when it was last shown before the recent
        # ones, and how.
        for i, tip_id in enumerate(ids):
            last = max(n for n in range(shows - tips.RECENT_SHOWS) if n % len(ids) == i)
            latest = max((r for r in older if r.tip_id == tip_id), key=lambda r: r.shown_at)
            assert latest.shown_at == NOW + timedelta(seconds=last)
            assert latest.source == SOURCES[last % len(SOURCES)]
        history = tips.tip_history(session=session, user_id=user_id)
        assert history.shown == Counter(ids[n % len(ids)] for n in range(shows))
        assert tips.tip_history(session=session, user_id=other_id).shown == {"tip-0": 1}


def test_a_fold_keeps_the_last_show_of_each_tip(engine: Engine) -> None:
    """Rows folded into one: their count, the time and the source of the latest show."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        user_id = _user(session, 34)
        session.execute(
            TIPS_SHOWN.insert(),
            [
                {
                    "user_id": user_id,
                    "tip_id": "care-1",
                    "source": TipSource.NUDGE if n == 40 else TipSource.COMMAND,
                    "shown_at": NOW + timedelta(days=1_000 if n == 40 else n),
                }
                for n in range(tips.FOLD_BATCH + 1)
            ],
        )
        session.execute(
            TIPS_SHOWN.insert(),
            [
                {
                    "user_id": user_id,
                    "tip_id": f"recent-{n}",
                    "source": "command",
                    "shown_at": NOW + timedelta(days=100 + n),
                }
                for n in range(tips.RECENT_SHOWS)
            ],
        )
        assert tips.fold_tip_history(session=session, user_ids=[user_id]) == tips.FOLD_BATCH
        [care] = session.scalars(
            select(TipShown).where(TipShown.user_id == user_id, TipShown.tip_id == "care-1")
        ).all()
        assert care.times == tips.FOLD_BATCH + 1
        # The latest show, though not the last row inserted.
        assert (care.shown_at, care.source) == (NOW + timedelta(days=1_000), TipSource.NUDGE)
        assert _rows(session, user_id) == tips.RECENT_SHOWS + 1
        assert tips.fold_tip_history(session=session, user_ids=[user_id]) == 0  # done


def test_fewer_repeats_than_a_batch_wait_for_the_next_fold(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        user_id = _user(session, 35)
        rows = [
            {"user_id": user_id, "tip_id": "care-1", "source": "nudge", "shown_at": NOW}
            for _ in range(tips.RECENT_SHOWS + tips.FOLD_BATCH)  # FOLD_BATCH - 1 repeats old
        ]
        session.execute(TIPS_SHOWN.insert(), rows)
        assert tips.fold_tip_history(session=session, user_ids=[user_id]) == 0
        assert tips.fold_tip_history(session=session, user_ids=[]) == 0
        session.execute(TIPS_SHOWN.insert(), rows[:1])
        assert tips.fold_tip_history(session=session, user_ids=[user_id]) == tips.FOLD_BATCH
        assert _rows(session, user_id) == tips.RECENT_SHOWS + 1
        history = tips.tip_history(session=session, user_id=user_id)
        assert history.shown == {"care-1": tips.RECENT_SHOWS + tips.FOLD_BATCH + 1}


def test_daily_tips_inserted_in_bulk_count_and_are_folded_for_many_users(
    engine: Engine,
) -> None:
    """The daily tips' bulk insert (as ``deliveries.mark_sent`` writes it: no ``times``)
    is a show each; a fold of many users at once folds each of them."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        users = [_user(session, 40 + n) for n in range(3)]
        for day in range(tips.RECENT_SHOWS + tips.FOLD_BATCH + 5):
            session.execute(
                TIPS_SHOWN.insert(),
                [
                    {
                        "user_id": user_id,
                        "tip_id": f"tip-{day % 5}",
                        "source": TipSource.NUDGE,
                        "shown_at": NOW + timedelta(days=day),
                    }
                    for user_id in users
                ],
            )
        before = tips.tip_histories(session=session, user_ids=users)
        removed = tips.fold_tip_history(session=session, user_ids=users)
        assert removed == 3 * tips.FOLD_BATCH  # the older 55 of each: 5 tips, 50 repeats
        after = tips.tip_histories(session=session, user_ids=users)
        assert after == before
        assert after[users[0]].history.shown == {
            f"tip-{n}": (tips.RECENT_SHOWS + tips.FOLD_BATCH + 5) // 5 for n in range(5)
        }
        for user_id in users:
            assert _rows(session, user_id) == tips.RECENT_SHOWS + 5


def test_two_transactions_folding_one_user_count_each_show_once(any_db_url: str) -> None:
    """On PostgreSQL the second fold waits for the first one's locks and then finds
    nothing left to fold; no show is counted twice or lost."""
    if not any_db_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time")
    engine = make_engine(any_db_url)
    migrate(engine)
    factory = make_session_factory(engine)
    total = tips.RECENT_SHOWS + 3 * tips.FOLD_BATCH
    with factory.begin() as session:
        user_id = _user(session, 50)
        session.execute(
            TIPS_SHOWN.insert(),
            [
                {"user_id": user_id, "tip_id": f"tip-{n % 3}", "source": "nudge", "shown_at": NOW}
                for n in range(total)
            ],
        )
    first, second = factory(), factory()
    try:
        assert tips.fold_tip_history(session=first, user_ids=[user_id]) > 0
        removed: list[int] = []
        waiting = threading.Thread(
            target=lambda: removed.append(tips.fold_tip_history(session=second, user_ids=[user_id]))
        )
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive()  # waits for the first fold's locks
        first.commit()
        waiting.join(10)
        assert not waiting.is_alive() and removed == [0]
        second.commit()
    finally:
        first.close()
        second.close()
    with factory() as session:
        assert sum(session.scalars(select(TipShown.times))) == total
        assert _rows(session, user_id) == tips.RECENT_SHOWS + 3
    engine.dispose()


# --- the migration -----------------------------------------------------------------------


def test_the_migration_folds_every_users_old_shows_and_keeps_their_counts(
    any_db_url: str,
) -> None:
    """0010 on a store where one user was shown 1,200 tips and another three: the first
    keeps their newest 100 shows as they were and one row per tip for the rest (the
    count, the last show's time and source); the second keeps every row; every count
    of every tip survives, and down again gives one row per show."""
    engine = make_engine(any_db_url)
    migrate(engine, "0009")
    factory = make_session_factory(engine)
    with factory.begin() as session:
        busy, quiet = _user(session, 61), _user(session, 62)
    table = Table("tips_shown", MetaData(), autoload_with=engine)
    shows = 1_200
    busy_rows = [
        {
            "user_id": busy,
            "tip_id": f"tip-{n % 7}",
            "source": TipSource.NUDGE if n % 10 == 0 else TipSource.COMMAND,
            "shown_at": NOW + timedelta(minutes=n),
        }
        for n in range(shows)
    ]
    quiet_rows = [
        {"user_id": quiet, "tip_id": tip, "source": "command", "shown_at": NOW}
        for tip in ("a", "b", "a")
    ]
    with engine.begin() as connection:
        connection.execute(table.insert(), busy_rows[:600] + quiet_rows + busy_rows[600:])
        before = connection.execute(select(table).order_by(table.c.id)).all()

    migrate(engine)

    assert current_revision(engine) == head_revision()
    with factory() as session:
        rows = session.scalars(
            select(TipShown).where(TipShown.user_id == busy).order_by(TipShown.id)
        ).all()
        assert len(rows) == tips.RECENT_SHOWS + 7
        old, recent = rows[:7], rows[7:]
        newest = [r.id for r in before if r.user_id == busy][-tips.RECENT_SHOWS :]
        assert [r.id for r in recent] == newest
        assert [(r.tip_id, r.shown_at, r.source, r.times) for r in recent] == [
            (d["tip_id"], d["shown_at"], d["source"], 1) for d in busy_rows[-tips.RECENT_SHOWS :]
        ]
        older = busy_rows[: shows - tips.RECENT_SHOWS]
        for n, row in enumerate(old):
            mine = [r for r in older if r["tip_id"] == f"tip-{n}"]
            assert (row.tip_id, row.times) == (f"tip-{n}", len(mine))
            assert (row.shown_at, row.source) == (mine[-1]["shown_at"], mine[-1]["source"])
        assert tips.tip_history(session=session, user_id=busy).shown == Counter(
            r["tip_id"] for r in busy_rows
        )
        quiet_shown = session.execute(
            select(TipShown.tip_id, TipShown.times).where(TipShown.user_id == quiet)
        ).all()
        assert [tuple(r) for r in quiet_shown] == [("a", 1), ("b", 1), ("a", 1)]
        # The store goes on from there: the next show is one more of that tip.
        tips.record_tip_shown(
            session=session, user_id=busy, tip_id="tip-3", source="command", now=NOW
        )
        shown = tips.tip_history(session=session, user_id=busy).shown
        assert shown["tip-3"] == Counter(r["tip_id"] for r in busy_rows)["tip-3"] + 1
        session.rollback()

    command.downgrade(alembic_config(engine), "0009")

    table = Table("tips_shown", MetaData(), autoload_with=engine)
    assert "times" not in table.c
    with engine.connect() as connection:
        after = connection.execute(select(table.c.user_id, table.c.tip_id)).all()
    assert Counter(map(tuple, after)) == Counter((r.user_id, r.tip_id) for r in before)
    engine.dispose()
