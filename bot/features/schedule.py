"""Daily nudge settings: /nudges, /timezone, /settings, /stop, and their buttons.

Times and places are read as people type them: ``/nudges 8pm`` (see
:func:`bot.domain.timing.parse_time_of_day`), ``/timezone москва`` (see
:func:`bot.domain.zones.find_zone`). For the first steps and anything else that asks
for a zone, :func:`resolve_zone_text` reads one and :func:`zone_buttons` draws zones
as buttons; each setting has one confirmation however it was made
(:func:`zone_confirmation`, :func:`tip_confirmation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from bot.domain import zones as places
from bot.domain.platform import Keyboard
from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.text import short
from bot.domain.timing import (
    format_hhmm,
    local_date,
    next_daily_tip,
    parse_hhmm,
    parse_time_of_day,
)
from bot.features.base import (
    Ctx,
    drawn_for,
    expired,
    is_current,
    setting_changed,
    versioned,
)
from bot.features.reminders import describe_reminder, reschedule_reminder
from bot.i18n import Markup
from bot.store import deliveries as outbox
from bot.store.models import DeliveryKind

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


def set_zone(ctx: Ctx, tz: ZoneInfo | str) -> None:
    """The user's zone: a place's (an IANA name, see :func:`bot.domain.zones.known_zone`;
    an old name is stored as its place's) or UTC."""
    key = places.known_zone(tz.key if isinstance(tz, ZoneInfo) else tz)
    if key is None:
        raise ValueError(f"not the zone of a place: {tz!r}")
    ctx.user.timezone = key
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
    """The settings as they are now; ``headline``, a catalogue text, above them."""
    local_now = ctx.now.astimezone(ctx.tz)
    lines = [ctx.t("settings-headline", headline=Markup(headline)), ""] if headline else []
    lines += [
        ctx.t("settings-title"),
        describe_next(ctx),
        ctx.t("settings-zone", zone=ctx.user.timezone, now=ctx.locale.time(local_now)),
        describe_reminder(ctx),
        ctx.t("settings-partner-line", wording=ctx.t(f"partner-{ctx.user.partner}")),
        ctx.t(
            "settings-language-line",
            language=ctx.services.catalogue.names.get(ctx.locale.language, ctx.locale.language),
        ),
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
        Button(ctx.t("settings-partner"), "pw:menu"),
        Button(ctx.t("settings-language"), "lang:menu"),
        Button(ctx.t("settings-pairing"), "pr:menu"),
    )
    return Reply("\n".join(lines), buttons)


def time_picker(ctx: Ctx) -> Reply:
    buttons = [Button(t, versioned(ctx, "st:at:" + t.replace(":", ""))) for t in TIME_CHOICES]
    text = ctx.t("time-picker-forms", city=zone_name(ctx))
    back = Button(ctx.t("back"), "st:home")
    return Reply(text, ctx.platform.keyboard(*ctx.platform.rows(*buttons, per_row=4), (back,)))


def zone_picker(ctx: Ctx) -> Reply:
    buttons = zone_buttons(ctx, common_zones(ctx), SETTINGS_ZONE, version=True)
    text = ctx.t("zone-picker", zone=ctx.user.timezone) + "\n" + ctx.t("timezone-usage-places")
    back = Button(ctx.t("back"), "st:home")
    return Reply(text, ctx.platform.keyboard(*buttons, (back,)))


# --- zones as people name them -------------------------------------------------------
#
# Shared by /timezone, the settings' zone buttons and the first steps (onboarding): a
# zone is read with resolve_zone_text, and what is not one zone answers with buttons
# drawn by zone_buttons under a data prefix of the caller's.

SETTINGS_ZONE = "st:tz"  # the settings' zone buttons: st:tz:<zone>:v<settings version>


def zone_content(ctx: Ctx) -> places.ZoneContent:
    """``content/zones.yaml``: the zones offered per language, abbreviations."""
    return ctx.content.zones or places.NO_ZONE_CONTENT


def common_zones(ctx: Ctx) -> tuple[str, ...]:
    """The zones offered first to this user, for their language (``content/zones.yaml``)."""
    return zone_content(ctx).common_for(ctx.locale.language)


def zone_name(ctx: Ctx, key: str | None = None) -> str:
    """A zone (the user's, by default) as the user's language names it: its city
    ("Берлин"), or UTC."""
    return places.zone_label(key or ctx.user.timezone, ctx.locale.language)


def zone_buttons(
    ctx: Ctx,
    zones: Sequence[str],
    prefix: str,
    *,
    version: bool = False,
    per_row: int = 3,
) -> Keyboard:
    """Buttons for ``zones``, labelled with their cities in the user's language (two of
    one name also get their country), each pressing ``<prefix>:<zone>``, with
    ``:v<settings version>`` after it when ``version`` (a button that changes a setting,
    see :func:`bot.features.base.versioned`). A zone whose data would not fit the
    platform's buttons is left out. Rows of ``per_row``, for ``ctx.platform.keyboard``."""
    language = ctx.locale.language
    labels = {key: places.zone_label(key, language) for key in dict.fromkeys(zones)}
    seen = list(labels.values())
    buttons = []
    for key, label in labels.items():
        data = f"{prefix}:{key}"
        data = versioned(ctx, data) if version else data
        if not ctx.platform.data_fits(data):
            continue
        country = places.zone_country(key)
        name = places.country_name(country, language) if country else None
        if seen.count(label) > 1 and name:
            label = ctx.t("zone-button-in-country", city=label, country=name)
        buttons.append(Button(label, data))
    return ctx.platform.rows(*buttons, per_row=per_row)


@dataclass(frozen=True)
class ZoneFound:
    """What was typed names one place: set it with :func:`set_zone`."""

    zone: str  # its IANA name, or "UTC"


@dataclass(frozen=True)
class _ZoneQuestion:
    """What was typed is not one place: an answer that asks, with zones as buttons."""

    typed: str  # what the person typed, shortened
    zones: tuple[str, ...]  # the zones to offer, best first

    def text(self, ctx: Ctx) -> str:
        raise NotImplementedError

    def reply(self, ctx: Ctx, prefix: str, *, version: bool = False) -> Reply:
        """The answer, its zones as buttons pressing ``<prefix>:<zone>`` (see
        :func:`zone_buttons`)."""
        buttons = zone_buttons(ctx, self.zones, prefix, version=version)
        return Reply(self.text(ctx), ctx.platform.keyboard(*buttons))


@dataclass(frozen=True)
class ZoneCandidates(_ZoneQuestion):
    """Several zones fit: a country with more than one, or places of one name."""

    country: str | None = None  # the ISO code of the country that was named

    def text(self, ctx: Ctx) -> str:
        name = places.country_name(self.country, ctx.locale.language) if self.country else None
        if name:
            return ctx.t("zone-which-country", country=name)
        return ctx.t("zone-which-place", text=self.typed)


@dataclass(frozen=True)
class ZoneNotAPlace(_ZoneQuestion):
    """An abbreviation (EST) or a fixed offset (GMT+3): says why it is not set, and
    suggests places."""

    offset: bool = False

    def text(self, ctx: Ctx) -> str:
        kind = "offset" if self.offset else "abbreviation"
        return ctx.t("zone-not-a-place", kind=kind, text=self.typed)


@dataclass(frozen=True)
class ZoneUnknown(_ZoneQuestion):
    """No place of that name: the common zones are offered."""

    def text(self, ctx: Ctx) -> str:
        return ctx.t("zone-not-found", text=self.typed)


ZoneAnswer = ZoneFound | ZoneCandidates | ZoneNotAPlace | ZoneUnknown


def resolve_zone_text(ctx: Ctx, text: str) -> ZoneAnswer:
    """What a person typed for their zone (a city, a country or an IANA name, in any
    language the bot speaks), read for this user: :class:`ZoneFound` (then
    :func:`set_zone` it and say :func:`zone_confirmation`), or an answer to send with
    its ``reply(ctx, prefix)``: :class:`ZoneCandidates` (buttons to choose from),
    :class:`ZoneNotAPlace` (an abbreviation or offset, explained, with suggestions),
    :class:`ZoneUnknown` (the common zones). Nothing is stored."""
    typed = short(text.strip(), 40)
    languages = ctx.services.catalogue.offered  # every language the bot speaks
    found = places.find_zone(text, languages, zone_content(ctx), now=ctx.now)
    match found:
        case places.Found(zone):
            return ZoneFound(zone)
        case places.Candidates(zones, country):
            return ZoneCandidates(typed, zones, country)
        case places.NotAPlace(suggestions, offset):
            return ZoneNotAPlace(typed, suggestions or common_zones(ctx), offset is not None)
    return ZoneUnknown(typed, common_zones(ctx))


def zone_confirmation(ctx: Ctx) -> str:
    """The one text saying the user's zone is set, however it was: "Time zone: Berlin
    (Europe/Berlin). It's 14:05 there now." """
    now = ctx.locale.time(ctx.now.astimezone(ctx.tz))
    return ctx.t("zone-set-to", zone=ctx.user.timezone, city=zone_name(ctx), now=now)


def tip_confirmation(ctx: Ctx) -> str:
    """The one text saying the daily tip is on at its time, however it was set: "Daily
    tip on, at 20:00 Berlin time." """
    return ctx.t("tip-set", time=ctx.user.nudge_time, zone=ctx.user.timezone, city=zone_name(ctx))


# --- commands ------------------------------------------------------------------------


def nudges_command(ctx: Ctx, args: str) -> list[Reply]:
    """/nudges on | off | <time>, the time as people write it (8pm, 20:30, 0830)."""
    word = args.strip().lower()
    if not word:
        return [Reply(f"{describe_next(ctx)}\n\n{ctx.t('nudges-usage-forms')}")]
    if word in ("on", "yes", "start"):
        enable_nudges(ctx)
        return [settings_reply(ctx, tip_confirmation(ctx))]
    if word in ("off", "no", "stop"):
        disable_nudges(ctx)
        return [settings_reply(ctx, ctx.t("tip-off-command"))]
    at = parse_time_of_day(args)
    if at is None:
        return [Reply(ctx.t("time-not-understood-forms", text=short(args.strip(), 40)))]
    enable_nudges(ctx, at)
    return [settings_reply(ctx, tip_confirmation(ctx))]


def timezone_command(ctx: Ctx, args: str) -> list[Reply]:
    """/timezone <city, country or IANA name>; without one, the common zones."""
    if not args.strip():
        return [zone_picker(ctx)]
    found = resolve_zone_text(ctx, args)
    if not isinstance(found, ZoneFound):
        return [found.reply(ctx, SETTINGS_ZONE, version=True)]
    set_zone(ctx, found.zone)
    return [settings_reply(ctx, zone_confirmation(ctx))]


def settings_command(ctx: Ctx, args: str) -> list[Reply]:
    """/settings: the current state, with buttons to change it."""
    return [settings_reply(ctx)]


def stop_command(ctx: Ctx, args: str) -> list[Reply]:
    """/stop: no more messages from the bot, not even one already waiting."""
    stop_everything(ctx)
    return [Reply(ctx.t("stopped"))]


def location_zone(ctx: Ctx, name: str | None) -> list[Reply]:
    """A shared location, already turned into a zone name by the adapter (at sea it may
    be an offset, which is no place's)."""
    found = places.known_zone(name) if name else None
    if found is None:
        text = f"{ctx.t('zone-location-unknown')} {ctx.t('timezone-usage-places')}"
        buttons = zone_buttons(ctx, common_zones(ctx), SETTINGS_ZONE, version=True)
        return [Reply(text, ctx.platform.keyboard(*buttons))]
    set_zone(ctx, found)
    headline = f"{zone_confirmation(ctx)}\n{ctx.t('zone-location-kept')}"
    return [settings_reply(ctx, headline)]


# --- buttons -------------------------------------------------------------------------


def older_message(ctx: Ctx) -> CallbackResult:
    """A settings button drawn for settings that have changed since: nothing changes,
    and its message shows the settings as they are now."""
    return CallbackResult(ctx.t("button-older"), edit=settings_reply(ctx))


def settings_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """st:home | on:v<n> | off:v<n> | time | at:HHMM:v<n> | zone | tz:<zone>:v<n> | notnow
    (``<zone>``: the IANA name of any place, or UTC).

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
            edit = settings_reply(ctx, tip_confirmation(ctx))
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
            return CallbackResult(ctx.t("saved"), edit=settings_reply(ctx, tip_confirmation(ctx)))
        case ["zone"]:
            return CallbackResult(edit=zone_picker(ctx))
        case ["tz", name] if places.known_zone(name) is not None:
            if not is_current(ctx, drawn):
                return older_message(ctx)
            set_zone(ctx, name)
            return CallbackResult(ctx.t("saved"), edit=settings_reply(ctx, zone_confirmation(ctx)))
        case ["notnow"]:
            return CallbackResult(edit=Reply(ctx.t("welcome-later")))
    return expired(ctx)
