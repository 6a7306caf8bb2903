"""The HTTP side: routing, request formats, waiting for calls, webhooks, stopping."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from telegram import Bot
from telegram.error import InvalidToken

from fake_bot_api import FakeTelegramServer
from tests.fake_bot_api.client import raw_call
from tests.fake_bot_api.conftest import USER


async def test_unknown_token(srv: FakeTelegramServer) -> None:
    stranger = Bot("999:WRONG", base_url=f"{srv.base_url}/bot")
    with pytest.raises(InvalidToken):
        async with stranger:
            pass
    assert srv.calls()[0].failed_status == 401


def test_raw_http_contract(srv: FakeTelegramServer) -> None:
    assert raw_call(f"{srv.api_url}/nosuchMethod") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert raw_call(f"{srv.base_url}/bot1:NOPE/getMe")[0] == 401
    assert raw_call(f"{srv.base_url}/file/bot{srv.token}/photos/file_1.png")[0] == 404
    status, body = raw_call(f"{srv.api_url}/SENDMESSAGE?chat_id=7&text=query")
    assert status == 200 and body["result"]["text"] == "query"
    form = b"chat_id=7&text=form&reply_markup=%7B%22inline_keyboard%22%3A%5B%5D%7D"
    assert (
        raw_call(f"{srv.api_url}/sendMessage", form, "application/x-www-form-urlencoded")[0] == 200
    )
    payload = json.dumps({"chat_id": 7, "text": "json"}).encode()
    assert raw_call(f"{srv.api_url}/sendMessage", payload, "application/json")[0] == 200
    assert [c.params["chat_id"] for c in srv.calls("sendMessage")] == [7, 7, 7]
    assert srv.calls("sendMessage")[1].params["reply_markup"] == {"inline_keyboard": []}
    assert srv.texts_to(7) == ["query", "form", "json"]


def test_wait_for(srv: FakeTelegramServer) -> None:
    mark = srv.call_count()
    threading.Timer(
        0.1, raw_call, args=(f"{srv.api_url}/sendMessage?chat_id=5&text=later",)
    ).start()
    call = srv.wait_for(lambda c: c.method == "sendMessage", timeout=3, since=mark)
    assert call.text == "later"
    with pytest.raises(TimeoutError, match="sendMessage"):
        srv.wait_for(lambda c: c.method == "sendPhoto", timeout=0.1)


def test_webhook_delivery(srv: FakeTelegramServer) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers.get("X-Telegram-Bot-Api-Secret-Token"), json.loads(body)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(
        target=receiver.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    ).start()
    try:
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        query = urllib.parse.urlencode({"url": url, "secret_token": "s3cret"})
        assert raw_call(f"{srv.api_url}/setWebhook?{query}")[1]["result"] is True
        assert srv.webhook_url == url
        assert raw_call(f"{srv.api_url}/getUpdates")[0] == 409
        assert srv.deliver_to_webhook({"message": {"message_id": 1}}) == 200
        srv.user_sends(USER, "pushed")  # queued updates are pushed while a webhook is set
        deadline = time.monotonic() + 3
        while len(received) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [secret for secret, _ in received] == ["s3cret", "s3cret"]
        assert received[1][1]["message"]["text"] == "pushed"
        assert srv.pending_updates() == []
        assert raw_call(f"{srv.api_url}/deleteWebhook")[1]["result"] is True
        assert srv.webhook_url is None
    finally:
        receiver.shutdown()
        receiver.server_close()


def test_stop_wakes_long_poll() -> None:
    server = FakeTelegramServer().start()
    results: list[int] = []

    def poll() -> None:
        try:
            results.append(raw_call(f"{server.api_url}/getUpdates?timeout=30")[0])
        except (OSError, http.client.HTTPException):  # closed under us (mid-answer, too):
            results.append(-1)  # also a way to end the poll

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    poller.join(timeout=2)
    assert time.monotonic() - started < 1.5
    assert not poller.is_alive()
    assert results in ([200], [-1])
