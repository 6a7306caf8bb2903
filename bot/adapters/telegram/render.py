"""Turning platform-neutral replies into Telegram messages."""

from __future__ import annotations

from telegram import (
    Bot,
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram.constants import ParseMode

from bot.domain.replies import Reply


def no_preview() -> LinkPreviewOptions:
    """Link previews off: a link in a reply (a help service, say) stays a link, not a card."""
    return LinkPreviewOptions(is_disabled=True)


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard (``None`` without buttons)."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, copy_text=CopyTextButton(b.copy))
                if b.copy
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in reply.buttons
        ]
    )


async def send_reply(bot: Bot, chat_id: int, reply: Reply, *, paid: bool = False) -> Message:
    """Send one reply: text, photo or document, with its buttons.

    ``paid`` uses Telegram's paid broadcasts (up to 1000 messages per second).
    """
    paid_broadcast = True if paid else None
    protect = True if reply.protect else None  # not forwarded nor saved (a mirror)
    attachment = reply.attachment
    if attachment is not None:
        send_file = bot.send_photo if attachment.kind == "photo" else bot.send_document
        return await send_file(
            chat_id,
            attachment.content,
            caption=reply.text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup(reply),
            filename=attachment.filename,
            allow_paid_broadcast=paid_broadcast,
            protect_content=protect,
        )
    return await bot.send_message(
        chat_id,
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(reply),
        link_preview_options=no_preview(),
        allow_paid_broadcast=paid_broadcast,
        protect_content=protect,
    )
