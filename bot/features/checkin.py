"""/checkin, /history, /trend and the weekly check-in reminder.

No state in process memory: a button's callback data names the check-in, the
question and the answer (``ci:<checkin>:<question>:<choice>``); the database
holds the rest, so a check-in survives a restart and works across processes.

Correcting a finished check-in works on a draft (an open check-in that
``revises`` it, holding a copy of its answers): cancelling the draft leaves the
finished one exactly as it was; finishing it replaces the finished one's answers.
"""

from __future__ import annotations

from bot.domain.checkin import Band, CheckinScore, Streak, answered, feels_unsafe, from_earlier
from bot.domain.checkin import score_checkin as score_answers
from bot.domain.checkin import streak as balance_streak
from bot.domain.content import NOT_APPLICABLE
from bot.domain.replies import Attachment, Button, CallbackResult, Reply, rows
from bot.features.base import Ctx, expired, h
from bot.features.reminders import reminder_button, reminder_reply
from bot.features.safety import counselling_button, safety_reply
from bot.features.tips import tip_reply
from bot.store import repo
from bot.store.models import Checkin

CLOSED = "This check-in is closed. Send /checkin to start a new one."
HISTORY_SIZE = 8
BANDS = {
    Band.GAVE_FAR_MORE: "you gave far more than you received",
    Band.GAVE_MORE: "you gave more than you received",
    Band.EVEN: "about even",
    Band.RECEIVED_MORE: "your partner gave more than you did",
    Band.RECEIVED_FAR_MORE: "your partner gave far more than you did",
}


# --- reading check-ins -----------------------------------------------------------------


def answers_today(ctx: Ctx, checkin: Checkin) -> dict[str, int | None]:
    """The check-in's answers as answers to today's questions (an earlier format's
    answers where they map onto today's questions)."""
    stored = repo.answers_of(session=ctx.session, checkin_id=checkin.id)
    if checkin.format == ctx.content.checkin_format:
        return stored
    return from_earlier(ctx.content.earlier_formats.get(checkin.format, ()), stored)


def score_of(ctx: Ctx, checkin: Checkin) -> CheckinScore:
    return score_answers(ctx.content.questions, answers_today(ctx, checkin))


def area_name(ctx: Ctx, question_id: str | None) -> str | None:
    question = ctx.content.question(question_id) if question_id else None
    return question.area if question is not None else None


def earlier_format(ctx: Ctx, checkin: Checkin) -> bool:
    return checkin.format != ctx.content.checkin_format


def local_day(ctx: Ctx, checkin: Checkin) -> str:
    moment = checkin.finished_at or checkin.started_at
    return f"{moment.astimezone(ctx.tz):%d %b %Y}"


# --- the flow --------------------------------------------------------------------------


def question_reply(ctx: Ctx, checkin: Checkin) -> Reply:
    questions = ctx.content.questions
    index = checkin.position
    question = questions[index]
    answers = repo.answers_of(session=ctx.session, checkin_id=checkin.id)
    current = answers.get(question.id)
    correcting = checkin.revises_id is not None
    done = sum(1 for v in answers.values() if answered(v))
    skipped = len(answers) - done
    intro = f"{h(ctx.content.checkin_intro)}\n\n" if index == 0 and not correcting else ""
    title = "Changing your answers" if correcting else "Check-in"
    progress = f"<i>{done} answered · {skipped} skipped</i>"
    text = f"{intro}<b>{title} · {index + 1}/{len(questions)}</b>\n{progress}\n\n{h(question.text)}"
    key = f"ci:{checkin.id}:{index}"

    def mark(value: int, label: str) -> Button:
        return Button(("• " if current == value else "") + label, f"{key}:{value}")

    choices = [mark(value, label) for value, label in enumerate(question.answers, start=1)]
    if question.not_applicable:
        choices.append(mark(NOT_APPLICABLE, question.not_applicable))
    move_on = Button("Keep", f"{key}:k") if correcting else Button("Skip", f"{key}:s")
    controls = [move_on, Button("Cancel", f"{key}:x")]
    if index > 0:
        controls.insert(0, Button("« Back", f"{key}:b"))
    return Reply(text, (*((c,) for c in choices), tuple(controls)))


