"""A ``telegram.request.BaseRequest`` that never touches the network.

It answers the Bot API methods the bot uses with realistic objects and records
every call, so adapter tests read like chat transcripts.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Coach",
    "username": "CoachTestBot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class RecordingRequest(BaseRequest):
    calls: list[Call] = field(default_factory=list)
    next_message_id: int = 100
    fail: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

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
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, bytes] = {}
        if request_data is not None and request_data.multipart_data:
            for name, part in request_data.multipart_data.items():
                content = part[1] if isinstance(part, tuple) else part
                files[name] = content if isinstance(content, bytes) else content.read()
        self.calls.append(Call(api_method, params, files))
        if api_method in self.fail:
            status, body = self.fail.pop(api_method)
            return status, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageText"):
            if method != "editMessageText":
                self.next_message_id += 1
            message: dict[str, Any] = {
                "message_id": params.get("message_id", self.next_message_id),
                "date": int(time.time()),
                "chat": {"id": params.get("chat_id"), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            if "reply_markup" in params:
                message["reply_markup"] = params["reply_markup"]
            return message
        return True

    # --- reading what the bot did ---------------------------------------------------

    def texts(self, method: str = "sendMessage") -> list[str]:
        return [
            str(c.params.get("text", c.params.get("caption", "")))
            for c in self.calls
            if c.method == method
        ]

    def last(self, method: str) -> Call:
        return [c for c in self.calls if c.method == method][-1]

    def buttons(self, call: Call) -> list[tuple[str, str]]:
        markup = call.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [
            (b["text"], b.get("callback_data") or b.get("url", ""))
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]
