"""The flood limit's rules (with literals), and the store's count of them: the same
verdicts as the rules, one statement that no two instances can race, nothing kept of
someone not stored, and windows that have passed pruned."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.flood import FloodGuard, Verdict, next_count, passed, user_key, verdict
from bot.store import accounts, flood
from bot.store.db import make_engine, make_session_factory, migrate
from bot.store.models import FloodWindow

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
MINUTE = timedelta(seconds=60)
ALLOW, WARN, DROP = Verdict.ALLOW, Verdict.WARN, Verdict.DROP


def test_the_rules_with_literals() -> None:
    assert [verdict(n, 3) for n in (1, 2, 3, 4, 5)] == [ALLOW, ALLOW, ALLOW, WARN, DROP]
    assert [next_count(n, 3) for n in (0, 3, 4, 5)] == [1, 4, 5, 5]  # never past limit + 2
    assert not passed(0, 59.9, 60) and passed(0, 60, 60)


@pytest.fixture
def engine(any_db_url: str) -> Iterator[Engine]:
    engine = make_engine(any_db_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def factory(engine: Engine) -> sessionmaker[Session]:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for user_id in (5, 6):
            accounts.add_user(
                session=session,
                platform="telegram",
                platform_user_id=user_id,
                chat_id=user_id,
                language=None,
                timezone="UTC",
                nudge_time="08:00",
                now=NOW,
            )
    return factory


def hit(factory: sessionmaker[Session], seconds: float, *, user_id: int = 5) -> Verdict | None:
    with factory.begin() as session:
        return flood.hit(
            session=session,
            platform="telegram",
            user_id=user_id,
            now=NOW + timedelta(seconds=seconds),
            limit=3,
            window=MINUTE,
        )


def test_the_store_counts_as_the_rules_say(factory: sessionmaker[Session]) -> None:
    """The same times through the store and through the in-memory guard: the same
    verdicts (a burst, a warning, quiet, a new window, a second burst)."""
    times = [0, 1, 2, 3, 4, 30, 59.9, 60, 61, 62, 63, 64, 200]
    guard = FloodGuard(3, window=60)
    expected = [ALLOW, ALLOW, ALLOW, WARN, DROP, DROP, DROP] + [ALLOW] * 3 + [WARN, DROP, ALLOW]
    assert [guard.check("k", t) for t in times] == expected
    assert [hit(factory, t) for t in times[:-1]] == expected[:-1]
    with factory() as session:
        row = session.get(FloodWindow, user_key("telegram", 5))
        assert row is not None and row.count == 5 and row.warned  # counted up to 3 + 2
    assert hit(factory, 64, user_id=6) is ALLOW  # others are not slowed
    assert hit(factory, 200) is ALLOW


def test_someone_not_stored_is_not_counted_here_and_leaves_nothing(
    factory: sessionmaker[Session],
) -> None:
    assert hit(factory, 0, user_id=77) is None
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(FloodWindow)) == 0


def test_instances_counting_one_user_at_once_never_lose_a_count(
    engine: Engine, factory: sessionmaker[Session]
) -> None:
    """Twelve updates of one user at the same moment, on their own connections (as on
    several instances): exactly the limit allowed, one warned."""
    verdicts: list[Verdict | None] = []
    start = threading.Barrier(12)

    def one() -> None:
        start.wait()
        for _ in range(50):  # SQLite: a writer may meet another's lock; try again
            try:
                verdicts.append(hit(factory, 1))
                return
            except Exception:
                continue

    threads = [threading.Thread(target=one) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(v.value for v in verdicts if v) == sorted(["allow"] * 3 + ["warn"] + ["drop"] * 8)


def test_windows_that_have_passed_are_pruned(factory: sessionmaker[Session]) -> None:
    hit(factory, 0)
    hit(factory, 50, user_id=6)
    with factory.begin() as session:
        assert flood.prune(session=session, before=NOW + timedelta(seconds=50) - MINUTE) == 0
        assert flood.prune(session=session, before=NOW + timedelta(seconds=110) - MINUTE) == 1
        assert session.scalars(select(FloodWindow.user_key)).all() == [user_key("telegram", 6)]


def test_a_window_written_while_the_clock_was_ahead_counts_as_passed(
    factory: sessionmaker[Session],
) -> None:
    """The clock was 3 days ahead when a user hit the limit, then corrected: their
    next actions begin a new window (not 3 days of "slow down"), and pruning
    deletes such windows."""
    days = 3 * 24 * 3600
    assert [hit(factory, days + t) for t in range(5)] == [ALLOW, ALLOW, ALLOW, WARN, DROP]
    assert [hit(factory, t) for t in range(4)] == [ALLOW, ALLOW, ALLOW, WARN]  # back to now
    hit(factory, days, user_id=6)
    with factory.begin() as session:
        now = NOW + timedelta(seconds=10)
        assert flood.prune(session=session, before=now - MINUTE, after=now + MINUTE) == 1
        assert session.scalars(select(FloodWindow.user_key)).all() == [user_key("telegram", 5)]


def test_neither_commits(engine: Engine, factory: sessionmaker[Session]) -> None:
    commits: list[object] = []
    event.listen(engine, "commit", commits.append)
    with factory() as session:
        flood.hit(session=session, platform="telegram", user_id=5, now=NOW, limit=3, window=MINUTE)
        flood.prune(session=session, before=NOW + MINUTE)
        session.rollback()
    assert commits == []
