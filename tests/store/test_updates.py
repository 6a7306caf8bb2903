"""The seen update ids (webhook mode) on migrated SQLite and PostgreSQL databases."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot.store import updates
from bot.store.db import make_engine, make_session_factory, migrate
from bot.store.models import UpdateSeen

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


@pytest.fixture
def engine(any_db_url: str) -> Engine:
    engine = make_engine(any_db_url)
    migrate(engine)
    return engine


def in_thread(work: Callable[[], bool]) -> tuple[threading.Thread, list[bool]]:
    result: list[bool] = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    return thread, result


def test_an_update_id_is_new_once(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        assert updates.first_time(session=session, update_id=7, now=NOW)
        assert not updates.first_time(session=session, update_id=7, now=NOW)
    with factory.begin() as session:
        assert not updates.first_time(session=session, update_id=7, now=NOW)
        assert updates.first_time(session=session, update_id=(1 << 63) - 1, now=NOW)


def test_pruning_forgets_only_older_ids(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for update_id, hours in ((1, 30), (2, 25), (3, 23)):
            seen = NOW - timedelta(hours=hours)
            updates.first_time(session=session, update_id=update_id, now=seen)
    with factory.begin() as session:
        assert updates.prune(session=session, before=NOW - timedelta(days=1)) == 2
        assert session.scalars(select(UpdateSeen.update_id)).all() == [3]
        assert updates.first_time(session=session, update_id=1, now=NOW)  # forgotten


def test_the_functions_take_the_session_by_keyword_and_never_commit(engine: Engine) -> None:
    functions = [updates.first_time, updates.prune, updates.limit_statement_time]
    assert sorted(f.__name__ for f in functions) == sorted(updates.__all__)
    for function in functions:
        parameters = inspect.signature(function).parameters.values()
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    commits: list[object] = []
    event.listen(engine, "commit", commits.append)
    with Session(engine) as session:
        updates.limit_statement_time(session=session, seconds=1)
        updates.first_time(session=session, update_id=5, now=NOW)
        updates.prune(session=session, before=NOW)
        session.rollback()
    assert commits == []
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(UpdateSeen)) == 0


@pytest.mark.parametrize("first_commits", [True, False], ids=["commits", "rolls back"])
def test_two_instances_taking_the_same_update_handle_it_once(
    any_db_url: str, engine: Engine, first_commits: bool
) -> None:
    """Two processes (an engine each) record the same id at the same moment: the one
    that records it second learns, once the first's transaction ends, whether the
    update is taken (the first committed) or still new (it rolled back)."""
    other = make_engine(any_db_url)
    first, second = make_session_factory(engine), make_session_factory(other)

    def take() -> bool:
        with second.begin() as session:
            return updates.first_time(session=session, update_id=42, now=NOW)

    with first() as session:
        assert updates.first_time(session=session, update_id=42, now=NOW)
        # The other instance's insert waits for this transaction (the row, or SQLite's
        # write lock) however far it got before this one ends.
        thread, result = in_thread(take)
        if first_commits:
            session.commit()
        else:
            session.rollback()
    thread.join(timeout=30)
    assert result == [not first_commits]
    other.dispose()


def test_many_concurrent_takes_of_the_same_ids_let_each_through_once(
    any_db_url: str, engine: Engine
) -> None:
    engines = [engine, make_engine(any_db_url)]
    barrier = threading.Barrier(4)
    taken: list[int] = []
    lock = threading.Lock()

    def instance(n: int) -> None:
        factory = make_session_factory(engines[n % 2])
        barrier.wait()
        for update_id in range(40):
            with factory.begin() as session:
                if updates.first_time(session=session, update_id=update_id, now=NOW):
                    with lock:
                        taken.append(update_id)

    threads = [threading.Thread(target=instance, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(taken) == list(range(40))
    engines[1].dispose()


def test_a_statement_limit_stops_a_long_statement_on_postgresql(engine: Engine) -> None:
    with Session(engine) as session:
        updates.limit_statement_time(session=session, seconds=0.05)
        if engine.dialect.name != "postgresql":
            return  # SQLite: nothing to limit but the busy timeout, set by the engine
        with pytest.raises(OperationalError, match="statement timeout"):
            session.execute(text("SELECT pg_sleep(5)"))
    with Session(engine) as session:  # the limit was for that transaction only
        session.execute(text("SELECT pg_sleep(0.1)"))
