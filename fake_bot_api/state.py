"""What the fake server knows, and how tests read it.

Users, chats and every stored message (the users' and the bot's, as they are now), the update
queue, the bot's commands and descriptions, the webhook, and every Bot API call as it was
answered (:class:`Call`). One condition variable guards it all; method handlers run under it.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_bot_api import wire
from fake_bot_api.wire import ApiError, ChatKey, Json

#: Methods whose calls :meth:`State.sent_to` reports.
OUTGOING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
#: Update types Telegram withholds unless they are listed in ``allowed_updates``.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class Call:
    """One Bot API request as the server answered it."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    failed_status: int | None = None
    description: str | None = None
    result: Any = None
    index: int = -1

    @property
    def ok(self) -> bool:
        return self.failed_status is None

    @property
    def chat_id(self) -> ChatKey | None:
        value = self.params.get("chat_id")
        try:
            return None if value is None else wire.chat_key(value)
        except ApiError:  # an empty or malformed chat_id
            return None

    @property
    def text(self) -> str | None:
        """The ``text`` (or ``caption``) the bot sent, as sent."""
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    def buttons(self) -> list[tuple[str, str]]:
        """Inline keyboard buttons as ``(text, callback_data or url)``."""
        markup = self.params.get("reply_markup")
        if not isinstance(markup, dict):
            return []
        return [
            (str(button.get("text", "")), str(button.get("callback_data") or button.get("url", "")))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]

    def summary(self) -> str:
        status = "ok" if self.ok else f"{self.failed_status} {self.description}"
        details = [f"chat_id={self.params['chat_id']!r}"] if "chat_id" in self.params else []
        if self.text is not None:
            details.append(f"text={self.text[:60]!r}")
        if "message_id" in self.params:
            details.append(f"message_id={self.params['message_id']!r}")
        return f"#{self.index} {self.method}({', '.join(details)}) -> {status}"


@dataclass
class Webhook:
    url: str
    secret_token: str | None


