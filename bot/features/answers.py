"""Reading stored check-ins in today's terms: their answers, scores, areas and labels
(for the check-in itself, the mirror of a shared week and the export)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.domain.checkin import CheckinScore, from_earlier
from bot.domain.checkin import score_checkin as score_answers
from bot.domain.content import Content, EarlierQuestion, Question
from bot.features.base import Ctx
from bot.i18n import Locale
from bot.store import checkins as store
from bot.store.models import Checkin


def answers_in_todays_terms(
    session: Session, content: Content, checkin: Checkin
) -> dict[str, int | None]:
    """The check-in's answers as answers to today's questions (an earlier format's
    answers where they map onto today's questions)."""
    stored = store.answers_of(session=session, checkin_id=checkin.id)
    if checkin.format == content.checkin_format:
        return stored
    return from_earlier(content.earlier_formats.get(checkin.format, ()), stored)


def answers_today(ctx: Ctx, checkin: Checkin) -> dict[str, int | None]:
    return answers_in_todays_terms(ctx.session, ctx.content, checkin)


def score_of(ctx: Ctx, checkin: Checkin) -> CheckinScore:
    return score_answers(ctx.content.questions, answers_today(ctx, checkin))


def area_name(ctx: Ctx, question_id: str | None) -> str | None:
    """The name of a question's area, in the reader's words."""
    question = ctx.content.question(question_id) if question_id else None
    return ctx.t(question.area_key) if question is not None else None


def answer_label(
    where: Ctx | Locale, question: Question | EarlierQuestion, value: int | None
) -> str | None:
    """The label of a stored answer, in the user's words (None: skipped or unknown)."""
    key = question.answer_key(value)
    return where.t(key) if key is not None else None


def earlier_format(ctx: Ctx, checkin: Checkin) -> bool:
    return checkin.format != ctx.content.checkin_format
