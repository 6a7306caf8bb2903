"""Filling a store with many opted-in users at once (tests and benchmarks)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert

from bot.store.models import User


def add_due_users(
    engine: Engine, first_id: int, count: int, due_at: datetime, *, batch: int = 20_000
) -> list[int]:
    """``count`` users with the daily tip on, all due at ``due_at`` (UTC); their ids."""
    now = datetime.now(UTC)
    ids = list(range(first_id, first_id + count))
    with engine.begin() as connection:
        for start in range(0, count, batch):
            connection.execute(
                insert(User),
                [
                    {
                        "platform": "telegram",
                        "platform_user_id": uid,
                        "chat_id": uid,
                        "language": "en",
                        "timezone": "UTC",
                        "nudge_time": f"{due_at:%H:%M}",
                        "nudges_enabled": True,
                        "next_nudge_at": due_at,
                        "created_at": now,
                        "reminder_enabled": False,
                        "reminder_weekday": 6,
                        "reminder_time": "18:00",
                        "safety_flag": False,
                    }
                    for uid in ids[start : start + batch]
                ],
            )
    return ids
