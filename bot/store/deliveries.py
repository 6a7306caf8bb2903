"""The nudge outbox: a delivery row per user, kind and local day.

The tick's steps (plan, claim, mark, prune) handle thousands of users in a minute,
so they work on many rows per statement with Core statements on the ORM's tables
(no unit of work, no per-row flush), which keeps each of the scheduler's write
transactions to a few milliseconds: commands answered meanwhile never wait long for
the store. What one update does to its user's deliveries (a snooze, a withdrawal,
the days that already have a tip) goes through the ORM. Like every repository
function they take the session keyword-only and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy import (
    Insert,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store import tips as tip_store
from bot.store.models import (
    PAIRING_KINDS,
    DeliveryKind,
    DeliveryStatus,
    NudgeDelivery,
    TipShown,
    TipSource,
    User,
)

__all__ = [
    "Claimed",
    "DeliveryKind",
    "DeliveryStatus",
    "DueSlot",
    "NewDelivery",
    "NextInstant",
    "Sent",
    "Unsent",
    "add_deliveries",
    "claim",
    "daily_tip_days",
    "delivery_for",
    "due_query",
    "due_slots",
    "far_instants",
    "mark_sent",
    "mark_unsent",
    "prune",
    "queue",
    "release",
    "set_next_instants",
    "still_claimed",
    "withdraw",
]

DELIVERIES = cast(Table, NudgeDelivery.__table__)
USERS = cast(Table, User.__table__)
TIPS_SHOWN = cast(Table, TipShown.__table__)
# Statuses of a delivery that will not go out (again). A day whose delivery was not
# sent (failed, or skipped because the user no longer wanted it) may be planned anew.
FINISHED = (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)
NOT_SENT = (DeliveryStatus.FAILED, DeliveryStatus.SKIPPED)


@dataclass(frozen=True)
class DueSlot:
    """A user whose daily tip (or weekly reminder) instant has come."""

    user_id: int
    timezone: str
    at: str  # local "HH:MM"
    due: datetime
    enabled: bool
    weekday: int


@dataclass(frozen=True)
class NewDelivery:
    user_id: int
    kind: DeliveryKind
    local_date: date
    due_at: datetime


@dataclass(frozen=True)
class Claimed:
    """A delivery leased for sending, with what sending it needs."""

    delivery_id: int
    user_id: int
    platform: str  # where the user is: the sender of that platform delivers it
    chat_id: int
    language: str | None  # the user's language code, for the message's texts
    partner: str  # how the texts speak of their partner ("he", "she", "they")
    kind: DeliveryKind
    tip_id: str | None
    again: bool  # sent before: the user asked to see it later
    attempts: int
    ref: int = 0  # a pairing's message: the pairing (or the mirror) it belongs to
    local_date: date | None = None  # its local day (a partner's reminder: its week)
    due_at: datetime | None = None  # when it was due: it is given up only past the grace


@dataclass(frozen=True)
class Sent:
    """A claimed delivery that went out, with the tip it carried."""

    delivery_id: int
    user_id: int
    tip_id: str | None
    again: bool  # the tip was shown before (asked for later): not recorded twice


@dataclass(frozen=True)
class Unsent:
    """A claimed delivery that did not go out: ``PENDING`` again from ``next_attempt_at``
    (``None``: the instant it had), or ``FAILED`` for good."""

    delivery_id: int
    status: DeliveryStatus
    error: str | None
    next_attempt_at: datetime | None = None


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def due_query(
    *, session: Session, now: datetime, limit: int, kind: DeliveryKind
) -> Select[int, str, str, datetime | None, bool, int]:
    """The statement :func:`due_slots` runs (its plan is tested to use the index)."""
    nudge = kind == DeliveryKind.NUDGE
    due = User.next_nudge_at if nudge else User.next_reminder_at
    query = (
        select(
            User.id,
            User.timezone,
            User.nudge_time if nudge else User.reminder_time,
            due,
            User.nudges_enabled if nudge else User.reminder_enabled,
            User.reminder_weekday,
        )
        .where(due <= now)
        .order_by(due)
        .limit(limit)
    )
    if _is_postgresql(session):
        query = query.with_for_update(skip_locked=True)
    return query


def due_slots(*, session: Session, now: datetime, limit: int, kind: DeliveryKind) -> list[DueSlot]:
    """Users whose next instant of ``kind`` has come, oldest first: one range scan of
    that column's index. On PostgreSQL the rows are locked and rows another instance
    holds are skipped, so several processes share the work without overlap."""
    query = due_query(session=session, now=now, limit=limit, kind=kind)
    return [
        DueSlot(user_id, timezone, at, due_at, enabled, weekday)
        for user_id, timezone, at, due_at, enabled, weekday in session.execute(query)
        if due_at is not None
    ]


def _add_deliveries(insert: postgresql.Insert | sqlite.Insert) -> Insert:
    """INSERT ... ON CONFLICT (user, kind, local day): a day whose delivery was never
    sent (failed, or skipped) is planned anew; any other is left as it is."""
    return insert.on_conflict_do_update(
        index_elements=[
            DELIVERIES.c.user_id,
            DELIVERIES.c.kind,
            DELIVERIES.c.local_date,
            DELIVERIES.c.ref,
        ],
        set_={
            "due_at": insert.excluded.due_at,
            "status": insert.excluded.status,
            "attempts": insert.excluded.attempts,
            "next_attempt_at": insert.excluded.next_attempt_at,
            "tip_id": None,
            "sent_at": None,
            "error": None,
        },
        # not ``in_``: its list parameter cannot be sent as executemany
        where=or_(*(DELIVERIES.c.status == status for status in NOT_SENT)),
    ).returning(DELIVERIES.c.id)


_PG_ADD_DELIVERIES = _add_deliveries(postgresql.insert(DELIVERIES))
_SQLITE_ADD_DELIVERIES = _add_deliveries(sqlite.insert(DELIVERIES))


def add_deliveries(*, session: Session, deliveries: Sequence[NewDelivery], now: datetime) -> int:
    """Record these deliveries in one statement; one that its user already has for
    that kind and local day is left out (the unique key), unless that one was never
    sent (failed or skipped): it is planned anew. Returns how many were new."""
    if not deliveries:
        return 0
    values = [
        {
            "user_id": d.user_id,
            "kind": d.kind,
            "local_date": d.local_date,
            "due_at": d.due_at,
            "status": DeliveryStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "ref": 0,
        }
        for d in deliveries
    ]
    # one statement built once, its rows sent in batches (SQLAlchemy's "insertmanyvalues")
    # rather than a statement with every row's values compiled anew for each batch
    statement = _PG_ADD_DELIVERIES if _is_postgresql(session) else _SQLITE_ADD_DELIVERIES
    return len(session.execute(statement, values).all())


@dataclass(frozen=True)
class NextInstant:
    """When a user's next daily tip (or reminder) is due (``None``: none planned)."""

    user_id: int
    at: datetime | None


