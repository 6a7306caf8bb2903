"""Daily nudge settings: /nudges, /timezone, /settings, /stop, and their buttons."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

from bot.domain.replies import Button, CallbackResult, Reply, rows
from bot.domain.timing import format_hhmm, local_date, next_daily_tip, parse_hhmm, zone
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
from bot.features.reminders import describe_reminder, reschedule_reminder
from bot.store import deliveries as outbox

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
NUDGES_USAGE = (
    "Try <code>/nudges 08:30</code> (24-hour time), <code>/nudges on</code> "
    "or <code>/nudges off</code>."
)
TIMEZONE_USAGE = (
    "Send <code>/timezone Europe/Berlin</code> with your zone's name, "
    "pick one below, or share your location (📎 → Location) and I'll work it out."
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
        session=ctx.db, user_id=ctx.user_id, since=local_date(ctx.now, tz)
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
    outbox.withdraw(session=ctx.db, user_id=ctx.user_id, kinds=("nudge",), reason=reason)


def stop_everything(ctx: Ctx) -> None:
    """/stop: the daily tip and the weekly reminder off, and nothing waiting goes out."""
    ctx.user.nudges_enabled = False
    ctx.user.reminder_enabled = False
    setting_changed(ctx)
    reschedule(ctx)
    reschedule_reminder(ctx)
    outbox.withdraw(
        session=ctx.db, user_id=ctx.user_id, kinds=("nudge", "reminder"), reason="stopped"
    )


def set_zone(ctx: Ctx, tz: ZoneInfo) -> None:
    ctx.user.timezone = tz.key
    setting_changed(ctx)
    reschedule(ctx)
    reschedule_reminder(ctx)


# --- views ---------------------------------------------------------------------------


def describe_next(ctx: Ctx) -> str:
    if not ctx.user.nudges_enabled or ctx.user.next_nudge_at is None:
        return "Daily tip: <b>off</b>"
    local = ctx.user.next_nudge_at.astimezone(ctx.tz)
    return (
        f"Daily tip: <b>on</b> at <b>{ctx.user.nudge_time}</b>\nNext one: {local:%a %d %b, %H:%M}"
    )


def settings_reply(ctx: Ctx, headline: str | None = None) -> Reply:
    local_now = ctx.now.astimezone(ctx.tz)
    lines = [f"✅ {headline}", ""] if headline else []
    lines += [
        "<b>Your settings</b>",
        describe_next(ctx),
        f"Time zone: <b>{h(ctx.user.timezone)}</b> (it is {local_now:%H:%M} there now)",
        describe_reminder(ctx),
    ]
    toggle = (
        Button("Turn daily tip off", versioned(ctx, "st:off"))
        if ctx.user.nudges_enabled
        else Button("Turn daily tip on", versioned(ctx, "st:on"))
    )
    buttons = rows(
        toggle,
        Button("Change time", "st:time"),
        Button("Change time zone", "st:zone"),
        Button("Check-in reminder", "ci:rem:show"),
    )
    return Reply("\n".join(lines), buttons)


def time_picker(ctx: Ctx) -> Reply:
    buttons = [Button(t, versioned(ctx, "st:at:" + t.replace(":", ""))) for t in TIME_CHOICES]
    text = (
        f"When would you like your daily tip? Times are in <b>{h(ctx.user.timezone)}</b>.\n"
        "For any other time, send <code>/nudges HH:MM</code>."
    )
    return Reply(text, (*rows(*buttons, per_row=4), (Button("« Back", "st:home"),)))


def zone_picker(ctx: Ctx) -> Reply:
    buttons = [
        Button(z.split("/")[-1].replace("_", " "), versioned(ctx, "st:tz:" + z))
        for z in COMMON_ZONES
    ]
    text = f"Your time zone is <b>{h(ctx.user.timezone)}</b>.\n{TIMEZONE_USAGE}"
    return Reply(text, (*rows(*buttons, per_row=3), (Button("« Back", "st:home"),)))


def welcome_offer(ctx: Ctx) -> Reply:
    suggested = ctx.user.nudge_time
    text = (
        "Would you like one tip every day? I'd send it at "
        f"<b>{suggested}</b> in <b>{h(ctx.user.timezone)}</b> "
        "(you can change the time and zone any time in /settings)."
    )
    buttons = rows(
        Button(f"Yes, at {suggested}", versioned(ctx, "st:at:" + suggested.replace(":", ""))),
        Button("Choose a time", "st:time"),
        Button("Not now", "st:notnow"),
    )
    return Reply(text, buttons)


# --- commands ------------------------------------------------------------------------


def nudges_command(ctx: Ctx, args: str) -> list[Reply]:
    """/nudges on | off | HH:MM."""
    word = args.strip().lower()
    if not word:
        return [Reply(f"{describe_next(ctx)}\n\n{NUDGES_USAGE}")]
    if word in ("on", "yes", "start"):
        enable_nudges(ctx)
        return [settings_reply(ctx, f"Daily tip on, at {ctx.user.nudge_time}.")]
    if word in ("off", "no", "stop"):
        disable_nudges(ctx)
        return [settings_reply(ctx, "Daily tip off. Send /nudges on to bring it back.")]
    at = parse_hhmm(word)
    if at is None:
        return [Reply(f"I couldn't read “{h(args[:40])}” as a time. {NUDGES_USAGE}")]
    enable_nudges(ctx, at)
    return [settings_reply(ctx, f"Daily tip on, at {ctx.user.nudge_time}.")]


def timezone_command(ctx: Ctx, args: str) -> list[Reply]:
    """/timezone <IANA name>."""
    if not args:
        return [zone_picker(ctx)]
    found = zone(args.replace(" ", "_"))
    if found is None:
        text = f"I don't know the time zone “{h(args[:64])}”. {TIMEZONE_USAGE}"
        return [Reply(text, zone_picker(ctx).buttons)]
    set_zone(ctx, found)
    return [settings_reply(ctx, f"Time zone set to {found.key}.")]


def settings_command(ctx: Ctx, args: str) -> list[Reply]:
    """/settings: the current state, with buttons to change it."""
    return [settings_reply(ctx)]


def stop_command(ctx: Ctx, args: str) -> list[Reply]:
    """/stop: no more messages from the bot, not even one already waiting."""
    stop_everything(ctx)
    return [Reply("Done: I won't message you again unless you write to me. /start to come back.")]


def location_zone(ctx: Ctx, name: str | None) -> list[Reply]:
    """A shared location, already turned into a zone name by the adapter."""
    found = zone(name) if name else None
    if found is None:
        return [Reply(f"I couldn't tell the time zone from that location. {TIMEZONE_USAGE}")]
    set_zone(ctx, found)
    return [settings_reply(ctx, f"Time zone set to {found.key} (I keep only the zone name).")]


# --- buttons -------------------------------------------------------------------------


def older_message(ctx: Ctx) -> CallbackResult:
    """A settings button drawn for settings that have changed since: nothing changes,
    and its message shows the settings as they are now."""
    return CallbackResult(OLDER_MESSAGE, edit=settings_reply(ctx))


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
            return CallbackResult("Daily tip on", edit=settings_reply(ctx, "Daily tip on."))
        case ["off"]:
            if not is_current(ctx, drawn):
                return older_message(ctx)
            disable_nudges(ctx)
            return CallbackResult("Daily tip off", edit=settings_reply(ctx, "Daily tip off."))
        case ["time"]:
            return CallbackResult(edit=time_picker(ctx))
        case ["at", raw] if len(raw) == 4 and (at := parse_hhmm(f"{raw[:2]}:{raw[2:]}")):
            if not is_current(ctx, drawn):
                return older_message(ctx)
            enable_nudges(ctx, at)
            headline = f"Daily tip on, at {ctx.user.nudge_time}."
            return CallbackResult("Saved", edit=settings_reply(ctx, headline))
        case ["zone"]:
            return CallbackResult(edit=zone_picker(ctx))
        case ["tz", name] if name in COMMON_ZONES and (found := zone(name)):
            if not is_current(ctx, drawn):
                return older_message(ctx)
            set_zone(ctx, found)
            return CallbackResult("Saved", edit=settings_reply(ctx, f"Time zone: {found.key}."))
        case ["notnow"]:
            text = "No problem. Whenever you like: /tip for an idea, /nudges on for a daily one."
            return CallbackResult(edit=Reply(text))
    return expired()
