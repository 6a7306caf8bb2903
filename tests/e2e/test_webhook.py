"""Webhook mode: the secret header, the health endpoint, several instances on one store."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from fake_bot_api import BotProcess, FakeTelegramServer
from tests.e2e.conftest import User

SECRET = "s3cret_-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_bot(make_bot: Callable[[], BotProcess], port: int) -> BotProcess:
    bot = make_bot()
    bot.args = ["run", "--webhook"]
    bot.extra_env.update(
        {
            "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
    )
    bot.ready_method = "setWebhook"
    bot.start()
    return bot


def post(port: int, body: Any, secret: str | None) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            **({"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def get(port: int, path: str) -> tuple[int, dict[str, Any]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return int(response.status), json.loads(response.read())


def update(update_id: int, text: str, user_id: int = 42) -> dict[str, Any]:
    command = text.split(" ")[0]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "text": text,
            "chat": {"id": user_id, "type": "private", "first_name": "Ana"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana"},
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
        },
    }


def test_webhook_refuses_requests_without_the_secret_and_serves_health(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    port = free_port()
    webhook_bot(make_bot, port)
    assert server.webhook_url == f"http://127.0.0.1:{port}/telegram"
    assert get(port, "/healthz") == (200, {"status": "ok"})
    since = server.call_count()
    assert post(port, update(1, "/tip"), None) == 403
    assert post(port, update(2, "/tip"), "wrong") == 403
    assert post(port, {"not": "an update"}, SECRET) in (200, 400)
    assert post(port, update(3, "/help"), SECRET) == 200
    reply = User(server).wait_reply(since, "What I can do")
    tips = [c for c in server.calls("sendMessage")[since:] if "Today's tip" in (c.text or "")]
    assert tips == [] and reply.ok  # the forged /tip requests were never processed
    # Updates from the Bot API server reach the bot through the webhook too.
    assert "Today's tip" in User(server).reply_to("/tip")


def test_a_checkin_survives_presses_reaching_different_instances(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    ports = [free_port(), free_port()]
    for port in ports:
        webhook_bot(make_bot, port)
    ana = User(server)
    since = server.call_count()
    assert post(ports[1], update(8, "/start"), SECRET) == 200  # a newcomer, then consent
    welcome = ana.wait_reply(since, "/privacy")
    agree = {
        "update_id": 9,
        "callback_query": {
            "id": "6999",
            "chat_instance": "x",
            "data": "ob:ok",
            "message": server.message(42, int(welcome.result["message_id"])),
            "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
        },
    }
    assert post(ports[0], agree, SECRET) == 200
    ana.wait_reply(since, "1/4", method="editMessageText")
    since = server.call_count()
    assert post(ports[0], update(10, "/checkin"), SECRET) == 200
    message = ana.wait_reply(since, "Check-in · 1/10")
    message_id = int(message.result["message_id"])
    for step in range(10):
        stored = server.message(42, message_id)
        assert stored is not None
        data = next(
            b["callback_data"]
            for row in stored["reply_markup"]["inline_keyboard"]
            for b in row
            if b.get("callback_data", "").endswith(":3")
        )
        press = {
            "update_id": 100 + step,
            "callback_query": {
                "id": str(7000 + step),
                "chat_instance": "x",
                "data": data,
                "message": stored,
                "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
            },
        }
        since = server.call_count()
        assert post(ports[step % 2], press, SECRET) == 200  # alternate instances
        expected = "Check-in saved" if step == 9 else f"Check-in · {step + 2}/10"
        ana.wait_reply(since, expected, method="editMessageText")
