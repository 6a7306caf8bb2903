"""/checkin, /history, /trend and the weekly check-in reminder.

No state in process memory: a button's callback data names the check-in, the
question and the answer (``ci:<checkin>:<question>:<choice>``); the database
holds the rest, so a check-in survives a restart and works across processes.
"""

from __future__ import annotations

from bot.domain.checkin import (
    CheckinScore,
    describe_balance,
    feels_unsafe,
    keeps_giving_more,
    score_checkin,
)
from bot.domain.replies import Attachment, Button, CallbackResult, Reply, rows
from bot.features.base import Ctx, expired, h
from bot.features.reminders import reminder_button, reminder_reply
from bot.features.tips import tip_reply
from bot.store import repo
from bot.store.models import Checkin

CLOSED = "This check-in is closed. Send /checkin to start a new one."
HISTORY_SIZE = 8


# --- the flow --------------------------------------------------------------------------


def question_reply(ctx: Ctx, checkin: Checkin | repo.CheckinProgress) -> Reply:
    questions = ctx.content.questions
    index = checkin.position
    question = questions[index]
    previous = repo.answers_of(session=ctx.db, checkin_id=checkin.id).get(question.id)
    intro = f"{h(ctx.content.checkin_intro)}\n\n" if index == 0 else ""
    text = f"{intro}<b>Check-in · {index + 1}/{len(questions)}</b>\n\n{h(question.text)}"
    key = f"ci:{checkin.id}:{index}"
    answers = tuple(
        (Button(("• " if previous == value else "") + label, f"{key}:{value}"),)
        for value, label in enumerate(question.answers, start=1)
    )
    controls = [Button("Skip", f"{key}:s"), Button("Cancel", f"{key}:x")]
    if index > 0:
        controls.insert(0, Button("« Back", f"{key}:b"))
    return Reply(text, (*answers, tuple(controls)))


def checkin_command(ctx: Ctx, args: str) -> list[Reply]:
    """/checkin: start (or continue) a check-in; /checkin remind: the weekly reminder."""
    if args.lower().startswith("remind"):
        return [reminder_reply(ctx)]
    current = repo.open_checkin(session=ctx.session, user_id=ctx.user_id)
    if current is not None:
        total = len(ctx.content.questions)
        text = (
            f"You have a check-in in progress ({current.position}/{total} answered). "
            "Continue where you left off, or start over?"
        )
        buttons = rows(Button("Continue", f"ci:{current.id}:go"), Button("Start over", "ci:new"))
        return [Reply(text, buttons)]
    checkin = repo.start_checkin(session=ctx.session, user_id=ctx.user_id, now=ctx.now)
    return [question_reply(ctx, checkin)]


def checkin_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """ci:new | ci:<id>:go | ci:<id>:fix | ci:<id>:<question>:<1-5|b|s|x> | ci:rem:..."""
    match parts:
        case ["new"]:
            checkin = repo.start_checkin(session=ctx.session, user_id=ctx.user_id, now=ctx.now)
            return CallbackResult(edit=question_reply(ctx, checkin))
        case ["rem", *rest]:
            return reminder_button(ctx, rest)
        case [raw_id, "go"] if raw_id.isdigit():
            current = _progress(ctx, raw_id)
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


def _progress(ctx: Ctx, raw_id: str) -> repo.CheckinProgress | None:
    """Where the user's check-in stands, read without loading the whole row."""
    if len(raw_id) > 18:
        return None
    return repo.checkin_progress(session=ctx.db, checkin_id=int(raw_id), user_id=ctx.user_id)


def _answer(ctx: Ctx, raw_id: str, index: int, choice: str) -> CallbackResult:
    """One answer button. The answer and the check-in's position are written with plain
    statements; the whole check-in is loaded only to finish it."""
    progress = _progress(ctx, raw_id)
    questions = ctx.content.questions
    if progress is None or progress.status != "open":
        return CallbackResult(CLOSED)
    if index != progress.position or index >= len(questions):
        return CallbackResult("That question has moved on.", edit=question_reply(ctx, progress))
    question = questions[index]
    if choice == "x":
        repo.cancel_checkin(session=ctx.db, checkin_id=progress.id)
        return CallbackResult("Cancelled", edit=Reply("Check-in cancelled. /checkin starts again."))
    if choice == "b":
        progress = progress._replace(position=max(0, index - 1))
        repo.set_checkin_progress(session=ctx.db, progress=progress)
        return CallbackResult(edit=question_reply(ctx, progress))
    if choice == "s":
        value = None
    elif choice in ("1", "2", "3", "4", "5"):
        value = int(choice)
    else:
        return expired()
    repo.save_answer(
        session=ctx.db,
        checkin_id=progress.id,
        question_id=question.id,
        value=value,
        now=ctx.now,
    )
    send: list[Reply] = []
    if question.safety and value is not None and value <= 2 and not progress.safety_shown:
        progress = progress._replace(safety_shown=True)
        send.append(safety_reply(ctx))
    progress = progress._replace(position=index + 1)
    repo.set_checkin_progress(session=ctx.db, progress=progress)
    if progress.position < len(questions):
        return CallbackResult(
            "Saved" if value else "Skipped", edit=question_reply(ctx, progress), send=send
        )
    checkin = _own(ctx, raw_id)
    assert checkin is not None
    summary, extra = finish(ctx, checkin)
    return CallbackResult("Check-in saved", edit=summary, send=send + extra)


def safety_reply(ctx: Ctx) -> Reply:
    links = tuple((Button(link.label, url=link.url),) for link in ctx.content.safety_links)
    return Reply(h(ctx.content.message("safety")), links)


