"""Daily nudge settings: /nudges, /timezone, /settings, /stop, and their buttons."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.timing import format_hhmm, local_date, next_daily_tip, parse_hhmm, zone
from bot.features.base import (
    Ctx,
    drawn_for,
    expired,
    is_current,
    setting_changed,
    versioned,
)
from bot.features.reminders import describe_reminder, reschedule_reminder
from bot.store import deliveries as outbox
from bot.store.models import DeliveryKind

COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
TIME_CHOICES = (
    "06:30",
    "07:00",
    "07:30",
    "08:00",
    "08:30",
    "09:00",
    "12:00",
    "13:00",
    "18:00",
    "19:00",
    "20:00",
    "21:00",
)


# --- state changes -------------------------------------------------------------------


def reschedule(ctx: Ctx) -> None:
    """Recompute the next nudge instant from the user's settings: the instant the next
    tip really goes out. A local day that already has its tip gets no second one (the
    plan step's unique key), so after today's tip even a later time today means
    tomorrow."""
    user = ctx.user
    if not user.nudges_enabled:
        user.next_nudge_at = None
        return
    at = parse_hhmm(user.nudge_time) or ctx.settings.nudge_time
    tz = ctx.tz
    taken = outbox.daily_tip_days(
        session=ctx.session, user_id=ctx.user_id, since=local_date(ctx.now, tz)
    )
    user.next_nudge_at = next_daily_tip(at, tz, ctx.now, taken)


def enable_nudges(ctx: Ctx, at: time | None = None) -> None:
    if at is not None:
        ctx.user.nudge_time = format_hhmm(at)
    ctx.user.nudges_enabled = True
    setting_changed(ctx)
    reschedule(ctx)


def disable_nudges(ctx: Ctx, reason: str = "daily tip off") -> None:
    """The daily tip off: none is planned, and none waiting (a tip snoozed with "Later",
    or one waiting for a retry) goes out; ``reason`` is recorded on those."""
    ctx.user.nudges_enabled = False
    setting_changed(ctx)
    reschedule(ctx)
    outbox.withdraw(
        session=ctx.session, user_id=ctx.user_id, kinds=(DeliveryKind.NUDGE,), reason=reason
    )


def stop_everything(ctx: Ctx) -> None:
    """/stop: the daily tip and the weekly reminder off, and nothing waiting goes out."""
    ctx.user.nudges_enabled = False
    ctx.user.reminder_enabled = False
    setting_changed(ctx)
    reschedule(ctx)
    reschedule_reminder(ctx)
    outbox.withdraw(
        session=ctx.session,
        user_id=ctx.user_id,
        kinds=(DeliveryKind.NUDGE, DeliveryKind.REMINDER),
        reason="stopped",
    )


def set_zone(ctx: Ctx, tz: ZoneInfo) -> None:
    ctx.user.timezone = tz.key
    setting_changed(ctx)
    reschedule(ctx)
    reschedule_reminder(ctx)


# --- views ---------------------------------------------------------------------------


def describe_next(ctx: Ctx) -> str:
    if not ctx.user.nudges_enabled or ctx.user.next_nudge_at is None:
        return ctx.t("daily-tip-off")
    local = ctx.user.next_nudge_at.astimezone(ctx.tz)
    return ctx.t("daily-tip-on", time=ctx.user.nudge_time, next=ctx.locale.day_and_time(local))


def settings_reply(ctx: Ctx, headline: str | None = None) -> Reply:
    local_now = ctx.now.astimezone(ctx.tz)
    lines = [ctx.t("settings-headline", headline=headline), ""] if headline else []
    lines += [
        ctx.t("settings-title"),
        describe_next(ctx),
        ctx.t("settings-zone", zone=ctx.user.timezone, now=ctx.locale.time(local_now)),
        describe_reminder(ctx),
    ]
    toggle = (
        Button(ctx.t("settings-turn-off"), versioned(ctx, "st:off"))
        if ctx.user.nudges_enabled
        else Button(ctx.t("settings-turn-on"), versioned(ctx, "st:on"))
    )
    buttons = ctx.platform.rows(
        toggle,
        Button(ctx.t("settings-change-time"), "st:time"),
        Button(ctx.t("settings-change-zone"), "st:zone"),
        Button(ctx.t("settings-reminder"), "ci:rem:show"),
    )
    return Reply("\n".join(lines), buttons)


def time_picker(ctx: Ctx) -> Reply:
    buttons = [Button(t, versioned(ctx, "st:at:" + t.replace(":", ""))) for t in TIME_CHOICES]
    text = ctx.t("time-picker", zone=ctx.user.timezone)
    back = Button(ctx.t("back"), "st:home")
    return Reply(text, ctx.platform.keyboard(*ctx.platform.rows(*buttons, per_row=4), (back,)))


def zone_picker(ctx: Ctx) -> Reply:
    buttons = [
        Button(z.split("/")[-1].replace("_", " "), versioned(ctx, "st:tz:" + z))
        for z in COMMON_ZONES
    ]
    text = ctx.t("zone-picker", zone=ctx.user.timezone) + "\n" + ctx.t("timezone-usage")
    back = Button(ctx.t("back"), "st:home")
    return Reply(text, ctx.platform.keyboard(*ctx.platform.rows(*buttons, per_row=3), (back,)))


def welcome_offer(ctx: Ctx) -> Reply:
    suggested = ctx.user.nudge_time
    text = ctx.t("welcome-offer", time=suggested, zone=ctx.user.timezone)
    yes = Button(
        ctx.t("welcome-yes", time=suggested),
        versioned(ctx, "st:at:" + suggested.replace(":", "")),
    )
    buttons = ctx.platform.rows(
        yes,
        Button(ctx.t("welcome-choose"), "st:time"),
        Button(ctx.t("welcome-not-now"), "st:notnow"),
    )
    return Reply(text, buttons)


# --- commands ------------------------------------------------------------------------


def nudges_command(ctx: Ctx, args: str) -> list[Reply]:
    """/nudges on | off | HH:MM."""
    word = args.strip().lower()
    if not word:
        return [Reply(f"{describe_next(ctx)}\n\n{ctx.t('nudges-usage')}")]
    if word in ("on", "yes", "start"):
        enable_nudges(ctx)
        return [settings_reply(ctx, ctx.t("tip-on-at", time=ctx.user.nudge_time))]
    if word in ("off", "no", "stop"):
        disable_nudges(ctx)
        return [settings_reply(ctx, ctx.t("tip-off-command"))]
    at = parse_hhmm(word)
    if at is None:
        unread = ctx.t("time-not-understood", text=args[:40])
        return [Reply(f"{unread} {ctx.t('nudges-usage')}")]
    enable_nudges(ctx, at)
    return [settings_reply(ctx, ctx.t("tip-on-at", time=ctx.user.nudge_time))]


def timezone_command(ctx: Ctx, args: str) -> list[Reply]:
    """/timezone <IANA name>."""
    if not args:
        return [zone_picker(ctx)]
    found = zone(args.replace(" ", "_"))
    if found is None:
        text = f"{ctx.t('zone-unknown', text=args[:64])} {ctx.t('timezone-usage')}"
        return [Reply(text, zone_picker(ctx).buttons)]
    set_zone(ctx, found)
    return [settings_reply(ctx, ctx.t("zone-set", zone=found.key))]


def settings_command(ctx: Ctx, args: str) -> list[Reply]:
    """/settings: the current state, with buttons to change it."""
    return [settings_reply(ctx)]


def stop_command(ctx: Ctx, args: str) -> list[Reply]:
    """/stop: no more messages from the bot, not even one already waiting."""
    stop_everything(ctx)
    return [Reply(ctx.t("stopped"))]


def location_zone(ctx: Ctx, name: str | None) -> list[Reply]:
    """A shared location, already turned into a zone name by the adapter."""
    found = zone(name) if name else None
    if found is None:
        text = f"{ctx.t('zone-location-unknown')} {ctx.t('timezone-usage')}"
        return [Reply(text)]
    set_zone(ctx, found)
    return [settings_reply(ctx, ctx.t("zone-from-location", zone=found.key))]


# --- buttons -------------------------------------------------------------------------


def older_message(ctx: Ctx) -> CallbackResult:
    """A settings button drawn for settings that have changed since: nothing changes,
    and its message shows the settings as they are now."""
    return CallbackResult(ctx.t("button-older"), edit=settings_reply(ctx))


def settings_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """st:home | on:v<n> | off:v<n> | time | at:HHMM:v<n> | zone | tz:<zone>:v<n> | notnow.

    A button that changes a setting carries the settings version it was drawn for:
    one from an older message changes nothing (see :func:`older_message`)."""
    parts, drawn = drawn_for(parts)
    match parts:
        case ["home"]:
            return CallbackResult(edit=settings_reply(ctx))
        case ["on"]:
            if not is_current(ctx, drawn):
                return older_message(ctx)
            enable_nudges(ctx)
            edit = settings_reply(ctx, ctx.t("tip-on"))
            return CallbackResult(ctx.t("tip-on-notice"), edit=edit)
        case ["off"]:
            if not is_current(ctx, drawn):
                return older_message(ctx)
            disable_nudges(ctx)
            edit = settings_reply(ctx, ctx.t("tip-off"))
            return CallbackResult(ctx.t("tip-off-notice"), edit=edit)
        case ["time"]:
            return CallbackResult(edit=time_picker(ctx))
        case ["at", raw] if len(raw) == 4 and (at := parse_hhmm(f"{raw[:2]}:{raw[2:]}")):
            if not is_current(ctx, drawn):
                return older_message(ctx)
            enable_nudges(ctx, at)
            headline = ctx.t("tip-on-at", time=ctx.user.nudge_time)
            return CallbackResult(ctx.t("saved"), edit=settings_reply(ctx, headline))
        case ["zone"]:
            return CallbackResult(edit=zone_picker(ctx))
        case ["tz", name] if name in COMMON_ZONES and (found := zone(name)):
            if not is_current(ctx, drawn):
                return older_message(ctx)
            set_zone(ctx, found)
            edit = settings_reply(ctx, ctx.t("zone-set-short", zone=found.key))
            return CallbackResult(ctx.t("saved"), edit=edit)
        case ["notnow"]:
            return CallbackResult(edit=Reply(ctx.t("welcome-later")))
    return expired(ctx)
