"""The nudge budget hands over the window: each sending instance's heartbeat says
how long its recent sends stay in the one-second window (``holds``) and whether it
has stopped (``left``), so the one that takes its share counts them instead of
waiting a whole second.

The rows are heartbeats of running processes, nothing about users; existing ones
get an empty ``holds`` and ``left`` false.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sender_instances") as batch:
        batch.add_column(sa.Column("holds", sa.Text, nullable=False, server_default=""))
        batch.add_column(sa.Column("left", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("sender_instances") as batch:
        batch.drop_column("left")
        batch.drop_column("holds")
