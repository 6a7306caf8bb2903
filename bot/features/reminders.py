"""The weekly check-in reminder: day and time in the user's zone, opt-in."""

from __future__ import annotations

from bot.domain.replies import Button, CallbackResult, Reply, rows
from bot.domain.timing import format_hhmm, next_weekly, parse_hhmm
from bot.features.base import (
    OLDER_MESSAGE,
    Ctx,
    drawn_for,
    expired,
    h,
    is_current,
    setting_changed,
    versioned,
)
from bot.store import deliveries as outbox

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
        Button("Turn reminder off", versioned(ctx, "ci:rem:off"))
        if ctx.user.reminder_enabled
        else Button("Turn reminder on", versioned(ctx, "ci:rem:on"))
    )
    days = [Button(day, versioned(ctx, f"ci:rem:d:{i}")) for i, day in enumerate(WEEKDAYS)]
    times = [Button(t, versioned(ctx, "ci:rem:at:" + t.replace(":", ""))) for t in REMINDER_TIMES]
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
    """ci:rem:menu | show | on:v<n> | off:v<n> | d:<weekday>:v<n> | at:HHMM:v<n>: a change
    drawn for an older version of the settings changes nothing."""
    parts, drawn = drawn_for(parts)
    user = ctx.user
    enabled, weekday, at_text = user.reminder_enabled, user.reminder_weekday, user.reminder_time
    match parts:
        case ["menu"]:
            return CallbackResult(send=[reminder_reply(ctx)])
        case ["show"]:
            return CallbackResult(edit=reminder_reply(ctx))
        case ["on"]:
            enabled = True
        case ["off"]:
            enabled = False
        case ["d", day] if day in ("0", "1", "2", "3", "4", "5", "6"):
            weekday, enabled = int(day), True
        case ["at", raw] if len(raw) == 4 and (at := parse_hhmm(f"{raw[:2]}:{raw[2:]}")):
            at_text, enabled = format_hhmm(at), True
        case _:
            return expired()
    if not is_current(ctx, drawn):
        return CallbackResult(OLDER_MESSAGE, edit=reminder_reply(ctx))
    user.reminder_enabled, user.reminder_weekday, user.reminder_time = enabled, weekday, at_text
    setting_changed(ctx)
    reschedule_reminder(ctx)
    if not enabled:  # a reminder waiting for a retry does not go out either
        outbox.withdraw(
            session=ctx.db, user_id=ctx.user_id, kinds=("reminder",), reason="reminder off"
        )
    return CallbackResult("Saved", edit=reminder_reply(ctx, "Saved."))


def reminder_message() -> Reply:
    text = (
        "<b>Time for your weekly check-in</b>\n\nTen quick questions about the give "
        "and take of your week, answered with buttons."
    )
    return Reply(text, ((Button("Start check-in", "ci:new"),),))
