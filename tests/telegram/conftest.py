"""The real PTB Application with a recording request layer and update factories."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from itertools import count
from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram.context import CoachApplication
from bot.app import build_application
from bot.features.base import Services
from tests.conftest import agree
from tests.fakes.recording import RecordingRequest

_ids = count(1)


class Chat:
    """Drives the Application like a person in a chat would."""

    def __init__(
        self, app: CoachApplication, request: RecordingRequest, services: Services
    ) -> None:
        """Every user id it sends or presses for agreed to be stored before (unseen),
        but those in :attr:`newcomers`."""
        self.app = app
        self.request = request
        self.services = services
        self.agreed: set[int] = set()
        self.newcomers: set[int] = set()

    def _agree_first(self, user_id: int) -> None:
        if user_id not in self.agreed and user_id not in self.newcomers:
            self.agreed.add(user_id)
            agree(self.services, user_id)

    async def send(
        self,
        text: str,
        *,
        user_id: int = 42,
        chat_id: int | None = None,
        chat_type: str = "private",
        **extra: Any,
    ) -> None:
        self._agree_first(user_id)
        chat_id = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": next(_ids),
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {
                "id": chat_id,
                "type": chat_type,
                "title": "Group" if chat_type != "private" else None,
            },
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "en"},
            "text": text,
            **extra,
        }
        if text.startswith("/"):
            length = len(text.split(" ", 1)[0].encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        await self.process({"update_id": next(_ids), "message": message})

    async def press(
        self,
        data: str,
        *,
        user_id: int = 42,
        message_id: int = 1,
        chat_type: str = "private",
        chat_id: int | None = None,
    ) -> None:
        self._agree_first(user_id)
        message = {
            "message_id": message_id,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": chat_id if chat_id is not None else user_id, "type": chat_type},
            "from": {"id": 123456, "is_bot": True, "first_name": "Coach"},
            "text": "earlier message",
        }
        await self.process(
            {
                "update_id": next(_ids),
                "callback_query": {
                    "id": str(next(_ids)),
                    "from": {"id": user_id, "is_bot": False, "first_name": "Ana"},
                    "chat_instance": "ci",
                    "message": message,
                    "data": data,
                },
            }
        )

    async def process(self, raw: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(raw, self.app.bot))

    def button(self, prefix: str) -> str:
        """The callback data starting with ``prefix`` on the newest message (sent or
        edited) that shows one: what a person would find on screen."""
        for call in reversed(self.request.calls):
            if call.method in ("sendMessage", "editMessageText"):
                for _, data in self.request.buttons(call):
                    if data.startswith(prefix):
                        return data
        raise LookupError(f"no button {prefix!r} on any message")

    def replies(self) -> list[str]:
        return self.request.texts("sendMessage")

    def last_reply(self) -> str:
        return self.replies()[-1]


# Value per check-in question, in content/checkin.yaml's order (1 I gave far more ... 5
# my partner gave far more; then health, 1 worst ... 5 best): giving clearly more.
GIVING_HEAVY = ["1", "2", "1", "2", "2", "4", "3", "4", "4", "5"]


async def run_checkin(chat: Chat, values: list[str], user_id: int = 42) -> None:
    """A whole check-in through PTB: each press is the answer ``value`` of the question
    on the newest check-in message (the behaviour itself is tested in tests/features/)."""
    await chat.send("/checkin", user_id=user_id)
    for value in values:
        answer = re.compile(rf"ci:\d+:\d+:{value}")
        for call in reversed(chat.request.calls):
            data = [d for _, d in chat.request.buttons(call) if answer.fullmatch(d)]
            if call.method in ("sendMessage", "editMessageText") and data:
                await chat.press(data[0], user_id=user_id)
                break
        else:
            raise LookupError(f"no check-in answer {value!r} on any message")


@pytest.fixture
async def chat(services: Services) -> AsyncIterator[Chat]:
    request = RecordingRequest()
    app = build_application(services, request)
    async with app:
        yield Chat(app, request, services)
