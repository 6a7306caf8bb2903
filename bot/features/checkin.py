"""/checkin, /history, /trend and the weekly check-in reminder.

No state in process memory: a button's callback data names the check-in, the
question and the answer (``ci:<checkin>:<question>:<choice>``); the database
holds the rest, so a check-in survives a restart and works across processes.

Correcting a finished check-in works on a draft (an open check-in that
``revises`` it, holding a copy of its answers): cancelling the draft leaves the
finished one exactly as it was; finishing it replaces the finished one's answers.
"""

from __future__ import annotations

from bot.domain.checkin import CheckinScore, Streak, answered, feels_unsafe
from bot.domain.checkin import score_checkin as score_answers
from bot.domain.checkin import streak as balance_streak
from bot.domain.content import ANSWERS, NOT_APPLICABLE
from bot.domain.replies import Attachment, Button, CallbackResult, Reply
from bot.features.answers import answer_label, area_name, earlier_format, score_of
from bot.features.base import Ctx, expired
from bot.features.mirror import after_checkin
from bot.features.pairing import current, safety_offer
from bot.features.reminders import reminder_button, reminder_reply
from bot.features.safety import counselling_button, safety_reply
from bot.features.tips import tip_reply
from bot.i18n import Markup
from bot.store import checkins as store
from bot.store import pairings
from bot.store.models import Checkin, CheckinStatus, TipSource

HISTORY_SIZE = 8


# --- reading check-ins -----------------------------------------------------------------


def local_day(ctx: Ctx, checkin: Checkin) -> str:
    moment = checkin.finished_at or checkin.started_at
    return ctx.locale.date(moment.astimezone(ctx.tz), "dd MMM y")


def closed(ctx: Ctx) -> CallbackResult:
    return CallbackResult(ctx.t("checkin-closed"))


def signed(value: int) -> str:
    return f"{value:+d}"


# --- the flow --------------------------------------------------------------------------


def question_reply(ctx: Ctx, checkin: Checkin) -> Reply:
    questions = ctx.content.questions
    index = checkin.position
    question = questions[index]
    answers = store.answers_of(session=ctx.session, checkin_id=checkin.id)
    current = answers.get(question.id)
    correcting = checkin.revises_id is not None
    done = sum(1 for v in answers.values() if answered(v))
    skipped = len(answers) - done
    intro = f"{ctx.t('checkin-intro')}\n\n" if index == 0 and not correcting else ""
    title = ctx.t(
        "checkin-title-correcting" if correcting else "checkin-title",
        number=index + 1,
        total=len(questions),
    )
    progress = ctx.t("checkin-progress", answered=done, skipped=skipped)
    text = f"{intro}{title}\n{progress}\n\n{ctx.t(question.key)}"
    key = f"ci:{checkin.id}:{index}"

    def mark(value: int, label: str) -> Button:
        return Button(("• " if current == value else "") + label, f"{key}:{value}")

    values = [*range(1, ANSWERS + 1), *([NOT_APPLICABLE] if question.not_applicable else [])]
    choices = [mark(value, answer_label(ctx, question, value) or "") for value in values]
    if correcting:
        move_on = Button(ctx.t("checkin-keep"), f"{key}:k")
    else:
        move_on = Button(ctx.t("checkin-skip"), f"{key}:s")
    controls = [move_on, Button(ctx.t("checkin-cancel"), f"{key}:x")]
    if index > 0:
        controls.insert(0, Button(ctx.t("back"), f"{key}:b"))
    return Reply(text, ctx.platform.keyboard(*((c,) for c in choices), controls))


def checkin_command(ctx: Ctx, args: str) -> list[Reply]:
    """/checkin: start (or continue) a check-in; /checkin remind: the weekly reminder."""
    if args.lower().startswith("remind"):
        return [reminder_reply(ctx)]
    current = store.open_checkin(session=ctx.session, user_id=ctx.user_id)
    if current is not None:
        buttons = ctx.platform.rows(
            Button(ctx.t("checkin-continue"), f"ci:{current.id}:go"),
            Button(ctx.t("checkin-start-new"), "ci:new"),
        )
        if current.revises_id is not None:
            original = store.get_checkin(
                session=ctx.session, checkin_id=current.revises_id, user_id=ctx.user_id
            )
            day = local_day(ctx, original) if original else ctx.t("checkin-an-earlier-day")
            return [Reply(ctx.t("checkin-correcting-open", day=day), buttons)]
        total = len(ctx.content.questions)
        text = ctx.t("checkin-in-progress", number=current.position + 1, total=total)
        return [Reply(text, buttons)]
    checkin = _start(ctx)
    return [question_reply(ctx, checkin)]