def set_next_instants(
    *, session: Session, kind: DeliveryKind, upcoming: Iterable[NextInstant]
) -> None:
    """Move each user's next daily tip (or reminder) instant."""
    column = "next_nudge_at" if kind == DeliveryKind.NUDGE else "next_reminder_at"
    params = [{"uid": n.user_id, "next": n.at} for n in upcoming]
    if params:
        statement = (
            update(USERS).where(USERS.c.id == bindparam("uid")).values({column: bindparam("next")})
        )
        session.execute(statement, params)


# Reminders to check in (the weekly one, and a partner's) go only while the weekly
# reminder is on (/stop turns it off); the pairing's other messages answer something
# the user did (invited, checked in) and go while they can be reached.
REMINDERS = (DeliveryKind.REMINDER, DeliveryKind.PARTNER_REMINDER)
ANSWERS = tuple(k for k in PAIRING_KINDS if k not in REMINDERS)
# Whether the user of the delivery being claimed still wants it, as of now: reachable,
# and the daily tip (or the weekly reminder) still on. When not, why.
_WANTED = and_(
    USERS.c.blocked_at.is_(None),
    or_(
        and_(DELIVERIES.c.kind.in_(REMINDERS), USERS.c.reminder_enabled),
        and_(DELIVERIES.c.kind == DeliveryKind.NUDGE, USERS.c.nudges_enabled),
        DELIVERIES.c.kind.in_(ANSWERS),
    ),
)
_UNWANTED_BECAUSE = case(
    (USERS.c.blocked_at.is_not(None), "blocked"),
    (DELIVERIES.c.kind.in_(REMINDERS), "reminder off"),
    else_="daily tip off",
)


