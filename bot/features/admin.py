"""The operator's view: /stats for ADMIN_USER_IDS, and ``python -m bot stats``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.replies import Reply
from bot.features.base import Ctx
from bot.store import repo

LABELS = {
    "users": "Users",
    "opted_in": "Daily tip on",
    "weekly_reminders": "Weekly reminder on",
    "nudges_sent_today": "Nudges sent today (UTC)",
    "nudges_failed_today": "Nudges failed today (UTC)",
    "nudges_waiting": "Nudges waiting or in flight",
    "checkins_this_week": "Check-ins in the last 7 days",
    "blocked_users": "Users who blocked the bot",
}


def collect(session: Session, now: datetime) -> dict[str, int]:
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return repo.stats(session=session, day_start=day_start, week_start=now - timedelta(days=7))


def format_stats(values: dict[str, int]) -> str:
    return "\n".join(f"{LABELS[key]}: {value}" for key, value in values.items())


def stats_command(ctx: Ctx, args: str) -> list[Reply]:
    """/stats: counts for operators."""
    return [Reply("<b>Stats</b>\n" + format_stats(collect(ctx.session, ctx.now)))]
