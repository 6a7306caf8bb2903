"""Couples: pairings (an invitation, then two members), the mirrors of their shared
weeks, and the pairing's messages in the delivery outbox.

- ``pairings``: one row per invitation or pair; the code is kept only as its SHA-256.
- ``mirrors``: what each partner was shown of a shared week (how their views compare
  per area, never the answers).
- ``nudge_deliveries.ref``: 0 for the daily tip and the weekly reminder (every existing
  row), else the pairing (or mirror) a message belongs to; it joins the unique key, so
  that each of a pairing's messages is recorded once per pairing, and a daily tip still
  once a day.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pairings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "inviter_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "partner_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("code_hash", sa.String(64), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("inviter_first_name", sa.String(64), nullable=True),
        sa.Column("partner_first_name", sa.String(64), nullable=True),
        sa.Column("inviter_shows", sa.Boolean, nullable=False),
        sa.Column("partner_shows", sa.Boolean, nullable=False),
        sa.Column("paused_by", sa.Integer, nullable=True),
        sa.UniqueConstraint("inviter_id", name="uq_pairings_inviter"),
        sa.UniqueConstraint("partner_id", name="uq_pairings_partner"),
        sa.UniqueConstraint("code_hash", name="uq_pairings_code"),
    )
    op.create_table(
        "mirrors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "pairing_id",
            sa.Integer,
            sa.ForeignKey("pairings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "reader_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("week", sa.Date, nullable=False),
        sa.Column(
            "reader_checkin_id",
            sa.Integer,
            sa.ForeignKey("checkins.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "partner_checkin_id",
            sa.Integer,
            sa.ForeignKey("checkins.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("areas", sa.String(600), nullable=False),
        sa.Column("answers_shown", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("pairing_id", "reader_id", "week", name="uq_mirrors_reader_week"),
    )
    op.create_index("ix_mirrors_reader", "mirrors", ["reader_id"])
    with op.batch_alter_table("nudge_deliveries") as batch:
        batch.add_column(sa.Column("ref", sa.Integer, nullable=False, server_default="0"))
        batch.drop_constraint("uq_nudge_deliveries_user_day", type_="unique")
        batch.create_unique_constraint(
            "uq_nudge_deliveries_user_day", ["user_id", "kind", "local_date", "ref"]
        )


def downgrade() -> None:
    # A pairing's messages have no place in the old key: they are dropped with it.
    op.execute(sa.text("DELETE FROM nudge_deliveries WHERE ref <> 0"))
    with op.batch_alter_table("nudge_deliveries") as batch:
        batch.drop_constraint("uq_nudge_deliveries_user_day", type_="unique")
        batch.create_unique_constraint(
            "uq_nudge_deliveries_user_day", ["user_id", "kind", "local_date"]
        )
        batch.drop_column("ref")
    op.drop_index("ix_mirrors_reader", table_name="mirrors")
    op.drop_table("mirrors")
    op.drop_table("pairings")
