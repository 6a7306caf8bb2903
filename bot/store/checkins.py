"""The check-ins aggregate: a check-in and its answers.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Insert, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import Checkin, CheckinAnswer, CheckinStatus

__all__ = [
    "NEWEST_FINISHED_FIRST",
    "CheckinStatus",
    "answers_of",
    "discard_checkin",
    "finished_checkins",
    "get_checkin",
    "open_checkin",
    "replace_answers",
    "save_answer",
    "start_checkin",
]

# "Latest" check-in, everywhere: the one finished last (ties: the one started last).
NEWEST_FINISHED_FIRST = (Checkin.finished_at.desc(), Checkin.id.desc())


def open_checkin(*, session: Session, user_id: int) -> Checkin | None:
    """The user's check-in in progress (a new one, or a draft correcting a finished one)."""
    return session.scalars(
        select(Checkin)
        .where(Checkin.user_id == user_id, Checkin.status == CheckinStatus.OPEN)
        .order_by(Checkin.id.desc())
        .limit(1)
    ).first()


def get_checkin(*, session: Session, checkin_id: int, user_id: int) -> Checkin | None:
    """The check-in, only if it belongs to ``user_id``."""
    checkin = session.get(Checkin, checkin_id)
    return checkin if checkin is not None and checkin.user_id == user_id else None


def discard_checkin(*, session: Session, checkin: Checkin) -> None:
    """Close a check-in that was never finished, and delete its answers. The row stays,
    marked cancelled, so that its id is never reused (SQLite would hand a deleted
    row's id to the next check-in, and old buttons would then act on that one)."""
    session.execute(delete(CheckinAnswer).where(CheckinAnswer.checkin_id == checkin.id))
    checkin.status = CheckinStatus.CANCELLED
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
        select(Checkin).where(Checkin.user_id == user_id, Checkin.status == CheckinStatus.OPEN)
    ):
        discard_checkin(session=session, checkin=previous)
    checkin = Checkin(
        user_id=user_id,
        status=CheckinStatus.OPEN,
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
    draft.status = CheckinStatus.CANCELLED  # its answers are the finished one's now
    session.flush()


def _upsert_answer(dialect: str, values: dict[str, object]) -> Insert:
    """INSERT ... ON CONFLICT (check-in, question) DO UPDATE: a press that races another
    on the same question (two instances, a double tap) replaces it instead of failing."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(CheckinAnswer).values(values)
    return statement.on_conflict_do_update(
        index_elements=[CheckinAnswer.checkin_id, CheckinAnswer.question_id],
        set_={
            "value": statement.excluded.value,
            "answered_at": statement.excluded.answered_at,
        },
    )


def save_answer(
    *, session: Session, checkin_id: int, question_id: str, value: int | None, now: datetime
) -> None:
    """Insert or replace the answer to one question (``None``: skipped): one upsert."""
    values = {
        "checkin_id": checkin_id,
        "question_id": question_id,
        "value": value,
        "answered_at": now,
    }
    session.execute(_upsert_answer(session.get_bind().dialect.name, values))


def answers_of(*, session: Session, checkin_id: int) -> dict[str, int | None]:
    """The check-in's answers as stored now: question id -> value (``None``: skipped)."""
    rows = session.execute(
        select(CheckinAnswer.question_id, CheckinAnswer.value).where(
            CheckinAnswer.checkin_id == checkin_id
        )
    )
    return {question_id: value for question_id, value in rows}


def finished_checkins(*, session: Session, user_id: int, limit: int) -> list[Checkin]:
    """The user's latest finished check-ins, newest first."""
    return list(
        session.scalars(
            select(Checkin)
            .where(Checkin.user_id == user_id, Checkin.status == CheckinStatus.DONE)
            .order_by(*NEWEST_FINISHED_FIRST)
            .limit(limit)
        )
    )
