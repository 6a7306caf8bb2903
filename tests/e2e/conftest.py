"""End to end: ``python -m bot run`` as a subprocess against our fake Bot API server."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from fake_bot_api import BotProcess, Call, FakeTelegramServer

TOKEN = "123456:TEST"


class User:
    """A person chatting with the bot through the fake server."""

    def __init__(
        self,
        server: FakeTelegramServer,
        user_id: int = 42,
        *,
        agreed: bool = True,
        stored: bool = False,
    ) -> None:
        """``agreed``: before their first message, they open the bot and press "Sounds
        good" (as everyone but a newcomer has); ``False``: a newcomer. ``stored``: they
        are in the store already (agreed before this bot process began)."""
        self.server = server
        self.user_id = user_id
        self.agreed = agreed
        self.joined = stored

    def join(self, **kwargs: Any) -> Call:
        """/start, then "Sounds good": the welcome, edited into onboarding's first step.
        (The next command leaves that step, as it does for anyone who types one.)"""
        self.joined = True
        since = self.server.call_count()
        self.server.user_sends(self.user_id, "/start", **kwargs)
        return self.press_and_wait(self.wait_reply(since, ""), "ob:ok")

    def _agree_first(self, **kwargs: Any) -> None:
        if self.agreed and not self.joined:
            self.join(**{k: v for k, v in kwargs.items() if k == "language_code"})

    def send(self, text: str, **kwargs: Any) -> int:
        self._agree_first(**kwargs)
        since = self.server.call_count()
        self.server.user_sends(self.user_id, text, **kwargs)
        return since

    def wait_reply(
        self, since: int, contains: str = "", method: str = "sendMessage", timeout: float = 15.0
    ) -> Call:
        def matches(call: Call) -> bool:
            return (
                call.method == method
                and call.ok
                and call.chat_id == self.user_id
                and contains in (call.text or "")
            )

        return self.server.wait_for(matches, timeout, since=since)

    def ask(self, text: str, contains: str = "", **kwargs: Any) -> Call:
        """Send ``text`` and wait for a message to this user containing ``contains``
        (it may be any later one: to check what the answer says, use :meth:`reply_to`)."""
        return self.wait_reply(self.send(text, **kwargs), contains)

    def reply_to(self, text: str, **kwargs: Any) -> str:
        """Send ``text``; the text of the bot's next message to this user."""
        return self.ask(text, **kwargs).text or ""

    def press(self, message_id: int, data: str) -> int:
        self._agree_first()
        since = self.server.call_count()
        self.server.user_presses(self.user_id, message_id, data)
        return since

    def press_and_wait(
        self, call: Call, data: str, method: str = "editMessageText", contains: str = ""
    ) -> Call:
        message_id = int(call.result["message_id"])
        since = self.press(message_id, data)
        self.server.wait_for(lambda c: c.method == "answerCallbackQuery" and c.ok, 15, since=since)
        return self.wait_reply(since, contains, method=method)


@pytest.fixture
def server() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(token=TOKEN) as srv:
        yield srv


@pytest.fixture
def make_bot(server: FakeTelegramServer, tmp_path: Path) -> Iterator[Callable[[], BotProcess]]:
    bots: list[BotProcess] = []
    db_url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"

    def make() -> BotProcess:
        bot = BotProcess(server, db_url, tmp_path / f"bot{len(bots)}.log")
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        bot.stop()


@pytest.fixture
def bot(make_bot: Callable[[], BotProcess]) -> BotProcess:
    process = make_bot()
    process.start()
    return process


def utc_now() -> datetime:
    return datetime.now(UTC)


def bot_clock_before_a_minute(seconds: int) -> float:
    """A CLOCK_OFFSET_SECONDS that makes the bot's next minute start ``seconds`` (at most
    60) from now, so a daily tip set for that minute arrives without waiting long."""
    now = utc_now()
    return (60 - seconds - now.second) % 60 - now.microsecond / 1e6


def bot_minute(offset: float) -> datetime:
    """The next minute on a bot clock shifted by ``offset`` seconds."""
    bot_now = utc_now() + timedelta(seconds=offset)
    return (bot_now + timedelta(minutes=1)).replace(second=0, microsecond=0)


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
