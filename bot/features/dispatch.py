"""The commands and buttons, and how an update runs them: one transaction each.

Adapters do not call this directly but the neutral core (:mod:`bot.features.core`),
which adds what every platform shares and passes on the platform's capabilities."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from bot.domain import invitation
from bot.domain.platform import PLAIN, Capabilities
from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.text import clean_argument
from bot.features import (
    admin,
    checkin,
    mirror,
    onboarding,
    pairing,
    privacy,
    profile,
    safety,
    schedule,
    start,
    tips,
)
from bot.features.base import (
    ButtonHandler,
    Command,
    Ctx,
    Identity,
    Services,
    expired,
    is_admin,
)
from bot.features.nudges import nudge_button
from bot.i18n import Locale
from bot.store import accounts
from bot.store.models import User


def help_command(ctx: Ctx, args: str) -> list[Reply]:
    """/help: every command, one line each."""
    return [Reply(start.help_text(ctx.locale, COMMANDS, admin=ctx.is_admin))]


COMMANDS: list[Command] = [
    Command(
        "start",
        onboarding.start_command,
        private_only=True,  # in a group: no offer, no settings, only the way to private
        in_menu=False,
        open=True,
    ),
    Command("tip", tips.tip_command, open=True),
    Command("nudges", schedule.nudges_command, private_only=True),
    Command(
        "timezone",
        schedule.timezone_command,
        private_only=True,
    ),
    Command("checkin", checkin.checkin_command, private_only=True),
    Command("history", checkin.history_command, private_only=True),
    Command("trend", checkin.trend_command, private_only=True),
    Command("partner", pairing.partner_command, private_only=True),
    Command("mirror", mirror.mirror_command, private_only=True),
    Command("settings", schedule.settings_command, private_only=True),
    Command("language", profile.language_command, private_only=True),
    Command("stop", schedule.stop_command, private_only=True),
    Command(
        "safety",
        safety.safety_command,
        in_group=safety.safety_in_group,
        open=True,
    ),
    Command("privacy", privacy.privacy_command, open=True),
    Command("export", privacy.export_command, private_only=True),
    Command("delete", privacy.delete_command, private_only=True),
    Command("help", help_command, open=True),
    Command("stats", admin.stats_command, private_only=True, admin_only=True),
]
BUTTONS: dict[str, ButtonHandler] = {
    "tip": tips.tip_button,
    "st": schedule.settings_button,
    "nd": nudge_button,
    "ci": checkin.checkin_button,
    "del": privacy.delete_button,
    "ob": onboarding.onboarding_button,
    "lang": profile.language_button,
    "pw": profile.partner_button,
    "pr": pairing.pairing_button,
    "go": lambda ctx, parts: go_button(ctx, parts),
}
# The buttons that work before the user agreed to be stored (they write nothing until
# "Sounds good"); any other then shows the welcome and its agreement button.
# ("pr": accepting or declining an invitation; its other buttons ask for agreement.)
OPEN_BUTTONS = frozenset({"tip", "ob", "go", "pr"})
# What a "go:<command>" button may open (the free-text answer's buttons).
GO_COMMANDS = frozenset({"tip", "checkin", "safety"})
# The only buttons that work outside a private chat (they act for whoever pressed them);
# any other pressed in a group changes nothing and shows nobody's settings there.
GROUP_BUTTONS = frozenset({"tip"})


def find_command(name: str) -> Command | None:
    return next((c for c in COMMANDS if c.name == name), None)


@contextmanager
def _unit(services: Services, identity: Identity, platform: Capabilities) -> Iterator[Ctx]:
    """One update's transaction and ORM session, with its user (added on first
    contact): committed when the block ends, rolled back if it raises."""
    with services.session_factory.begin() as session:
        ctx = _context(services, session, identity, platform)
        yield ctx
    if ctx.outbox_used:  # committed: a message to someone else waits in the outbox
        services.wake()


def _context(
    services: Services, session: Session, identity: Identity, platform: Capabilities
) -> Ctx:
    now = services.now()
    user = accounts.find_user(
        session=session, platform=identity.platform, platform_user_id=identity.user_id
    )
    if user is None:  # not stored until they agree ("Sounds good"): defaults only
        user = User.newcomer(
            platform=identity.platform,
            platform_user_id=identity.user_id,
            chat_id=identity.chat_id if identity.private else identity.user_id,
            language=identity.language,
            timezone=services.settings.default_timezone,
            nudge_time=services.settings.default_nudge_time,
        )
    else:
        moved = identity.private and user.chat_id != identity.chat_id
        language = identity.language if identity.language != user.language else None
        # a new private chat, or back after a block: reachable again (still opted out)
        if moved or user.blocked_at is not None or language:
            accounts.update_user(
                session=session,
                user=user,
                chat_id=identity.chat_id if moved else None,
                unblock=user.blocked_at is not None,
                language=language,
            )
    return Ctx(services, session, user, identity, now, platform)


def private_only(locale: Locale, command: str, platform: Capabilities | None) -> Reply:
    """A private command asked for in a group: say so, with a link that continues there
    where the platform has one (``None``: no link)."""
    text = locale.t("private-only", command=command)
    url = platform.start_link(command) if platform is not None else None
    if url is not None:
        return Reply(text, ((Button(locale.t("private-only-button"), url=url),),))
    return Reply(text)


def handle_command(
    services: Services,
    identity: Identity,
    name: str,
    args: str,
    *,
    platform: Capabilities = PLAIN,
) -> list[Reply]:
    """Run ``/name args`` for this identity; unknown commands get a pointer to /help."""
    command = find_command(name.lower())
    if command is None or (command.admin_only and not is_admin(services, identity)):
        return [start.unknown_command(services.locale(identity.language), name)]
    if command.private_only and not identity.private:
        return [private_only(services.locale(identity.language), command.name, platform)]
    if command.in_group is not None and not identity.private:
        return [command.in_group(services.locale(identity.language), platform)]
    with _unit(services, identity, platform) as ctx:
        if not ctx.stored and not command.open:
            return [onboarding.welcome(ctx)]
        if ctx.user.awaiting is not None:  # a command leaves a step waiting for text
            ctx.user.awaiting = None
        if command.name == "start" and is_invitation(args) and identity.private:
            return pairing.open_invitation(ctx, clean_argument(args))  # a partner's link
        replies = command.handler(ctx, clean_argument(args))
        follow = deep_link_target(command.name, clean_argument(args), identity)
        if follow is not None and (ctx.stored or follow.open):
            replies = replies[:1] + follow.handler(ctx, "")  # "Continue in private"
        return replies


def is_invitation(payload: str) -> bool:
    """``/start pair-<code>``: the link of a partner's invitation."""
    return payload.strip().lower().startswith(invitation.LINK_PREFIX)


