"""The adapter under Telegram's faults, in process: forged private chats, the replies'
rate limiter (429s retried, nudges never behind replies), a second poller refused."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from telegram.request import RequestData

from bot.adapters.telegram.context import CoachApplication
from bot.adapters.telegram.limits import ReplyLimiter
from bot.adapters.telegram.polling import AnotherPoller, polling
from bot.adapters.telegram.sender import TelegramSender
from bot.app import Runtime, build_application
from bot.domain.replies import Reply
from bot.features.base import Services
from bot.store.models import User
from tests.fakes.recording import RecordingRequest
from tests.telegram.conftest import Chat

# PTB's own RetryAfter reads its deprecated int ``retry_after`` when made.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

# --- a private chat is its user's own ------------------------------------------------------


async def test_a_private_chat_that_is_not_the_senders_is_ignored(
    chat: Chat, services: Services
) -> None:
    chat.newcomers.update({42, 43})
    await chat.send("/start", user_id=42, chat_id=43)
    await chat.send("/help", user_id=42, chat_id=43)
    await chat.send("hello", user_id=42, chat_id=43)
    assert [c.method for c in chat.request.calls] == ["getMe"]  # not answered, anywhere
    with services.session_factory() as session:
        assert session.scalars(select(User)).all() == []


async def test_a_stored_chat_stays_where_it_was_when_a_forged_update_names_another(
    chat: Chat, services: Services
) -> None:
    await chat.send("/nudges 08:00", user_id=42)
    await chat.send("/nudges 09:30", user_id=42, chat_id=7)
    await chat.press("nd:stop", user_id=42, chat_id=7)  # would turn the tips off
    assert not any(c.params.get("chat_id") == 7 for c in chat.request.calls)
    # The press is answered (a spinner would turn forever) with nothing done.
    assert chat.request.last("answerCallbackQuery").params.get("text")
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
    assert user.chat_id == 42 and user.nudge_time == "08:00" and user.nudges_enabled


async def test_blocking_reported_for_a_chat_not_the_senders_changes_nothing(
    chat: Chat, services: Services
) -> None:
    await chat.send("/nudges 08:00", user_id=42)
    member = {"user": {"id": 123456, "is_bot": True, "first_name": "Coach"}}
    await chat.process(
        {
            "update_id": 901,
            "my_chat_member": {
                "chat": {"id": 42, "type": "private", "first_name": "Ana"},
                "from": {"id": 666, "is_bot": False, "first_name": "Mallory"},
                "date": 0,
                "old_chat_member": {**member, "status": "member"},
                "new_chat_member": {**member, "status": "kicked", "until_date": 0},
            },
        }
    )
    with services.session_factory() as session:
        user = session.scalars(select(User)).one()
    assert user.nudges_enabled and user.blocked_at is None


# --- replies within Telegram's limits ------------------------------------------------------

TOO_MANY = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 1",
    "parameters": {"retry_after": 1},
}


@pytest.fixture
async def limited(services: Services) -> AsyncIterator[Chat]:
    """The Application as ``run`` builds it: with the replies' rate limiter."""
    request = RecordingRequest()
    app = build_application(services, request, rate_limited=True)
    async with app:
        yield Chat(app, request, services)


def test_the_real_application_limits_replies_and_not_nudges(services: Services) -> None:
    app = build_application(services)  # PTB's own HTTP layer: a real server
    assert isinstance(app.bot.rate_limiter, ReplyLimiter)
    runtime = app.bot_data["runtime"]
    assert isinstance(runtime, Runtime) and runtime.scheduler is not None
    sender = runtime.scheduler.sender
    assert isinstance(sender, TelegramSender)
    assert sender.bot is not app.bot and not hasattr(sender.bot, "rate_limiter")
    assert sender.bot.request is app.bot.request  # one HTTP client, one connection pool
    assert build_application(services, RecordingRequest()).bot.rate_limiter is None


async def test_a_reply_that_meets_a_429_goes_again_after_retry_after(limited: Chat) -> None:
    limited.request.fail["sendMessage"] = (429, TOO_MANY)
    started = time.monotonic()
    await limited.send("/help")
    waited = time.monotonic() - started
    first, again = limited.replies()
    assert first == again and "/checkin" in again  # refused once, then sent
    assert waited >= 1.0  # Telegram's retry_after, kept


async def test_replies_keep_to_about_30_a_second(limited: Chat) -> None:
    started = time.monotonic()
    await asyncio.gather(*(limited.send("/help", user_id=1000 + i) for i in range(31)))
    assert len(limited.replies()) == 31
    assert time.monotonic() - started >= 0.9  # one every 1/30 s, not 30 at once


