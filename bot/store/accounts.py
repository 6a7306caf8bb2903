"""The users aggregate: who talks to the bot, known by (platform, platform user id),
and whether the bot can still reach them.

Each function takes the session keyword-only and never commits: the caller owns the
transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import User


def find_user(*, session: Session, platform: str, platform_user_id: int) -> User | None:
    """The user this platform knows by this id, if they talked to the bot before."""
    return session.scalars(
        select(User).where(User.platform == platform, User.platform_user_id == platform_user_id)
    ).one_or_none()


def add_user(
    *,
    session: Session,
    platform: str,
    platform_user_id: int,
    chat_id: int,
    language: str | None,
    timezone: str,
    nudge_time: str,
    now: datetime,
) -> User:
    """A user seen for the first time: nothing switched on, not a daily tip nor a
    reminder, until they say so."""
    user = User(
        platform=platform,
        platform_user_id=platform_user_id,
        chat_id=chat_id,
        language=(language or None) and language[:16],
        timezone=timezone,
        nudge_time=nudge_time,
        nudges_enabled=False,
        next_nudge_at=None,
        reminder_enabled=False,
        reminder_weekday=6,
        reminder_time="18:00",
        next_reminder_at=None,
        safety_flag=False,
        settings_version=0,
        created_at=now,
    )
    session.add(user)
    session.flush()  # its id, for the rows the same update adds
    return user


def update_user(
    *, session: Session, user: User, chat_id: int | None = None, unblock: bool = False
) -> None:
    """A new private chat id for the user, and/or reachable again after a block (still
    opted out: coming back never switches a message on)."""
    if chat_id is not None:
        user.chat_id = chat_id
    if unblock:
        user.blocked_at = None
        user.blocked_reason = None


def mark_unreachable(*, session: Session, user: User, reason: str, now: datetime) -> None:
    """The user blocked the bot (or is gone): no more messages until they come back."""
    user.nudges_enabled = False
    user.next_nudge_at = None
    user.reminder_enabled = False
    user.next_reminder_at = None
    user.blocked_at = now
    user.blocked_reason = reason[:200]