def checkin_command(ctx: Ctx, args: str) -> list[Reply]:
    """/checkin: start (or continue) a check-in; /checkin remind: the weekly reminder."""
    if args.lower().startswith("remind"):
        return [reminder_reply(ctx)]
    current = repo.open_checkin(session=ctx.session, user_id=ctx.user_id)
    if current is not None:
        buttons = rows(
            Button("Continue", f"ci:{current.id}:go"), Button("Start a new one", "ci:new")
        )
        if current.revises_id is not None:
            original = repo.get_checkin(
                session=ctx.session, checkin_id=current.revises_id, user_id=ctx.user_id
            )
            day = local_day(ctx, original) if original is not None else "earlier"
            text = (
                f"You were changing your answers to your check-in of {day}. "
                "Continue, or start a new check-in?"
            )
            return [Reply(text, buttons)]
        total = len(ctx.content.questions)
        text = (
            f"You have a check-in in progress (question {current.position + 1} of {total}). "
            "Continue where you left off, or start over?"
        )
        return [Reply(text, buttons)]
    checkin = _start(ctx)
    return [question_reply(ctx, checkin)]


def _start(ctx: Ctx, revises: Checkin | None = None) -> Checkin:
    return repo.start_checkin(
        session=ctx.session,
        user_id=ctx.user_id,
        now=ctx.now,
        format=ctx.content.checkin_format,
        revises=revises,
    )


def checkin_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """ci:new | ci:<id>:go | ci:<id>:fix | ci:<id>:<question>:<0-5|k|b|s|x> | ci:rem:..."""
    match parts:
        case ["new"]:
            return CallbackResult(edit=question_reply(ctx, _start(ctx)))
        case ["rem", *rest]:
            return reminder_button(ctx, rest)
        case [raw_id, "go"] if raw_id.isdigit():
            current = _own(ctx, raw_id)
            if current is None or current.status != "open":
                return CallbackResult(CLOSED)
            return CallbackResult(edit=question_reply(ctx, current))
        case [raw_id, "fix"] if raw_id.isdigit():
            return _reopen(ctx, raw_id)
        case [raw_id, raw_index, choice] if raw_id.isdigit() and raw_index.isdigit():
            return _answer(ctx, raw_id, int(raw_index), choice)
    return expired()


def _own(ctx: Ctx, raw_id: str) -> Checkin | None:
    if len(raw_id) > 18:
        return None
    return repo.get_checkin(session=ctx.session, checkin_id=int(raw_id), user_id=ctx.user_id)


def _answer(ctx: Ctx, raw_id: str, index: int, choice: str) -> CallbackResult:
    """One press on a question: an answer, Keep, Skip, Back or Cancel."""
    checkin = _own(ctx, raw_id)
    questions = ctx.content.questions
    if checkin is None or checkin.status != "open" or earlier_format(ctx, checkin):
        return CallbackResult(CLOSED)
    if index != checkin.position or index >= len(questions):
        return CallbackResult("That question has moved on.", edit=question_reply(ctx, checkin))
    question = questions[index]
    correcting = checkin.revises_id is not None
    if choice == "x":
        return _cancel(ctx, checkin)
    if choice == "b":
        checkin.position = max(0, index - 1)
        return CallbackResult(edit=question_reply(ctx, checkin))
    notice = "Saved"
    if choice == "k" and correcting:
        notice = "Kept"
    elif choice == "s" and not correcting:
        repo.save_answer(
            session=ctx.session,
            checkin_id=checkin.id,
            question_id=question.id,
            value=None,
            now=ctx.now,
        )
        notice = "Skipped"
    elif choice in ("1", "2", "3", "4", "5") or (choice == "0" and question.not_applicable):
        repo.save_answer(
            session=ctx.session,
            checkin_id=checkin.id,
            question_id=question.id,
            value=int(choice),
            now=ctx.now,
        )
    else:
        return expired()
    checkin.position = index + 1
    if checkin.position < len(questions):
        return CallbackResult(notice, edit=question_reply(ctx, checkin))
    return finish(ctx, checkin)