def _start(ctx: Ctx, revises: Checkin | None = None) -> Checkin:
    return store.start_checkin(
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
            if current is None or current.status != CheckinStatus.OPEN:
                return closed(ctx)
            return CallbackResult(edit=question_reply(ctx, current))
        case [raw_id, "fix"] if raw_id.isdigit():
            return _reopen(ctx, raw_id)
        case [raw_id, raw_index, choice] if raw_id.isdigit() and raw_index.isdigit():
            return _answer(ctx, raw_id, int(raw_index), choice)
    return expired(ctx)


def _own(ctx: Ctx, raw_id: str) -> Checkin | None:
    if len(raw_id) > 18:
        return None
    return store.get_checkin(session=ctx.session, checkin_id=int(raw_id), user_id=ctx.user_id)


def _answer(ctx: Ctx, raw_id: str, index: int, choice: str) -> CallbackResult:
    """One press on a question: an answer, Keep, Skip, Back or Cancel."""
    checkin = _own(ctx, raw_id)
    questions = ctx.content.questions
    if checkin is None or checkin.status != CheckinStatus.OPEN or earlier_format(ctx, checkin):
        return closed(ctx)
    if index != checkin.position or index >= len(questions):
        return CallbackResult(ctx.t("checkin-moved-on"), edit=question_reply(ctx, checkin))
    question = questions[index]
    correcting = checkin.revises_id is not None
    if choice == "x":
        return _cancel(ctx, checkin)
    if choice == "b":
        checkin.position = max(0, index - 1)
        return CallbackResult(edit=question_reply(ctx, checkin))
    notice = ctx.t("checkin-notice-saved")
    if choice == "k" and correcting:
        notice = ctx.t("checkin-notice-kept")
    elif choice == "s" and not correcting:
        store.save_answer(
            session=ctx.session,
            checkin_id=checkin.id,
            question_id=question.id,
            value=None,
            now=ctx.now,
        )
        notice = ctx.t("checkin-notice-skipped")
    elif choice in ("1", "2", "3", "4", "5") or (choice == "0" and question.not_applicable):
        store.save_answer(
            session=ctx.session,
            checkin_id=checkin.id,
            question_id=question.id,
            value=int(choice),
            now=ctx.now,
        )
    else:
        return expired(ctx)
    checkin.position = index + 1
    if checkin.position < len(questions):
        return CallbackResult(notice, edit=question_reply(ctx, checkin))
    return finish(ctx, checkin)


def _cancel(ctx: Ctx, checkin: Checkin) -> CallbackResult:
    original_id = checkin.revises_id
    store.discard_checkin(session=ctx.session, checkin=checkin)
    if original_id is None:
        text = ctx.t("checkin-cancelled")
        return CallbackResult(ctx.t("checkin-notice-cancelled"), edit=Reply(text))
    original = store.get_checkin(session=ctx.session, checkin_id=original_id, user_id=ctx.user_id)
    day = local_day(ctx, original) if original else ctx.t("checkin-an-earlier-day")
    text = ctx.t("checkin-correction-cancelled", day=day)
    return CallbackResult(ctx.t("checkin-notice-unchanged"), edit=Reply(text))


def finish(ctx: Ctx, checkin: Checkin) -> CallbackResult:
    """Score and close the check-in (or, for a draft, replace the one it corrects);
    the summary, and the messages that follow it."""
    questions = ctx.content.questions
    answers = store.answers_of(session=ctx.session, checkin_id=checkin.id)
    score = score_answers(questions, answers)
    if score.answered == 0:
        original_id = checkin.revises_id
        store.discard_checkin(session=ctx.session, checkin=checkin)
        text = ctx.t("checkin-all-skipped")
        if original_id is not None:
            text = ctx.t("checkin-correction-empty")
        return CallbackResult(ctx.t("checkin-notice-nothing"), edit=Reply(text))
    if checkin.revises_id is not None:
        target = store.get_checkin(
            session=ctx.session, checkin_id=checkin.revises_id, user_id=ctx.user_id
        )
        assert target is not None  # a draft is deleted with the check-in it corrects
        store.replace_answers(session=ctx.session, draft=checkin, target=target)
        checkin = target
    else:
        checkin.status, checkin.finished_at = CheckinStatus.DONE, ctx.now
    weakest = score.weakest
    checkin.balance = score.balance
    checkin.weakest_area = weakest.question_id if weakest else None
    checkin.weakest_strategy = weakest.strategy_id if weakest else None
    unsafe = feels_unsafe(questions, answers)
    if unsafe is not None:
        ctx.user.safety_flag = unsafe
    history = store.finished_checkins(
        session=ctx.session, user_id=ctx.user_id, limit=ctx.settings.reassess_streak + 4
    )
    balances = [c.balance for c in reversed(history)]
    leaning = balance_streak(
        balances, abs(ctx.settings.reassess_threshold), ctx.settings.reassess_streak
    )
    checkin.reassess = leaning == Streak.GIVING
    checkin.partner_carrying = leaning == Streak.RECEIVING
    shared = after_checkin(ctx, checkin)  # the mirror of the week, or a word that it comes
    if unsafe:  # only the care message and where to find help: nothing else, no tip;
        offer = safety_offer(ctx)  # paired: pause or end the pairing, privately
        return CallbackResult(
            ctx.t("checkin-notice-done"), edit=care_reply(ctx), send=[offer] if offer else []
        )
    extra: list[Reply] = list(shared)
    if checkin.reassess:
        extra.append(reassess_reply(ctx))
    elif checkin.partner_carrying:
        extra.append(Reply(ctx.t("partner-carrying")))
    if weakest is not None and not ctx.user.safety_flag:
        extra.append(
            tip_reply(
                ctx,
                topic=weakest.strategy_id,
                source=TipSource.CHECKIN,
                heading=ctx.t(
                    "tip-heading-checkin", area=Markup(area_name(ctx, weakest.question_id) or "")
                ),
            )
        )
    summary = summary_reply(ctx, checkin, score, balances)
    return CallbackResult(ctx.t("checkin-notice-done"), edit=summary, send=extra)


def summary_reply(
    ctx: Ctx, checkin: Checkin, score: CheckinScore, balances: list[int | None]
) -> Reply:
    lines = [ctx.t("summary-title"), ""]
    if score.balance is None or score.band is None:
        lines.append(ctx.t("summary-no-balance"))
    else:
        band = str(score.band)
        lines.append(ctx.t("summary-balance", balance=signed(score.balance), band=band))
        lines.append(ctx.t("summary-scale"))
    known = [b for b in balances if b is not None]
    if len(known) >= 2:
        recent = " → ".join(signed(b) for b in known[-5:])
        lines.append(ctx.t("summary-recent", balances=recent))
    strongest, weakest = score.strongest, score.weakest
    if strongest is not None or weakest is not None:
        lines.append("")
    if strongest is not None:
        lines.append(
            ctx.t(
                "summary-going-well",
                area=area_name(ctx, strongest.question_id),
                score=str(strongest.score),
            )
        )
    if weakest is not None:
        lines.append(
            ctx.t(
                "summary-needs-care",
                area=area_name(ctx, weakest.question_id),
                score=str(weakest.score),
            )
        )
    if strongest is not None or weakest is not None:
        lines.append(ctx.t("summary-areas-scale"))
    lines.append(ctx.t("summary-counts", answered=score.answered, skipped=score.skipped))
    reminder = ctx.t(
        "summary-reminder-on" if ctx.user.reminder_enabled else "summary-reminder-offer"
    )
    buttons = ctx.platform.rows(
        Button(ctx.t("summary-change"), f"ci:{checkin.id}:fix"),
        Button(reminder, "ci:rem:menu"),
    )
    return Reply("\n".join(lines), buttons)


def care_reply(ctx: Ctx) -> Reply:
    """After a safety answer: the care message and the help resources, nothing else."""
    return safety_reply(ctx, opening=ctx.t("safety-care"))


def reassess_reply(ctx: Ctx) -> Reply:
    """Short and kind: the pattern, reflection prompts, and a counsellor or helpline."""
    text = f"{ctx.t('reassess')}\n\n{ctx.t('reflection-prompts')}"
    return Reply(text, ((counselling_button(ctx),),))


def _reopen(ctx: Ctx, raw_id: str) -> CallbackResult:
    """Correct the latest check-in, on a draft: answers kept until changed."""
    checkin = _own(ctx, raw_id)
    latest = store.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=1)
    if checkin is None or not latest or latest[0].id != checkin.id:
        return CallbackResult(ctx.t("checkin-only-latest"))
    if earlier_format(ctx, checkin):
        return CallbackResult(ctx.t("checkin-earlier-format"))
    draft = _start(ctx, revises=checkin)
    return CallbackResult(edit=question_reply(ctx, draft))


