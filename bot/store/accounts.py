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
    """A user seen for the first time who agreed to be stored now: nothing switched on,
    not a daily tip nor a reminder, until they say so."""
    user = User.newcomer(
        platform=platform,
        platform_user_id=platform_user_id,
        chat_id=chat_id,
        language=language,
        timezone=timezone,
        nudge_time=nudge_time,
    )
    return _added(session, user, language, now)


def join(*, session: Session, user: User, language: str | None, now: datetime) -> User:
    """The user agreed to be stored: ``user`` (a newcomer, in no session yet) is added,
    with the moment of consent. Pressed twice, the row stored first is kept."""
    known = find_user(
        session=session, platform=user.platform, platform_user_id=user.platform_user_id
    )
    if known is not None:
        return known
    return _added(session, user, language, now)


def _added(session: Session, user: User, language: str | None, now: datetime) -> User:
    if language:
        user.language = language[:16]
    user.created_at = now
    user.consented_at = now
    session.add(user)
    session.flush()  # its id, for the rows the same update adds
    return user


def update_user(
    *,
    session: Session,
    user: User,
    chat_id: int | None = None,
    unblock: bool = False,
    language: str | None = None,
) -> None:
    """A new private chat id for the user, reachable again after a block (still opted
    out: coming back never switches a message on), and/or the platform's language code
    for them now (followed until they choose one with /language)."""
    if language:
        user.language = language[:16]
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