def deep_link_target(name: str, payload: str, identity: Identity) -> Command | None:
    """``/start checkin`` (from a group's "Continue in private" link) opens /checkin;
    likewise the commands with a group answer of their own (``/start safety``)."""
    if name != "start" or not identity.private:
        return None
    target = find_command(payload.lower())
    if target is None or target.name == "start" or target.admin_only:
        return None
    return target if target.private_only or target.in_group is not None else None


def handle_button(
    services: Services, identity: Identity, data: str, *, platform: Capabilities = PLAIN
) -> CallbackResult:
    """Run a button press; malformed or unknown data changes nothing. Outside a private
    chat only tip buttons work: any other answers that it works in private."""
    locale = services.locale(identity.language)
    if not platform.data_fits(data):
        return expired(locale)
    prefix, _, rest = data.partition(":")
    handler = BUTTONS.get(prefix)
    if handler is None or not rest:
        return expired(locale)
    if not identity.private and prefix not in GROUP_BUTTONS:  # before the store: nothing
        return CallbackResult(notice=locale.t("button-private-only"))  # read or added
    with _unit(services, identity, platform) as ctx:
        if not ctx.stored and prefix not in OPEN_BUTTONS:
            return CallbackResult(send=[onboarding.welcome(ctx)])
        return handler(ctx, rest.split(":"))


def go_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """go:<command>: a button that does what the command does (free text's answer)."""
    command = find_command(parts[0]) if len(parts) == 1 and parts[0] in GO_COMMANDS else None
    if command is None:
        return expired(ctx)
    if not ctx.stored and not command.open:
        return CallbackResult(send=[onboarding.welcome(ctx)])
    return CallbackResult(send=command.handler(ctx, ""))


def handle_text(
    services: Services,
    identity: Identity,
    text: str | None = None,
    *,
    platform: Capabilities = PLAIN,
) -> list[Reply]:
    """Free text: the answer to a step that waits for it (a city, a time, a name), else
    a kind word with buttons. Read only for that step, never stored otherwise, never
    logged; a sticker or a photo (``None``) gets the kind word."""
    with _unit(services, identity, platform) as ctx:
        if text and ctx.stored:
            typed = clean_argument(text)
            answer = onboarding.typed(ctx, typed) or profile.typed_name(ctx, typed)
            if answer is not None:
                return answer
        return [start.free_text(ctx)]


def locale_of(services: Services, identity: Identity) -> Locale:
    """The texts someone reads: in the language they chose, else their platform's."""
    with services.session_factory() as session:
        user = accounts.find_user(
            session=session, platform=identity.platform, platform_user_id=identity.user_id
        )
        if user is None:
            return services.locale(identity.language)
        return services.locale(user.chosen_language or identity.language).about(user.partner)


def handle_blocked(services: Services, identity: Identity, reason: str) -> None:
    """The user blocked the bot (or left): opt them out and record why; no reply possible.
    Someone never seen is not added."""
    with services.session_factory.begin() as session:
        user = accounts.find_user(
            session=session, platform=identity.platform, platform_user_id=identity.user_id
        )
        if user is not None:
            accounts.mark_unreachable(session=session, user=user, reason=reason, now=services.now())


def handle_zone_name(
    services: Services, identity: Identity, zone_name: str | None, *, platform: Capabilities = PLAIN
) -> list[Reply]:
    """A shared location turned into a zone name (or ``None``) by the core."""
    if not identity.private:
        return [private_only(services.locale(identity.language), "timezone", None)]
    with _unit(services, identity, platform) as ctx:
        if not ctx.stored:
            return [onboarding.welcome(ctx)]
        return onboarding.located(ctx, zone_name) or schedule.location_zone(ctx, zone_name)


__all__ = ["BUTTONS", "COMMANDS", "CallbackResult", "expired", "handle_button", "handle_command"]
