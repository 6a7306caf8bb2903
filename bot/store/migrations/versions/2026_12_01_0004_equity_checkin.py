"""The equity check-in: earlier check-ins keep their answers, marked as an earlier format.

Check-ins saved before this revision were asked with the first question set (format 1).
Their answers stay exactly as given. Their stored scores are recomputed by today's
rules from the questions that map onto today's set (who made plans, own time, letting
go, honesty, safety); the others are kept and shown as they were asked. A check-in
left open mid-way refers to questions that are no longer asked: it is closed as
cancelled, its answers kept.

The mapping and rules are written out here, not read from ``content/``, so that this
migration does the same thing whatever the content says later.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# format 1 question -> (today's question, earlier value -> today's value)
_MAPS = {
    "initiative": ("initiative", {1: 5, 2: 4, 3: 3, 4: 2, 5: 1}),
    "own_time": ("own_time", {v: v for v in range(1, 6)}),
    "resentment": ("letting_go", {v: v for v in range(1, 6)}),
    "honesty": ("honesty", {v: v for v in range(1, 6)}),
    "safe": ("safe", {v: v for v in range(1, 6)}),
}
_ORDER = ("initiative", "own_time", "honesty", "letting_go")  # today's order; safe never ranks
_HEALTH_STRATEGY = {"own_time": "own-life", "honesty": "genuine", "letting_go": "letting-go"}
_BALANCE_POINTS = {1: -100, 2: -60, 3: 0, 4: 60, 5: 100}
_EVENNESS = {1: 0, 2: 50, 3: 100, 4: 50, 5: 0}


def _rescore(answers: dict[str, int | None]) -> tuple[int | None, str | None, str | None]:
    """(balance, weakest area id, its strategy) of format-1 answers, by today's rules."""
    mapped: dict[str, int] = {}
    for old_id, value in answers.items():
        if old_id in _MAPS and value is not None and 1 <= value <= 5:
            new_id, values = _MAPS[old_id]
            mapped[new_id] = values[value]
    balance = _BALANCE_POINTS[mapped["initiative"]] if "initiative" in mapped else None
    scores: list[tuple[int, str, str]] = []
    for question_id in _ORDER:
        if question_id not in mapped:
            continue
        value = mapped[question_id]
        if question_id == "initiative":
            strategy = "appreciation" if value > 3 else "reciprocity"
            scores.append((_EVENNESS[value], question_id, strategy))
        else:
            scores.append(((value - 1) * 25, question_id, _HEALTH_STRATEGY[question_id]))
    low = [s for s in scores if s[0] <= 50]
    if not low:
        return balance, None, None
    _, area, strategy = min(low, key=lambda s: s[0])
    return balance, area, strategy


def upgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(sa.Column("format", sa.Integer(), nullable=False, server_default="2"))
        batch.add_column(
            sa.Column("partner_carrying", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column(
                "revises_id",
                sa.Integer(),
                sa.ForeignKey("checkins.id", name="fk_checkins_revises", ondelete="CASCADE"),
                nullable=True,
            )
        )
    checkins = sa.table(
        "checkins",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("format", sa.Integer),
        sa.column("balance", sa.Integer),
        sa.column("weakest_area", sa.String),
        sa.column("weakest_strategy", sa.String),
    )
    answers = sa.table(
        "checkin_answers",
        sa.column("checkin_id", sa.Integer),
        sa.column("question_id", sa.String),
        sa.column("value", sa.Integer),
    )
    bind = op.get_bind()
    bind.execute(checkins.update().values(format=1))
    bind.execute(checkins.update().where(checkins.c.status == "open").values(status="cancelled"))
    by_checkin: dict[int, dict[str, int | None]] = {}
    done = sa.select(checkins.c.id).where(checkins.c.status == "done")
    for checkin_id, question_id, value in bind.execute(
        sa.select(answers.c.checkin_id, answers.c.question_id, answers.c.value).where(
            answers.c.checkin_id.in_(done)
        )
    ):
        by_checkin.setdefault(checkin_id, {})[question_id] = value
    for (checkin_id,) in bind.execute(done).all():
        balance, area, strategy = _rescore(by_checkin.get(checkin_id, {}))
        bind.execute(
            checkins.update()
            .where(checkins.c.id == checkin_id)
            .values(balance=balance, weakest_area=area, weakest_strategy=strategy)
        )


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("revises_id")
        batch.drop_column("partner_carrying")
        batch.drop_column("format")
