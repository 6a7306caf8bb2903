"""Alembic environment: the engine comes from the caller (see ``bot.store.db.migrate``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from bot.config import load_settings
from bot.store.db import make_engine
from bot.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine: Engine | None = config.attributes.get("engine")
    if engine is None:
        engine = make_engine(load_settings().database_url)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the old one: with foreign
            # keys on, that drop would cascade and delete every row that refers to it
            # (a check-in's answers, a user's check-ins). The pragma only changes outside
            # a transaction; the check below proves the copy kept every reference whole.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken references")
        connection.commit()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


run_migrations_online()
