"""The bot while its store is locked or hung: nobody waits on another, nobody is left in
silence, a locked writer's answer is saved once the lock clears, and a stall is told
once as it begins and once as it ends.

The locks and the hang are real (a second sqlite3 connection holding SQLite's write
lock; every process of a PostgreSQL server stopped with SIGSTOP), so a few bounds here
are on time: they are what the behaviour promises."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.domain.content import Content
from bot.features.base import Services
from bot.features.core import Core
from bot.i18n import default_catalogue
from bot.store.db import make_engine, make_session_factory, migrate
from tests.conftest import Clock
from tests.features.chat import Chat
from tests.features.conftest import PLATFORM
from tests.features.test_checkin import answers_in_db, label
from tests.pg import TempPostgres

STILL_WORKING = default_catalogue().locale("en").t("still-working")


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "never happened"
        await asyncio.sleep(0.01)


def stall_lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    """What the stall reporter said: (level, message)."""
    return [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "bot.store.db"]


# --- SQLite: another process holds the write lock ------------------------------------


@pytest.fixture
def impatient(services: Services) -> Iterator[Services]:
    """The same store on an engine that waits 0.2 s for a lock, not 5 s: the writer
    meets "database is locked" soon, and retries."""
    engine = make_engine(services.settings.database_url, connect_args={"timeout": 0.2})
    impatient = dataclasses.replace(services, session_factory=make_session_factory(engine))
    impatient.now = services.now  # type: ignore[method-assign]
    yield impatient
    engine.dispose()


@contextmanager
def write_lock(services: Services) -> Iterator[None]:
    """Another process's write transaction (a backup, a script) on the SQLite file."""
    path = make_url(services.settings.database_url).database
    assert path is not None
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.rollback()
        holder.close()


async def test_while_sqlite_is_locked_others_are_answered_and_the_answer_waits_for_it(
    impatient: Services, caplog: pytest.LogCaptureFixture
) -> None:
    core = Core(impatient, PLATFORM)
    ana, sam = Chat(core), Chat(core, 43)
    [question] = await ana.send("/checkin")
    await sam.send("/help")
    caplog.set_level(logging.INFO)
    with write_lock(impatient):
        pressing = asyncio.create_task(ana.press(label(ana, 0, "2"), on=question))
        await until(lambda: core.stalls.stalled)  # the press met the lock, and retries
        [help_] = await sam.send("/help")  # a read: never waits for the lock
        assert "/checkin" in help_.text
        assert not pressing.done()
    await pressing  # the lock is gone: the retry goes through
    assert "2/10" in question.text
    assert answers_in_db(impatient) == [(impatient.content.questions[0].id, 2)]
    assert [level for level, _ in stall_lines(caplog)] == ["WARNING", "INFO"]
    assert "database is locked" in stall_lines(caplog)[0][1]


async def test_a_lock_held_longer_than_a_user_waits_gets_an_apology_and_loses_nothing(
    impatient: Services, caplog: pytest.LogCaptureFixture
) -> None:
    core = Core(impatient, PLATFORM, answer_within=0.5)
    ana = Chat(core)
    [question] = await ana.send("/checkin")
    caplog.set_level(logging.INFO)
    with write_lock(impatient):
        await ana.press(label(ana, 0, "4"), on=question)
        assert ana.notice == STILL_WORKING  # not silence, and no need to press again
        assert answers_in_db(impatient) == []
        await asyncio.sleep(0.5)  # the work goes on retrying meanwhile
    await core.settle()
    assert answers_in_db(impatient) == [(impatient.content.questions[0].id, 4)]
    assert [level for level, _ in stall_lines(caplog)] == ["WARNING", "INFO"]


# --- PostgreSQL: the server stops answering, its connections stay open ----------------


@contextmanager
def frozen(server: TempPostgres) -> Iterator[None]:
    """Every process of ``server`` stopped (SIGSTOP): the connections stay open, the
    kernel still takes what is sent, nothing answers. Continued (SIGCONT) afterwards."""
    postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    os.kill(postmaster, signal.SIGSTOP)  # first: it forks no new backend meanwhile
    stopped = [postmaster]
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if parent == postmaster:
                os.kill(int(stat.parent.name), signal.SIGSTOP)
                stopped.append(int(stat.parent.name))
        yield
    finally:
        for pid in reversed(stopped):
            os.kill(pid, signal.SIGCONT)


@pytest.fixture
def on_postgresql(
    postgres: TempPostgres, settings: Settings, content: Content, clock: Clock
) -> Iterator[Services]:
    engine = make_engine(postgres.create_database())
    migrate(engine)
    services = Services(
        settings=settings, content=content, session_factory=make_session_factory(engine)
    )
    services.now = clock  # type: ignore[method-assign]
    yield services
    engine.dispose()


async def test_a_hung_postgresql_gets_users_an_apology_within_seconds(
    on_postgresql: Services, postgres: TempPostgres, caplog: pytest.LogCaptureFixture
) -> None:
    core = Core(on_postgresql, PLATFORM, answer_within=1.0)
    ana, sam = Chat(core), Chat(core, 43)
    [question] = await ana.send("/checkin")
    await sam.send("/help")
    caplog.set_level(logging.INFO)
    with frozen(postgres):
        started = time.monotonic()
        [reply] = await sam.send("/help")
        assert reply.text == STILL_WORKING
        assert time.monotonic() - started < 3, "a user waited for a server that hangs"
        await ana.press(label(ana, 0, "3"), on=question)
        assert ana.notice == STILL_WORKING
        await sam.send("/tip")
        assert [level for level, _ in stall_lines(caplog)] == ["WARNING"]  # said once
        assert "no answer within 1 s" in stall_lines(caplog)[0][1]
    await core.settle()  # the server answers again: the work under way finishes
    assert [level for level, _ in stall_lines(caplog)] == ["WARNING", "INFO"]
    assert "answering again after" in stall_lines(caplog)[1][1]
    [reply] = await sam.send("/help")
    assert "/checkin" in reply.text
    assert answers_in_db(on_postgresql) == [(on_postgresql.content.questions[0].id, 3)]
