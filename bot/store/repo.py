"""Repository functions. Each takes the session keyword-only and never commits:
the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.models import Checkin, CheckinAnswer, NudgeDelivery, TipShown, User


def get_user(*, session: Session, platform_user_id: int) -> User | None:
    return session.scalar(select(User).where(User.platform_user_id == platform_user_id))


def create_user(
    *,
    session: Session,
    platform_user_id: int,
    chat_id: int,
    language: str | None,
    timezone: str,
    nudge_time: str,
    now: datetime,
) -> User:
    user = User(
        platform_user_id=platform_user_id,
        chat_id=chat_id,
        language=(language or None) and language[:16],
        timezone=timezone,
        nudge_time=nudge_time,
        nudges_enabled=False,
        next_nudge_at=None,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def shown_tip_ids(*, session: Session, user_id: int) -> list[str]:
    """Every tip id shown to the user, repeats included."""
    return list(session.scalars(select(TipShown.tip_id).where(TipShown.user_id == user_id)))


def record_tip_shown(
    *, session: Session, user_id: int, tip_id: str, source: str, now: datetime
) -> None:
    session.add(TipShown(user_id=user_id, tip_id=tip_id, source=source, shown_at=now))


def due_users(
    *, session: Session, now: datetime, limit: int, kind: str = "nudge"
) -> Sequence[User]:
    """Users whose next daily tip (or weekly reminder) instant has come, oldest first.

    One range scan on the index of that column. On PostgreSQL the rows are
    locked and rows locked by another instance skipped, so that several bot
    processes share the work without overlap.
    """
    column = User.next_nudge_at if kind == "nudge" else User.next_reminder_at
    query = select(User).where(column <= now).order_by(column).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalars(query).all()


def add_delivery(
    *,
    session: Session,
    user_id: int,
    local_date: date,
    due_at: datetime,
    now: datetime,
    kind: str = "nudge",
) -> NudgeDelivery | None:
    """Record the nudge of ``kind`` for ``local_date``; ``None`` if that day has one."""
    delivery = NudgeDelivery(
        user_id=user_id,
        kind=kind,
        local_date=local_date,
        due_at=due_at,
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    try:
        with session.begin_nested():
            session.add(delivery)
    except IntegrityError:
        return None
    return delivery


def claim_deliveries(
    *, session: Session, now: datetime, lease: timedelta, limit: int
) -> Sequence[NudgeDelivery]:
    """Take up to ``limit`` deliveries that are ready to send.

    Ready: pending ones whose time has come, and ones left "sending" by a
    process that did not come back before its lease ran out. One ``UPDATE ...
    RETURNING`` claims them atomically (on PostgreSQL the inner select also
    skips rows another instance is claiming), so no two ticks or processes
    ever hold the same delivery; claimed rows get a new lease.
    """
    ready = (
        select(NudgeDelivery.id)
        .where(
            NudgeDelivery.status.in_(("pending", "sending")),
            NudgeDelivery.next_attempt_at <= now,
        )
        .order_by(NudgeDelivery.next_attempt_at)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        ready = ready.with_for_update(skip_locked=True)
    claimed = (
        update(NudgeDelivery)
        .where(NudgeDelivery.id.in_(ready.scalar_subquery()))
        .values(
            status="sending",
            attempts=NudgeDelivery.attempts + 1,
            next_attempt_at=now + lease,
        )
        .returning(NudgeDelivery)
        .execution_options(synchronize_session=False)
    )
    return session.scalars(claimed).all()


def prune_deliveries(*, session: Session, before: date, limit: int) -> int:
    """Delete up to ``limit`` finished deliveries of local days before ``before``."""
    old = (
        select(NudgeDelivery.id)
        .where(NudgeDelivery.local_date < before, NudgeDelivery.status.in_(("sent", "failed")))
        .limit(limit)
    )
    result = session.execute(
        delete(NudgeDelivery)
        .where(NudgeDelivery.id.in_(old.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def delivery_for(*, session: Session, delivery_id: int, user_id: int) -> NudgeDelivery | None:
    delivery = session.get(NudgeDelivery, delivery_id)
    return delivery if delivery is not None and delivery.user_id == user_id else None


def get_delivery(*, session: Session, delivery_id: int) -> NudgeDelivery | None:
    return session.get(NudgeDelivery, delivery_id)


# --- check-ins -------------------------------------------------------------------------


def open_checkin(*, session: Session, user_id: int) -> Checkin | None:
    query = select(Checkin).where(Checkin.user_id == user_id, Checkin.status == "open")
    return session.scalars(query.order_by(Checkin.id.desc()).limit(1)).first()


def get_checkin(*, session: Session, checkin_id: int, user_id: int) -> Checkin | None:
    """The check-in, only if it belongs to ``user_id``."""
    checkin = session.get(Checkin, checkin_id)
    return checkin if checkin is not None and checkin.user_id == user_id else None


def start_checkin(*, session: Session, user_id: int, now: datetime) -> Checkin:
    """A new check-in; any open one of the same user is cancelled."""
    for previous in session.scalars(
        select(Checkin).where(Checkin.user_id == user_id, Checkin.status == "open")
    ):
        previous.status = "cancelled"
    checkin = Checkin(
        user_id=user_id,
        status="open",
        position=0,
        started_at=now,
        reassess=False,
        safety_shown=False,
    )
    session.add(checkin)
    session.flush()
    return checkin


def save_answer(
    *, session: Session, checkin_id: int, question_id: str, value: int | None, now: datetime
) -> None:
    """Insert or replace the answer to one question (``None``: skipped)."""
    answer = session.scalar(
        select(CheckinAnswer).where(
            CheckinAnswer.checkin_id == checkin_id, CheckinAnswer.question_id == question_id
        )
    )
    if answer is None:
        session.add(
            CheckinAnswer(
                checkin_id=checkin_id, question_id=question_id, value=value, answered_at=now
            )
        )
    else:
        answer.value, answer.answered_at = value, now
    session.flush()


def answers_of(*, session: Session, checkin_id: int) -> dict[str, int | None]:
    rows = session.execute(
        select(CheckinAnswer.question_id, CheckinAnswer.value).where(
            CheckinAnswer.checkin_id == checkin_id
        )
    )
    return {question_id: value for question_id, value in rows}


def finished_checkins(*, session: Session, user_id: int, limit: int) -> list[Checkin]:
    """The user's latest finished check-ins, newest first."""
    query = (
        select(Checkin)
        .where(Checkin.user_id == user_id, Checkin.status == "done")
        .order_by(Checkin.finished_at.desc(), Checkin.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


# --- data rights and operations --------------------------------------------------------


def mark_unreachable(*, session: Session, user: User, reason: str, now: datetime) -> None:
    """The user blocked the bot (or is gone): no more messages until they come back."""
    user.nudges_enabled = False
    user.next_nudge_at = None
    user.reminder_enabled = False
    user.next_reminder_at = None
    user.blocked_at = now
    user.blocked_reason = reason[:200]


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
            "telegram_user_id": user.platform_user_id,
            "chat_id": user.chat_id,
            "language": user.language,
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
            },
            "safety_note_active": user.safety_flag,
            "blocked_at": stamp(user.blocked_at),
            "created_at": stamp(user.created_at),
        },
        "tips_shown": [
            {"tip": t.tip_id, "shown_at": stamp(t.shown_at), "via": t.source} for t in tips
        ],
        "checkins": [
            {
                "started_at": stamp(c.started_at),
                "finished_at": stamp(c.finished_at),
                "status": c.status,
                "balance": c.balance,
                "needs_care": c.weakest_area,
                "answers": by_checkin.get(c.id, []),
            }
            for c in checkins
        ],
        "deliveries": [
            {
                "kind": d.kind,
                "local_date": d.local_date.isoformat(),
                "status": d.status,
                "attempts": d.attempts,
                "sent_at": stamp(d.sent_at),
                "tip": d.tip_id,
            }
            for d in deliveries
        ],
    }


