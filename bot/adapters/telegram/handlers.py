"""Telegram handlers: each turns an update into one call of the neutral core
(:class:`bot.features.core.Core`) and sends what comes back."""

from __future__ import annotations

import logging

from telegram import Chat, ChatMember, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, MessageHandler, filters

from bot.adapters.telegram.context import CoachApplication, CoachContext
from bot.adapters.telegram.menu import follow_language
from bot.adapters.telegram.render import markup, no_preview, send_reply
from bot.domain.replies import Reply
from bot.features import dispatch
from bot.features.base import Identity

log = logging.getLogger(__name__)
PLATFORM = "telegram"  # a user's identity: (PLATFORM, their Telegram user id)


def identity_of(update: Update) -> Identity | None:
    """Who sent the update and where to answer; ``None``: not answered.

    A private chat is the chat with its user: its id *is* the user's id. An update
    claiming a private chat with another id is not Telegram's (forged, or a bug
    upstream) and is ignored: answering it would store that chat as the sender's and
    send their nudges and check-ins into someone else's chat.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or user.is_bot:
        return None
    if chat.type == Chat.PRIVATE and chat.id != user.id:
        log.debug("update %s ignored: a private chat that is not its sender's", update.update_id)
        return None
    return Identity(
        user_id=user.id,
        chat_id=chat.id,
        private=chat.type == Chat.PRIVATE,
        language=user.language_code,
        platform=PLATFORM,
        first_name=user.first_name,
    )


def parse_command(text: str, bot_username: str | None) -> tuple[str, str, bool] | None:
    """``"/tip@Bot mystery"`` -> ``("tip", "mystery", True)`` (the flag: addressed to
    us by name); ``None`` if meant for another bot."""
    head, *rest = text.split(maxsplit=1)
    name, _, addressee = head[1:].partition("@")
    if addressee and (bot_username is None or addressee.lower() != bot_username.lower()):
        return None
    return name, (rest[0] if rest else ""), bool(addressee)


def apology(update: object, context: CoachContext) -> str:
    """The apology for a failed update, in the user's language."""
    user = update.effective_user if isinstance(update, Update) else None
    return context.services.locale(user.language_code if user else None).t("apology")


async def reply_all(context: CoachContext, chat_id: int, replies: list[Reply]) -> None:
    for reply in replies:
        await send_reply(context.bot, chat_id, reply)
        if reply.chat_menu is not None:  # after /language: the chat's menu follows
            locale = context.core.services.locale(reply.chat_menu)
            await follow_language(context.bot, chat_id, locale)


async def on_command(update: Update, context: CoachContext) -> None:
    """Any /command: the core runs it (or says it doesn't know it), we send the replies."""
    message, identity = update.message, identity_of(update)
    if message is None or message.text is None or identity is None:
        return
    parsed = parse_command(message.text, context.bot.username)
    if parsed is None:
        replies = await context.core.not_for_us(identity)
    else:
        name, args, addressed = parsed
        replies = await context.core.command(identity, name, args, addressed=addressed)
    await reply_all(context, identity.chat_id, replies)


async def on_text(update: Update, context: CoachContext) -> None:
    """Free text, stickers, photos and the like (in groups the core says nothing)."""
    identity = identity_of(update)
    if identity is None:
        return
    message = update.message
    text = message.text if message is not None else None  # read only by a waiting step
    await reply_all(context, identity.chat_id, await context.core.text(identity, text))


async def on_location(update: Update, context: CoachContext) -> None:
    """A shared location: the core turns it into a time zone."""
    message, identity = update.message, identity_of(update)
    if message is None or message.location is None or identity is None:
        return
    where = message.location
    replies = await context.core.location(identity, where.latitude, where.longitude)
    await reply_all(context, identity.chat_id, replies)


async def on_button(update: Update, context: CoachContext) -> None:
    """A button press: run it, answer it (always), edit in place, send the rest."""
    query, identity = update.callback_query, identity_of(update)
    if query is None:
        return
    if identity is None:
        await answer(update, dispatch.expired(context.services.locale(None)).notice)
        return
    try:
        result = await context.core.button(identity, query.data or "")
    except Exception:
        await answer(update, apology(update, context))
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
            link_preview_options=no_preview(),
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
            await context.bot.send_message(update.effective_chat.id, apology(update, context))
        except TelegramError:
            log.warning("could not send the apology for update %s", update_id)


async def on_my_chat_member(update: Update, context: CoachContext) -> None:
    """The user blocked the bot in their private chat: no more nudges, and why."""
    change = update.my_chat_member
    if change is None or change.chat.type != Chat.PRIVATE:
        return
    if change.chat.id != change.from_user.id:  # not their own chat: see identity_of
        log.debug("update %s ignored: a private chat that is not its sender's", update.update_id)
        return
    if change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT):
        who = Identity(change.from_user.id, change.chat.id, platform=PLATFORM)
        await context.core.blocked(who, "bot blocked by the user")


def register(application: CoachApplication) -> None:
    """Every handler. Edited messages, channel posts, inline queries, polls and other
    update kinds match none of them and are ignored."""
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
