"""The terminal chat: same flows, buttons as numbers, nudges printed when due."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from bot.console import Console
from bot.features.base import Services
from scheduler.delivery import RateLimiter
from scheduler.nudges import NudgeScheduler


async def test_buttons_are_numbered_and_nudges_are_printed(services: Services) -> None:
    out = io.StringIO()
    console = Console(services, out)
    console.handle("/tip")
    assert "[1] Another tip" in out.getvalue() and "[2] Choose a topic" in out.getvalue()
    console.handle("2")
    assert "Pick a topic" in out.getvalue()
    console.handle("99")
    assert "Pick a number from 1 to 9" in out.getvalue()  # the nine topics
    console.handle("/nudges 08:30")
    scheduler = NudgeScheduler(services, console, RateLimiter(10))
    await scheduler.tick(datetime(2026, 11, 24, 8, 30, tzinfo=UTC))
    assert "🔔 Your daily tip" in out.getvalue()
    assert "<b>" not in out.getvalue()  # HTML is turned into plain text
