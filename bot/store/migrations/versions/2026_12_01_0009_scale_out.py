"""Running as several instances on one database: the update ids already taken (a
redelivered webhook update is handled once), the per-user flood limit counted in the
store, and the heartbeats of the instances that share the nudge budget. Nothing of a
user's data changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "updates_seen",
        sa.Column("update_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_updates_seen_seen_at", "updates_seen", ["seen_at"])
    op.create_table(
        "flood_windows",
        sa.Column("user_key", sa.String(64), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("warned", sa.Boolean, nullable=False),
    )
    op.create_index("ix_flood_windows_window_start", "flood_windows", ["window_start"])
    op.create_table(
        "sender_instances",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sees", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sender_instances")
    op.drop_index("ix_flood_windows_window_start", table_name="flood_windows")
    op.drop_table("flood_windows")
    op.drop_index("ix_updates_seen_seen_at", table_name="updates_seen")
    op.drop_table("updates_seen")
