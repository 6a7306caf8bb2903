"""/privacy, /export and /delete: what is kept, a copy of it, and erasing it."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.content import EarlierQuestion, Question
from bot.domain.replies import Attachment, Button, CallbackResult, Reply, rows
from bot.features.base import Ctx, expired
from bot.store import repo

PRIVACY = """<b>Your privacy</b>

<b>What I keep, and why</b>
• your Telegram user id and chat id, to answer you and send the daily tip;
• your language code, time zone, daily tip time and weekly reminder, to send them at your hour;
• which tips you saw and when, so you never get the same one twice in a row;
• when each daily tip or reminder went out (kept 35 days), so nobody gets two in one day;
• your check-in answers (a number per answer) and their scores, to show your trend.

<b>What I never keep</b>: what you type, your location (a shared location is turned into a \
time zone name and dropped), your name or phone number.

<b>How long</b>: until you delete it. Nothing is shared with anyone; logs hold no messages.

/export sends you everything I keep about you as a file.
/delete erases all of it, at once and for good.
/stop ends all messages from me."""


def privacy_command(ctx: Ctx, args: str) -> list[Reply]:
    """/privacy: what is stored, why, for how long, and the commands."""
    return [Reply(PRIVACY)]


def export_command(ctx: Ctx, args: str) -> list[Reply]:
    """/export: the user's own data as a readable JSON document."""
    data = {
        "about": "Everything the coach bot keeps about you. /delete erases it.",
        "exported_at": ctx.now.isoformat(),
        **repo.export_user(session=ctx.session, user=ctx.user),
    }
    _explain_answers(ctx, data)
    body = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    return [
        Reply(
            "Here is everything I keep about you.",
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
            answer["question_text"] = question.text if question else None
            answer["answer"] = (
                "skipped" if value is None else (question.label(value) if question else None)
            )


def delete_command(ctx: Ctx, args: str) -> list[Reply]:
    """/delete: ask for confirmation with a button."""
    text = (
        "This erases everything I keep about you: settings, tips seen, check-ins and "
        "answers. It can't be undone. Delete it all?"
    )
    return [
        Reply(
            text, rows(Button("Yes, delete everything", "del:yes"), Button("No, keep it", "del:no"))
        )
    ]


def delete_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """del:yes | del:no."""
    match parts:
        case ["yes"]:
            repo.delete_user(session=ctx.session, user_id=ctx.user_id)
            text = "Done: everything I kept about you is deleted. /start begins afresh."
            return CallbackResult("Deleted", edit=Reply(text))
        case ["no"]:
            return CallbackResult("Kept", edit=Reply("Nothing was deleted."))
    return expired()
