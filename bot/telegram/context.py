"""A typed context: handlers reach the shared services through ``context.services``."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.features.base import Services


class CoachContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """``CallbackContext`` with typed access to the bot's services."""

    @property
    def services(self) -> Services:
        services = self.application.bot_data["services"]
        assert isinstance(services, Services)
        return services


CoachApplication = Application[Any, CoachContext, Any, Any, Any, Any]
