"""The weekly check-in reminder: day and time in the user's zone, opt-in."""

from __future__ import annotations

from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.timing import format_hhmm, next_weekly, parse_hhmm
from bot.features.base import (
    Ctx,
    drawn_for,
    expired,
    is_current,
    setting_changed,
    versioned,
)
from bot.i18n import Locale
from bot.store import deliveries as outbox
from bot.store.models import DeliveryKind

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
        return ctx.t("reminder-off")
    day = ctx.locale.weekday(user.reminder_weekday)
    return ctx.t("reminder-on", day=day, time=user.reminder_time)


def reminder_reply(ctx: Ctx, headline: str | None = None) -> Reply:
    lines = [ctx.t("settings-headline", headline=headline), ""] if headline else []
    lines.append(describe_reminder(ctx))
    lines.append(ctx.t("reminder-zone", zone=ctx.user.timezone))
    toggle = (
        Button(ctx.t("reminder-turn-off"), versioned(ctx, "ci:rem:off"))
        if ctx.user.reminder_enabled
        else Button(ctx.t("reminder-turn-on"), versioned(ctx, "ci:rem:on"))
    )
    days = [Button(ctx.locale.weekday(i), versioned(ctx, f"ci:rem:d:{i}")) for i in range(7)]
    times = [Button(t, versioned(ctx, "ci:rem:at:" + t.replace(":", ""))) for t in REMINDER_TIMES]
    return Reply(
        "\n".join(lines),
        ctx.platform.keyboard(
            (toggle,),
            *ctx.platform.rows(*days, per_row=4),
            *ctx.platform.rows(*times, per_row=3),
            (Button(ctx.t("settings-back"), "st:home"),),
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
            return expired(ctx)
    if not is_current(ctx, drawn):
        return CallbackResult(ctx.t("button-older"), edit=reminder_reply(ctx))
    user.reminder_enabled, user.reminder_weekday, user.reminder_time = enabled, weekday, at_text
    setting_changed(ctx)
    reschedule_reminder(ctx)
    if not enabled:  # a reminder waiting for a retry does not go out either
        outbox.withdraw(
            session=ctx.session,
            user_id=ctx.user_id,
            kinds=(DeliveryKind.REMINDER,),
            reason="reminder off",
        )
    return CallbackResult(ctx.t("saved"), edit=reminder_reply(ctx, ctx.t("reminder-saved")))


def reminder_message(locale: Locale) -> Reply:
    """The weekly check-in reminder, in the user's language."""
    return Reply(locale.t("reminder-message"), ((Button(locale.t("reminder-start"), "ci:new"),),))
