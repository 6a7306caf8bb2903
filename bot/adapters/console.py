"""The same bot as a chat in a terminal: commands typed, buttons as numbered choices.

An adapter like the Telegram one: each line becomes one call of the neutral core
(:class:`bot.features.core.Core`), and what comes back is printed. Every message's
buttons are numbered ``<message>.<button>`` (``3.1``) and stay pressable, as on
Telegram, until an edit of their message takes them away; a bare number presses a
button of the newest message. Photos and documents are saved under
``var/chat-files/`` and their paths printed. Nudges are printed when they fall due
(``bot.app`` runs the tick). End of input (Ctrl-D, a closed pipe) exits.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import TextIO

from bot.config import ROOT
from bot.domain.platform import Capabilities
from bot.domain.replies import Attachment, Button, Reply
from bot.features.base import Identity
from bot.features.core import Core

log = logging.getLogger(__name__)
CONSOLE_USER = Identity(user_id=0, chat_id=0, private=True, language="en", platform="console")
# The terminal shows any number of buttons, one a line; a button's data only ever
# comes from the bot's own buttons. No links open a private chat: it is one already.
CONSOLE_PLATFORM = Capabilities(name="console", max_button_data=1024, max_rows=100, max_per_row=8)
CHAT_FILES = ROOT / "var" / "chat-files"
_TAG = re.compile(r"<[^>]+>")
_PRESS = re.compile(r"(?:(\d{1,9})\.)?(\d{1,9})")


def plain(text: str) -> str:
    """The bot's HTML as terminal text."""
    return unescape(_TAG.sub("", text))


@dataclass
class Shown:
    """A message on screen with buttons; an edit takes them away (``gone``)."""

    number: int
    buttons: list[Button]
    gone: bool = False


class Console:
    """One terminal chat with the core, for ``who``; files go to ``files``."""

    def __init__(
        self,
        core: Core,
        out: TextIO = sys.stdout,
        *,
        files: Path = CHAT_FILES,
        who: Identity = CONSOLE_USER,
    ) -> None:
        self.core = core
        self.out = out
        self.files = files
        self.who = who
        self.locale = core.services.locale(who.language)
        self.shown: dict[int, Shown] = {}
        self.newest: Shown | None = None  # the newest message with buttons
        self._numbers = 0

    # --- reading ----------------------------------------------------------------------

    async def greet(self) -> None:
        self.locale = await self.core.locale(self.who)  # as chosen in an earlier chat
        self.say(self.locale.t("console-hello"))
        await self.handle("/start")

    async def run(self, stdin: TextIO = sys.stdin) -> None:
        """Read lines until end of input."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                line = await loop.run_in_executor(None, stdin.readline)
                if not line:
                    break
                await self.handle(line)
        finally:
            self.say(self.locale.t("console-bye"))

    async def handle(self, line: str) -> None:
        """One line: a button's number, a /command, or anything else."""
        text = line.strip()
        if not text:
            return
        press = _PRESS.fullmatch(text)
        try:
            if press is not None and (press.group(1) or self.newest is not None):
                message = int(press.group(1)) if press.group(1) else None
                await self.press(message, int(press.group(2)))
            elif text.startswith("/"):
                name, _, args = text[1:].partition(" ")
                self.show_all(await self.core.command(self.who, name, args))
            else:
                self.show_all(await self.core.text(self.who, text))
        except Exception:  # as on Telegram: logged, a short apology, the chat goes on
            log.exception("error handling a line of the terminal chat")
            self.say(self.locale.t("apology"))

    async def press(self, message: int | None, number: int) -> None:
        """Press button ``number`` of ``message`` (``None``: the newest with buttons)."""
        shown = self.newest if message is None else self.shown.get(message)
        if shown is None:
            self.say(self.locale.t("console-no-message", message=message or 0))
            return
        if shown.gone:
            self.say(self.locale.t("console-gone"))
            return
        if not 1 <= number <= len(shown.buttons):
            self.say(self.locale.t("console-pick", count=len(shown.buttons)))
            return
        button = shown.buttons[number - 1]
        if button.data is None:
            self.say(self.locale.t("console-open", url=button.url or ""))
            return
        result = await self.core.button(self.who, button.data)
        if result.notice:
            self.say(f"({plain(result.notice)})")
        if result.edit is not None:  # the message is replaced: its buttons go with it
            shown.gone = True
            self.show(result.edit, prefix="✎ ")
        self.show_all(result.send)

    # --- writing ----------------------------------------------------------------------

    def say(self, text: str) -> None:
        print(f"\n{plain(text)}", file=self.out)
        self.out.flush()

    def show_all(self, replies: list[Reply]) -> None:
        for reply in replies:
            self.show(reply)

    def show(self, reply: Reply, prefix: str = "") -> None:
        """Print a message: its text, where its file was saved, its numbered buttons."""
        if reply.chat_menu is not None:  # after /language: the terminal's words follow
            self.locale = self.core.services.locale(reply.chat_menu)
        lines = [f"\n{prefix}{plain(reply.text)}"]
        if reply.attachment is not None:
            path = self.save(reply.attachment)
            lines.append(f"[{reply.attachment.kind} saved: {path}]")
        buttons = [b for row in reply.buttons for b in row]
        if buttons:
            self._numbers += 1
            shown = Shown(self._numbers, buttons)
            self.shown[shown.number] = self.newest = shown
            for n, button in enumerate(buttons, start=1):
                target = f" ({button.url or button.copy})" if button.url or button.copy else ""
                lines.append(f"  [{shown.number}.{n}] {button.label}{target}")
        print("\n".join(lines), file=self.out)
        self.out.flush()

    def save(self, attachment: Attachment) -> Path:
        """Write the file under ``files`` (never over an earlier one) and say where:
        relative to the working directory when it is inside it."""
        self.files.mkdir(parents=True, exist_ok=True)
        name = Path(attachment.filename).name or "file"
        stem, suffix = Path(name).stem, Path(name).suffix
        path, n = self.files / name, 1
        while path.exists():
            n += 1
            path = self.files / f"{stem}-{n}{suffix}"
        path.write_bytes(attachment.content)
        try:
            return path.resolve().relative_to(Path.cwd().resolve())
        except ValueError:
            return path.resolve()

    async def send(self, chat_id: int, reply: Reply) -> None:
        """The nudge scheduler's sender: print the nudge."""
        self.show(reply, prefix="🔔 ")
