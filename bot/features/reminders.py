"""The weekly check-in reminder: day and time in the user's zone, opt-in."""

from __future__ import annotations

from bot.domain.replies import Button, CallbackResult, Reply, rows
from bot.domain.timing import format_hhmm, next_weekly, parse_hhmm
from bot.features.base import Ctx, expired, h

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REMINDER_TIMES = ("08:00", "12:00", "18:00", "19:00", "20:00", "21:00")


def reschedule_reminder(ctx: Ctx) -> None:
    user = ctx.user
    at = parse_hhmm(user.reminder_time)
    if not user.reminder_enabled or at is None:
        user.next_reminder_at = None
        return
    user.next_reminder_at = next_weekly(user.reminder_weekday, at, ctx.tz, ctx.now)


def describe_reminder(ctx: Ctx) -> str:
    user = ctx.user
    if not user.reminder_enabled:
        return "Weekly check-in reminder: <b>off</b>"
    return (
        f"Weekly check-in reminder: <b>{WEEKDAYS[user.reminder_weekday]} {user.reminder_time}</b>"
    )


def reminder_reply(ctx: Ctx, headline: str | None = None) -> Reply:
    lines = [f"✅ {headline}", ""] if headline else []
    lines.append(describe_reminder(ctx))
    lines.append(f"<i>Times are in {h(ctx.user.timezone)}.</i>")
    toggle = (
        Button("Turn reminder off", "ci:rem:off")
        if ctx.user.reminder_enabled
        else Button("Turn reminder on", "ci:rem:on")
    )
    days = [Button(day, f"ci:rem:d:{i}") for i, day in enumerate(WEEKDAYS)]
    times = [Button(t, "ci:rem:at:" + t.replace(":", "")) for t in REMINDER_TIMES]
    return Reply(
        "\n".join(lines),
        (
            (toggle,),
            *rows(*days, per_row=4),
            *rows(*times, per_row=3),
            (Button("« Settings", "st:home"),),
        ),
    )


def reminder_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    user = ctx.user
    match parts:
        case ["menu"]:
            return CallbackResult(send=[reminder_reply(ctx)])
        case ["show"]:
            return CallbackResult(edit=reminder_reply(ctx))
        case ["on"]:
            user.reminder_enabled = True
        case ["off"]:
            user.reminder_enabled = False
        case ["d", day] if day in ("0", "1", "2", "3", "4", "5", "6"):
            user.reminder_weekday, user.reminder_enabled = int(day), True
        case ["at", raw] if len(raw) == 4 and (at := parse_hhmm(f"{raw[:2]}:{raw[2:]}")):
            user.reminder_time, user.reminder_enabled = format_hhmm(at), True
        case _:
            return expired()
    reschedule_reminder(ctx)
    return CallbackResult("Saved", edit=reminder_reply(ctx, "Saved."))


def reminder_message() -> Reply:
    text = (
        "<b>Time for your weekly check-in</b>\n\nEight quick questions about the give "
        "and take of your week, answered with buttons."
    )
    return Reply(text, ((Button("Start check-in", "ci:new"),),))