def claim(*, session: Session, now: datetime, lease: timedelta, limit: int) -> list[Claimed]:
    """Take up to ``limit`` deliveries that are ready to send.

    Ready: pending ones whose time has come, and ones left "sending" by a
    process that did not come back before its lease ran out. One ``UPDATE ...
    FROM users ... RETURNING`` claims them atomically (on PostgreSQL the inner
    select also skips rows another instance is claiming), so no two ticks or
    processes ever hold the same delivery; claimed rows get a new lease.

    Consent is checked here, at send time, not only when the delivery was planned:
    a delivery whose user has turned it off since, or blocked the bot, is not handed
    out but finished in the same statement: skipped, with the reason in ``error`` (a
    tip the user had asked to see again later goes back to sent, which it was).
    """
    ready = (
        select(NudgeDelivery.id)
        .where(
            NudgeDelivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING)),
            NudgeDelivery.next_attempt_at <= now,
        )
        .order_by(NudgeDelivery.next_attempt_at)
        .limit(limit)
    )
    if _is_postgresql(session):
        ready = ready.with_for_update(skip_locked=True)
    rows = session.execute(
        update(DELIVERIES)
        .where(DELIVERIES.c.id.in_(ready.scalar_subquery()), DELIVERIES.c.user_id == USERS.c.id)
        .values(
            status=case(
                (_WANTED, DeliveryStatus.SENDING),
                (DELIVERIES.c.sent_at.is_not(None), DeliveryStatus.SENT),
                else_=DeliveryStatus.SKIPPED,
            ),
            attempts=case((_WANTED, DELIVERIES.c.attempts + 1), else_=DELIVERIES.c.attempts),
            next_attempt_at=case((_WANTED, now + lease), else_=DELIVERIES.c.next_attempt_at),
            error=case((_WANTED, DELIVERIES.c.error), else_=_UNWANTED_BECAUSE),
        )
        .returning(
            DELIVERIES.c.id,
            DELIVERIES.c.user_id,
            DELIVERIES.c.kind,
            DELIVERIES.c.tip_id,
            DELIVERIES.c.sent_at,
            DELIVERIES.c.attempts,
            DELIVERIES.c.status,
            DELIVERIES.c.ref,
            DELIVERIES.c.local_date,
            DELIVERIES.c.due_at,
        )
    ).all()
    claimed = [row for row in rows if row.status == DeliveryStatus.SENDING]
    if not claimed:
        return []
    users = select(
        User.id,
        User.platform,
        User.chat_id,
        func.coalesce(User.chosen_language, User.language).label("language"),
        User.partner,
    ).where(User.id.in_({row.user_id for row in claimed}))
    reach = {user.id: user for user in session.execute(users)}
    return sorted(
        (
            Claimed(
                delivery_id=row.id,
                user_id=row.user_id,
                platform=reach[row.user_id].platform,
                chat_id=reach[row.user_id].chat_id,
                language=reach[row.user_id].language,
                partner=reach[row.user_id].partner,
                kind=DeliveryKind(row.kind),
                tip_id=row.tip_id,
                again=row.sent_at is not None,
                attempts=row.attempts,
                ref=row.ref,
                local_date=row.local_date,
                due_at=row.due_at,
            )
            for row in claimed
            if row.user_id in reach
        ),
        key=lambda c: c.delivery_id,
    )