def delete_user(*, session: Session, user_id: int) -> None:
    """Remove every row about the user, in every table."""
    checkin_ids = select(Checkin.id).where(Checkin.user_id == user_id).scalar_subquery()
    session.execute(delete(CheckinAnswer).where(CheckinAnswer.checkin_id.in_(checkin_ids)))
    session.execute(delete(Checkin).where(Checkin.user_id == user_id))
    session.execute(delete(TipShown).where(TipShown.user_id == user_id))
    session.execute(delete(NudgeDelivery).where(NudgeDelivery.user_id == user_id))
    session.execute(delete(User).where(User.id == user_id))


def stats(*, session: Session, day_start: datetime, week_start: datetime) -> dict[str, int]:
    """Counts for the operator: users, opt-ins, today's deliveries, the week's check-ins."""

    def count(query: object) -> int:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]

    return {
        "users": count(select(func.count(User.id))),
        "opted_in": count(select(func.count(User.id)).where(User.nudges_enabled)),
        "weekly_reminders": count(select(func.count(User.id)).where(User.reminder_enabled)),
        "nudges_sent_today": count(
            select(func.count(NudgeDelivery.id)).where(
                NudgeDelivery.status == "sent", NudgeDelivery.sent_at >= day_start
            )
        ),
        "nudges_failed_today": count(
            select(func.count(NudgeDelivery.id)).where(
                NudgeDelivery.status == "failed", NudgeDelivery.due_at >= day_start
            )
        ),
        "nudges_waiting": count(
            select(func.count(NudgeDelivery.id)).where(
                NudgeDelivery.status.in_(("pending", "sending"))
            )
        ),
        "checkins_this_week": count(
            select(func.count(Checkin.id)).where(
                Checkin.status == "done", Checkin.finished_at >= week_start
            )
        ),
        "blocked_users": count(select(func.count(User.id)).where(User.blocked_at.is_not(None))),
    }
