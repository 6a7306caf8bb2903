"""How the bot speaks of each user's partner, the language they chose, their consent,
and what the bot waits for them to type.

- ``partner``: "he", "she" or "they" (the default, "your partner"); ``partner_name``
  an optional first name the user gave.
- ``chosen_language``: set by /language; until then the bot follows the platform's
  language code, kept up to date in ``language``.
- ``consented_at``: when the user pressed "Sounds good". Nobody is stored before; every
  user so far came in before consent was asked, when /start said what is stored, so
  their rows keep their first contact as the moment of consent.
- ``awaiting``: the one thing the bot is waiting for them to type during onboarding or
  settings ("zone", "time", "partner-name"), so a restart loses no step.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("partner", sa.String(8), nullable=False, server_default="they"))
        batch.add_column(sa.Column("partner_name", sa.String(40), nullable=True))
        batch.add_column(sa.Column("chosen_language", sa.String(16), nullable=True))
        batch.add_column(sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("awaiting", sa.String(16), nullable=True))
    users = sa.table(
        "users",
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("consented_at", sa.DateTime(timezone=True)),
    )
    op.execute(users.update().values(consented_at=users.c.created_at))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("awaiting")
        batch.drop_column("consented_at")
        batch.drop_column("chosen_language")
        batch.drop_column("partner_name")
        batch.drop_column("partner")