def finish(ctx: Ctx, checkin: Checkin) -> tuple[Reply, list[Reply]]:
    """Score and close the check-in; the summary and the messages that follow it."""
    answers = {
        k: v
        for k, v in repo.answers_of(session=ctx.db, checkin_id=checkin.id).items()
        if v is not None
    }
    questions = ctx.content.questions
    score = score_checkin(questions, answers)
    weakest = score.weakest
    checkin.status, checkin.finished_at = "done", ctx.now
    checkin.balance = score.balance
    checkin.weakest_area = weakest.area if weakest else None
    checkin.weakest_strategy = weakest.strategy_id if weakest else None
    unsafe = feels_unsafe(questions, answers)
    if unsafe is not None:
        ctx.user.safety_flag = unsafe
    history = repo.finished_checkins(
        session=ctx.session, user_id=ctx.user_id, limit=ctx.settings.reassess_streak + 4
    )
    balances = [c.balance for c in reversed(history)]
    checkin.reassess = keeps_giving_more(
        balances, ctx.settings.reassess_threshold, ctx.settings.reassess_streak
    )
    extra: list[Reply] = []
    if checkin.reassess:
        extra.append(reassess_reply(ctx))
    if weakest is not None:
        extra.append(
            tip_reply(
                ctx,
                topic=weakest.strategy_id,
                source="checkin",
                heading=f"A tip for {weakest.area.lower()}",
            )
        )
    return summary_reply(ctx, checkin, score, balances), extra


def summary_reply(
    ctx: Ctx, checkin: Checkin, score: CheckinScore, balances: list[int | None]
) -> Reply:
    lines = ["<b>Check-in done. Thank you for taking the time.</b>", ""]
    if score.balance is None:
        lines.append("Balance: not enough answers to tell this time.")
    else:
        lines.append(f"Balance: <b>{score.balance:+d}</b> ({describe_balance(score.balance)})")
        lines.append("<i>-100: I give far more · 0: even · +100: I receive far more</i>")
    known = [b for b in balances if b is not None]
    if len(known) >= 2:
        lines.append("Recent check-ins: " + " → ".join(f"{b:+d}" for b in known[-5:]))
    if score.strongest is not None and score.weakest is not None:
        lines.append(f"Strongest: {h(score.strongest.area)} ({score.strongest.score}/100)")
        lines.append(f"Needs care: {h(score.weakest.area)} ({score.weakest.score}/100)")
    reminder = "Weekly reminder: on" if ctx.user.reminder_enabled else "Remind me weekly"
    buttons = rows(
        Button("Change my answers", f"ci:{checkin.id}:fix"),
        Button(reminder, "ci:rem:menu"),
    )
    return Reply("\n".join(lines), buttons)


def reassess_reply(ctx: Ctx) -> Reply:
    prompts = "\n".join(f"• {h(p)}" for p in ctx.content.reflection_prompts)
    text = h(ctx.content.message("reassess"))
    return Reply(f"{text}\n\n{prompts}" if prompts else text)


def _reopen(ctx: Ctx, raw_id: str) -> CallbackResult:
    """Correct the latest check-in: walk its questions again, answers kept until changed."""
    checkin = _own(ctx, raw_id)
    latest = repo.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=1)
    if checkin is None or not latest or latest[0].id != checkin.id:
        return CallbackResult("Only your latest check-in can be changed.")
    open_one = repo.open_checkin(session=ctx.session, user_id=ctx.user_id)
    if open_one is not None:
        open_one.status = "cancelled"
    checkin.status, checkin.position, checkin.finished_at = "open", 0, None
    return CallbackResult(edit=question_reply(ctx, checkin))


# --- looking back ----------------------------------------------------------------------


def history_command(ctx: Ctx, args: str) -> list[Reply]:
    """/history: the last eight check-ins."""
    checkins = repo.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=HISTORY_SIZE)
    if not checkins:
        return [Reply("No check-ins yet. /checkin takes about a minute.")]
    lines = ["<b>Your last check-ins</b>"]
    for checkin in checkins:
        assert checkin.finished_at is not None
        day = checkin.finished_at.astimezone(ctx.tz)
        balance = "n/a" if checkin.balance is None else f"{checkin.balance:+d}"
        weakest = f", needs care: {h(checkin.weakest_area)}" if checkin.weakest_area else ""
        lines.append(f"{day:%d %b %Y}: balance {balance}{weakest}")
    lines.append("\n/trend draws them as a chart.")
    return [Reply("\n".join(lines))]


def trend_command(ctx: Ctx, args: str) -> list[Reply]:
    """/trend: a chart of the balance over time and the latest areas."""
    checkins = repo.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=26)
    points = [
        (c.finished_at.astimezone(ctx.tz).date(), c.balance)
        for c in reversed(checkins)
        if c.finished_at is not None and c.balance is not None
    ]
    if len(points) < 2:
        return [
            Reply(
                f"A trend needs at least two check-ins with a balance; you have "
                f"{len(points)}. /checkin adds one."
            )
        ]
    latest = checkins[0]
    answers = {
        k: v
        for k, v in repo.answers_of(session=ctx.db, checkin_id=latest.id).items()
        if v is not None
    }
    areas = [(a.area, a.score) for a in score_checkin(ctx.content.questions, answers).areas]
    from bot.features.chart import trend_png  # matplotlib loads on first use, not at start-up

    png = trend_png(points, areas)
    caption = f"Your balance over {len(points)} check-ins, and your latest areas."
    return [Reply(caption, attachment=Attachment("trend.png", png, kind="photo"))]
