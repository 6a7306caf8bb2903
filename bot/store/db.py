"""Engine, sessions and migrations; how long the store may take, and saying when it
stops answering.

Every wait on the store is bounded, so that a store that is slow, locked or gone
never holds a user (or a shutdown) for long: on PostgreSQL the connection, each
statement, a connection whose peer vanished, and the wait for a free connection of
the pool; on SQLite the wait for another writer's lock, after which the caller
retries (see :mod:`bot.features.core`).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)

# --- how long the store may take ------------------------------------------------------
#
# A URL that sets one of the PostgreSQL values itself (``?connect_timeout=10``, or
# ``?options=-c statement_timeout=60000``) keeps its own; nothing else changes them.

# A server that does not even accept the connection (down, firewalled, frozen): libpq
# gives up after this many seconds (whole seconds; libpq takes at least 2).
PG_CONNECT_TIMEOUT = 5
# A statement the server runs longer than this is cancelled by the server, which frees
# its connection: a query stuck behind a lock that a hung transaction of another
# instance holds, a runaway scan. Far above what any of ours takes (migrations run
# without it: an index on a large table may take minutes).
PG_STATEMENT_TIMEOUT_MS = 20_000
# A connection whose peer vanished without a word (a network cut, a failed-over host)
# is noticed after about idle + interval * count = 60 s instead of the kernel's two
# hours; meanwhile its thread would wait for an answer that never comes.
PG_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 30,
    "keepalives_interval": 10,
    "keepalives_count": 3,
}
# Seconds an update waits for a free connection of the pool (all of them busy with a
# store that does not answer) before it fails, and is retried or apologised for.
POOL_TIMEOUT = 5.0
# Seconds SQLite waits for another writer's lock (a backup, a second process, our own
# threads) before "database is locked"; the work is then retried with backoff (see
# bot.features.core), so a long lock costs retries, not the answer.
SQLITE_BUSY_TIMEOUT = 5.0


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` whose waits are bounded (see the constants above), and
    whose errors never carry their SQL parameters (check-in answers, names: the
    parameters are left out, and so are the row values PostgreSQL adds to an error).

    SQLite gets WAL (readers never wait for a writer), foreign keys and a busy timeout,
    and a new database file is readable by its owner only (it holds check-in answers;
    SQLite gives its journal files the same mode). ``kwargs`` go to
    :func:`sqlalchemy.create_engine`; ``connect_args`` given there win over ours.
    """
    parsed = make_url(url)
    given = kwargs.pop("connect_args", {})
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # made, never truncated
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT, **given},
            hide_parameters=True,
            **kwargs,
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    else:
        engine = create_engine(
            url,
            connect_args={**_postgres_connect_args(parsed), **given},
            pool_pre_ping=True,
            hide_parameters=True,
            **{"pool_timeout": POOL_TIMEOUT, **kwargs},
        )
    event.listen(engine, "handle_error", _terse_error)
    return engine


def _postgres_connect_args(
    url: URL, statement_timeout_ms: int = PG_STATEMENT_TIMEOUT_MS
) -> dict[str, Any]:
    """libpq's timeouts and keepalives, where ``url`` does not set them itself."""
    if url.get_backend_name() != "postgresql":
        return {}
    query = url.query
    wanted: dict[str, Any] = {"connect_timeout": PG_CONNECT_TIMEOUT, **PG_KEEPALIVES}
    args = {name: value for name, value in wanted.items() if name not in query}
    options = query.get("options", "")
    options = " ".join(options) if isinstance(options, tuple) else options
    if "statement_timeout" not in options:
        args["options"] = f"{options} -c statement_timeout={statement_timeout_ms}".strip()
    return args


def _terse_error(context: Any) -> None:
    """Keep only the first line of the driver's message: PostgreSQL adds the row's
    values to a constraint's error ("DETAIL: Failing row contains (…)"), and those are
    check-in answers and names, which must not reach a log (the parameters themselves
    are hidden by ``hide_parameters``)."""
    error = context.original_exception
    if error is None or not error.args or not isinstance(error.args[0], str):
        return
    lines = error.args[0].strip().splitlines()
    terse = lines[0] if lines else ""
    error.args = (terse, *error.args[1:])
    wrapped = context.sqlalchemy_exception  # its message was made from the full one
    if wrapped is not None and wrapped.args:
        kind = f"{type(error).__module__}.{type(error).__name__}"
        wrapped.args = (f"({kind}) {terse}", *wrapped.args[1:])


