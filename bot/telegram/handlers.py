"""Telegram handlers: each reads the update, calls :mod:`bot.features.dispatch`, replies."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any, TypeVar

from telegram import Chat, ChatMember, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.domain.flood import FloodGuard, Verdict
from bot.domain.replies import Reply
from bot.features import dispatch
from bot.features.base import Identity
from bot.telegram.context import CoachApplication, CoachContext
from bot.telegram.render import NO_PREVIEW, markup, send_reply

log = logging.getLogger(__name__)
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."


def identity_of(update: Update) -> Identity | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    return Identity(
        user_id=user.id,
        chat_id=chat.id,
        private=chat.type == Chat.PRIVATE,
        language=user.language_code,
    )


def parse_command(text: str, bot_username: str | None) -> tuple[str, str, bool] | None:
    """``"/tip@Bot mystery"`` -> ``("tip", "mystery", True)`` (the flag: addressed to
    us by name); ``None`` if meant for another bot."""
    head, *rest = text.split(maxsplit=1)
    name, _, addressee = head[1:].partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return None
    return name, (rest[0] if rest else ""), bool(addressee)


async def reply_all(context: CoachContext, chat_id: int, replies: list[Reply]) -> None:
    for reply in replies:
        await send_reply(context.bot, chat_id, reply)


# Commands that draw a chart, build a file or count the whole store run in a thread,
# so that other users' replies (and the nudges) don't wait for them. /start is here
# because a deep link may open any private command.
SLOW_COMMANDS = frozenset({"trend", "export", "stats", "start"})

T = TypeVar("T")


async def in_store(context: CoachContext, work: Callable[[], T], *, slow: bool = False) -> T:
    """Run ``work`` (a feature's transaction). On SQLite, a few quick queries run inline:
    a thread hop would cost about as much as they do. On a database server each
    statement is a network round trip, so the work goes to a thread and the event
    loop (other users, the nudges) never waits for it; slow work always does."""
    if slow or not context.services.local_store:
        return await asyncio.to_thread(work)
    return work()


async def on_command(update: Update, context: CoachContext) -> None:
    """Any /command: known ones run their feature, unknown ones get a pointer to /help."""
    message, identity = update.message, identity_of(update)
    if message is None or message.text is None or identity is None:
        return
    parsed = parse_command(message.text, context.bot.username)
    if parsed is None:
        return
    name, args, addressed = parsed
    if not identity.private and not addressed and dispatch.find_command(name.lower()) is None:
        return  # in a group, another bot's command: not ours to answer
    run = partial(
        dispatch.handle_command,
        context.services,
        identity,
        name,
        args,
        bot_username=context.bot.username,
    )
    replies = await in_store(context, run, slow=name.lower() in SLOW_COMMANDS)
    await reply_all(context, identity.chat_id, replies)


async def on_text(update: Update, context: CoachContext) -> None:
    """Free text, stickers, photos and the like in a private chat: a short pointer,
    never silence (in groups: nothing, the chatter is not for the bot)."""
    identity = identity_of(update)
    if identity is None or not identity.private:
        return
    await reply_all(context, identity.chat_id, dispatch.handle_text(context.services, identity))


@lru_cache(maxsize=1)
def _zone_finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point (offline, with timezonefinder)."""
    try:
        return _zone_finder().timezone_at(lng=longitude, lat=latitude)  # type: ignore[no-any-return]
    except ValueError:
        return None


async def on_location(update: Update, context: CoachContext) -> None:
    """A shared location sets the time zone; only the zone name is kept."""
    message, identity = update.message, identity_of(update)
    if message is None or message.location is None or identity is None:
        return
    name = await asyncio.to_thread(zone_at, message.location.latitude, message.location.longitude)
    replies = await in_store(
        context, partial(dispatch.handle_zone_name, context.services, identity, name)
    )
    await reply_all(context, identity.chat_id, replies)


async def on_button(update: Update, context: CoachContext) -> None:
    """A button press: run it, answer it (always), edit in place, send the rest."""
    query, identity = update.callback_query, identity_of(update)
    if query is None:
        return
    if identity is None:
        await answer(update, dispatch.expired().notice)
        return
    try:
        result = await in_store(
            context, partial(dispatch.handle_button, context.services, identity, query.data or "")
        )
    except Exception:
        await answer(update, APOLOGY)
        raise
    await answer(update, result.notice)
    if result.edit is not None:
        await edit_or_send(update, context, result.edit)
    await reply_all(context, identity.chat_id, result.send)


async def answer(update: Update, notice: str | None) -> None:
    """Answer the button press. A query too old to answer (the bot was down or slow)
    is no reason to drop what the press did, so that failure is only logged."""
    assert update.callback_query is not None
    try:
        await update.callback_query.answer(notice)
    except BadRequest as exc:
        log.info("could not answer callback query of update %s: %s", update.update_id, exc)


async def edit_or_send(update: Update, context: CoachContext, reply: Reply) -> None:
    query = update.callback_query
    assert query is not None
    message = query.message
    if message is None or not hasattr(message, "edit_text"):
        if update.effective_chat is not None:
            await send_reply(context.bot, update.effective_chat.id, reply)
        return
    try:
        await query.edit_message_text(
            reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" in exc.message.lower():
            return
        await send_reply(context.bot, message.chat.id, reply)


async def on_error(update: object, context: CoachContext) -> None:
    """Log the failure with the update id (no texts, no token) and apologise."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "error handling update %s: %s",
        update_id,
        context.error.__class__.__name__,
        exc_info=context.error,
    )
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, APOLOGY)
        except TelegramError:
            log.warning("could not send the apology for update %s", update_id)


async def on_my_chat_member(update: Update, context: CoachContext) -> None:
    """The user blocked the bot in their private chat: no more nudges, and why."""
    change = update.my_chat_member
    if change is None or change.chat.type != Chat.PRIVATE:
        return
    if change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT):
        blocked = partial(
            dispatch.handle_blocked,
            context.services,
            change.from_user.id,
            "bot blocked by the user",
        )
        await in_store(context, blocked)


SLOW_DOWN = "You're going a little fast for me. Give me a minute, then try again."


async def flood_guard(update: Update, context: CoachContext) -> None:
    """Before any handler: a user over USER_COMMANDS_PER_MINUTE is slowed down politely."""
    user = update.effective_user
    if user is None or (update.message is None and update.callback_query is None):
        return
    guard: FloodGuard = context.application.bot_data["flood_guard"]
    verdict = guard.check(user.id, time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    if update.callback_query is not None:
        await answer(update, SLOW_DOWN)
    elif verdict is Verdict.WARN and update.effective_chat is not None:
        await context.bot.send_message(update.effective_chat.id, SLOW_DOWN)
    raise ApplicationHandlerStop


def register(application: CoachApplication) -> None:
    """Every handler. Edited messages, channel posts, inline queries, polls and other
    update kinds match none of them and are ignored."""
    limit = application.bot_data["services"].settings.user_commands_per_minute
    application.bot_data["flood_guard"] = FloodGuard(limit, window=60.0)
    application.add_handler(TypeHandler(Update, flood_guard), group=-1)
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, on_command)
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(ChatMemberHandler(on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(
        MessageHandler(filters.UpdateType.MESSAGE & filters.LOCATION, on_location)
    )
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.COMMAND, on_text))
    application.add_error_handler(on_error)