# --- looking back ----------------------------------------------------------------------


def history_command(ctx: Ctx, args: str) -> list[Reply]:
    """/history: the last eight check-ins."""
    checkins = store.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=HISTORY_SIZE)
    if not checkins:
        return [Reply(ctx.t("history-empty"))]
    lines = [ctx.t("history-title"), ctx.t("history-scale")]
    mirrored = pairings.mirrored_checkins(session=ctx.session, reader_id=ctx.user_id)
    for checkin in checkins:
        balance = (
            ctx.t("history-no-balance") if checkin.balance is None else signed(checkin.balance)
        )
        line = ctx.t("history-line", day=local_day(ctx, checkin), balance=balance)
        area = area_name(ctx, checkin.weakest_area)
        if area:
            line += ctx.t("history-needs-care", area=area)
        if earlier_format(ctx, checkin):
            line += ctx.t("history-earlier")
        if checkin.id in mirrored:
            line += ctx.t("history-mirror")
        lines.append(line)
    if mirrored & {c.id for c in checkins}:
        lines.append(ctx.t("history-mirror-legend"))
    lines.append("\n" + ctx.t("history-trend"))
    return [Reply("\n".join(lines))]


def trend_command(ctx: Ctx, args: str) -> list[Reply]:
    """/trend: a chart of the balance over time and the latest areas."""
    recent = store.finished_checkins(session=ctx.session, user_id=ctx.user_id, limit=26)
    checkins = [c for c in reversed(recent) if c.finished_at is not None and c.balance is not None]
    if len(checkins) < 2:
        return [Reply(ctx.t("trend-needs-two", count=len(checkins)))]
    points = list(zip(point_labels(ctx, checkins), [c.balance or 0 for c in checkins], strict=True))
    areas = [
        (area_name(ctx, a.question_id) or "", a.score)
        for a in score_of(ctx, recent[0]).areas
        if not a.safety
    ]
    from bot.features.chart import trend_png  # matplotlib loads on first use, not at start-up

    theirs = partner_balances(ctx, checkins)
    png = trend_png(points, areas, chart_texts(ctx), partner=theirs)
    caption = ctx.t("trend-caption", count=len(points))
    if theirs is not None:
        caption += "\n" + ctx.t("trend-partner-caption")
    return [Reply(caption, attachment=Attachment("trend.png", png, kind="photo"))]