async def test_one_chat_gets_a_burst_then_about_one_a_second() -> None:
    limiter = ReplyLimiter(overall_per_second=1000, chat_burst=2)
    sent: list[float] = []

    async def call(*args: Any, **kwargs: Any) -> bool:
        sent.append(time.monotonic())
        return True

    async def send(chat_id: int) -> object:
        data = {"chat_id": chat_id, "text": "hi"}
        return await limiter.process_request(call, (), {}, "sendMessage", data, None)

    started = time.monotonic()
    await asyncio.gather(*(send(7) for _ in range(4)), send(8), send(-100))
    first = sorted(sent)
    assert first[2] - started < 0.5  # the burst of two to chat 7, chat 8 and the group
    assert max(sent) - started >= 1.8  # then chat 7 waits: one a second
    assert len(limiter._chats) == 2  # a group has PTB's limit (20 a minute), no chat's


async def test_idle_chats_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.adapters.telegram import limits

    monkeypatch.setattr(limits, "_KEEP_CHATS", 4)
    limiter = ReplyLimiter(overall_per_second=1000, chat_burst=1)

    async def call(*args: Any, **kwargs: Any) -> bool:
        return True

    async def send(chat_id: int) -> object:
        return await limiter.process_request(
            call, (), {}, "sendMessage", {"chat_id": chat_id}, None
        )

    for chat_id in range(1, 6):
        await send(chat_id)
    assert len(limiter._chats) == 5
    await asyncio.sleep(1.1)  # each chat's bucket whole again
    await send(6)
    assert list(limiter._chats) == [6]


async def test_a_nudge_does_not_wait_behind_replies_held_by_a_429(
    limited: Chat, services: Services
) -> None:
    limited.request.fail["sendMessage"] = (429, TOO_MANY)
    reply = asyncio.create_task(limited.send("/help"))  # held for a second, then again
    while not any(c.method == "sendMessage" for c in limited.request.calls):
        await asyncio.sleep(0.01)
    runtime = limited.app.bot_data["runtime"]
    assert isinstance(runtime, Runtime) and runtime.scheduler is not None
    started = time.monotonic()
    await runtime.scheduler.sender.send(99, Reply("Your daily tip"))
    assert time.monotonic() - started < 0.5
    assert not reply.done()
    await reply
    assert [c.params["chat_id"] for c in limited.request.calls if c.method == "sendMessage"] == [
        42,
        99,
        42,
    ]


# --- one poller per token ------------------------------------------------------------------


class PollingRequest(RecordingRequest):
    """getUpdates: a long poll that waits and brings nothing, or 409 ``conflicts`` times."""

    conflicts = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if not url.endswith("/getUpdates"):
            return await super().do_request(url, method, request_data)
        if self.conflicts > 0:
            self.conflicts -= 1
            description = "Conflict: terminated by other getUpdates request"
            body = {"ok": False, "error_code": 409, "description": description}
            return 409, json.dumps(body).encode()
        await asyncio.sleep(0.05)
        return 200, json.dumps({"ok": True, "result": []}).encode()


async def polling_app(services: Services, conflicts: int) -> CoachApplication:
    request = PollingRequest()
    request.conflicts = conflicts
    app = build_application(services, request)
    await app.initialize()
    return app


async def test_a_conflict_as_polling_starts_stops_it_with_one_reason(services: Services) -> None:
    app = await polling_app(services, conflicts=1)
    started = time.monotonic()
    try:
        with pytest.raises(AnotherPoller, match="another process is polling with this token"):
            async with polling(app):
                await asyncio.sleep(30)
    finally:
        await app.shutdown()
    assert time.monotonic() - started < 5
    assert app.updater is not None and not app.updater.running
    current = asyncio.current_task()
    assert current is not None and current.cancelling() == 0  # nothing left cancelled


async def test_once_running_a_conflict_is_logged_and_polling_goes_on(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    app = await polling_app(services, conflicts=2)
    try:
        with caplog.at_level(logging.WARNING):
            async with polling(app, start_window=0):
                await asyncio.sleep(3.0)  # PTB waits 1 s, then 1.5 s, between failures
                assert app.updater is not None and app.updater.running
    finally:
        await app.shutdown()
    warnings = [r.getMessage() for r in caplog.records if "Conflict" in r.getMessage()]
    assert len(warnings) == 1 and "still polling" in warnings[0]


async def test_a_cancellation_not_from_a_conflict_stays_a_cancellation(services: Services) -> None:
    app = await polling_app(services, conflicts=0)

    async def poll_forever() -> None:
        async with polling(app):
            await asyncio.sleep(30)

    task = asyncio.create_task(poll_forever())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await app.shutdown()
