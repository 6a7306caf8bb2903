"""Taking updates by long polling (getUpdates): one process per bot token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update

from bot.adapters.telegram.context import CoachApplication


@asynccontextmanager
async def polling(application: CoachApplication) -> AsyncIterator[None]:
    """Poll for every kind of update while the block runs."""
    updater = application.updater
    assert updater is not None, "built without an updater (webhook mode)"
    await updater.start_polling(allowed_updates=Update.ALL_TYPES)
    try:
        yield
    finally:
        await updater.stop()
