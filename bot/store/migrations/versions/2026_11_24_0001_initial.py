"""Users, tips shown and the nudge delivery outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("platform_user_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("nudge_time", sa.String(5), nullable=False),
        sa.Column("nudges_enabled", sa.Boolean(), nullable=False),
        sa.Column("next_nudge_at", UTC_TS, nullable=True),
        sa.Column("created_at", UTC_TS, nullable=False),
        sa.UniqueConstraint("platform_user_id", name="uq_users_platform_user_id"),
    )
    op.create_index("ix_users_next_nudge_at", "users", ["next_nudge_at"])
    op.create_table(
        "tips_shown",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("tip_id", sa.String(40), nullable=False),
        sa.Column("shown_at", UTC_TS, nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
    )
    op.create_index("ix_tips_shown_user_id", "tips_shown", ["user_id"])
    op.create_table(
        "nudge_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("due_at", UTC_TS, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_TS, nullable=False),
        sa.Column("tip_id", sa.String(40), nullable=True),
        sa.Column("sent_at", UTC_TS, nullable=True),
        sa.Column("error", sa.String(200), nullable=True),
        sa.UniqueConstraint("user_id", "local_date", name="uq_nudge_deliveries_user_day"),
    )
    op.create_index(
        "ix_nudge_deliveries_status_next", "nudge_deliveries", ["status", "next_attempt_at"]
    )


def downgrade() -> None:
    op.drop_table("nudge_deliveries")
    op.drop_table("tips_shown")
    op.drop_table("users")
