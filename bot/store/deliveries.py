"""Repository functions of the nudge outbox, in bulk.

The scheduler handles thousands of users in a minute, so these work on many
rows per statement with Core statements on the ORM's tables (no unit of work,
no per-row flush), which keeps each of the scheduler's write transactions to a
few milliseconds: commands answered meanwhile never wait long for the store.
Like every repository function they take the session keyword-only and never
commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple, cast

from sqlalchemy import Insert, Table, and_, bindparam, case, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import Checkin, NudgeDelivery, TipShown, User
from bot.store.repo import NEWEST_FINISHED_FIRST, Db, TipHistory

DELIVERIES = cast(Table, NudgeDelivery.__table__)
USERS = cast(Table, User.__table__)
TIPS_SHOWN = cast(Table, TipShown.__table__)
# Statuses of a delivery that will not go out (again). A day whose delivery was not
# sent (failed, or skipped because the user no longer wanted it) may be planned anew.
FINISHED = ("sent", "failed", "skipped")
NOT_SENT = ("failed", "skipped")


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
    kind: str
    local_date: date
    due_at: datetime


class TipContext(NamedTuple):
    history: TipHistory
    safety_flag: bool


@dataclass(frozen=True)
class Claimed:
    """A delivery leased for sending, with what sending it needs."""

    delivery_id: int
    user_id: int
    chat_id: int
    kind: str
    tip_id: str | None
    again: bool  # sent before: the user asked to see it later
    attempts: int


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def due_slots(*, session: Session, now: datetime, limit: int, kind: str) -> list[DueSlot]:
    """Users whose next instant of ``kind`` has come, oldest first: one range scan of
    that column's index. On PostgreSQL the rows are locked and rows another instance
    holds are skipped, so several processes share the work without overlap."""
    nudge = kind == "nudge"
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
    return [
        DueSlot(user_id, timezone, at, due_at, enabled, weekday)
        for user_id, timezone, at, due_at, enabled, weekday in session.execute(query)
        if due_at is not None
    ]


def _add_deliveries(insert: postgresql.Insert | sqlite.Insert) -> Insert:
    """INSERT ... ON CONFLICT (user, kind, local day): a day whose delivery was never
    sent (failed, or skipped) is planned anew; any other is left as it is."""
    return insert.on_conflict_do_update(
        index_elements=[DELIVERIES.c.user_id, DELIVERIES.c.kind, DELIVERIES.c.local_date],
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
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
        }
        for d in deliveries
    ]
    # one statement built once, its rows sent in batches (SQLAlchemy's "insertmanyvalues")
    # rather than a statement with every row's values compiled anew for each batch
    statement = _PG_ADD_DELIVERIES if _is_postgresql(session) else _SQLITE_ADD_DELIVERIES
    return len(session.execute(statement, values).all())


def set_next_instants(
    *, session: Session, kind: str, upcoming: Iterable[tuple[int, datetime | None]]
) -> None:
    """Move each user's next daily tip (or reminder) instant: ``(user id, instant)``."""
    column = "next_nudge_at" if kind == "nudge" else "next_reminder_at"
    params = [{"uid": user_id, "next": at} for user_id, at in upcoming]
    if params:
        statement = (
            update(USERS).where(USERS.c.id == bindparam("uid")).values({column: bindparam("next")})
        )
        session.execute(statement, params)


# Whether the user of the delivery being claimed still wants it, as of now: reachable,
# and the daily tip (or the weekly reminder) still on. When not, why.
_WANTED = and_(
    USERS.c.blocked_at.is_(None),
    or_(
        and_(DELIVERIES.c.kind == "reminder", USERS.c.reminder_enabled),
        and_(DELIVERIES.c.kind != "reminder", USERS.c.nudges_enabled),
    ),
)
_UNWANTED_BECAUSE = case(
    (USERS.c.blocked_at.is_not(None), "blocked"),
    (DELIVERIES.c.kind == "reminder", "reminder off"),
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
            NudgeDelivery.status.in_(("pending", "sending")),
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
                (_WANTED, "sending"),
                (DELIVERIES.c.sent_at.is_not(None), "sent"),
                else_="skipped",
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
        )
    ).all()
    claimed = [row for row in rows if row.status == "sending"]
    if not claimed:
        return []
    users = select(User.id, User.chat_id).where(User.id.in_({row.user_id for row in claimed}))
    chats = {user_id: chat_id for user_id, chat_id in session.execute(users)}
    return sorted(
        (
            Claimed(
                row.id,
                row.user_id,
                chats[row.user_id],
                row.kind,
                row.tip_id,
                row.sent_at is not None,
                row.attempts,
            )
            for row in claimed
            if row.user_id in chats
        ),
        key=lambda c: c.delivery_id,
    )


