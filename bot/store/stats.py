"""The operator's numbers, counted across the aggregates (``/stats``, ``python -m bot
stats``). Takes the session keyword-only and never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store.models import Checkin, CheckinStatus, DeliveryStatus, NudgeDelivery, User


def operator_stats(
    *, session: Session, day_start: datetime, week_start: datetime
) -> dict[str, int]:
    """Counts for the operator: users, opt-ins, today's deliveries, the week's check-ins."""

    def count(query: object) -> int:
        return int(session.scalar(query) or 0)  # type: ignore[call-overload]

    return {
        "users": count(select(func.count(User.id))),
        "opted_in": count(select(func.count(User.id)).where(User.nudges_enabled)),
        "weekly_reminders": count(select(func.count(User.id)).where(User.reminder_enabled)),
        "nudges_sent_today": count(
            select(func.count(NudgeDelivery.id)).where(
                NudgeDelivery.status == DeliveryStatus.SENT, NudgeDelivery.sent_at >= day_start
            )
        ),
        "nudges_failed_today": count(
            select(func.count(NudgeDelivery.id)).where(
                NudgeDelivery.status == DeliveryStatus.FAILED, NudgeDelivery.due_at >= day_start
            )
        ),
        "nudges_waiting": count(
            select(func.count(NudgeDelivery.id)).where(
                NudgeDelivery.status.in_((DeliveryStatus.PENDING, DeliveryStatus.SENDING))
            )
        ),
        "checkins_this_week": count(
            select(func.count(Checkin.id)).where(
                Checkin.status == CheckinStatus.DONE, Checkin.finished_at >= week_start
            )
        ),
        "blocked_users": count(select(func.count(User.id)).where(User.blocked_at.is_not(None))),
    }
