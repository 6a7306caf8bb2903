"""Shared fixtures: settings on a temporary SQLite store, migrated services."""

from __future__ import annotations

import fcntl
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import hypothesis
import pytest

from bot.config import ROOT, Settings, load_settings
from bot.domain.content import Content, load_content
from bot.features.base import Services
from bot.store.db import make_engine, make_session_factory, migrate
from tests.pg import TempPostgres
from tests.pg import skip_reason as pg_skip_reason

# --- running on several workers (pytest-xdist, see addopts in pyproject.toml) ---------------

# Hypothesis fails an example slower than 200 ms. With the workers sharing the machine's
# cores, a slow example says nothing about the code.
hypothesis.settings.register_profile("suite", deadline=None)
hypothesis.settings.load_profile("suite")

#: Tests measured against the clock (a rate in any one second, how much is sent twice
#: in the moment of a SIGKILL) that other tests' load can push past their bound: each
#: runs ``alone``. (The budget's tests are named here, not marked in their module.)
_ALONE_MODULES = ("tests/scheduler/test_budget.py",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest tests first: those marked ``slow``, then the other ones that start the
    bot as a process (end to end, the command line), then the rest, and last those that
    run ``alone``. The workers take the next test whenever they are free, so the quick
    ones toward the end even them out instead of one long test running on after all
    the others; and a test that waits to run alone waits for quick ones only."""
    for item in items:
        if item.path.relative_to(config.rootpath).as_posix() in _ALONE_MODULES:
            item.add_marker(pytest.mark.alone)

    def rank(item: pytest.Item) -> int:
        if item.get_closest_marker("alone"):
            return 3
        if item.get_closest_marker("slow"):
            return 0
        if "e2e" in item.path.parts or item.path.name == "test_cli.py":
            return 1
        return 2

    items.sort(key=rank)  # stable: the order of collection within each rank


@pytest.fixture(autouse=True)
def _alone_if_marked(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """A test marked ``alone`` runs while no other worker runs a test; the others run
    side by side. A lock shared by the workers of one run: every test holds it shared,
    one marked ``alone`` exclusively. Waiting to take it exclusively, a worker holds
    the gate, so that the others start nothing new meanwhile."""
    if not hasattr(request.config, "workerinput"):  # one process: nothing runs alongside
        yield
        return
    shared = tmp_path_factory.getbasetemp().parent  # the run's, above each worker's own
    alone = request.node.get_closest_marker("alone") is not None
    with (shared / "alone.gate").open("a") as gate, (shared / "alone.room").open("a") as room:
        fcntl.flock(gate, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        fcntl.flock(room, fcntl.LOCK_EX if alone else fcntl.LOCK_SH)
        if not alone:
            fcntl.flock(gate, fcntl.LOCK_UN)
        yield  # the locks go with the files


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(ROOT / "content")


@pytest.fixture(scope="session")
def postgres() -> Iterator[TempPostgres]:
    """One throwaway PostgreSQL server for the whole run (skipped without binaries)."""
    reason = pg_skip_reason()
    if reason:
        pytest.skip(reason)
    server = TempPostgres().start()
    yield server
    server.stop()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coach.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The embedded SQLite store, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'coach.sqlite3'}"
    server: TempPostgres = request.getfixturevalue("postgres")
    return server.create_database()


@pytest.fixture
def settings(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(ROOT)
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "DEFAULT_TIMEZONE", "ADMIN_USER_IDS"):
        monkeypatch.delenv(name, raising=False)
    return load_settings(
        database_url=db_url,
        telegram_bot_token="123456:TEST",
        admin_user_ids="999",
        user_commands_per_minute=1000,  # the flood limit has its own test
    )


class Clock:
    """An injectable clock for services: tests set ``now`` instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))


@pytest.fixture
def services(settings: Settings, content: Content, clock: Clock) -> Iterator[Services]:
    engine = make_engine(settings.database_url)
    migrate(engine)
    services = Services(
        settings=settings,
        content=content,
        session_factory=make_session_factory(engine),
        rng=random.Random(7),
    )
    services.now = clock  # type: ignore[method-assign]
    yield services
    engine.dispose()


# "Sounds good", then every step of onboarding skipped: someone who agreed to be stored
# and has nothing switched on yet.
AGREE_STEPS = ("ob:ok", "ob:z", "ob:t", "ob:p", "ob:r:no")


def agree(
    services: Services, user_id: int, *, platform: str = "telegram", language: str | None = "en"
) -> None:
    """The person agreed to be stored (before the test's chat begins, unseen)."""
    from bot.features import dispatch
    from bot.features.base import Identity

    who = Identity(user_id, user_id, language=language, platform=platform)
    for step in AGREE_STEPS:
        dispatch.handle_button(services, who, step)
