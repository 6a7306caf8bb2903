"""/start and the first steps: a short welcome, consent in one button, then the time
zone, the daily tip's time in that zone, the partner wording and the weekly reminder.

Nothing about a person is stored before they press "Sounds good": until then the
bot answers from a user row that is never added to the store. Each step can be
skipped and changed later in /settings. Where a step waits for typed text (a city,
a time), that is kept in ``users.awaiting``, so a restart or another instance loses
no step; the text itself is read once and never stored.

Buttons: ``ob:ok`` (consent), ``ob:z:<zone>`` / ``ob:z`` (skip), ``ob:t:<HHMM>`` /
``ob:t`` (no daily tip), ``ob:p:<he|she|they>`` / ``ob:p``, ``ob:r:yes`` / ``ob:r:no``.
Those that change a setting carry the settings version (``ob:t:0800:v2``, see
:mod:`bot.features.base`): pressed after a newer choice, they change nothing.
"""

from __future__ import annotations

from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.timing import parse_hhmm, parse_time_of_day
from bot.domain.zones import known_zone
from bot.features.base import (
    Ctx,
    drawn_for,
    expired,
    is_current,
    setting_changed,
    versioned,
)
from bot.features.profile import partner_buttons, set_partner
from bot.features.reminders import reschedule_reminder
from bot.features.schedule import (
    ZoneFound,
    common_zones,
    disable_nudges,
    enable_nudges,
    resolve_zone_text,
    set_zone,
    settings_reply,
    tip_confirmation,
    zone_buttons,
    zone_confirmation,
    zone_name,
)
from bot.features.start import next_steps_buttons
from bot.i18n import PARTNER_WORDINGS
from bot.store import accounts

# The times offered for the daily tip, in the user's own zone.
TIP_TIMES = ("07:00", "07:30", "08:00", "09:00", "12:30", "18:00", "20:00", "21:00")
AWAIT_ZONE, AWAIT_TIME = "zone", "time"


def welcome(ctx: Ctx) -> Reply:
    """Under 50 words, one button to agree; /privacy has the details."""
    return Reply(ctx.t("welcome-short"), ((Button(ctx.t("welcome-agree"), "ob:ok"),),))


def start_command(ctx: Ctx, args: str) -> list[Reply]:
    """/start [payload]: the welcome and consent, or for someone known a short hello."""
    # A deep-link payload never changes what is stored (see dispatch.deep_link_target).
    if not ctx.stored:
        return [welcome(ctx)]
    return [Reply(ctx.t("welcome-back"), next_steps_buttons(ctx))]


# --- the steps ---------------------------------------------------------------------------


def zone_step(ctx: Ctx, intro: str | None = None) -> Reply:
    ctx.user.awaiting = AWAIT_ZONE
    text = ctx.t("onboarding-zone")
    buttons = zone_buttons(ctx, common_zones(ctx), "ob:z", version=True)
    skip = (Button(ctx.t("onboarding-skip"), "ob:z"),)
    return Reply(f"{intro}\n\n{text}" if intro else text, ctx.platform.keyboard(*buttons, skip))


def time_step(ctx: Ctx, intro: str | None = None) -> Reply:
    ctx.user.awaiting = AWAIT_TIME
    text = ctx.t("onboarding-time", zone=zone_name(ctx))
    times = [Button(t, versioned(ctx, "ob:t:" + t.replace(":", ""))) for t in TIP_TIMES]
    none = (Button(ctx.t("onboarding-no-daily"), "ob:t"),)
    buttons = ctx.platform.keyboard(*ctx.platform.rows(*times, per_row=4), none)
    return Reply(f"{intro}\n\n{text}" if intro else text, buttons)


def partner_step(ctx: Ctx, intro: str | None = None) -> Reply:
    ctx.user.awaiting = None
    text = ctx.t("onboarding-partner")
    skip = (Button(ctx.t("onboarding-skip"), "ob:p"),)
    choices = partner_buttons(ctx, "ob:p")
    rows = [tuple(Button(b.label, versioned(ctx, b.data or "")) for b in row) for row in choices]
    buttons = ctx.platform.keyboard(*rows, skip)
    return Reply(f"{intro}\n\n{text}" if intro else text, buttons)


def reminder_step(ctx: Ctx, intro: str | None = None) -> Reply:
    ctx.user.awaiting = None
    day = ctx.locale.weekday(ctx.user.reminder_weekday)
    text = ctx.t("onboarding-reminder", day=day, time=ctx.user.reminder_time)
    buttons = ctx.platform.rows(
        Button(ctx.t("onboarding-reminder-yes"), versioned(ctx, "ob:r:yes")),
        Button(ctx.t("onboarding-reminder-no"), "ob:r:no"),
    )
    return Reply(f"{intro}\n\n{text}" if intro else text, buttons)