class State:
    """The fake server's memory: what the bot and the users did, and what tests read."""

    def __init__(self, token: str, bot_username: str) -> None:
        self.token = token
        self.bot_username = bot_username
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456

        self.cond = threading.Condition(threading.RLock())
        self.stopping = False
        self._internal_errors: list[str] = []

        self._calls: list[Call] = []
        self.updates: list[Json] = []
        self.next_update_id = 1000
        self.allowed_updates: list[str] | None = None
        self.poll_generation = 0
        self.messages: dict[tuple[ChatKey, int], Json] = {}
        self._next_message_id: dict[ChatKey, int] = {}
        self.chats: dict[ChatKey, Json] = {}
        self.users: dict[int, Json] = {}
        self.callback_queries: dict[str, bool] = {}  # id -> answered
        self.callback_ids = itertools.count(4_000_000_000_000_000_000)
        self._file_counter = itertools.count(1)
        #: setMyCommands by (scope key, language_code)
        self.bot_commands: dict[tuple[str, str], list[Json]] = {}
        #: setMyDescription / setMyShortDescription by (parameter name, language_code)
        self.bot_descriptions: dict[tuple[str, str], str] = {}
        self.webhook: Webhook | None = None

    # ---- recorded calls ---------------------------------------------------------------------

    def record(self, call: Call) -> None:
        with self.cond:
            call.index = len(self._calls)
            self._calls.append(call)
            self.cond.notify_all()

    def calls(self, method: str | None = None) -> list[Call]:
        """A copy of the recorded calls, optionally of one method (case-insensitive)."""
        with self.cond:
            if method is None:
                return list(self._calls)
            return [call for call in self._calls if call.method.lower() == method.lower()]

    def sent_to(self, chat_id: ChatKey) -> list[Call]:
        """Calls of sendMessage/sendPhoto/sendDocument/editMessageText aimed at ``chat_id``."""
        key = wire.chat_key(chat_id)
        with self.cond:
            return [c for c in self._calls if c.method in OUTGOING_METHODS and c.chat_id == key]

    def delivered(self, method: str = "sendMessage", chat_id: ChatKey | None = None) -> list[Call]:
        """Successful calls of ``method`` (optionally to one chat)."""
        key = None if chat_id is None else wire.chat_key(chat_id)
        return [
            call for call in self.calls(method) if call.ok and (key is None or call.chat_id == key)
        ]

    def texts_to(self, chat_id: ChatKey) -> list[str]:
        """Texts of the messages successfully sent to ``chat_id``, as the bot sent them."""
        return [call.text or "" for call in self.delivered("sendMessage", chat_id)]

    def call_count(self) -> int:
        with self.cond:
            return len(self._calls)

    def clear_calls(self) -> None:
        with self.cond:
            self._calls.clear()

    def wait_for(
        self, predicate: Callable[[Call], bool], timeout: float = 10.0, *, since: int = 0
    ) -> Call:
        """Block until a call with index >= ``since`` satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self.cond:
            index = since
            while True:
                index = min(index, len(self._calls))
                while index < len(self._calls):
                    call = self._calls[index]
                    index += 1
                    if predicate(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    recent = [c for c in self._calls[since:] if c.method != "getUpdates"][-10:]
                    dump = "\n  ".join(c.summary() for c in recent) or "(no calls)"
                    raise TimeoutError(
                        f"no matching Bot API call within {timeout:.1f}s; last calls:\n  {dump}"
                    )
                self.cond.wait(remaining)

    def internal_errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake itself (answered as 500)."""
        with self.cond:
            return list(self._internal_errors)

    def note_internal_error(self, details: str) -> None:
        with self.cond:
            self._internal_errors.append(details)

    # ---- what the bot set up and sent -------------------------------------------------------

    def message(self, chat_id: ChatKey, message_id: int) -> Json | None:
        """The current state of a stored message (plain text, entities, reply_markup...)."""
        with self.cond:
            stored = self.messages.get((wire.chat_key(chat_id), message_id))
            return copy.deepcopy(stored)

    def last_message_to(self, chat_id: ChatKey) -> Json | None:
        """The current state of the newest bot message in ``chat_id``."""
        key = wire.chat_key(chat_id)
        with self.cond:
            mine = [
                message
                for (chat, _), message in self.messages.items()
                if chat == key and message.get("from", {}).get("id") == self.bot_id
            ]
            if not mine:
                return None
            return copy.deepcopy(max(mine, key=lambda message: int(message["message_id"])))

    def commands(self, scope: Json | None = None, language_code: str = "") -> list[Json]:
        """The commands set by setMyCommands for ``scope`` and ``language_code``."""
        key = (wire.command_scope(scope), language_code)
        with self.cond:
            return copy.deepcopy(self.bot_commands.get(key, []))

    def description(self, language_code: str = "") -> str:
        """The description set by setMyDescription for ``language_code`` ("" when none)."""
        with self.cond:
            return self.bot_descriptions.get(("description", language_code), "")

    def short_description(self, language_code: str = "") -> str:
        """The short description set by setMyShortDescription for ``language_code``."""
        with self.cond:
            return self.bot_descriptions.get(("short_description", language_code), "")

    @property
    def webhook_url(self) -> str | None:
        with self.cond:
            return self.webhook.url if self.webhook else None

    # ---- the update queue -------------------------------------------------------------------

    def pending_updates(self) -> list[Json]:
        """Updates not yet confirmed by an offset."""
        with self.cond:
            return copy.deepcopy(self.updates)

    def push_update(self, update: Json) -> int:
        """Queue a raw update; an ``update_id`` is assigned when missing."""
        with self.cond:
            update = self.numbered(update)
            self.updates.append(update)
            self.cond.notify_all()
            return int(update["update_id"])

    def numbered(self, update: Json) -> Json:
        """A copy of a raw update with its ``update_id``; the chats and users in it are kept."""
        update = copy.deepcopy(update)
        if "update_id" in update:
            self.next_update_id = max(self.next_update_id, int(update["update_id"]) + 1)
        else:
            update = {"update_id": self.next_update_id, **update}
            self.next_update_id += 1
        self._observe(update)
        return update

    def enqueue(self, payload: Json) -> int:
        update_id = self.next_update_id
        self.next_update_id += 1
        self.updates.append({"update_id": update_id, **payload})
        self.cond.notify_all()
        return update_id

    def set_allowed_updates(self, allowed: Any) -> None:
        if isinstance(allowed, list):
            self.allowed_updates = [str(kind) for kind in allowed] or None

    def deliverable(self) -> bool:
        """Whether an update is waiting (updates of kinds not allowed are dropped)."""
        self.updates = [u for u in self.updates if self._update_allowed(u)]
        return bool(self.updates)

    def confirm(self, offset: Any) -> None:
        """Forget the updates an offset confirms (a negative offset keeps the last ones)."""
        if not isinstance(offset, int) or offset == 0:
            return
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        else:
            self.updates = self.updates[offset:]

    def drop(self, update_id: int) -> None:
        self.updates = [u for u in self.updates if u["update_id"] != update_id]

    def _update_allowed(self, update: Json) -> bool:
        kinds = set(update) - {"update_id"}
        if self.allowed_updates:
            return bool(kinds & set(self.allowed_updates))
        return not kinds <= OPT_IN_UPDATE_TYPES or not kinds

    def _observe(self, update: Json) -> None:
        """Remember chats and users seen in a raw update."""
        for kind in ("message", "edited_message", "channel_post", "my_chat_member"):
            item = update.get(kind)
            if isinstance(item, dict) and isinstance(item.get("chat"), dict):
                chat = item["chat"]
                if "id" in chat:
                    self.chats[wire.chat_key(chat["id"])] = copy.deepcopy(chat)
            if isinstance(item, dict) and isinstance(item.get("from"), dict):
                sender = item["from"]
                if isinstance(sender.get("id"), int) and not sender.get("is_bot"):
                    self.users[sender["id"]] = copy.deepcopy(sender)

    # ---- users and chats --------------------------------------------------------------------

    def bot_user(self, *, full: bool = False) -> Json:
        return wire.bot_user(self.bot_id, self.bot_username, full=full)

    def remember_user(
        self, user_id: int, first_name: str, language_code: str, username: str | None
    ) -> Json:
        user = wire.human_user(user_id, first_name, language_code, username)
        self.users[user_id] = user
        return user

    def known_user(self, user_id: int) -> Json:
        return self.users.get(user_id) or self.remember_user(user_id, "Ana", "en", None)

    def remember_chat(self, chat_id: ChatKey, chat_type: str, user: Json) -> Json:
        if chat_type == "private":
            chat = wire.private_chat(chat_id, user)
        else:
            chat = wire.group_chat(chat_id, chat_type)
        self.chats[chat_id] = chat
        return chat

    def chat_object(self, chat: ChatKey) -> Json:
        """The ``Chat`` of a chat id, as known or as its id suggests."""
        known = self.chats.get(chat)
        if known is not None:
            return copy.deepcopy(known)
        if isinstance(chat, str):
            return {"id": -1001000000001, "type": "channel", "title": chat, "username": chat[1:]}
        if chat > 0:
            return wire.private_chat(chat, self.users.get(chat, {}))
        return wire.group_chat(chat, "supergroup" if str(chat).startswith("-100") else "group")

    def user_message(
        self,
        user_id: int,
        chat_id: int | None,
        chat_type: str,
        first_name: str,
        language_code: str,
        username: str | None,
    ) -> Json:
        """A new stored message from a user, without content yet."""
        user = self.remember_user(user_id, first_name, language_code, username)
        key = wire.chat_key(chat_id if chat_id is not None else user_id)
        chat = self.remember_chat(key, chat_type, user)
        message: Json = {
            "message_id": self._allocate_message_id(key),
            "from": copy.deepcopy(user),
            "chat": copy.deepcopy(chat),
            "date": wire.now(),
        }
        self.messages[(key, message["message_id"])] = message
        return message

    def callback_query(self, user_id: int, chat: ChatKey, message: Json, data: str) -> Json:
        """A new, unanswered ``CallbackQuery`` of a user pressing a button of ``message``."""
        query_id = str(next(self.callback_ids))
        self.callback_queries[query_id] = False
        return {
            "id": query_id,
            "from": copy.deepcopy(self.known_user(user_id)),
            "message": copy.deepcopy(message),
            "chat_instance": str(int(hashlib.sha1(str(chat).encode()).hexdigest()[:15], 16)),
            "data": data,
        }

    def my_chat_member(self, user_id: int, old: str, new: str) -> Json:
        """The ``my_chat_member`` update of a private chat whose user changed the bot's status."""
        user = self.known_user(user_id)
        chat = self.chats.get(user_id) or self.remember_chat(user_id, "private", user)
        return {
            "my_chat_member": {
                "chat": copy.deepcopy(chat),
                "from": copy.deepcopy(user),
                "date": wire.now(),
                "old_chat_member": wire.chat_member(self.bot_user(), old),
                "new_chat_member": wire.chat_member(self.bot_user(), new),
            }
        }

    # ---- the bot's messages -----------------------------------------------------------------

    def _allocate_message_id(self, chat: ChatKey) -> int:
        message_id = self._next_message_id.get(chat, 1)
        self._next_message_id[chat] = message_id + 1
        return message_id

    def new_bot_message(self, chat: ChatKey, params: Json) -> Json:
        """A new message from the bot to ``chat``, with the reply and protection asked for."""
        reply_to: Json | None = None
        reply = params.get("reply_parameters")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        reply_id = reply_id if reply_id is not None else params.get("reply_to_message_id")
        if isinstance(reply_id, int):
            reply_to = self.messages.get((chat, reply_id))
            allow = params.get("allow_sending_without_reply") or (
                isinstance(reply, dict) and reply.get("allow_sending_without_reply")
            )
            if reply_to is None and not allow:
                raise wire.bad_request("message to be replied not found")
        message: Json = {
            "message_id": self._allocate_message_id(chat),
            "from": self.bot_user(),
            "chat": self.chat_object(chat),
            "date": wire.now(),
        }
        if reply_to is not None:
            message["reply_to_message"] = {
                k: copy.deepcopy(v) for k, v in reply_to.items() if k != "reply_to_message"
            }
        if params.get("protect_content") is True:
            message["has_protected_content"] = True
        return message

    def store(self, message: Json) -> Json:
        """Keep a new message; returns a copy to answer with."""
        self.messages[(wire.chat_key(message["chat"]["id"]), message["message_id"])] = message
        return copy.deepcopy(message)

    def editable(self, params: Json) -> Json:
        """The stored bot message ``chat_id`` and ``message_id`` name (to change in place)."""
        chat = wire.require_chat(params)
        message = self.messages.get((chat, wire.require_message_id(params)))
        if message is None:
            raise wire.bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise wire.bad_request("message can't be edited")
        return message

    def new_file(self, folder: str, data: bytes) -> tuple[str, str]:
        """``(file_id, file_unique_id)`` of a new file."""
        number = next(self._file_counter)
        digest = hashlib.sha1(data + str(number).encode()).hexdigest()[:16]
        return f"AgAD{folder[:3]}{number:06d}{digest}", f"AQAD{number:06d}"