def _cancel(ctx: Ctx, checkin: Checkin) -> CallbackResult:
    original_id = checkin.revises_id
    repo.discard_checkin(session=ctx.session, checkin=checkin)
    if original_id is None:
        text = "Check-in cancelled, and none of its answers kept. /checkin starts again."
        return CallbackResult("Cancelled", edit=Reply(text))
    original = repo.get_checkin(session=ctx.session, checkin_id=original_id, user_id=ctx.user_id)
    day = local_day(ctx, original) if original is not None else "earlier"
    text = f"No changes made: your check-in of {day} stays as it was. /history shows it."
    return CallbackResult("Nothing changed", edit=Reply(text))


def finish(ctx: Ctx, checkin: Checkin) -> CallbackResult:
    """Score and close the check-in (or, for a draft, replace the one it corrects);
    the summary, and the messages that follow it."""
    questions = ctx.content.questions
    answers = repo.answers_of(session=ctx.session, checkin_id=checkin.id)
    score = score_answers(questions, answers)
    if score.answered == 0:
        original_id = checkin.revises_id
        repo.discard_checkin(session=ctx.session, checkin=checkin)
        text = "Every question was skipped, so nothing was recorded. /checkin starts again."
        if original_id is not None:
            text = "Nothing was changed: your earlier answers are kept."
        return CallbackResult("Nothing recorded", edit=Reply(text))
    if checkin.revises_id is not None:
        target = repo.get_checkin(
            session=ctx.session, checkin_id=checkin.revises_id, user_id=ctx.user_id
        )
        assert target is not None  # a draft is deleted with the check-in it corrects
        repo.replace_answers(session=ctx.session, draft=checkin, target=target)
        checkin = target
    else:
        checkin.status, checkin.finished_at = "done", ctx.now
    weakest = score.weakest
    checkin.balance = score.balance
    checkin.weakest_area = weakest.question_id if weakest else None
    checkin.weakest_strategy = weakest.strategy_id if weakest else None
    unsafe = feels_unsafe(questions, answers)
    if unsafe is not None:
        ctx.user.safety_flag = unsafe
    history = repo.finished_checkins(
        session=ctx.session, user_id=ctx.user_id, limit=ctx.settings.reassess_streak + 4
    )
    balances = [c.balance for c in reversed(history)]
    leaning = balance_streak(
        balances, abs(ctx.settings.reassess_threshold), ctx.settings.reassess_streak
    )
    checkin.reassess = leaning == Streak.GIVING
    checkin.partner_carrying = leaning == Streak.RECEIVING
    if unsafe:  # only the care message and where to find help: nothing else, no tip
        return CallbackResult("Check-in saved", edit=care_reply(ctx))
    extra: list[Reply] = []
    if checkin.reassess:
        extra.append(reassess_reply(ctx))
    elif checkin.partner_carrying:
        extra.append(Reply(h(ctx.content.message("partner_carrying"))))
    if weakest is not None and not ctx.user.safety_flag:
        extra.append(
            tip_reply(
                ctx,
                topic=weakest.strategy_id,
                source="checkin",
                heading=f"A tip for {weakest.area.lower()}",
            )
        )
    summary = summary_reply(ctx, checkin, score, balances)
    return CallbackResult("Check-in saved", edit=summary, send=extra)


def summary_reply(
    ctx: Ctx, checkin: Checkin, score: CheckinScore, balances: list[int | None]
) -> Reply:
    lines = ["<b>Check-in saved. Thank you for taking the time.</b>", ""]
    if score.balance is None or score.band is None:
        lines.append("Give and take: no answers on who gave what, so no balance this time.")
    else:
        lines.append(f"Give and take: <b>{score.balance:+d}</b>, {BANDS[score.band]}")
        lines.append(
            "<i>-100 you gave far more · 0 about even · +100 your partner gave far more</i>"
        )
    known = [b for b in balances if b is not None]
    if len(known) >= 2:
        lines.append("Recent check-ins: " + " → ".join(f"{b:+d}" for b in known[-5:]))
    strongest, weakest = score.strongest, score.weakest
    if strongest is not None or weakest is not None:
        lines.append("")
    if strongest is not None:
        lines.append(f"Going well: {h(strongest.area)} ({strongest.score}/100)")
    if weakest is not None:
        lines.append(f"Needs care: {h(weakest.area)} ({weakest.score}/100)")
    if strongest is not None or weakest is not None:
        lines.append(
            "<i>Areas 0-100, higher is healthier; a give-and-take area scores 100 when even.</i>"
        )
    lines.append(f"{score.answered} answered · {score.skipped} skipped")
    reminder = "Weekly reminder: on" if ctx.user.reminder_enabled else "Remind me weekly"
    buttons = rows(
        Button("Change my answers", f"ci:{checkin.id}:fix"),
        Button(reminder, "ci:rem:menu"),
    )
    return Reply("\n".join(lines), buttons)


