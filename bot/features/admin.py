"""The operator's view: /stats for ADMIN_USER_IDS, and ``python -m bot stats``."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.domain.replies import Reply
from bot.features.base import Ctx
from bot.i18n import Locale
from bot.store.stats import operator_stats


def collect(session: Session, now: datetime) -> dict[str, int]:
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    week_start = now - timedelta(days=7)
    return operator_stats(session=session, day_start=day_start, week_start=week_start)


def format_stats(locale: Locale, values: dict[str, int]) -> str:
    return "\n".join(
        locale.t("stats-line", label=locale.t(f"stats-{key}"), value=value)
        for key, value in values.items()
    )


def stats_command(ctx: Ctx, args: str) -> list[Reply]:
    """/stats: counts for operators."""
    values = collect(ctx.session, ctx.now)
    return [Reply(ctx.t("stats-title") + "\n" + format_stats(ctx.locale, values))]
