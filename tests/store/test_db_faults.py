"""The engine under faults: every wait bounded, no SQL parameter (nor a row's values)
in an error or a log, which errors are worth another try, and a stall told once."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from bot.store import accounts, db
from bot.store.db import StallReporter, lock_wait, make_engine, make_session_factory, migrate
from bot.store.models import Checkin, CheckinAnswer, User, utcnow
from tests.pg import TempPostgres

SECRET = 987_654_321  # stands for a check-in answer, a name: never in an error or a log


@pytest.fixture
def engine(any_db_url: str) -> Iterator[Engine]:
    engine = make_engine(any_db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_postgresql_waits_are_bounded(postgres: TempPostgres) -> None:
    engine = make_engine(postgres.create_database())
    with engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "20s"
        given = connection.connection.dbapi_connection.info.get_parameters()  # type: ignore[union-attr]
    assert given["connect_timeout"] == str(db.PG_CONNECT_TIMEOUT)
    for name, value in db.PG_KEEPALIVES.items():
        assert given[name] == str(value)
    assert engine.pool.timeout() == db.POOL_TIMEOUT  # type: ignore[attr-defined]
    assert engine.hide_parameters
    engine.dispose()


def test_a_url_that_sets_a_timeout_keeps_its_own(postgres: TempPostgres) -> None:
    url = postgres.create_database()
    engine = make_engine(f"{url}?connect_timeout=9&options=-c%20statement_timeout%3D1234")
    with engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "1234ms"
        given = connection.connection.dbapi_connection.info.get_parameters()  # type: ignore[union-attr]
    assert given["connect_timeout"] == "9" and given["keepalives_idle"] == "30"
    engine.dispose()
    other = make_engine(f"{url}?options=-c%20search_path%3Dpublic")  # other options: kept
    with other.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "20s"
        assert connection.execute(text("SHOW search_path")).scalar() == "public"
    other.dispose()


def test_migrations_run_without_the_statement_timeout(postgres: TempPostgres) -> None:
    """An index on a large table may take minutes: a migration is never cut at 20 s."""
    engine = make_engine(postgres.create_database())
    migrating = db._without_statement_timeout(engine)
    with migrating.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"
    migrating.dispose()
    engine.dispose()


def test_sqlite_waits_for_a_lock_briefly_and_lock_wait_shortens_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    factory = make_session_factory(engine)
    with factory() as session:
        busy = text("PRAGMA busy_timeout")
        assert session.execute(busy).scalar() == db.SQLITE_BUSY_TIMEOUT * 1000
        with lock_wait(session, 0.1):
            assert session.execute(busy).scalar() == 100
        assert session.execute(busy).scalar() == db.SQLITE_BUSY_TIMEOUT * 1000
    engine.dispose()


def _failing_insert(engine: Engine) -> IntegrityError:
    """An answer without its question (NOT NULL), the value standing for an answer."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        user = accounts.add_user(
            session=session,
            platform="telegram",
            platform_user_id=1,
            chat_id=1,
            language=None,
            timezone="UTC",
            nudge_time="08:00",
            now=utcnow(),
        )
        checkin = Checkin(user_id=user.id, started_at=utcnow())
        session.add(checkin)
    with pytest.raises(IntegrityError) as raised, factory.begin() as session:
        session.execute(
            insert(CheckinAnswer).values(
                checkin_id=checkin.id, question_id=None, value=SECRET, answered_at=utcnow()
            )
        )
    return raised.value


def test_a_database_error_never_carries_its_parameters_or_row_values(
    any_db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(any_db_url, echo=True)  # the engine's own log too
    migrate(engine)
    caplog.set_level(logging.DEBUG)
    error = _failing_insert(engine)
    logging.getLogger("test").error("store error", exc_info=error)  # as a handler would
    assert "NOT NULL" in str(error).upper() or "null value" in str(error)
    for shown in (str(error), repr(error), str(error.orig), caplog.text):
        assert str(SECRET) not in shown
    assert "Failing row" not in caplog.text  # PostgreSQL's DETAIL, with the whole row
    assert "parameters hidden" in caplog.text
    engine.dispose()


def test_which_errors_are_worth_another_try(engine: Engine) -> None:
    locked = OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert db.transient(locked)
    missing = OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    assert not db.transient(missing)  # a bug: another try fails alike
    assert db.transient(db.PoolTimeout("QueuePool limit reached"))
    assert not db.transient(_failing_insert(engine))  # a constraint: the work is wrong
    assert db.describe(locked) == "OperationalError: database is locked"


def test_a_postgresql_that_is_not_there_is_transient() -> None:
    engine = make_engine("postgresql+psycopg://coach@127.0.0.1:1/nothing")
    with pytest.raises(OperationalError) as raised, engine.connect():
        pass
    assert db.transient(raised.value)
    engine.dispose()


class Ticks:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_stall_is_told_once_as_it_begins_and_once_as_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticks = Ticks()
    stalls = StallReporter(clock=ticks)
    caplog.set_level(logging.INFO, logger="bot.store.db")
    stalls.trouble("OperationalError: database is locked")  # a write meets the lock
    stalls.trouble("no answer within 5 s")  # another piece of work waits too long
    ticks.now += 1
    stalls.done(troubled=False, answered=True)  # a read goes through meanwhile
    assert stalls.stalled  # ... the writes still wait: not over
    stalls.done(troubled=True, answered=False)  # one gives up
    ticks.now += 2.5
    stalls.done(troubled=True, answered=True)  # the last one goes through
    assert not stalls.stalled
    lines = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert lines == [
        ("WARNING", "store not answering (OperationalError: database is locked)"),
        ("INFO", "store answering again after 3.5 s"),
    ]
    stalls.done(troubled=False, answered=True)  # all well: nothing more to say
    assert len(caplog.records) == 2


def test_an_outage_ends_with_the_first_success_once_nobody_is_troubled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ticks = Ticks()
    stalls = StallReporter(clock=ticks)
    caplog.set_level(logging.INFO, logger="bot.store.db")
    for _ in range(3):  # every piece of work gives up: still not answering
        stalls.trouble("OperationalError: connection refused")
        stalls.done(troubled=True, answered=False)
    ticks.now += 30
    stalls.done(troubled=False, answered=True)
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO"]
    assert caplog.records[1].getMessage() == "store answering again after 30.0 s"


def test_reads_go_on_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    """WAL: a reader never waits for a writer, even one holding BEGIN EXCLUSIVE."""
    path = tmp_path / "x.sqlite3"
    engine = make_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    migrate(engine)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with engine.connect() as connection:
            assert connection.execute(select(User.id)).all() == []
        with pytest.raises(OperationalError) as raised, engine.begin() as connection:
            connection.execute(text("DELETE FROM users"))
        assert db.transient(raised.value)
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()
