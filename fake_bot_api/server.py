"""The fake server as tests use it: started on 127.0.0.1, playing the user, faults on demand."""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Self

from fake_bot_api import wire
from fake_bot_api.faults import Faults
from fake_bot_api.http import ApiServer, post_json
from fake_bot_api.state import State
from fake_bot_api.wire import ChatKey, Json


class FakeTelegramServer(State):
    """A thread-backed fake of the Telegram Bot API on ``127.0.0.1``.

    Reading what the bot did (``calls``, ``wait_for``, ``message``...) comes from
    :class:`~fake_bot_api.state.State`; this class adds the HTTP server, the user's side and
    the fault setters.
    """

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "CoachTestBot",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(token, bot_username)
        self.host = host
        self.faults = Faults()
        self._api = ApiServer(self, self.faults, host, port)
        self._pusher: threading.Thread | None = None

    # ---- lifecycle --------------------------------------------------------------------------

    def start(self) -> Self:
        if self._api.running:
            raise RuntimeError("FakeTelegramServer already started")
        self.stopping = False
        self._api.start()
        self._pusher = threading.Thread(
            target=self._webhook_loop, name="fake-telegram-webhook", daemon=True
        )
        self._pusher.start()
        return self

    def stop(self) -> None:
        """Wake pending long polls, close every connection and join the threads (< 1 s)."""
        if not self._api.running:
            return
        with self.cond:
            self.stopping = True
            self.cond.notify_all()
        self._api.stop()
        if self._pusher is not None:
            self._pusher.join(timeout=1.0)
        self._pusher = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._api.port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """``{base_url}/bot{token}``: prefix of every API method URL."""
        return f"{self.base_url}/bot{self.token}"

    # ---- playing the user -------------------------------------------------------------------

    def user_sends(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Ana",
        language_code: str = "en",
        username: str | None = None,
    ) -> int:
        """Queue a ``message`` update from a user; returns its update_id."""
        with self.cond:
            message = self.user_message(
                user_id, chat_id, chat_type, first_name, language_code, username
            )
            message["text"] = text
            entities = wire.command_entities(text)
            if entities:
                message["entities"] = entities
            return self.enqueue({"message": copy.deepcopy(message)})

    def user_shares_location(
        self,
        user_id: int,
        latitude: float,
        longitude: float,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a ``message`` update with a ``location``; returns its update_id."""
        with self.cond:
            known = self.users.get(user_id, {})
            message = self.user_message(
                user_id,
                chat_id,
                chat_type,
                str(known.get("first_name", "Ana")),
                str(known.get("language_code", "en")),
                known.get("username"),
            )
            message["location"] = {"latitude": latitude, "longitude": longitude}
            return self.enqueue({"message": copy.deepcopy(message)})

    def user_presses(
        self,
        user_id: int,
        message_id: int,
        data: str,
        *,
        chat_id: int | None = None,
        check_button: bool = True,
    ) -> str:
        """Queue a ``callback_query`` for a button of a stored bot message; returns the query id.

        With ``check_button`` the message must currently show a button with that callback_data.
        """
        with self.cond:
            key = wire.chat_key(chat_id if chat_id is not None else user_id)
            message = self.messages.get((key, message_id))
            if message is None:
                raise LookupError(f"no message {message_id} in chat {key}")
            if check_button and data not in wire.callback_datas(message):
                raise ValueError(
                    f"message {message_id} in chat {key} has no button with callback_data "
                    f"{data!r}; it has {wire.callback_datas(message)!r}"
                )
            query = self.callback_query(user_id, key, message, data)
            self.enqueue({"callback_query": query})
            return str(query["id"])

    def bot_blocked_by(self, user_id: int) -> int:
        """The user blocks the bot: later sends to that chat get 403; queues my_chat_member."""
        self.faults.block(user_id)
        with self.cond:
            return self.enqueue(self.my_chat_member(user_id, "member", "kicked"))

    def bot_unblocked_by(self, user_id: int) -> int:
        """The user unblocks the bot; queues my_chat_member (kicked -> member)."""
        self.faults.block(user_id, blocked=False)
        with self.cond:
            return self.enqueue(self.my_chat_member(user_id, "kicked", "member"))

    # ---- faults (see fake_bot_api.faults) ---------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: ChatKey | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (optionally to one chat) with an error."""
        self.faults.fail_next(
            method,
            status=status,
            description=description,
            retry_after=retry_after,
            count=count,
            chat_id=chat_id,
        )

    def set_faults(
        self,
        rate_429: float = 0.0,
        rate_5xx: float = 0.0,
        rate_slow: float = 0.0,
        slow_seconds: float = 0.0,
        retry_after: int = 1,
        seed: int = 0,
        methods: Iterable[str] = ("sendMessage",),
    ) -> None:
        """Random, seeded faults for ``methods``; ``set_faults()`` turns them off."""
        self.faults.set_faults(
            rate_429, rate_5xx, rate_slow, slow_seconds, retry_after, seed, methods
        )

    def delay(self, seconds: float) -> None:
        """Delay every answer by ``seconds`` (0 turns it off)."""
        self.faults.delay(seconds)

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 (retry_after 1) beyond ``per_second`` send* calls per sliding second."""
        self.faults.set_rate_limit(per_second)

    # ---- webhook ----------------------------------------------------------------------------

    def deliver_to_webhook(self, update: Json, timeout: float = 10.0) -> int:
        """POST ``update`` to the webhook set by setWebhook; returns the HTTP status."""
        with self.cond:
            if self.webhook is None:
                raise RuntimeError("no webhook is set (call setWebhook first)")
            url, secret = self.webhook.url, self.webhook.secret_token
            update = self.numbered(update)
        return post_json(url, update, secret, timeout)

    def _webhook_loop(self) -> None:
        """While a webhook is set, push queued updates to it in order, like Telegram does."""
        while True:
            with self.cond:
                while not self.stopping and not (self.webhook and self.deliverable()):
                    self.cond.wait()
                if self.stopping or self.webhook is None:
                    return
                webhook = self.webhook
                update = copy.deepcopy(self.updates[0])
            try:
                status = post_json(webhook.url, update, webhook.secret_token, 10.0)
            except (OSError, ValueError):
                status = 0
            with self.cond:
                if 200 <= status < 300:
                    self.drop(update["update_id"])
                    continue
                self.cond.wait(0.5)  # Telegram retries a failing webhook later
