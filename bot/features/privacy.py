"""/privacy, /export and /delete: what is kept, a copy of it, and erasing it."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.content import EarlierQuestion, Question
from bot.domain.mirror import decode
from bot.domain.replies import Attachment, Button, CallbackResult, Reply
from bot.features.answers import answer_label
from bot.features.base import Ctx, expired
from bot.features.pairing import leave
from bot.store import privacy as store


def privacy_command(ctx: Ctx, args: str) -> list[Reply]:
    """/privacy: what is stored, why, for how long, and the commands."""
    return [Reply(ctx.t("privacy-details"))]


def export_command(ctx: Ctx, args: str) -> list[Reply]:
    """/export: the user's own data as a readable JSON document."""
    data = {
        "about": ctx.t("export-about"),
        "exported_at": ctx.now.isoformat(),
        **store.export_user(session=ctx.session, user=ctx.user),
    }
    _explain_answers(ctx, data)
    _explain_mirrors(ctx, data)
    body = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return [
        Reply(
            ctx.t("export-sent"),
            attachment=Attachment("coachbot-my-data.json", body),
        )
    ]


def _explain_answers(ctx: Ctx, data: dict[str, Any]) -> None:
    """Next to each stored answer value: the question as it was asked, and its label."""
    for checkin in data["checkins"]:
        questions: dict[str, Question | EarlierQuestion] = {q.id: q for q in ctx.content.questions}
        if checkin["format"] != ctx.content.checkin_format:
            questions = {q.id: q for q in ctx.content.earlier_formats.get(checkin["format"], ())}
        for answer in checkin["answers"]:
            question = questions.get(answer["question"])
            value = answer["value"]
            answer["question_text"] = ctx.t(question.key) if question else None
            answer["answer"] = (
                "skipped"
                if value is None
                else (answer_label(ctx, question, value) if question else None)
            )


def _explain_mirrors(ctx: Ctx, data: dict[str, Any]) -> None:
    """Next to each mirror's stored areas: what it said, in words (a mirror the partner
    received reads from their side: "you" is the partner there)."""
    for key in ("mirrors_received", "shown_to_partner"):
        for mirror in data[key]:
            words = []
            for view in decode(mirror["areas"]):
                question = ctx.content.question(view.question_id)
                area = ctx.t(question.area_key) if question else view.question_id
                words.append(f"{area}: {ctx.t(f'mirror-{view.relation}')}")
            mirror["in_words"] = words


def delete_command(ctx: Ctx, args: str) -> list[Reply]:
    """/delete: ask for confirmation with a button."""
    yes, no = Button(ctx.t("delete-yes"), "del:yes"), Button(ctx.t("delete-no"), "del:no")
    return [Reply(ctx.t("delete-confirm"), ctx.platform.rows(yes, no))]


def delete_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """del:yes | del:no."""
    match parts:
        case ["yes"]:
            leave(ctx)  # a partner is told only that the pairing ended
            store.delete_user(session=ctx.session, user_id=ctx.user_id)
            text = ctx.t("delete-done")
            return CallbackResult(ctx.t("delete-notice"), edit=Reply(text))
        case ["no"]:
            return CallbackResult(ctx.t("delete-kept-notice"), edit=Reply(ctx.t("delete-kept")))
    return expired(ctx)
