"""The same bot as a chat in a terminal: commands typed, buttons as numbered choices.

It uses the same features, domain and store as the Telegram adapter; nudges
are printed when they fall due. End of input (Ctrl-D, a closed pipe) exits.
"""

from __future__ import annotations

import asyncio
import re
import sys
from html import unescape
from typing import TextIO

from bot.domain.replies import Button, Reply
from bot.features import dispatch
from bot.features.base import Identity, Services
from scheduler.delivery import RateLimiter
from scheduler.nudges import NudgeScheduler

CONSOLE_USER = Identity(user_id=0, chat_id=0, private=True, language="en")
_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """The bot's HTML as terminal text."""
    return unescape(_TAG.sub("", text))


class Console:
    def __init__(self, services: Services, out: TextIO = sys.stdout) -> None:
        self.services = services
        self.out = out
        self.choices: list[Button] = []

    def show(self, reply: Reply, prefix: str = "") -> None:
        text = plain(reply.text)
        if reply.attachment is not None:
            text += f"\n[{reply.attachment.kind}: {reply.attachment.filename}]"
        print(f"\n{prefix}{text}", file=self.out)
        buttons = [b for row in reply.buttons for b in row]
        if buttons:
            self.choices = buttons
            for number, button in enumerate(buttons, start=1):
                target = f" ({button.url})" if button.url else ""
                print(f"  [{number}] {button.label}{target}", file=self.out)
        self.out.flush()

    def handle(self, line: str) -> None:
        text = line.strip()
        if not text:
            return
        if text.isdigit() and self.choices:
            self.press(int(text))
        elif text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            for reply in dispatch.handle_command(self.services, CONSOLE_USER, name, args):
                self.show(reply)
        else:
            for reply in dispatch.handle_text(self.services, CONSOLE_USER):
                self.show(reply)

    def press(self, number: int) -> None:
        if not 1 <= number <= len(self.choices):
            print(f"\nPick a number from 1 to {len(self.choices)}.", file=self.out)
            return
        button = self.choices[number - 1]
        if button.data is None:
            print(f"\nOpen {button.url}", file=self.out)
            return
        result = dispatch.handle_button(self.services, CONSOLE_USER, button.data)
        if result.notice:
            print(f"\n({result.notice})", file=self.out)
        if result.edit is not None:
            self.show(result.edit)
        for reply in result.send:
            self.show(reply)

    async def send(self, chat_id: int, reply: Reply) -> None:
        """The nudge scheduler's sender: print the nudge."""
        self.show(reply, prefix="🔔 ")


async def _ticks(scheduler: NudgeScheduler, interval: float) -> None:
    while True:
        await scheduler.tick()
        await asyncio.sleep(interval)


async def chat(services: Services, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    console = Console(services, out)
    print(
        "Coach bot, in your terminal. Type /help, /tip, or a number to press a button. "
        "Ctrl-D quits.",
        file=out,
    )
    console.handle("/start")
    scheduler = NudgeScheduler(
        services, console, RateLimiter(services.settings.nudge_rate_per_second)
    )
    ticker = asyncio.create_task(_ticks(scheduler, min(services.settings.tick_seconds, 30.0)))
    loop = asyncio.get_running_loop()
    try:
        while True:
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            console.handle(line)
    finally:
        ticker.cancel()
        print("\nBye. Your settings are saved.", file=out)


def run_console(services: Services) -> int:
    try:
        asyncio.run(chat(services))
    except KeyboardInterrupt:
        print("\nBye.")
    return 0
