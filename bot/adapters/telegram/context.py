"""A typed context and application: handlers reach the neutral core through
``context.core`` (and the shared services through ``context.services``)."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.adapters.telegram.platform import telegram_platform
from bot.features.base import Services
from bot.features.core import Core


class CoachContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """``CallbackContext`` with typed access to the core and the bot's services."""

    @property
    def core(self) -> Core:
        core = self.application.bot_data["core"]
        assert isinstance(core, Core)
        return core

    @property
    def services(self) -> Services:
        services = self.application.bot_data["services"]
        assert isinstance(services, Services)
        return services


class CoachApplication(Application[Any, CoachContext, Any, Any, Any, Any]):
    """PTB's Application, which tells the core Telegram's capabilities once getMe has
    told it the bot's username (for the links that open a private chat)."""

    async def initialize(self) -> None:
        await super().initialize()
        core = self.bot_data.get("core")
        if isinstance(core, Core):
            core.platform = telegram_platform(self.bot.username)