def partner_balances(ctx: Ctx, checkins: list[Checkin]) -> list[int | None] | None:
    """The partner's balance next to each of these check-ins that shared a week with
    theirs, turned to the reader's side (their "I gave more" is "my partner gave
    more"): only while both chose to show their answers. ``None``: no partner line."""
    pairing = current(ctx)
    if pairing is None or pairing.partner_id is None or not pairing.both_show:
        return None
    weeks = {
        m.reader_checkin_id: m.partner_checkin_id
        for m in pairings.mirrors_of_pairing(session=ctx.session, pairing_id=pairing.id)
        if m.reader_id == ctx.user_id and m.answers_shown
    }
    line: list[int | None] = []
    for checkin in checkins:
        theirs_id = weeks.get(checkin.id)
        theirs = ctx.session.get(Checkin, theirs_id) if theirs_id is not None else None
        line.append(-theirs.balance if theirs is not None and theirs.balance is not None else None)
    return line if any(b is not None for b in line) else None


def point_labels(ctx: Ctx, checkins: list[Checkin]) -> list[str]:
    """One label per check-in: its local day, with the time where a day has several."""
    days = [c.finished_at.astimezone(ctx.tz) for c in checkins if c.finished_at is not None]
    labels = [ctx.locale.date(day, "dd MMM") for day in days]
    return [
        label if labels.count(label) == 1 else f"{label} {ctx.locale.time(day)}"
        for label, day in zip(labels, days, strict=True)
    ]


def chart_texts(ctx: Ctx) -> dict[str, str]:
    """The chart's words, plain text in the user's language."""
    keys = ("chart-title", "chart-axis", "chart-even", "chart-areas", "chart-you", "chart-partner")
    return {key: ctx.t(key) for key in keys}
