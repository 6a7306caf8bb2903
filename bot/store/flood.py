"""The per-user flood limit, counted in the store so that every instance counts alike
(the rules are :mod:`bot.domain.flood`'s). A user is known here only by
:func:`bot.domain.flood.user_key`, a hash, and only once they agreed to be stored:
nothing about anyone is kept before that.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, exists, false, literal, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.domain.flood import Verdict, user_key, verdict
from bot.store.models import FloodWindow, User, UTCDateTime

__all__ = ["hit", "prune"]


def hit(
    *,
    session: Session,
    platform: str,
    user_id: int,
    now: datetime,
    limit: int,
    window: timedelta,
) -> Verdict | None:
    """Count one action of the platform's user ``user_id`` at ``now``, and say whether
    it is allowed; ``None``: not counted, the user is not stored (they have not agreed
    to be, and nothing of theirs is kept: the caller counts them in memory).

    One statement, INSERT ... SELECT ... ON CONFLICT DO UPDATE ... RETURNING, so that
    two instances counting the same user at once never lose a count: a window that has
    passed (it began ``window`` or more before ``now``), or that begins more than
    ``window`` after it (written while the clock was ahead, then corrected), begins
    anew at ``now`` with this action; otherwise the count grows by one, up to ``limit + 2``
    (:func:`bot.domain.flood.next_count`), and ``warned`` records that the user went
    past the limit."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    stored = exists().where(User.platform == platform, User.platform_user_id == user_id)
    row = select(
        literal(user_key(platform, user_id), FloodWindow.user_key.type),
        literal(now, UTCDateTime()),
        literal(1, FloodWindow.count.type),
        false(),
    ).where(stored)
    statement = insert(FloodWindow).from_select(
        ["user_key", "window_start", "count", "warned"], row
    )
    passed = or_(
        FloodWindow.window_start <= literal(now - window, UTCDateTime()),
        FloodWindow.window_start > literal(now + window, UTCDateTime()),
    )
    upsert = statement.on_conflict_do_update(
        index_elements=[FloodWindow.user_key],
        set_={  # every expression reads the row as it was before this action
            "window_start": case(
                (passed, statement.excluded.window_start), else_=FloodWindow.window_start
            ),
            "count": case(
                (passed, 1),
                (FloodWindow.count > limit, limit + 2),
                else_=FloodWindow.count + 1,
            ),
            "warned": case((passed, false()), else_=FloodWindow.count >= limit),
        },
    ).returning(FloodWindow.count)
    count = session.execute(upsert).scalar_one_or_none()
    return None if count is None else verdict(count, limit)


def prune(*, session: Session, before: datetime, after: datetime | None = None) -> int:
    """Delete the windows that began before ``before`` (give it ``now - window``: they
    have passed, and the next action begins a new one anyway), or after ``after``
    (``now + window``: written while the clock was ahead). How many went."""
    ahead = FloodWindow.window_start > after if after is not None else false()
    result = session.execute(
        delete(FloodWindow)
        .where(or_(FloodWindow.window_start < before, ahead))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
