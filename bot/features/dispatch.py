"""The entry points every platform adapter calls: one transaction per update."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.text import clean_argument
from bot.features import admin, checkin, privacy, safety, schedule, start, tips
from bot.features.base import (
    IN_PRIVATE,
    ButtonHandler,
    Command,
    Ctx,
    Identity,
    Services,
    expired,
)
from bot.features.nudges import nudge_button
from bot.store import repo


def help_command(ctx: Ctx, args: str) -> list[Reply]:
    """/help: every command, one line each."""
    return [Reply(start.help_text(COMMANDS, admin=ctx.is_admin))]


COMMANDS: list[Command] = [
    Command(
        "start",
        "welcome and set up your daily tip",
        start.start_command,
        private_only=True,  # in a group: no offer, no settings, only the way to private
        in_menu=False,
    ),
    Command(
        "tip", "one tip for today (/tip <topic> for a topic)", tips.tip_command, shows_tips=True
    ),
    Command(
        "nudges", "daily tip: /nudges on, off or HH:MM", schedule.nudges_command, private_only=True
    ),
    Command(
        "timezone",
        "set your time zone, e.g. /timezone Europe/Berlin",
        schedule.timezone_command,
        private_only=True,
    ),
    Command(
        "checkin", "a short check-in on give and take", checkin.checkin_command, private_only=True
    ),
    Command("history", "your last check-ins", checkin.history_command, private_only=True),
    Command("trend", "a chart of your check-ins", checkin.trend_command, private_only=True),
    Command(
        "settings", "see and change your settings", schedule.settings_command, private_only=True
    ),
    Command("stop", "stop all messages from me", schedule.stop_command, private_only=True),
    Command(
        "safety",
        "where to find support, at any time",
        safety.safety_command,
        in_group=safety.safety_in_group,
    ),
    Command("privacy", "what I keep about you, and why", privacy.privacy_command),
    Command("export", "a copy of all your data", privacy.export_command, private_only=True),
    Command("delete", "erase all your data", privacy.delete_command, private_only=True),
    Command("help", "this list", help_command),
    Command(
        "stats", "numbers for operators", admin.stats_command, private_only=True, admin_only=True
    ),
]
BUTTONS: dict[str, ButtonHandler] = {
    "tip": tips.tip_button,
    "st": schedule.settings_button,
    "nd": nudge_button,
    "ci": checkin.checkin_button,
    "del": privacy.delete_button,
}
# The only buttons that work outside a private chat (they act for whoever pressed them);
# any other pressed in a group changes nothing and shows nobody's settings there.
GROUP_BUTTONS = frozenset({"tip"})
# Presses that show a tip (tip:more, tip:t:<strategy>; not tip:topics): the tip history
# is read with the account.
BUTTONS_SHOWING_TIPS = ("tip:more", "tip:t:")
MAX_CALLBACK_DATA = 64


def find_command(name: str) -> Command | None:
    return next((c for c in COMMANDS if c.name == name), None)


@contextmanager
def _unit(services: Services, identity: Identity, *, shows_tips: bool = False) -> Iterator[Ctx]:
    """One update's transaction, with its user (added on first contact): committed when
    the block ends, rolled back if it raises. ``shows_tips``: read the user's tip history
    along with the account, in the same round trip."""
    with services.engine.begin() as connection:
        ctx = _context(services, connection, identity, shows_tips)
        try:
            yield ctx
            ctx.finish()
        finally:
            ctx.close()


def _context(
    services: Services, connection: Connection, identity: Identity, shows_tips: bool
) -> Ctx:
    now = services.now()
    preloaded: repo.TipHistory | None = None
    if shows_tips:
        found = repo.find_account_and_tips(session=connection, platform_user_id=identity.user_id)
        account, preloaded = found if found is not None else (None, None)
    else:
        account = repo.find_account(session=connection, platform_user_id=identity.user_id)
    created = account is None
    if account is None:
        account = repo.add_account(
            session=connection,
            platform_user_id=identity.user_id,
            chat_id=identity.chat_id if identity.private else identity.user_id,
            language=identity.language,
            timezone=services.settings.default_timezone,
            nudge_time=services.settings.default_nudge_time,
            now=now,
        )
    else:
        moved = identity.private and account.chat_id != identity.chat_id
        # a new private chat, or back after a block: reachable again (still opted out)
        if moved or account.blocked:
            repo.update_account(
                session=connection,
                user_id=account.id,
                chat_id=identity.chat_id if moved else None,
                unblock=account.blocked,
            )
            chat_id = identity.chat_id if moved else account.chat_id
            account = account._replace(chat_id=chat_id, blocked=False)
    return Ctx(services, connection, account, identity, now, created, preloaded=preloaded)


def private_only(command: str, bot_username: str | None) -> Reply:
    text = f"Let's do /{command} in a private chat: your answers and settings stay between us."
    if bot_username:
        link = Button("Continue in private", url=f"https://t.me/{bot_username}?start={command}")
        return Reply(text, ((link,),))
    return Reply(text)


def handle_command(
    services: Services, identity: Identity, name: str, args: str, *, bot_username: str | None = None
) -> list[Reply]:
    """Run ``/name args`` for this identity; unknown commands get a pointer to /help."""
    command = find_command(name.lower())
    if command is None or (
        command.admin_only and identity.user_id not in services.settings.admin_user_ids
    ):
        return [start.unknown_command(name)]
    if command.private_only and not identity.private:
        return [private_only(command.name, bot_username)]
    if command.in_group is not None and not identity.private:
        return [command.in_group(bot_username)]
    with _unit(services, identity, shows_tips=command.shows_tips) as ctx:
        replies = command.handler(ctx, clean_argument(args))
        follow = deep_link_target(command.name, clean_argument(args), identity)
        if follow is not None:  # "Continue in private" from a group: carry on there
            replies = replies[:1] + follow.handler(ctx, "")
        return replies


def deep_link_target(name: str, payload: str, identity: Identity) -> Command | None:
    """``/start checkin`` (from a group's "Continue in private" link) opens /checkin;
    likewise the commands with a group answer of their own (``/start safety``)."""
    if name != "start" or not identity.private:
        return None
    target = find_command(payload.lower())
    if target is None or target.name == "start" or target.admin_only:
        return None
    return target if target.private_only or target.in_group is not None else None


def handle_button(services: Services, identity: Identity, data: str) -> CallbackResult:
    """Run a button press; malformed or unknown data changes nothing. Outside a private
    chat only tip buttons work: any other answers that it works in private."""
    if not data or len(data.encode()) > MAX_CALLBACK_DATA:
        return expired()
    prefix, _, rest = data.partition(":")
    handler = BUTTONS.get(prefix)
    if handler is None or not rest:
        return expired()
    if not identity.private and prefix not in GROUP_BUTTONS:
        return CallbackResult(notice=IN_PRIVATE)  # before the store: nothing read or added
    with _unit(services, identity, shows_tips=data.startswith(BUTTONS_SHOWING_TIPS)) as ctx:
        return handler(ctx, rest.split(":"))


def handle_text(services: Services, identity: Identity) -> list[Reply]:
    """Free text (never read, never stored): a short pointer, never silence."""
    return [start.free_text()]


def handle_blocked(services: Services, user_id: int, reason: str) -> None:
    """The user blocked the bot (or left): opt them out and record why; no reply possible."""
    with services.session_factory.begin() as session:
        user = repo.get_user(session=session, platform_user_id=user_id)
        if user is not None:
            repo.mark_unreachable(session=session, user=user, reason=reason, now=services.now())


def handle_zone_name(services: Services, identity: Identity, zone_name: str | None) -> list[Reply]:
    """A shared location turned into a zone name (or ``None``) by the adapter."""
    if not identity.private:
        return [private_only("timezone", None)]
    with _unit(services, identity) as ctx:
        return schedule.location_zone(ctx, zone_name)


__all__ = ["BUTTONS", "COMMANDS", "CallbackResult", "expired", "handle_button", "handle_command"]