def transient(error: BaseException) -> bool:
    """Whether ``error`` says the store is locked, busy or away (worth another try
    shortly), not that the work is wrong (a constraint, a bug: trying again would
    fail again)."""
    if isinstance(error, PoolTimeout):  # every connection busy: the store is slow
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True  # the connection broke: a fresh one may work
    if not isinstance(error, OperationalError):
        return False
    if error.orig is not None and type(error.orig).__module__.startswith("sqlite3"):
        # SQLite says OperationalError of a missing table as well: only these are the
        # store's state rather than the statement's
        message = str(error.orig).lower()
        return any(word in message for word in _SQLITE_TRANSIENT)
    return True  # PostgreSQL: connection failed or lost, statement timeout, conflict


_SQLITE_TRANSIENT = ("locked", "busy", "disk i/o", "unable to open", "disk is full")


def describe(error: BaseException) -> str:
    """A short description of a store error for a log line: the class and the first
    line of the driver's message, no SQL and no parameters."""
    orig = getattr(error, "orig", None) or error
    first = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {first[0][:160] if first else ''}".rstrip(": ")


@contextmanager
def lock_wait(session: Session, seconds: float) -> Iterator[None]:
    """Within the block, SQLite waits at most ``seconds`` for another writer's lock
    (then "database is locked"), not SQLITE_BUSY_TIMEOUT: for a small write that has
    a fallback, so that it never holds its update long. Elsewhere nothing changes."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        try:
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(before or 0)}")
        except SQLAlchemyError:  # never back in the pool with the short wait
            connection.invalidate()
            raise


class StallReporter:
    """Says when the store stops answering and when it answers again: one WARNING as a
    stall begins, one INFO with its length as it ends, however many attempts fail in
    between (a line per attempt would bury, in an outage, the two that matter).

    Work that failed an attempt (or took too long) is *troubled* until it ends. The
    stall ends at a success once no work is troubled any more: reads that go through
    while a write still waits for SQLite's lock do not end it early, and the one
    line says how long the store kept someone waiting. Thread-safe.
    """

    def __init__(self, what: str = "store", *, clock: Callable[[], float] = time.monotonic) -> None:
        self.what = what
        self._clock = clock
        self._lock = threading.Lock()
        self._since: float | None = None  # when the stall began
        self._troubled = 0

    @property
    def stalled(self) -> bool:
        return self._since is not None

    def trouble(self, why: str) -> None:
        """A piece of work has failed (or waited too long) for the first time: it is
        troubled until :meth:`done`. ``why``: what it met, for the first line."""
        with self._lock:
            self._troubled += 1
            if self._since is not None:
                return
            self._since = self._clock()
        log.warning("%s not answering (%s)", self.what, why)

    def done(self, *, troubled: bool, answered: bool) -> None:
        """A piece of work ended: ``troubled``, it had called :meth:`trouble`;
        ``answered``, it succeeded in the end."""
        with self._lock:
            if troubled:
                self._troubled -= 1
            if not answered or self._troubled or self._since is None:
                return
            lasted, self._since = self._clock() - self._since, None
        log.info("%s answering again after %.1f s", self.what, lasted)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(engine: Engine | None = None, *, script_location: Path = MIGRATIONS) -> Config:
    """Alembic's configuration: our migrations, run on ``engine`` (see ``env.py``)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def head_revision(script_location: Path = MIGRATIONS) -> str:
    """The newest migration's id, as Alembic reads the migration files (Alembic is
    imported on first use, not with this module)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(script_location=script_location))
    revision = scripts.get_current_head()  # raises when the migrations have several heads
    if revision is None:
        raise RuntimeError(f"no migrations in {script_location}")
    return revision


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        return None


def migrate(engine: Engine, revision: str = "head", *, script_location: Path = MIGRATIONS) -> None:
    """Bring the schema up to ``revision`` (Alembic ``upgrade``) with the migrations in
    ``script_location`` (tests pass a copy).

    A store already at the newest revision is recognised by reading its version
    and the migration files, without running Alembic's migration environment.
    """
    if revision == "head" and current_revision(engine) == head_revision(script_location):
        return
    from alembic import command

    migrating = _without_statement_timeout(engine)
    try:
        command.upgrade(alembic_config(migrating, script_location=script_location), revision)
    finally:
        if migrating is not engine:
            migrating.dispose()


def _without_statement_timeout(engine: Engine) -> Engine:
    """On PostgreSQL, an engine like ``engine`` whose statements may run as long as
    they take (a migration building an index on a large table), on connections of its
    own that are closed afterwards; elsewhere ``engine`` itself."""
    if engine.dialect.name != "postgresql":
        return engine
    url = engine.url
    if "statement_timeout" in str(url.query.get("options", "")):
        return engine  # the URL's own choice
    migrating = create_engine(
        url,
        connect_args=_postgres_connect_args(url, statement_timeout_ms=0),
        poolclass=NullPool,
        hide_parameters=True,
    )
    event.listen(migrating, "handle_error", _terse_error)
    return migrating