def tip_histories(*, session: Session, user_ids: Iterable[int]) -> dict[int, TipContext]:
    """What choosing the next tip of many users needs, in three queries: the tips each
    has been shown, their latest finished check-in, and their safety flag."""
    ids = set(user_ids)
    if not ids:
        return {}
    shown: dict[int, list[str]] = {user_id: [] for user_id in ids}
    for user_id, tip_id in session.execute(
        select(TipShown.user_id, TipShown.tip_id).where(TipShown.user_id.in_(ids))
    ):
        shown[user_id].append(tip_id)
    newest = (
        select(
            Checkin.user_id,
            Checkin.weakest_strategy,
            Checkin.reassess,
            Checkin.partner_carrying,
            func.row_number()
            .over(
                partition_by=Checkin.user_id,
                order_by=NEWEST_FINISHED_FIRST,
            )
            .label("n"),
        )
        .where(Checkin.user_id.in_(ids), Checkin.status == "done")
        .subquery()
    )
    latest = {
        user_id: (strategy, bool(reassess), bool(carrying))
        for user_id, strategy, reassess, carrying in session.execute(
            select(
                newest.c.user_id,
                newest.c.weakest_strategy,
                newest.c.reassess,
                newest.c.partner_carrying,
            ).where(newest.c.n == 1)
        )
    }
    flags = select(User.id, User.safety_flag).where(User.id.in_(ids))
    safety = {user_id: bool(flag) for user_id, flag in session.execute(flags)}
    return {
        user_id: TipContext(
            TipHistory(shown[user_id], *latest.get(user_id, (None, False, False))),
            safety.get(user_id, False),
        )
        for user_id in ids
    }


def mark_sent(
    *,
    session: Session,
    sent: Sequence[tuple[int, int, str | None, bool]],
    now: datetime,
) -> None:
    """``(delivery id, user id, tip id, again)`` went out: mark them sent, and record
    each tip as shown (once: not again when the user had asked to see it later)."""
    if not sent:
        return
    session.execute(
        update(DELIVERIES)
        .where(DELIVERIES.c.id == bindparam("did"))
        .values(status="sent", sent_at=now, error=None, tip_id=bindparam("tip")),
        [{"did": delivery_id, "tip": tip_id} for delivery_id, _, tip_id, _ in sent],
    )
    shown = [
        {"user_id": user_id, "tip_id": tip_id, "source": "nudge", "shown_at": now}
        for _, user_id, tip_id, again in sent
        if tip_id and not again
    ]
    if shown:
        session.execute(TIPS_SHOWN.insert(), shown)


def mark_unsent(
    *, session: Session, unsent: Sequence[tuple[int, str, str | None, datetime | None]]
) -> None:
    """``(delivery id, status, error, next attempt)``: back to ``pending`` for a later
    attempt at that instant, or ``failed`` for good (next attempt ``None``)."""
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
                {"did": delivery_id, "new_status": status, "err": error, "at": at}
                for delivery_id, status, error, at in unsent
            ],
        )


def release(*, session: Session, delivery_ids: Sequence[int], now: datetime) -> None:
    """Hand claimed deliveries that were never sent back (the bot is stopping): ready
    at once for another process or the next start, the attempt not counted."""
    if delivery_ids:
        session.execute(
            update(DELIVERIES)
            .where(DELIVERIES.c.id.in_(delivery_ids), DELIVERIES.c.status == "sending")
            .values(
                status="pending",
                attempts=DELIVERIES.c.attempts - 1,  # the claim counted one
                next_attempt_at=now,
            )
        )


def withdraw(*, session: Db, user_id: int, kinds: Sequence[str], reason: str) -> int:
    """The user no longer wants these kinds of messages: their pending deliveries
    (a tip snoozed with "Later", a reminder waiting for a retry) are finished in one
    statement, skipped with ``reason`` (a snoozed tip goes back to sent, which it
    was). Deliveries being sent right now are left to the send; should that fail,
    the next claim checks consent again. Returns how many were withdrawn."""
    result = session.execute(
        update(DELIVERIES)
        .where(
            DELIVERIES.c.user_id == user_id,
            DELIVERIES.c.kind.in_(kinds),
            DELIVERIES.c.status == "pending",
        )
        .values(
            status=case((DELIVERIES.c.sent_at.is_not(None), "sent"), else_="skipped"),
            error=reason[:200],
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


_TIP_DAYS = select(DELIVERIES.c.local_date).where(
    DELIVERIES.c.user_id == bindparam("user_id"),
    DELIVERIES.c.kind == "nudge",
    DELIVERIES.c.local_date >= bindparam("since"),
    DELIVERIES.c.status.not_in(NOT_SENT),
)


def daily_tip_days(*, session: Db, user_id: int, since: date) -> set[date]:
    """The local days from ``since`` on that already have the user's daily tip (sent,
    on its way, or waiting): the plan step records no second one for them."""
    return set(session.execute(_TIP_DAYS, {"user_id": user_id, "since": since}).scalars())


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
