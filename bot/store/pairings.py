"""The pairings aggregate: an invitation or a pair, and the mirrors of its weeks.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.store.models import Mirror, Pairing

__all__ = [
    "accept",
    "add_mirror",
    "end",
    "find_invitation",
    "invite",
    "latest_mirror",
    "mirror_of",
    "mirrored_checkins",
    "mirrors_of_pairing",
    "pairing_of",
    "prune_invitations",
]


def pairing_of(*, session: Session, user_id: int, lock: bool = False) -> Pairing | None:
    """The user's pairing, or their open invitation (at most one of either). ``lock``:
    held until the transaction ends (PostgreSQL), for a change that depends on it."""
    query = select(Pairing).where(or_(Pairing.inviter_id == user_id, Pairing.partner_id == user_id))
    if lock:
        query = query.with_for_update()
    return session.scalars(query.order_by(Pairing.id).limit(1)).first()


def invite(
    *,
    session: Session,
    inviter_id: int,
    code_hash: str,
    first_name: str | None,
    now: datetime,
    expires_at: datetime,
) -> Pairing:
    """A new invitation; one still open from before is replaced (its code no longer
    works)."""
    session.execute(
        delete(Pairing).where(Pairing.inviter_id == inviter_id, Pairing.partner_id.is_(None))
    )
    pairing = Pairing(
        inviter_id=inviter_id,
        code_hash=code_hash,
        expires_at=expires_at,
        created_at=now,
        inviter_first_name=first_name,
        inviter_shows=False,
        partner_shows=False,
    )
    session.add(pairing)
    session.flush()
    return pairing


def find_invitation(*, session: Session, code_hash: str, now: datetime) -> Pairing | None:
    """The open invitation with this code, if it has not expired."""
    pairing = session.scalars(select(Pairing).where(Pairing.code_hash == code_hash)).first()
    if pairing is None or pairing.partner_id is not None:
        return None
    if pairing.expires_at is None or pairing.expires_at <= now:
        return None
    return pairing


def accept(
    *,
    session: Session,
    pairing: Pairing,
    code_hash: str,
    partner_id: int,
    first_name: str | None,
    now: datetime,
) -> bool:
    """Take the invitation: one conditional update, so that of two people opening the
    same code at once only one pairs (single use). The partner's own open invitation
    goes. ``False``: someone else took it first."""
    session.execute(
        delete(Pairing).where(Pairing.inviter_id == partner_id, Pairing.partner_id.is_(None))
    )
    taken = session.execute(
        update(Pairing)
        .where(
            Pairing.id == pairing.id,
            Pairing.code_hash == code_hash,
            Pairing.partner_id.is_(None),
        )
        .values(
            partner_id=partner_id,
            partner_first_name=first_name,
            accepted_at=now,
            code_hash=None,
            expires_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        return False
    session.refresh(pairing)
    return True


def end(*, session: Session, pairing: Pairing) -> None:
    """The pairing (or invitation) is over: its row and every mirror of it go."""
    session.execute(delete(Mirror).where(Mirror.pairing_id == pairing.id))
    session.delete(pairing)
    session.flush()


def prune_invitations(*, session: Session, now: datetime) -> int:
    """Delete invitations that expired unanswered."""
    result = session.execute(
        delete(Pairing)
        .where(Pairing.partner_id.is_(None), Pairing.expires_at <= now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def add_mirror(
    *,
    session: Session,
    pairing_id: int,
    reader_id: int,
    week: date,
    reader_checkin_id: int,
    partner_checkin_id: int,
    areas: str,
    answers_shown: bool,
    now: datetime,
) -> Mirror:
    mirror = Mirror(
        pairing_id=pairing_id,
        reader_id=reader_id,
        week=week,
        reader_checkin_id=reader_checkin_id,
        partner_checkin_id=partner_checkin_id,
        areas=areas,
        answers_shown=answers_shown,
        created_at=now,
    )
    session.add(mirror)
    session.flush()
    return mirror


def mirror_of(*, session: Session, pairing_id: int, reader_id: int, week: date) -> Mirror | None:
    return session.scalars(
        select(Mirror).where(
            Mirror.pairing_id == pairing_id, Mirror.reader_id == reader_id, Mirror.week == week
        )
    ).first()


def latest_mirror(*, session: Session, pairing_id: int, reader_id: int) -> Mirror | None:
    return session.scalars(
        select(Mirror)
        .where(Mirror.pairing_id == pairing_id, Mirror.reader_id == reader_id)
        .order_by(Mirror.week.desc(), Mirror.id.desc())
        .limit(1)
    ).first()


def mirrors_of_pairing(*, session: Session, pairing_id: int) -> list[Mirror]:
    """Every mirror of the pairing, both readers', oldest first."""
    return list(
        session.scalars(select(Mirror).where(Mirror.pairing_id == pairing_id).order_by(Mirror.id))
    )


def mirrored_checkins(*, session: Session, reader_id: int) -> set[int]:
    """The reader's check-ins that are part of a mirror they received."""
    rows = session.scalars(
        select(Mirror.reader_checkin_id).where(
            Mirror.reader_id == reader_id, Mirror.reader_checkin_id.is_not(None)
        )
    )
    return {r for r in rows if r is not None}
