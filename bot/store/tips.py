"""The tips a user was shown, and what the choice of their next tip depends on.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.checkins import NEWEST_FINISHED_FIRST, finished_checkins
from bot.store.models import Checkin, CheckinStatus, TipShown, User


@dataclass(frozen=True)
class TipHistory:
    """What the choice of a user's next tip depends on."""

    shown: list[str] = field(default_factory=list)  # every tip id shown, repeats included
    weakest_strategy: str | None = None  # of the latest finished check-in
    reassess: bool = False  # the latest finished check-in asked to reassess
    partner_carrying: bool = False  # ... or noted that the partner may be carrying more


@dataclass(frozen=True)
class TipContext:
    """A user's tip history and whether a safety answer stands (the daily tip's choice)."""

    history: TipHistory
    safety_flag: bool


def record_tip_shown(
    *, session: Session, user_id: int, tip_id: str, source: str, now: datetime
) -> TipShown:
    """Remember that the user was shown this tip (``source``: command, button, nudge)."""
    shown = TipShown(user_id=user_id, tip_id=tip_id, source=source, shown_at=now)
    session.add(shown)
    return shown


def tip_history(*, session: Session, user_id: int) -> TipHistory:
    """Every tip the user was shown (this transaction's too) and the leaning of their
    latest finished check-in."""
    shown = list(
        session.scalars(
            select(TipShown.tip_id).where(TipShown.user_id == user_id).order_by(TipShown.id)
        )
    )
    latest = finished_checkins(session=session, user_id=user_id, limit=1)
    if not latest:
        return TipHistory(shown)
    [checkin] = latest
    return TipHistory(shown, checkin.weakest_strategy, checkin.reassess, checkin.partner_carrying)


def tip_histories(*, session: Session, user_ids: Iterable[int]) -> dict[int, TipContext]:
    """:func:`tip_history` and the safety flag of many users (the nudge tick), in three
    queries: the tips each has been shown, their latest finished check-in, and their
    safety flag."""
    ids = set(user_ids)
    if not ids:
        return {}
    shown: dict[int, list[str]] = {user_id: [] for user_id in ids}
    for user_id, tip_id in session.execute(
        select(TipShown.user_id, TipShown.tip_id)
        .where(TipShown.user_id.in_(ids))
        .order_by(TipShown.id)
    ):
        shown[user_id].append(tip_id)
    newest = (
        select(
            Checkin.user_id,
            Checkin.weakest_strategy,
            Checkin.reassess,
            Checkin.partner_carrying,
            func.row_number()
            .over(partition_by=Checkin.user_id, order_by=NEWEST_FINISHED_FIRST)
            .label("n"),
        )
        .where(Checkin.user_id.in_(ids), Checkin.status == CheckinStatus.DONE)
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
