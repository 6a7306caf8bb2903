"""Webhook mode: the secret header, the health endpoint, several instances on one store."""

from __future__ import annotations

import json
import random
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fake_bot_api import BotProcess, Call, FakeTelegramServer
from tests.e2e.conftest import User

SECRET = "s3cret_-token"
_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A free port for a bot to listen on, below the range the kernel picks the local
    ports of outgoing connections from: a port it handed out (bind to port 0) could
    be taken by one of them (the bots', the fake's, another test's) before the bot
    binds it. Never the same twice in a run."""
    low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(1000):
        port = random.randrange(10_000, low) if low > 11_000 else 0
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port
    raise RuntimeError("no free port")


def webhook_bot(
    make_bot: Callable[[], BotProcess], port: int, path: str = "/telegram"
) -> BotProcess:
    bot = make_bot()
    bot.args = ["run", "--webhook"]
    bot.extra_env.update(
        {
            "WEBHOOK_URL": f"http://127.0.0.1:{port}{path}",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
        }
    )
    bot.ready_method = "setWebhook"
    bot.start()
    return bot


def post(port: int, body: Any, secret: str | None, path: str = "/telegram") -> int:
    return post_raw(port, json.dumps(body).encode(), secret, path)[0]


def post_raw(
    port: int, data: bytes, secret: str | None = SECRET, path: str = "/telegram"
) -> tuple[int, bytes]:
    """POST ``data`` as it is: the status and the body of the answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json",
            **({"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()


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
    assert post(port, {"not": "an update"}, SECRET) == 400
    assert post(port, update(3, "/help"), SECRET) == 200
    reply = User(server).wait_reply(since, "What I can do")
    tips = replies(server, since, "Today's tip")
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


def replies(server: FakeTelegramServer, since: int, contains: str) -> list[Call]:
    return [
        c
        for c in server.calls()[since:]
        if c.method == "sendMessage" and c.ok and c.chat_id == 42 and contains in (c.text or "")
    ]


NOT_UPDATES = [
    b"null",
    b"[]",
    b'"x"',
    b"1",
    b"{",
    b'{"update_id": 3, "x": "\xff"}',  # not UTF-8
    b"[" * 50_000 + b"]" * 50_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b'{"not": "an update"}',
    b'{"update_id": "4"}',
]


def test_the_path_is_taken_literally_and_what_is_not_an_update_gets_400(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    port = free_port()
    bot = webhook_bot(make_bot, port, path="/hook+1")
    assert server.webhook_url == f"http://127.0.0.1:{port}/hook+1"
    # tornado's routes are regular expressions: "+" is taken as the character it is.
    assert post(port, update(1, "/help"), SECRET, path="/hook1") == 404
    assert post(port, update(2, "/help"), SECRET, path="/hookk1") == 404
    for body in NOT_UPDATES:
        status, answer = post_raw(port, body, path="/hook+1")
        assert status == 400, body[:20]
        assert json.loads(answer) == {"ok": False, "description": "not a Telegram update"}
    # Still well: updates from the Bot API server reach it at that path.
    assert "What I can do" in User(server).reply_to("/help")
    log = bot.log.read_text()
    assert "Traceback" not in log and " ERROR " not in log


def test_an_update_posted_again_is_handled_once_on_whichever_instance(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    """Telegram posts an update again when its first post got no 200 in time, maybe
    to another instance behind the address: it is answered 200 and dropped."""
    ports = [free_port(), free_port()]
    for port in ports:
        webhook_bot(make_bot, port)
    since = server.call_count()
    again = update(20, "/help")
    assert post(ports[0], again, SECRET) == 200
    assert post(ports[0], again, SECRET) == 200
    assert post(ports[1], again, SECRET) == 200
    User(server).wait_reply(since, "What I can do")
    # An update after them is answered; a second /help would have been answered first.
    assert post(ports[1], update(21, "/tip"), SECRET) == 200
    User(server).wait_reply(since, "Today's tip")
    assert len(replies(server, since, "What I can do")) == 1