def mark_sent(*, session: Session, sent: Sequence[Sent], now: datetime) -> None:
    """These went out: mark them sent, and record each tip as shown (once: not again
    when the user had asked to see it later)."""
    if not sent:
        return
    session.execute(
        update(DELIVERIES)
        .where(DELIVERIES.c.id == bindparam("did"))
        .values(status=DeliveryStatus.SENT, sent_at=now, error=None, tip_id=bindparam("tip")),
        [{"did": s.delivery_id, "tip": s.tip_id} for s in sent],
    )
    shown = [
        {"user_id": s.user_id, "tip_id": s.tip_id, "source": TipSource.NUDGE, "shown_at": now}
        for s in sent
        if s.tip_id and not s.again
    ]
    present: set[int] = set()
    if shown:  # a user who deleted everything meanwhile is not written back
        present = set(
            session.scalars(select(User.id).where(User.id.in_({r["user_id"] for r in shown})))
        )
        shown = [r for r in shown if r["user_id"] in present]
    if shown:
        session.execute(TIPS_SHOWN.insert(), shown)
        # a history of daily tips only stays bounded too (see bot.store.tips)
        users = {s.user_id for s in sent if s.user_id in present}
        tip_store.fold_tip_history(session=session, user_ids=users)


def mark_unsent(*, session: Session, unsent: Sequence[Unsent]) -> None:
    """These did not go out: back to pending for a later attempt, or failed for good."""
    if unsent:
        session.execute(
            update(DELIVERIES)
            .where(DELIVERIES.c.id == bindparam("did"))
            .values(
                status=bindparam("new_status"),
                error=bindparam("err"),
                next_attempt_at=func.coalesce(
                    bindparam("at", type_=DELIVERIES.c.next_attempt_at.type),
                    DELIVERIES.c.next_attempt_at,
                ),
            ),
            [
                {
                    "did": u.delivery_id,
                    "new_status": u.status.value,
                    "err": u.error,
                    "at": u.next_attempt_at,
                }
                for u in unsent
            ],
        )


def still_claimed(*, session: Session, claims: Mapping[int, int], now: datetime) -> set[int]:
    """Which of these claims (delivery id: its ``attempts`` when claimed) still stand:
    the delivery is being sent, by that claim (not claimed again since, by this
    process or another), whose lease has not run out. One whose user deleted
    everything meanwhile (or that was withdrawn) is gone."""
    if not claims:
        return set()
    rows = session.execute(
        select(NudgeDelivery.id, NudgeDelivery.attempts, NudgeDelivery.next_attempt_at).where(
            NudgeDelivery.id.in_(list(claims)), NudgeDelivery.status == DeliveryStatus.SENDING
        )
    )
    return {
        delivery_id
        for delivery_id, attempts, lease_ends in rows
        if attempts == claims[delivery_id] and lease_ends > now
    }


def far_instants(
    *, session: Session, kind: DeliveryKind, beyond: datetime, limit: int
) -> list[DueSlot]:
    """Users whose next daily tip (or reminder) lies beyond ``beyond``: further than it
    ever can (the clock was ahead when it was planned, then corrected). A range scan of
    the same index as the due query."""
    nudge = kind == DeliveryKind.NUDGE
    due = User.next_nudge_at if nudge else User.next_reminder_at
    rows = session.execute(
        select(
            User.id,
            User.timezone,
            User.nudge_time if nudge else User.reminder_time,
            due,
            User.nudges_enabled if nudge else User.reminder_enabled,
            User.reminder_weekday,
        )
        .where(due > beyond)
        .limit(limit)
    )
    return [
        DueSlot(user_id, timezone, at, due_at, enabled, weekday)
        for user_id, timezone, at, due_at, enabled, weekday in rows
        if due_at is not None
    ]


