"""A bounded tip history: a row of tips_shown may stand for several shows of one tip
(``times``, the last at ``shown_at``). Each user's newest 100 shows stay one row each;
older ones are folded into one row per tip: its first row keeps the number of those
shows and the time and source of the last of them. Every count survives, so the next
tip is chosen as before.

Downgrade expands each row back into ``times`` rows (one per show, with the last
show's time).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

RECENT_SHOWS = 100  # bot.store.tips.RECENT_SHOWS when this was written
CHUNK = 5_000  # ids per DELETE: well under SQLite's limit of bound parameters

TIPS_SHOWN = sa.table(
    "tips_shown",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("tip_id", sa.String),
    sa.column("shown_at"),  # as the database returns it, written back unchanged
    sa.column("source", sa.String),
    sa.column("times", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("tips_shown") as batch:
        batch.add_column(sa.Column("times", sa.Integer, nullable=False, server_default="1"))
    connection = op.get_bind()
    t = TIPS_SHOWN
    crowded = connection.execute(
        sa.select(t.c.user_id).group_by(t.c.user_id).having(sa.func.count() > RECENT_SHOWS)
    ).scalars()
    for user_id in list(crowded):
        _fold(connection, user_id)


def _fold(connection: sa.Connection, user_id: int) -> None:
    """Fold one user's shows older than their newest RECENT_SHOWS, one row per tip."""
    t = TIPS_SHOWN
    rows = connection.execute(
        sa.select(t.c.id, t.c.tip_id, t.c.shown_at, t.c.source, t.c.times)
        .where(t.c.user_id == user_id)
        .order_by(t.c.id.desc())
    ).all()[RECENT_SHOWS:]
    by_tip: dict[str, list[Any]] = defaultdict(list)
    for row in reversed(rows):  # oldest first: the first row of each tip keeps the count
        by_tip[row.tip_id].append(row)
    kept: list[dict[str, Any]] = []
    gone: list[int] = []
    for keeper, *rest in by_tip.values():
        if not rest:
            continue
        last = max([keeper, *rest], key=lambda row: (row.shown_at, row.id))
        kept.append(
            {
                "kid": keeper.id,
                "n": sum(row.times for row in (keeper, *rest)),
                "at": last.shown_at,
                "via": last.source,
            }
        )
        gone += [row.id for row in rest]
    if kept:
        connection.execute(
            sa.update(t)
            .where(t.c.id == sa.bindparam("kid"))
            .values(
                times=sa.bindparam("n"), shown_at=sa.bindparam("at"), source=sa.bindparam("via")
            ),
            kept,
        )
    for start in range(0, len(gone), CHUNK):
        connection.execute(sa.delete(t).where(t.c.id.in_(gone[start : start + CHUNK])))


def downgrade() -> None:
    connection = op.get_bind()
    t = TIPS_SHOWN
    folded = connection.execute(
        sa.select(t.c.user_id, t.c.tip_id, t.c.shown_at, t.c.source, t.c.times).where(t.c.times > 1)
    ).all()
    copies = [
        {"user_id": r.user_id, "tip_id": r.tip_id, "shown_at": r.shown_at, "source": r.source}
        for r in folded
        for _ in range(r.times - 1)
    ]
    for start in range(0, len(copies), CHUNK):
        connection.execute(sa.insert(t), copies[start : start + CHUNK])
    with op.batch_alter_table("tips_shown") as batch:
        batch.drop_column("times")
