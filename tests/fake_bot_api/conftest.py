"""The fake Bot API server, and a real PTB ``telegram.Bot`` talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot

from fake_bot_api import FakeTelegramServer

TOKEN = "123456:TEST"
USER = 42


@pytest.fixture
def srv() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(token=TOKEN) as server:
        yield server
    assert server.internal_errors() == []


@pytest.fixture
async def bot(srv: FakeTelegramServer) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, base_url=f"{srv.base_url}/bot", base_file_url=f"{srv.base_url}/file/bot")
    async with bot:
        yield bot
