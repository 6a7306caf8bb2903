"""Repository functions. Each takes the session keyword-only and never commits:
the caller owns the transaction."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    Insert,
    bindparam,
    cast,
    delete,
    func,
    insert,
    literal_column,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import Base, Checkin, CheckinAnswer, NudgeDelivery, TipShown, User

Db = Session | Connection
"""An update's unit of work: an ORM session, or a Core connection inside a transaction
(the per-update path opens a session only when a feature needs ORM objects)."""


# Statements run on every update are built once, with bound parameters: SQLAlchemy then
# finds them compiled in its cache instead of building and compiling them on every call.
_USER_BY_PLATFORM_ID = select(User).where(User.platform_user_id == bindparam("platform_user_id"))


def get_user(*, session: Session, platform_user_id: int) -> User | None:
    return session.scalar(_USER_BY_PLATFORM_ID, {"platform_user_id": platform_user_id})


_tips_shown = Base.metadata.tables[TipShown.__tablename__]
_RECORD_TIP_SHOWN = insert(_tips_shown)


def record_tip_shown(*, session: Db, user_id: int, tip_id: str, source: str, now: datetime) -> None:
    """One plain INSERT (no unit of work)."""
    _queried(session).execute(
        _RECORD_TIP_SHOWN,
        {"user_id": user_id, "tip_id": tip_id, "source": source, "shown_at": now},
    )


def delivery_for(*, session: Session, delivery_id: int, user_id: int) -> NudgeDelivery | None:
    delivery = session.get(NudgeDelivery, delivery_id)
    return delivery if delivery is not None and delivery.user_id == user_id else None


# --- check-ins -------------------------------------------------------------------------


_OPEN_CHECKIN = (
    select(Checkin)
    .where(Checkin.user_id == bindparam("user_id"), Checkin.status == "open")
    .order_by(Checkin.id.desc())
    .limit(1)
)


def open_checkin(*, session: Session, user_id: int) -> Checkin | None:
    """The user's check-in in progress (a new one, or a draft correcting a finished one)."""
    return session.scalars(_OPEN_CHECKIN, {"user_id": user_id}).first()


def get_checkin(*, session: Session, checkin_id: int, user_id: int) -> Checkin | None:
    """The check-in, only if it belongs to ``user_id``."""
    checkin = session.get(Checkin, checkin_id)
    return checkin if checkin is not None and checkin.user_id == user_id else None


def discard_checkin(*, session: Session, checkin: Checkin) -> None:
    """Close a check-in that was never finished, and delete its answers. The row stays,
    marked cancelled, so that its id is never reused (SQLite would hand a deleted
    row's id to the next check-in, and old buttons would then act on that one)."""
    session.execute(delete(CheckinAnswer).where(CheckinAnswer.checkin_id == checkin.id))
    checkin.status = "cancelled"
    session.flush()


def start_checkin(
    *,
    session: Session,
    user_id: int,
    now: datetime,
    format: int,
    revises: Checkin | None = None,
) -> Checkin:
    """A new check-in, or with ``revises`` a draft holding a copy of that finished
    check-in's answers. Any other open check-in of the user is discarded."""
    for previous in session.scalars(
        select(Checkin).where(Checkin.user_id == user_id, Checkin.status == "open")
    ):
        discard_checkin(session=session, checkin=previous)
    checkin = Checkin(
        user_id=user_id,
        status="open",
        position=0,
        started_at=now,
        reassess=False,
        partner_carrying=False,
        safety_shown=False,
        format=format,
        revises_id=revises.id if revises is not None else None,
    )
    session.add(checkin)
    session.flush()
    if revises is not None:
        for question_id, value in answers_of(session=session, checkin_id=revises.id).items():
            save_answer(
                session=session,
                checkin_id=checkin.id,
                question_id=question_id,
                value=value,
                now=now,
            )
    return checkin


def replace_answers(*, session: Session, draft: Checkin, target: Checkin) -> None:
    """Finishing a correction: the draft's answers become the finished check-in's, and
    the draft is gone."""
    session.execute(delete(CheckinAnswer).where(CheckinAnswer.checkin_id == target.id))
    session.execute(
        update(CheckinAnswer)
        .where(CheckinAnswer.checkin_id == draft.id)
        .values(checkin_id=target.id)
    )
    draft.status = "cancelled"  # its answers are the finished one's now
    session.flush()


_answers = Base.metadata.tables[CheckinAnswer.__tablename__]


