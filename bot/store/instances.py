"""The sending instances' heartbeats: how the processes on one database know how many
of them share the nudge budget.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.store.models import SenderInstance

__all__ = ["Heartbeat", "beat", "live"]


@dataclass(frozen=True)
class Heartbeat:
    """An instance's last word: when, how many sending instances it has taken its
    share for, what its recent sends still hold of the window (``holds``, as
    :func:`scheduler.budget.encode_holds` writes it), and whether it has stopped."""

    instance_id: str
    seen_at: datetime
    sees: int
    holds: str
    left: bool


def beat(
    *, session: Session, instance_id: str, now: datetime, sees: int, holds: str, left: bool = False
) -> None:
    """This instance is sending, as of ``now`` (or, ``left``, has just stopped), has
    taken its share for ``sees`` sending instances, and its recent sends hold
    ``holds`` of the window."""
    values = {"seen_at": now, "sees": sees, "holds": holds, "left": left}
    changed = session.execute(
        update(SenderInstance).where(SenderInstance.id == instance_id).values(**values)
    )
    if not changed.rowcount:  # type: ignore[attr-defined]
        session.add(SenderInstance(id=instance_id, started_at=now, **values))
        session.flush()


def live(*, session: Session, since: datetime, left_since: datetime) -> list[Heartbeat]:
    """The instances heard from since ``since`` (and those that left since
    ``left_since``), in id order: every instance sorts them alike, so each knows its
    rank. Older heartbeats are deleted: those instances are gone, and their sends
    have left the window."""
    session.execute(
        delete(SenderInstance).where(
            or_(
                SenderInstance.seen_at < since,
                and_(SenderInstance.left.is_(True), SenderInstance.seen_at < left_since),
            )
        )
    )
    rows = session.execute(
        select(
            SenderInstance.id,
            SenderInstance.seen_at,
            SenderInstance.sees,
            SenderInstance.holds,
            SenderInstance.left,
        ).order_by(SenderInstance.id)
    )
    return [Heartbeat(*row) for row in rows]
