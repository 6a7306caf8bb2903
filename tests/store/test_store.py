"""The store on migrated SQLite and PostgreSQL databases."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError

from bot.store import deliveries, repo
from bot.store.db import alembic_config, make_engine, make_session_factory, migrate
from bot.store.models import Base, Checkin, NudgeDelivery, User

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


@pytest.fixture
def engine(any_db_url: str) -> Engine:
    engine = make_engine(any_db_url)
    migrate(engine)
    return engine


def test_migrations_build_exactly_the_models_and_go_down_and_up(engine: Engine) -> None:
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    command.downgrade(alembic_config(engine), "base")
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/wal.sqlite3")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def _user(session: object, platform_id: int) -> int:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    return repo.add_account(
        session=session,
        platform_user_id=platform_id,
        chat_id=platform_id,
        language="en",
        timezone="UTC",
        nudge_time="09:00",
        now=NOW,
    ).id


def test_a_second_delivery_for_one_local_day_cannot_be_recorded(engine: Engine) -> None:
    factory = make_session_factory(engine)
    day = date(2026, 11, 24)

    def add(user_id: int, kind: str = "nudge") -> int:
        new = [deliveries.NewDelivery(user_id, kind, day, NOW)]
        return deliveries.add_deliveries(session=session, deliveries=new, now=NOW)

    with factory.begin() as session:
        user_id = _user(session, 1)
        assert add(user_id) == 1
        assert add(user_id) == 0
        # A weekly reminder is another kind: it may fall on the same day.
        assert add(user_id, "reminder") == 1
        # In one batch, only the rows that are new count (and are stored).
        others = [_user(session, platform_id) for platform_id in (2, 3, 4)]
        batch = [deliveries.NewDelivery(u, "nudge", day, NOW) for u in [user_id, *others]]
        assert deliveries.add_deliveries(session=session, deliveries=batch, now=NOW) == 3
        stored = session.scalars(select(NudgeDelivery.user_id).where(NudgeDelivery.kind == "nudge"))
        assert sorted(stored) == sorted([user_id, *others])
    with factory.begin() as session, pytest.raises(IntegrityError):
        session.add(
            NudgeDelivery(
                user_id=user_id,
                kind="nudge",
                local_date=day,
                due_at=NOW,
                status="sent",
                attempts=1,
                next_attempt_at=NOW,
            )
        )
        session.flush()


def test_repository_functions_never_commit(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory() as session:
        _user(session, 5)
        session.rollback()
    with factory() as session:
        assert repo.get_user(session=session, platform_user_id=5) is None


def test_concurrent_claims_never_hand_out_the_same_delivery(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for n in range(60):
            user_id = _user(session, 100 + n)
            new = [deliveries.NewDelivery(user_id, "nudge", date(2026, 11, 24), NOW)]
            deliveries.add_deliveries(session=session, deliveries=new, now=NOW)
        # Every fifth user has turned the daily tip off since it was planned: not handed out.
        session.execute(update(User).values(nudges_enabled=User.platform_user_id % 5 != 0))
    claimed: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        while True:
            with factory.begin() as session:
                batch = deliveries.claim(
                    session=session, now=NOW, lease=timedelta(minutes=5), limit=7
                )
                ids = [d.delivery_id for d in batch]
            if not ids:
                return
            with lock:
                claimed.extend(ids)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 48
    with factory() as session:
        statuses = session.execute(select(NudgeDelivery.status, NudgeDelivery.error)).all()
    assert sorted(set(statuses)) == [("sending", None), ("skipped", "daily tip off")]
    assert sum(1 for status, _ in statuses if status == "skipped") == 12


def test_the_fast_start_up_check_agrees_with_alembic(engine: Engine) -> None:
    from alembic.script import ScriptDirectory

    from bot.store.db import current_revision, head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert current_revision(engine) == head_revision()
    command.downgrade(alembic_config(engine), "0002")
    assert current_revision(engine) == "0002"
    migrate(engine)  # not at head: the real upgrade runs
    assert current_revision(engine) == head_revision()


def test_an_account_comes_with_its_tip_history_in_one_query(engine: Engine) -> None:
    """What /tip reads in one round trip is what the two separate reads return: every
    tip shown (repeats included) and the latest finished check-in's leaning."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        user_id = _user(session, 21)
        quiet_id = _user(session, 22)
        for tip_id in ("mystery-1", "needed-2", "mystery-1"):
            repo.record_tip_shown(
                session=session, user_id=user_id, tip_id=tip_id, source="command", now=NOW
            )
        session.add_all(
            [
                Checkin(
                    user_id=user_id,
                    status="done",
                    started_at=NOW,
                    finished_at=NOW,
                    weakest_strategy="own-life",
                    reassess=False,
                ),
                Checkin(
                    user_id=user_id,
                    status="done",
                    started_at=NOW,
                    finished_at=NOW + timedelta(days=7),
                    weakest_strategy="boundaries",
                    reassess=True,
                ),
                Checkin(
                    user_id=user_id,
                    status="open",
                    started_at=NOW + timedelta(days=8),
                    weakest_strategy="mystery",
                ),
            ]
        )
    with engine.begin() as connection:  # a bare Core connection, as updates use
        found = repo.find_account_and_tips(session=connection, platform_user_id=21)
        assert found is not None
        account, history = found
        assert account == repo.find_account(session=connection, platform_user_id=21)
        assert account.id == user_id and not account.blocked and not account.safety_flag
        assert sorted(history.shown) == ["mystery-1", "mystery-1", "needed-2"]
        assert (history.weakest_strategy, history.reassess) == ("boundaries", True)
        separate = repo.tip_history(session=connection, user_id=user_id)
        assert sorted(separate.shown) == sorted(history.shown)
        assert separate[1:] == history[1:]

        quiet = repo.find_account_and_tips(session=connection, platform_user_id=22)
        assert quiet is not None
        assert quiet[0].id == quiet_id
        assert quiet[1] == repo.TipHistory([], None, False)
        assert repo.find_account_and_tips(session=connection, platform_user_id=23) is None
