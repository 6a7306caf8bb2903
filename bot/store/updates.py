"""The ids of the updates the bot has taken (webhook mode).

Telegram posts an update again (the same ``update_id``) when it did not get a 200
in time, and with several instances behind one address the second post may reach
another instance. Recording the id in ``updates_seen`` before the update is handled,
with an insert that does nothing when the id is there already, lets exactly one
post of each update through, on whichever instance: two concurrent inserts of one
id are settled by the primary key (on PostgreSQL the second waits for the first's
transaction, then finds the row). Like every repository function they take the
session keyword-only and never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import UpdateSeen

__all__ = ["first_time", "limit_statement_time", "prune"]

UPDATES_SEEN = cast(Table, UpdateSeen.__table__)


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def first_time(*, session: Session, update_id: int, now: datetime) -> bool:
    """Record ``update_id`` as taken at ``now``: whether it is new (``False``: it was
    taken before, here or by another instance, and is not to be handled again). The
    answer holds once the caller's transaction commits."""
    insert = postgresql.insert if _is_postgresql(session) else sqlite.insert
    statement = (
        insert(UPDATES_SEEN)
        .values(update_id=update_id, seen_at=now)
        .on_conflict_do_nothing(index_elements=[UPDATES_SEEN.c.update_id])
        .returning(UPDATES_SEEN.c.update_id)
    )
    return session.execute(statement).first() is not None


def prune(*, session: Session, before: datetime) -> int:
    """Forget the ids taken before ``before`` (Telegram stops redelivering an update
    long before a day has passed); how many were forgotten. One range of the
    ``seen_at`` index."""
    result = session.execute(
        delete(UpdateSeen)
        .where(UpdateSeen.seen_at < before)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def limit_statement_time(*, session: Session, seconds: float) -> None:
    """Let no statement of this transaction run longer than ``seconds`` (PostgreSQL:
    ``statement_timeout`` for the transaction only, so one waiting on a lock fails
    instead of holding its thread). SQLite has only the engine's busy timeout."""
    if _is_postgresql(session):
        milliseconds = str(max(1, round(seconds * 1000)))
        session.execute(select(func.set_config("statement_timeout", milliseconds, True)))
