"""What differs by platform: the features ask this instead of assuming Telegram.

Each adapter describes its platform once (``bot.adapters.telegram.platform``, the
console's) and hands it to the neutral core, which gives it to every update as
``ctx.platform``: how much data a button may carry back, how many buttons fit on a
message, and how to link to a private chat with the bot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil
from urllib.parse import quote

from bot.domain.replies import Button

Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Capabilities:
    """One platform's limits and links."""

    name: str
    max_button_data: int  # bytes of data one button carries back to the bot
    max_rows: int  # rows of buttons under one message
    max_per_row: int  # buttons in one row
    # A link that opens a private chat with the bot and hands it ``{arg}`` (the start
    # argument), or None where the platform has no such links.
    private_chat_link: str | None = None

    def start_link(self, arg: str) -> str | None:
        """The link that opens a private chat with the bot, which then receives ``arg``
        as ``/start <arg>``; ``None`` if the platform has none."""
        if self.private_chat_link is None:
            return None
        return self.private_chat_link.format(arg=quote(arg, safe=""))

    def data_fits(self, data: str) -> bool:
        """Whether a button can carry ``data`` back."""
        return 0 < len(data.encode()) <= self.max_button_data

    def rows(self, *buttons: Button, per_row: int = 2, spare_rows: int = 0) -> Keyboard:
        """Lay buttons out ``per_row`` to a row: fewer where the platform allows fewer,
        more where that many rows (and ``spare_rows`` more, for rows the caller adds)
        would not fit."""
        room = max(1, self.max_rows - spare_rows)
        per_row = max(1, min(max(per_row, ceil(len(buttons) / room)), self.max_per_row))
        return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))

    def keyboard(self, *rows: Sequence[Button]) -> Keyboard:
        """These rows as they are when they fit; otherwise neighbouring rows are joined,
        the pair that makes the shortest row first, until they do. ``ValueError`` if
        they can't: more buttons than the platform shows on one message."""
        laid = [tuple(row) for row in rows if row]
        while len(laid) > self.max_rows:
            pairs = [
                (len(laid[i]) + len(laid[i + 1]), i)
                for i in range(len(laid) - 1)
                if len(laid[i]) + len(laid[i + 1]) <= self.max_per_row
            ]
            if not pairs:
                break
            _, i = min(pairs)
            laid[i : i + 2] = [laid[i] + laid[i + 1]]
        keyboard = tuple(laid)
        if not self.fits(keyboard):
            raise ValueError(f"these buttons don't fit on one {self.name} message")
        return keyboard

    def fits(self, keyboard: Keyboard) -> bool:
        """Whether the platform can show this keyboard as it is."""
        return len(keyboard) <= self.max_rows and all(
            len(row) <= self.max_per_row
            and all(b.data is None or self.data_fits(b.data) for b in row)
            for row in keyboard
        )


# No links, and the limits of the most constrained platform the bot has run on
# (Telegram's 64 bytes of button data): for replies made away from any adapter (tests).
PLAIN = Capabilities(name="plain", max_button_data=64, max_rows=100, max_per_row=8)