def care_reply(ctx: Ctx) -> Reply:
    """After a safety answer: the care message and the help resources, nothing else."""
    return safety_reply(ctx, opening=ctx.content.message("safety"))


def reassess_reply(ctx: Ctx) -> Reply:
    """Short and kind: the pattern, reflection prompts, and a counsellor or helpline."""
    prompts = "\n".join(f"• {h(p)}" for p in ctx.content.reflection_prompts)
    text = h(ctx.content.message("reassess"))
    return Reply(
        f"{text}\n\n{prompts}" if prompts else text,
        ((counselling_button(ctx.content),),),
    )


def _reopen(ctx: Ctx, raw_id: str) -> CallbackResult:
    """Correct the latest check-in, on a draft: answers kept until changed."""
    checkin = _own(ctx, raw_id)
    latest = repo.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=1)
    if checkin is None or not latest or latest[0].id != checkin.id:
        return CallbackResult("Only your latest check-in can be changed.")
    if earlier_format(ctx, checkin):
        return CallbackResult("That check-in used earlier questions; /checkin starts a new one.")
    draft = _start(ctx, revises=checkin)
    return CallbackResult(edit=question_reply(ctx, draft))


# --- looking back ----------------------------------------------------------------------


def history_command(ctx: Ctx, args: str) -> list[Reply]:
    """/history: the last eight check-ins."""
    checkins = repo.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=HISTORY_SIZE)
    if not checkins:
        return [Reply("No check-ins yet. /checkin takes about two minutes.")]
    lines = ["<b>Your last check-ins</b>", "<i>give and take: -100 you gave far more · 0 even</i>"]
    for checkin in checkins:
        balance = "no balance" if checkin.balance is None else f"{checkin.balance:+d}"
        line = f"{local_day(ctx, checkin)}: give and take {balance}"
        area = area_name(ctx, checkin.weakest_area)
        if area:
            line += f", needs care: {h(area)}"
        if earlier_format(ctx, checkin):
            line += " <i>(earlier questions)</i>"
        lines.append(line)
    lines.append("\n/trend draws them as a chart.")
    return [Reply("\n".join(lines))]


def trend_command(ctx: Ctx, args: str) -> list[Reply]:
    """/trend: a chart of the balance over time and the latest areas."""
    recent = repo.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=26)
    checkins = [c for c in reversed(recent) if c.finished_at is not None and c.balance is not None]
    if len(checkins) < 2:
        return [
            Reply(
                f"A trend needs at least two check-ins with a balance; you have "
                f"{len(checkins)}. /checkin adds one."
            )
        ]
    points = list(zip(point_labels(ctx, checkins), [c.balance or 0 for c in checkins], strict=True))
    areas = [(a.area, a.score) for a in score_of(ctx, recent[0]).areas if not a.safety]
    from bot.features.chart import trend_png  # matplotlib loads on first use, not at start-up

    png = trend_png(points, areas)
    caption = f"Your give and take over {len(points)} check-ins, and your latest areas."
    return [Reply(caption, attachment=Attachment("trend.png", png, kind="photo"))]


def point_labels(ctx: Ctx, checkins: list[Checkin]) -> list[str]:
    """One label per check-in: its local day, with the time where a day has several."""
    days = [c.finished_at.astimezone(ctx.tz) for c in checkins if c.finished_at is not None]
    counts: dict[str, int] = {}
    for day in days:
        counts[f"{day:%d %b}"] = counts.get(f"{day:%d %b}", 0) + 1
    return [f"{d:%d %b}" if counts[f"{d:%d %b}"] == 1 else f"{d:%d %b %H:%M}" for d in days]
