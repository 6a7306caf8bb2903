"""Engine, sessions and migrations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout, and a
    new database file is readable by its owner only (it holds check-in answers; SQLite
    gives its journal files the same mode)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            path.parent.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # made, never truncated
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


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

    command.upgrade(alembic_config(engine, script_location=script_location), revision)
