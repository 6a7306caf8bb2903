"""Data rights: everything stored about one user, and erasing it.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot.domain.flood import user_key
from bot.store.models import (
    Checkin,
    CheckinAnswer,
    FloodWindow,
    Mirror,
    NudgeDelivery,
    Pairing,
    TipShown,
    User,
)


def export_user(*, session: Session, user: User) -> dict[str, object]:
    """Everything stored about one user, and nothing about anyone else."""

    def stamp(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    checkins = session.scalars(
        select(Checkin).where(Checkin.user_id == user.id).order_by(Checkin.id)
    ).all()
    answers = session.scalars(
        select(CheckinAnswer)
        .join(Checkin, Checkin.id == CheckinAnswer.checkin_id)
        .where(Checkin.user_id == user.id)
        .order_by(CheckinAnswer.id)
    ).all()
    by_checkin: dict[int, list[dict[str, object]]] = {}
    for answer in answers:
        by_checkin.setdefault(answer.checkin_id, []).append(
            {
                "question": answer.question_id,
                "value": answer.value,
                "answered_at": stamp(answer.answered_at),
            }
        )
    tips = session.scalars(
        select(TipShown).where(TipShown.user_id == user.id).order_by(TipShown.id)
    ).all()
    deliveries = session.scalars(
        select(NudgeDelivery).where(NudgeDelivery.user_id == user.id).order_by(NudgeDelivery.id)
    ).all()
    return {
        "settings": {
            "platform": user.platform,
            "platform_user_id": user.platform_user_id,
            "chat_id": user.chat_id,
            "language": user.language,
            "chosen_language": user.chosen_language,
            "partner_wording": user.partner,
            "partner_name": user.partner_name,
            "consented_at": stamp(user.consented_at),
            "awaiting_input": user.awaiting,
            "timezone": user.timezone,
            "daily_tip": {
                "on": user.nudges_enabled,
                "time": user.nudge_time,
                "next": stamp(user.next_nudge_at),
            },
            "weekly_checkin_reminder": {
                "on": user.reminder_enabled,
                "weekday": user.reminder_weekday,
                "time": user.reminder_time,
                "next": stamp(user.next_reminder_at),
            },
            "safety_note_active": user.safety_flag,
            "blocked_at": stamp(user.blocked_at),
            "blocked_reason": user.blocked_reason,
            "settings_version": user.settings_version,
            "created_at": stamp(user.created_at),
        },
        "tips_shown": [  # older shows of a tip folded into one: how many, and the last
            {"tip": t.tip_id, "shown_at": stamp(t.shown_at), "via": t.source, "times": t.times}
            for t in tips
        ],
        "checkins": [
            {
                "id": c.id,
                "format": c.format,
                "started_at": stamp(c.started_at),
                "finished_at": stamp(c.finished_at),
                "status": c.status,
                "position": c.position,
                "corrects_checkin": c.revises_id,
                "balance": c.balance,
                "needs_care": c.weakest_area,
                "needs_care_strategy": c.weakest_strategy,
                "reassess_note": c.reassess,
                "partner_carrying_note": c.partner_carrying,
                "safety_note_shown": c.safety_shown,
                "answers": by_checkin.get(c.id, []),
            }
            for c in checkins
        ],
        "deliveries": [
            {
                "kind": d.kind,
                "local_date": d.local_date.isoformat(),
                "status": d.status,
                "due_at": stamp(d.due_at),
                "attempts": d.attempts,
                "next_attempt_at": stamp(d.next_attempt_at),
                "sent_at": stamp(d.sent_at),
                "error": d.error,
                "tip": d.tip_id,
                "pairing_message_ref": d.ref,
            }
            for d in deliveries
        ],
        **_pairing(session, user, stamp),
    }


def _pairing(
    session: Session, user: User, stamp: Callable[[datetime | None], str | None]
) -> dict[str, object]:
    """The user's pairing (or open invitation), the mirrors they received, and what
    their partner was shown about them (the partner's mirrors, which compare views and
    hold no answers)."""
    pairing = session.scalars(
        select(Pairing).where(or_(Pairing.inviter_id == user.id, Pairing.partner_id == user.id))
    ).first()
    if pairing is None:
        return {"pairing": None, "mirrors_received": [], "shown_to_partner": []}
    other = pairing.other(user.id)
    mirrors = session.scalars(
        select(Mirror).where(Mirror.pairing_id == pairing.id).order_by(Mirror.id)
    ).all()

    def mirror(m: Mirror) -> dict[str, object]:
        return {
            "week_of": m.week.isoformat(),
            "made_at": stamp(m.created_at),
            "areas": m.areas,
            "answers_shown": m.answers_shown,
            "checkin": m.reader_checkin_id,
            "partners_checkin": m.partner_checkin_id,
        }

    return {
        "pairing": {
            "you": "invited" if pairing.inviter_id == user.id else "accepted an invitation",
            "paired": pairing.partner_id is not None,
            "invited_at": stamp(pairing.created_at),
            "invitation_expires_at": stamp(pairing.expires_at),
            "invitation_code_sha256": pairing.code_hash,
            "accepted_at": stamp(pairing.accepted_at),
            "your_first_name_as_shown": pairing.first_name_of(user.id),
            "partner_first_name_as_shown": pairing.first_name_of(other) if other else None,
            "you_show_your_answers": pairing.shows(user.id),
            "partner_shows_their_answers": pairing.shows(other) if other else False,
            "paused_by_you": pairing.paused_by == user.id,
        },
        "mirrors_received": [mirror(m) for m in mirrors if m.reader_id == user.id],
        "shown_to_partner": [mirror(m) for m in mirrors if m.reader_id != user.id],
    }


def delete_user(*, session: Session, user_id: int) -> None:
    """Remove every row about the user, in every table (not left to the foreign keys'
    cascades: SQLite enforces them only with its pragma on), their pairing and every
    mirror of it included (the partner's own check-ins and settings stay whole)."""
    pairing_ids = select(Pairing.id).where(
        or_(Pairing.inviter_id == user_id, Pairing.partner_id == user_id)
    )
    session.execute(
        delete(Mirror).where(
            or_(Mirror.pairing_id.in_(pairing_ids.scalar_subquery()), Mirror.reader_id == user_id)
        )
    )
    session.execute(
        delete(Pairing).where(or_(Pairing.inviter_id == user_id, Pairing.partner_id == user_id))
    )
    checkin_ids = select(Checkin.id).where(Checkin.user_id == user_id).scalar_subquery()
    session.execute(delete(CheckinAnswer).where(CheckinAnswer.checkin_id.in_(checkin_ids)))
    session.execute(delete(Checkin).where(Checkin.user_id == user_id))
    session.execute(delete(TipShown).where(TipShown.user_id == user_id))
    session.execute(delete(NudgeDelivery).where(NudgeDelivery.user_id == user_id))
    user = session.get(User, user_id)
    if user is not None:  # their flood limit's counter, known by a digest of their id
        key = user_key(user.platform, user.platform_user_id)
        session.execute(delete(FloodWindow).where(FloodWindow.user_key == key))
    session.execute(delete(User).where(User.id == user_id))