def release(*, session: Session, delivery_ids: Sequence[int], now: datetime) -> None:
    """Hand claimed deliveries that were never sent back (the bot is stopping): ready
    at once for another process or the next start, the attempt not counted."""
    if delivery_ids:
        session.execute(
            update(DELIVERIES)
            .where(
                DELIVERIES.c.id.in_(delivery_ids),
                DELIVERIES.c.status == DeliveryStatus.SENDING,
            )
            .values(
                status=DeliveryStatus.PENDING,
                attempts=DELIVERIES.c.attempts - 1,  # the claim counted one
                next_attempt_at=now,
            )
        )


def withdraw(
    *,
    session: Session,
    user_id: int,
    kinds: Sequence[DeliveryKind],
    reason: str,
    ref: int | None = None,
) -> int:
    """The user no longer wants these kinds of messages: their pending deliveries
    (a tip snoozed with "Later", a reminder waiting for a retry) are finished, skipped
    with ``reason`` (a snoozed tip goes back to sent, which it was). Deliveries being
    sent right now are left to the send; should that fail, the next claim checks
    consent again. Returns how many were withdrawn.

    The rows are locked as they are read (PostgreSQL), so a tick claiming them at
    the same moment either has them first (they are then sending, and left alone) or
    waits for this update."""
    pending = session.scalars(
        select(NudgeDelivery)
        .where(
            NudgeDelivery.user_id == user_id,
            NudgeDelivery.kind.in_(kinds),
            NudgeDelivery.status == DeliveryStatus.PENDING,
            *([] if ref is None else [NudgeDelivery.ref == ref]),
        )
        .with_for_update()
    ).all()
    for delivery in pending:
        was_sent = delivery.sent_at is not None
        delivery.status = DeliveryStatus.SENT if was_sent else DeliveryStatus.SKIPPED
        delivery.error = reason[:200]
    return len(pending)


def queue(
    *,
    session: Session,
    user_id: int,
    kind: DeliveryKind,
    local_date: date,
    due_at: datetime,
    ref: int,
) -> bool:
    """One of a pairing's messages for ``user_id``, to go from ``due_at``: recorded once
    (a second with the same kind, day and ``ref`` is left out). Whether it is new."""
    insert = postgresql.insert if _is_postgresql(session) else sqlite.insert
    statement = (
        insert(DELIVERIES)
        .values(
            user_id=user_id,
            kind=kind,
            local_date=local_date,
            due_at=due_at,
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=due_at,
            ref=ref,
        )
        .on_conflict_do_nothing(
            index_elements=[
                DELIVERIES.c.user_id,
                DELIVERIES.c.kind,
                DELIVERIES.c.local_date,
                DELIVERIES.c.ref,
            ]
        )
        .returning(DELIVERIES.c.id)
    )
    return session.execute(statement).first() is not None


def delivery_for(*, session: Session, delivery_id: int, user_id: int) -> NudgeDelivery | None:
    """The delivery, only if it belongs to ``user_id``."""
    delivery = session.get(NudgeDelivery, delivery_id)
    return delivery if delivery is not None and delivery.user_id == user_id else None


def daily_tip_days(*, session: Session, user_id: int, since: date) -> set[date]:
    """The local days from ``since`` on that already have the user's daily tip (sent,
    on its way, or waiting): the plan step records no second one for them."""
    days = select(NudgeDelivery.local_date).where(
        NudgeDelivery.user_id == user_id,
        NudgeDelivery.kind == DeliveryKind.NUDGE,
        NudgeDelivery.local_date >= since,
        NudgeDelivery.status.not_in(NOT_SENT),
    )
    return set(session.scalars(days))


def prune(*, session: Session, before: date, limit: int) -> int:
    """Delete up to ``limit`` finished deliveries of local days before ``before``."""
    old = (
        select(NudgeDelivery.id)
        .where(NudgeDelivery.local_date < before, NudgeDelivery.status.in_(FINISHED))
        .limit(limit)
    )
    result = session.execute(
        delete(NudgeDelivery)
        .where(NudgeDelivery.id.in_(old.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
