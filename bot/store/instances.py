"""The sending instances' heartbeats: how the processes on one database know how many
of them share the nudge budget.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.store.models import SenderInstance

__all__ = ["beat", "leave", "live"]


def beat(*, session: Session, instance_id: str, now: datetime, sees: int) -> None:
    """This instance is sending, as of ``now``, and has taken its share for ``sees``
    sending instances."""
    changed = session.execute(
        update(SenderInstance)
        .where(SenderInstance.id == instance_id)
        .values(seen_at=now, sees=sees)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        session.add(SenderInstance(id=instance_id, started_at=now, seen_at=now, sees=sees))
        session.flush()


def live(*, session: Session, since: datetime) -> list[tuple[str, int]]:
    """The instances heard from since ``since`` and how many each sees, in id order
    (every instance sorts them alike, so each knows its rank); older heartbeats are
    deleted: those are gone."""
    session.execute(delete(SenderInstance).where(SenderInstance.seen_at < since))
    rows = session.execute(
        select(SenderInstance.id, SenderInstance.sees).order_by(SenderInstance.id)
    )
    return [(instance_id, sees) for instance_id, sees in rows]


def leave(*, session: Session, instance_id: str) -> None:
    """This instance stopped sending: its share goes to the others."""
    session.execute(delete(SenderInstance).where(SenderInstance.id == instance_id))