_ANSWER_KEY = [_answers.c.checkin_id, _answers.c.question_id]
_pg_answer, _sqlite_answer = postgresql.insert(_answers), sqlite.insert(_answers)
_UPSERT_ANSWER: dict[str, Insert] = {  # INSERT ... ON CONFLICT (check-in, question) DO UPDATE
    "postgresql": _pg_answer.on_conflict_do_update(
        index_elements=_ANSWER_KEY,
        set_={"value": _pg_answer.excluded.value, "answered_at": _pg_answer.excluded.answered_at},
    ),
    "sqlite": _sqlite_answer.on_conflict_do_update(
        index_elements=_ANSWER_KEY,
        set_={
            "value": _sqlite_answer.excluded.value,
            "answered_at": _sqlite_answer.excluded.answered_at,
        },
    ),
}
_ANSWERS_OF = select(_answers.c.question_id, _answers.c.value).where(
    _answers.c.checkin_id == bindparam("checkin_id")
)


def save_answer(
    *, session: Db, checkin_id: int, question_id: str, value: int | None, now: datetime
) -> None:
    """Insert or replace the answer to one question (``None``: skipped): one upsert."""
    connection = _queried(session)
    connection.execute(
        _UPSERT_ANSWER[connection.dialect.name],
        {"checkin_id": checkin_id, "question_id": question_id, "value": value, "answered_at": now},
    )


def answers_of(*, session: Db, checkin_id: int) -> dict[str, int | None]:
    rows = _queried(session).execute(_ANSWERS_OF, {"checkin_id": checkin_id})
    return {question_id: value for question_id, value in rows}


# "Latest" check-in, everywhere: the one finished last (ties: the one started last).
NEWEST_FINISHED_FIRST = (Checkin.finished_at.desc(), Checkin.id.desc())

_FINISHED_CHECKINS = (
    select(Checkin)
    .where(Checkin.user_id == bindparam("user_id"), Checkin.status == "done")
    .order_by(*NEWEST_FINISHED_FIRST)
    .limit(bindparam("limit"))
)


def finished_checkins(*, session: Session, user_id: int, limit: int) -> list[Checkin]:
    """The user's latest finished check-ins, newest first."""
    return list(session.scalars(_FINISHED_CHECKINS, {"user_id": user_id, "limit": limit}))


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


# --- the per-update hot path -------------------------------------------------------------
#
# Every update looks up its user, and /tip reads what the user has seen. These run as
# plain Core statements on the session's connection: no ORM objects to load, no unit of
# work, and each statement is compiled once.


def _queried(session: Db) -> Connection:
    """The connection to run a Core statement on. A session's pending ORM changes are
    flushed first, as the ORM's autoflush would before a query (a no-op when nothing is
    pending)."""
    if isinstance(session, Connection):
        return session
    if session.autoflush:
        session.flush()
    return session.connection()


class Account(NamedTuple):
    """What every update needs to know of its user, without loading the whole row."""

    id: int
    chat_id: int
    blocked: bool
    safety_flag: bool


_users = Base.metadata.tables[User.__tablename__]
_BY_PLATFORM_ID = _users.c.platform_user_id == bindparam("platform_user_id")
_ACCOUNT = select(
    _users.c.id, _users.c.chat_id, _users.c.blocked_at.is_not(None), _users.c.safety_flag
).where(_BY_PLATFORM_ID)
_ADD_ACCOUNT = insert(_users)


def _account(user_id: int, chat_id: int, blocked: object, safety_flag: object) -> Account:
    return Account(user_id, chat_id, bool(blocked), bool(safety_flag))


def find_account(*, session: Db, platform_user_id: int) -> Account | None:
    row = _queried(session).execute(_ACCOUNT, {"platform_user_id": platform_user_id}).first()
    return None if row is None else _account(*row)


def add_account(
    *,
    session: Db,
    platform_user_id: int,
    chat_id: int,
    language: str | None,
    timezone: str,
    nudge_time: str,
    now: datetime,
) -> Account:
    """The row :func:`create_user` stores, inserted by one plain INSERT."""
    result = _queried(session).execute(
        _ADD_ACCOUNT,
        {
            "platform_user_id": platform_user_id,
            "chat_id": chat_id,
            "language": (language or None) and language[:16],
            "timezone": timezone,
            "nudge_time": nudge_time,
            "nudges_enabled": False,
            "next_nudge_at": None,
            "created_at": now,
        },
    )
    key = result.inserted_primary_key
    assert key is not None
    return Account(key[0], chat_id, blocked=False, safety_flag=False)


