"""The terminal chat: the same bot through the same runtime; every message's buttons
numbered and pressable until an edit takes them away; files saved; nudges printed."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.adapters.console import CONSOLE_PLATFORM, Console
from bot.app import Runtime, chat
from bot.features.base import Services
from tests.conftest import Clock, agree


@pytest.fixture
def runtime(services: Services) -> Runtime:
    return Runtime(services, CONSOLE_PLATFORM)


@pytest.fixture
def console(runtime: Runtime, tmp_path: Path) -> Console:
    console = Console(runtime.core, io.StringIO(), files=tmp_path / "chat-files")
    runtime.deliver_through(console)
    agree(runtime.services, console.who.user_id, platform="console")  # "Sounds good" before
    return console


def output(console: Console) -> str:
    assert isinstance(console.out, io.StringIO)
    return console.out.getvalue()


def since(console: Console, mark: int) -> str:
    return output(console)[mark:]


async def test_buttons_are_numbered_and_nudges_are_printed(
    console: Console, runtime: Runtime
) -> None:
    await console.handle("/tip")
    assert "[1.1] Another tip" in output(console) and "[1.2] Choose a topic" in output(console)
    await console.handle("2")  # a bare number: the newest message's button
    assert "Pick a topic" in output(console)
    await console.handle("99")
    assert "Pick a number from 1 to 9" in output(console)  # the nine topics
    await console.handle("/nudges 08:30")
    assert runtime.scheduler is not None
    await runtime.scheduler.tick(datetime(2026, 11, 24, 8, 30, tzinfo=UTC))
    assert "🔔 Your daily tip" in output(console)
    assert "<b>" not in output(console)  # HTML is turned into plain text


async def test_an_earlier_messages_button_still_works(console: Console) -> None:
    await console.handle("/tip")  # message 1: Another tip, Choose a topic
    await console.handle("/settings")  # message 2, the newest
    mark = len(output(console))
    await console.handle("1.1")
    assert "Today's tip" in since(console, mark)  # message 1's "Another tip"
    assert "Your settings" not in since(console, mark)


async def test_a_button_edited_away_is_refused_and_the_new_ones_work(console: Console) -> None:
    await console.handle("/settings")  # message 1: its third button changes the time zone
    await console.handle("1.3")  # the message is edited into the zone picker: message 2
    assert "✎ Your time zone is" in output(console)
    mark = len(output(console))
    await console.handle("1.1")  # "Turn daily tip on" is no longer on screen
    assert since(console, mark).strip() == "That button is gone: its message has changed since."
    await console.handle("/nudges")
    assert "Daily tip: off" in output(console)  # the refused press changed nothing
    await console.handle("9.1")
    assert "There is no message 9 with buttons." in output(console)
    back = re.findall(r"\[2\.(\d+)\] « Back", output(console))
    await console.handle(f"2.{back[0]}")  # the picker's own buttons work
    assert output(console).count("Your settings") == 2


async def test_photos_and_documents_are_saved_and_their_paths_printed(
    console: Console, tmp_path: Path
) -> None:
    await console.handle("/export")
    await console.handle("/export")  # the second never overwrites the first
    saved = sorted((tmp_path / "chat-files").iterdir())
    assert [p.name for p in saved] == ["coachbot-my-data-2.json", "coachbot-my-data.json"]
    assert "exported_at" in json.loads(saved[1].read_text(encoding="utf-8"))
    printed = re.findall(r"\[document saved: (.+)\]", output(console))
    assert [Path(p).resolve() for p in printed] == [saved[1], saved[0]]


class StdinUntil:
    """End of input once ``seen`` shows in ``out`` (or after a few seconds)."""

    def __init__(self, out: io.StringIO, seen: str) -> None:
        self.out, self.seen = out, seen

    def readline(self) -> str:
        deadline = time.monotonic() + 10
        while self.seen not in self.out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.02)
        return ""


async def test_the_chat_runs_on_the_one_runtime_until_end_of_input(
    services: Services, clock: Clock
) -> None:
    """bot.app's chat: the greeting and /start, lines until end of input, and the
    goodbye; a tick at once, so a nudge that fell due while it was closed is printed."""
    out = io.StringIO()
    await chat(services, io.StringIO("1\n/nudges 06:30\n"), out)  # "Sounds good", a time
    text = out.getvalue()
    assert "Coach bot, in your terminal" in text and "[1.1] Sounds good" in text
    assert "1/4" in text and "Daily tip on, at 06:30" in text
    assert text.rstrip().endswith("Bye. Your settings are saved.")
    clock.now = datetime(2026, 11, 25, 6, 31, tzinfo=UTC)
    out = io.StringIO()
    await chat(services, StdinUntil(out, "🔔"), out)  # type: ignore[arg-type]
    assert "🔔 Your daily tip" in out.getvalue()
    assert re.search(r"\[\d+\.1\] Another tip", out.getvalue().split("🔔")[1])
