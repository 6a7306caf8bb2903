"""End to end: ``python -m bot run`` as a subprocess against our fake Bot API server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import ROOT
from tests.fakes.telegram_server import Call, FakeTelegramServer

TOKEN = "123456:TEST"


class BotProcess:
    """The real bot, started and stopped like an operator would."""

    def __init__(self, server: FakeTelegramServer, db_url: str, log: Path) -> None:
        self.server = server
        self.db_url = db_url
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.extra_env: dict[str, str] = {}
        self.args = ["run"]
        self.ready_method = "deleteWebhook"

    def env(self) -> dict[str, str]:
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("TELEGRAM_", "DATABASE_", "DEFAULT_", "WEBHOOK_"))
        }
        return {
            **base,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": self.server.base_url,
            "DATABASE_URL": self.db_url,
            "TICK_SECONDS": "1",
            "LOG_LEVEL": "INFO",
            **self.extra_env,
        }

    def start(self, timeout: float = 30.0) -> None:
        since = self.server.call_count()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            # The fake records a call when it answers it, so a long poll shows up
            # late; polling starts right after deleteWebhook (webhook mode: right
            # after setWebhook), and updates queued meanwhile are not lost.
            self.server.wait_for(lambda c: c.method == self.ready_method, timeout, since=since)
        except TimeoutError:
            raise AssertionError(f"bot did not start:\n{self.log.read_text()[-3000:]}") from None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        self.stop(signal.SIGKILL)


class User:
    """A person chatting with the bot through the fake server."""

    def __init__(self, server: FakeTelegramServer, user_id: int = 42) -> None:
        self.server = server
        self.user_id = user_id

    def send(self, text: str, **kwargs: Any) -> int:
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
        return self.wait_reply(self.send(text, **kwargs), contains)

    def press(self, message_id: int, data: str) -> int:
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


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()
