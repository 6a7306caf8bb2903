"""The bot's command menu and descriptions on Telegram, in each language.

At start-up every offered language gets its own menu and descriptions (Telegram shows
a user the ones for their app's language, the default ones otherwise); after a
/language choice that chat's menu follows the choice (``BotCommandScopeChat``)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.features import dispatch
from bot.i18n import DEFAULT_LANGUAGE, Catalogue, Locale

log = logging.getLogger(__name__)


def menu_commands(locale: Locale) -> list[BotCommand]:
    return [
        BotCommand(c.name, c.description(locale))
        for c in dispatch.COMMANDS
        if c.in_menu and not c.admin_only
    ]


async def publish_menus(bot: Bot, catalogue: Catalogue) -> None:
    """The default menu and descriptions (the default language), then one set per
    language by its ``language_code``. A refusal is logged, never fatal."""
    for code in (None, *catalogue.offered):
        locale = catalogue.locale(code or DEFAULT_LANGUAGE)
        try:
            await bot.set_my_commands(menu_commands(locale), language_code=code)
            await bot.set_my_description(locale.t("bot-description"), language_code=code)
            await bot.set_my_short_description(
                locale.t("bot-short-description"), language_code=code
            )
        except TelegramError as exc:
            log.warning("could not set the menu for language %s: %s", code or "default", exc)


async def follow_language(bot: Bot, chat_id: int, locale: Locale) -> None:
    """This chat's command menu in the language its user chose."""
    try:
        await bot.set_my_commands(menu_commands(locale), scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        log.warning("could not set a chat's menu: %s", exc)
