"""The platform in the identity: a user is known by (platform, platform user id).

Every user so far came from Telegram, so existing rows get "telegram"; the column then
has no default, so that no new row can leave its platform unsaid.

On SQLite each batch copies the users table and drops the old one; ``env.py`` turns
foreign keys off meanwhile, so that no user's check-ins, tips or deliveries go with it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("platform", sa.String(16), nullable=False, server_default="telegram")
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column("platform", existing_type=sa.String(16), server_default=None)
        batch.drop_constraint("uq_users_platform_user_id", type_="unique")
        batch.create_unique_constraint(
            "uq_users_platform_identity", ["platform", "platform_user_id"]
        )


def downgrade() -> None:
    # Fails, changing nothing, where two platforms use the same number (the old key
    # cannot hold both); nothing is deleted to make it fit.
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_platform_identity", type_="unique")
        batch.create_unique_constraint("uq_users_platform_user_id", ["platform_user_id"])
        batch.drop_column("platform")
