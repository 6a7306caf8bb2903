"""What Telegram allows, for the neutral core (see :mod:`bot.domain.platform`)."""

from __future__ import annotations

from functools import lru_cache

from bot.domain.platform import Capabilities

MAX_CALLBACK_DATA = 64  # bytes of an inline button's callback_data (Bot API)
# Not in the Bot API's documentation, but what its clients show: at most 8 buttons in a
# row and 100 on one message.
MAX_PER_ROW = 8
MAX_ROWS = 100


@lru_cache(maxsize=4)
def telegram_platform(bot_username: str | None = None) -> Capabilities:
    """Telegram's limits; with the bot's username (known after getMe), its deep links
    ``https://t.me/<bot>?start=<argument>``."""
    link = f"https://t.me/{bot_username}?start={{arg}}" if bot_username else None
    return Capabilities(
        name="telegram",
        max_button_data=MAX_CALLBACK_DATA,
        max_rows=MAX_ROWS,
        max_per_row=MAX_PER_ROW,
        private_chat_link=link,
    )
