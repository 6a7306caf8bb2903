"""The tips a user was shown, and what the choice of their next tip depends on.

The choice needs how many times each tip was shown (see
:func:`bot.domain.tips.choose_tip`), not every show: a user's newest
:data:`RECENT_SHOWS` shows stay one row each, and older ones are folded into one row
per tip that carries their count (``times``) and the last of them. So a user's rows
stay bounded (about :data:`RECENT_SHOWS` + the number of tips + :data:`FOLD_BATCH`)
and so does every read of their history: ``/tip`` costs the same on day 1 and on
day 1,000, however many tips they asked for. Counts are exact: folding moves shows
between rows and never drops one.

A row inserted anywhere (the daily tips' bulk insert, ``times`` 1 by default) is a
valid show as it is; :func:`fold_tip_history` folds it later: with the user's next
:func:`record_tip_shown`, or when called after such an insert (until then, someone
who only gets daily tips gains a row a day).

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.checkins import NEWEST_FINISHED_FIRST, finished_checkins
from bot.store.models import Checkin, CheckinStatus, TipShown, User

# A user's newest shows, kept one row each (what was shown lately, in order).
RECENT_SHOWS = 100
# Older rows are folded once this many of them repeat a tip (one fold every so many
# shows, not a write on every show).
FOLD_BATCH = 50


@dataclass(frozen=True)
class TipHistory:
    """What the choice of a user's next tip depends on."""

    shown: dict[str, int] = field(default_factory=dict)  # tip id -> times shown
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
    """Remember that the user was shown this tip (``source``: command, button, nudge),
    folding their older shows when enough of them have piled up."""
    shown = TipShown(user_id=user_id, tip_id=tip_id, source=source, shown_at=now, times=1)
    session.add(shown)
    fold_tip_history(session=session, user_ids=[user_id])
    return shown


def fold_tip_history(*, session: Session, user_ids: Iterable[int]) -> int:
    """Fold the shows of these users older than their newest :data:`RECENT_SHOWS` into
    one row per tip (the first row of that tip keeps the sum of ``times`` and the last
    show's time and source), for each user whose older rows repeat a tip
    :data:`FOLD_BATCH` times or more. Returns the number of rows removed.

    One query names the users with that much to fold (usually none). Only their rows
    are then locked (``FOR UPDATE`` on PostgreSQL; SQLite has one writer at a time) and
    read again, so two transactions folding the same user count each show once."""
    ids = set(user_ids)
    if not ids:
        return 0
    ranked = (
        select(
            TipShown.user_id,
            TipShown.tip_id,
            func.row_number()
            .over(partition_by=TipShown.user_id, order_by=TipShown.id.desc())
            .label("n"),
        )
        .where(TipShown.user_id.in_(ids))
        .subquery()
    )
    repeats = func.count() - func.count(ranked.c.tip_id.distinct())
    crowded = list(
        session.scalars(
            select(ranked.c.user_id)
            .where(ranked.c.n > RECENT_SHOWS)
            .group_by(ranked.c.user_id)
            .having(repeats >= FOLD_BATCH)
        )
    )
    if not crowded:
        return 0
    locked = session.scalars(
        select(TipShown)
        .where(TipShown.user_id.in_(crowded))
        .order_by(TipShown.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    rows_of: dict[int, list[TipShown]] = defaultdict(list)
    for row in locked:
        rows_of[row.user_id].append(row)
    removed = 0
    for rows in rows_of.values():
        by_tip: dict[str, list[TipShown]] = defaultdict(list)
        for row in rows[:-RECENT_SHOWS]:  # oldest first: each tip's first row keeps it
            by_tip[row.tip_id].append(row)
        for keeper, *rest in by_tip.values():
            if not rest:
                continue
            last = max([keeper, *rest], key=lambda row: (row.shown_at, row.id))
            keeper.times = sum(row.times for row in (keeper, *rest))
            keeper.shown_at, keeper.source = last.shown_at, last.source
            for row in rest:
                session.delete(row)
            removed += len(rest)
    session.flush()
    return removed


def tip_history(*, session: Session, user_id: int) -> TipHistory:
    """How many times the user was shown each tip (this transaction's shows too) and
    the leaning of their latest finished check-in."""
    shown = {
        tip_id: int(times)
        for tip_id, times in session.execute(
            select(TipShown.tip_id, func.sum(TipShown.times))
            .where(TipShown.user_id == user_id)
            .group_by(TipShown.tip_id)
        )
    }
    latest = finished_checkins(session=session, user_id=user_id, limit=1)
    if not latest:
        return TipHistory(shown)
    [checkin] = latest
    return TipHistory(shown, checkin.weakest_strategy, checkin.reassess, checkin.partner_carrying)


def tip_histories(*, session: Session, user_ids: Iterable[int]) -> dict[int, TipContext]:
    """:func:`tip_history` and the safety flag of many users (the nudge tick), in three
    queries: how many times each was shown each tip, their latest finished check-in,
    and their safety flag."""
    ids = set(user_ids)
    if not ids:
        return {}
    shown: dict[int, dict[str, int]] = {user_id: {} for user_id in ids}
    for user_id, tip_id, times in session.execute(
        select(TipShown.user_id, TipShown.tip_id, func.sum(TipShown.times))
        .where(TipShown.user_id.in_(ids))
        .group_by(TipShown.user_id, TipShown.tip_id)
    ):
        shown[user_id][tip_id] = int(times)
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
