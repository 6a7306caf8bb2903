"""Check-ins and their answers; weekly reminders; delivery kinds.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("reminder_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("reminder_weekday", sa.Integer(), nullable=False, server_default="6")
        )
        batch.add_column(
            sa.Column("reminder_time", sa.String(5), nullable=False, server_default="18:00")
        )
        batch.add_column(sa.Column("next_reminder_at", UTC_TS, nullable=True))
        batch.add_column(
            sa.Column("safety_flag", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_index("ix_users_next_reminder_at", ["next_reminder_at"])
    with op.batch_alter_table("nudge_deliveries") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="nudge"))
        batch.drop_constraint("uq_nudge_deliveries_user_day", type_="unique")
        batch.create_unique_constraint(
            "uq_nudge_deliveries_user_day", ["user_id", "kind", "local_date"]
        )
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("started_at", UTC_TS, nullable=False),
        sa.Column("finished_at", UTC_TS, nullable=True),
        sa.Column("balance", sa.Integer(), nullable=True),
        sa.Column("weakest_area", sa.String(40), nullable=True),
        sa.Column("weakest_strategy", sa.String(40), nullable=True),
        sa.Column("reassess", sa.Boolean(), nullable=False),
        sa.Column("safety_shown", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_checkins_user_status", "checkins", ["user_id", "status"])
    op.create_table(
        "checkin_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "checkin_id",
            sa.Integer(),
            sa.ForeignKey("checkins.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question_id", sa.String(40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("answered_at", UTC_TS, nullable=False),
        sa.UniqueConstraint("checkin_id", "question_id", name="uq_checkin_answers_question"),
    )


def downgrade() -> None:
    op.drop_table("checkin_answers")
    op.drop_table("checkins")
    with op.batch_alter_table("nudge_deliveries") as batch:
        batch.drop_constraint("uq_nudge_deliveries_user_day", type_="unique")
        batch.create_unique_constraint("uq_nudge_deliveries_user_day", ["user_id", "local_date"])
        batch.drop_column("kind")
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_next_reminder_at")
        for column in (
            "safety_flag",
            "next_reminder_at",
            "reminder_time",
            "reminder_weekday",
            "reminder_enabled",
        ):
            batch.drop_column(column)