def done(ctx: Ctx, intro: str | None = None) -> Reply:
    ctx.user.awaiting = None
    text = ctx.t("onboarding-done")
    return Reply(f"{intro}\n\n{text}" if intro else text, next_steps_buttons(ctx))


# --- what moves them on ------------------------------------------------------------------


def consent(ctx: Ctx) -> CallbackResult:
    """ "Sounds good": the user is stored from now on, and the first step follows."""
    if not ctx.stored:
        ctx.user = accounts.join(
            session=ctx.session, user=ctx.user, language=ctx.identity.language, now=ctx.now
        )
    thanks = ctx.t("onboarding-thanks")
    return CallbackResult(ctx.t("saved"), edit=zone_step(ctx, thanks))


def onboarding_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """ob:ok | ob:z[:<zone>] | ob:t[:HHMM] | ob:p[:<wording>] | ob:r:yes|no."""
    if parts == ["ok"]:
        return consent(ctx)
    if not ctx.stored:  # a step's button before consent: ask for it first
        return CallbackResult(send=[welcome(ctx)])
    parts, drawn = drawn_for(parts)
    changes = len(parts) == 2 and parts != ["r", "no"]  # skipping changes nothing
    if changes and not is_current(ctx, drawn):  # drawn before a newer choice: kept
        return CallbackResult(ctx.t("button-older"), edit=settings_reply(ctx))
    match parts:
        case ["z"]:
            return CallbackResult(edit=time_step(ctx))
        case ["z", name] if (key := known_zone(name)) is not None:
            set_zone(ctx, key)
            return CallbackResult(ctx.t("saved"), edit=time_step(ctx, zone_confirmation(ctx)))
        case ["t"]:
            if ctx.user.nudges_enabled:
                disable_nudges(ctx)
            return CallbackResult(edit=partner_step(ctx, ctx.t("onboarding-no-daily-set")))
        case ["t", raw] if len(raw) == 4 and (at := parse_hhmm(f"{raw[:2]}:{raw[2:]}")):
            enable_nudges(ctx, at)
            return CallbackResult(ctx.t("saved"), edit=partner_step(ctx, tip_confirmation(ctx)))
        case ["p"]:
            return CallbackResult(edit=reminder_step(ctx))
        case ["p", wording] if wording in PARTNER_WORDINGS:
            set_partner(ctx, wording)
            intro = ctx.t("partner-set")
            return CallbackResult(ctx.t("saved"), edit=reminder_step(ctx, intro))
        case ["r", answer] if answer in ("yes", "no"):
            if ctx.user.reminder_enabled != (answer == "yes"):
                ctx.user.reminder_enabled = answer == "yes"
                setting_changed(ctx)
                reschedule_reminder(ctx)
            key = "onboarding-reminder-on" if answer == "yes" else "onboarding-reminder-off"
            return CallbackResult(ctx.t("saved"), edit=done(ctx, ctx.t(key)))
    return expired(ctx)


def located(ctx: Ctx, zone_name: str | None) -> list[Reply] | None:
    """A shared location while the zone step waits: the zone, then the next step."""
    if ctx.user.awaiting != AWAIT_ZONE or zone_name is None:
        return None
    found = resolve_zone_text(ctx, zone_name)
    if not isinstance(found, ZoneFound):
        return None
    set_zone(ctx, found.zone)
    return [time_step(ctx, zone_confirmation(ctx))]


def typed(ctx: Ctx, text: str) -> list[Reply] | None:
    """Text typed while a step waits for it (a city, a time): the step's answer, or
    ``None`` when nothing waits (the text is then only answered kindly, never kept)."""
    if ctx.user.awaiting == AWAIT_ZONE:
        found = resolve_zone_text(ctx, text)
        if isinstance(found, ZoneFound):
            set_zone(ctx, found.zone)
            return [time_step(ctx, zone_confirmation(ctx))]
        return [found.reply(ctx, "ob:z", version=True)]
    if ctx.user.awaiting == AWAIT_TIME:
        at = parse_time_of_day(text)
        if at is None:
            return [Reply(ctx.t("time-not-understood-forms", text=text[:40]))]
        enable_nudges(ctx, at)
        return [partner_step(ctx, tip_confirmation(ctx))]
    return None
