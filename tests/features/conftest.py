"""The neutral core on a platform of its own, and a chat with it (``tests.features.chat``)."""

from __future__ import annotations

import pytest

from bot.domain.platform import Capabilities
from bot.features.base import Services
from bot.features.core import Core
from tests.features.chat import Chat

# Telegram's limits (64 bytes of button data), with a private-chat link of its own.
PLATFORM = Capabilities(
    name="chat",
    max_button_data=64,
    max_rows=100,
    max_per_row=8,
    private_chat_link="https://chat.example/coach?start={arg}",
)


@pytest.fixture
def core(services: Services) -> Core:
    return Core(services, PLATFORM)


@pytest.fixture
def chat(core: Core) -> Chat:
    """Ana (user 42) in her private chat with the bot, her app in English."""
    return Chat(core)