def update_account(
    *, session: Db, user_id: int, chat_id: int | None = None, unblock: bool = False
) -> None:
    """A new private chat id for the user, and/or reachable again after a block (still
    opted out)."""
    values: dict[str, object] = {}
    if chat_id is not None:
        values["chat_id"] = chat_id
    if unblock:
        values.update(blocked_at=None, blocked_reason=None)
    if values:
        _queried(session).execute(update(_users).where(_users.c.id == user_id).values(values))


class TipHistory(NamedTuple):
    """What the choice of a user's next tip depends on."""

    shown: list[str]  # every tip id shown, repeats included
    weakest_strategy: str | None  # of the latest finished check-in
    reassess: bool  # the latest finished check-in asked to reassess
    partner_carrying: bool = False  # ... or noted that the partner may be carrying more


_checkins = Base.metadata.tables[Checkin.__tablename__]
_latest_done = (
    select(_checkins.c.weakest_strategy, _checkins.c.reassess, _checkins.c.partner_carrying)
    .where(_checkins.c.user_id == bindparam("user_id"), _checkins.c.status == "done")
    .order_by(*NEWEST_FINISHED_FIRST)
    .limit(1)
    .subquery()
)
# One round trip: a row per tip shown (tip id, NULL, NULL), then at most one row for the
# latest finished check-in (NULL, weakest strategy, reassess).
_TIP_HISTORY = union_all(
    select(_tips_shown.c.tip_id, null(), null(), null()).where(
        _tips_shown.c.user_id == bindparam("user_id")
    ),
    select(
        null(),
        _latest_done.c.weakest_strategy,
        _latest_done.c.reassess,
        _latest_done.c.partner_carrying,
    ),
)


def tip_history(*, session: Db, user_id: int) -> TipHistory:
    shown: list[str] = []
    weakest_strategy, reassess, carrying = None, False, False
    rows = _queried(session).execute(_TIP_HISTORY, {"user_id": user_id})
    for tip_id, strategy, again, partner in rows:
        if tip_id is not None:
            shown.append(tip_id)
        else:
            weakest_strategy, reassess, carrying = strategy, bool(again), bool(partner)
    return TipHistory(shown, weakest_strategy, reassess, carrying)


# The account and its tip history in one round trip, for updates that will show a tip:
# the user's row (kind 0), a row per tip shown (kind 1), and at most one row for the
# latest finished check-in (kind 2). Columns: kind, id, chat id, blocked, safety flag,
# tip id, weakest strategy, reassess, partner carrying.
_user_id = select(_users.c.id).where(_BY_PLATFORM_ID).scalar_subquery()
_latest_done_of_account = (
    select(_checkins.c.weakest_strategy, _checkins.c.reassess, _checkins.c.partner_carrying)
    .where(_checkins.c.user_id == _user_id, _checkins.c.status == "done")
    .order_by(*NEWEST_FINISHED_FIRST)
    .limit(1)
    .subquery()
)
_ACCOUNT_AND_TIPS = union_all(
    select(
        literal_column("0"),
        *_ACCOUNT.selected_columns,
        # typed, so that PostgreSQL matches the later branches' columns
        cast(null(), _tips_shown.c.tip_id.type),
        cast(null(), _checkins.c.weakest_strategy.type),
        cast(null(), _checkins.c.reassess.type),
        cast(null(), _checkins.c.partner_carrying.type),
    ).where(_BY_PLATFORM_ID),
    select(
        literal_column("1"),
        *(null(),) * 4,
        _tips_shown.c.tip_id,
        *(null(),) * 3,
    ).where(_tips_shown.c.user_id == _user_id),
    select(
        literal_column("2"),
        null(),
        null(),
        null(),
        null(),
        null(),
        _latest_done_of_account.c.weakest_strategy,
        _latest_done_of_account.c.reassess,
        _latest_done_of_account.c.partner_carrying,
    ),
)


def find_account_and_tips(
    *, session: Db, platform_user_id: int
) -> tuple[Account, TipHistory] | None:
    """:func:`find_account` and :func:`tip_history` in one round trip."""
    account: Account | None = None
    shown: list[str] = []
    weakest_strategy, reassess, carrying = None, False, False
    rows = _queried(session).execute(_ACCOUNT_AND_TIPS, {"platform_user_id": platform_user_id})
    for kind, user_id, chat_id, blocked, safety_flag, tip_id, strategy, again, partner in rows:
        if kind == 0:
            account = _account(user_id, chat_id, blocked, safety_flag)
        elif kind == 1:
            shown.append(tip_id)
        else:
            weakest_strategy, reassess, carrying = strategy, bool(again), bool(partner)
    if account is None:
        return None
    return account, TipHistory(shown, weakest_strategy, reassess, carrying)
