"""Turning platform-neutral replies into Telegram messages."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
from telegram.constants import ParseMode

from bot.domain.replies import Button, Reply


# PTB turns a reply's markup and options into JSON on every send. The bot's keyboards and
# options are immutable and shared between replies, so each is turned into a dict once.
class SharedKeyboard(InlineKeyboardMarkup):
    __slots__ = ("_as_dict",)

    def __init__(self, inline_keyboard: list[list[InlineKeyboardButton]]) -> None:
        super().__init__(inline_keyboard)
        self._as_dict = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return dict(self._as_dict) if recursive else super().to_dict(recursive)


class SharedPreviewOptions(LinkPreviewOptions):
    __slots__ = ("_as_dict",)

    def __init__(self, *, is_disabled: bool) -> None:
        super().__init__(is_disabled=is_disabled)
        self._as_dict = super().to_dict()

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        return dict(self._as_dict)


NO_PREVIEW = SharedPreviewOptions(is_disabled=True)


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    return keyboard(reply.buttons) if reply.buttons else None


@lru_cache(maxsize=1024)
def keyboard(buttons: tuple[tuple[Button, ...], ...]) -> SharedKeyboard:
    """The inline keyboard of these buttons, built once per distinct layout: the same
    keyboards (the /tip buttons above all) are sent again and again, and PTB's objects
    are immutable, so one can be shared."""
    return SharedKeyboard(
        [
            [
                InlineKeyboardButton(b.label, url=b.url)
                if b.url
                else InlineKeyboardButton(b.label, callback_data=b.data)
                for b in row
            ]
            for row in buttons
        ]
    )


async def send_reply(bot: Bot, chat_id: int, reply: Reply, *, paid: bool = False) -> Message:
    """Send one reply: text, photo or document, with its buttons.

    ``paid`` uses Telegram's paid broadcasts (up to 1000 messages per second).
    """
    paid_broadcast = True if paid else None
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
        )
    return await bot.send_message(
        chat_id,
        reply.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup(reply),
        link_preview_options=NO_PREVIEW,
        allow_paid_broadcast=paid_broadcast,
    )
