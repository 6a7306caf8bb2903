"""The webhook's tornado server in this process: deadlines on the store, connection
limits and timeouts, the log kept short. (``test_webhook.py`` runs the real bot.)"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
import tornado.netutil
from telegram import Bot, Update

from bot.adapters import webhook
from bot.adapters.telegram.context import CoachApplication
from bot.features.base import Services

SECRET = "s3cret"
PATH = "/hook+1"


@dataclass
class FakeApplication:
    """What the endpoint uses of PTB's Application: the bot, and the update queue."""

    bot: Bot = field(default_factory=lambda: Bot("123456:TEST"))
    update_queue: asyncio.Queue[object] = field(default_factory=asyncio.Queue)


@dataclass
class Running:
    server: webhook.WebhookServer
    store: webhook.WebhookStore
    application: FakeApplication
    port: int


@pytest.fixture(autouse=True)
def fresh_log_throttle() -> None:
    """Every test sees its own first warnings (the throttle is per line of code)."""
    webhook.THROTTLE._last.clear()


@pytest.fixture
def hang() -> threading.Event:
    """Set to let a hung store go on (set at the end of the test in any case)."""
    return threading.Event()


@pytest.fixture
async def running(services: Services, hang: threading.Event) -> AsyncIterator[Running]:
    application = FakeApplication()
    store = webhook.WebhookStore(services)
    app = webhook.make_web_app(cast(CoachApplication, application), store, SECRET, PATH)
    server = webhook.make_server(app)
    server.max_connections = 4
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    yield Running(server, store, application, int(sockets[0].getsockname()[1]))
    hang.set()
    server.stop()
    await server.close_all_connections()
    store.close()


async def request(
    port: int, method: str, path: str, body: bytes = b"", secret: str | None = SECRET
) -> tuple[int, dict[str, Any]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    if secret is not None:
        head += f"{webhook.SECRET_HEADER}: {secret}\r\n"
    writer.write(f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
    answer = await reader.read()
    writer.close()
    status_line, _, rest = answer.partition(b"\r\n")
    _headers, _, payload = rest.partition(b"\r\n\r\n")
    is_json = payload.startswith(b"{")  # tornado's own pages (a 404) are HTML
    return int(status_line.split()[1]), json.loads(payload) if is_json else {}


def update(update_id: int) -> bytes:
    message = {
        "message_id": 1,
        "date": 0,
        "text": "/help",
        "chat": {"id": 42, "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "Ana"},
    }
    return json.dumps({"update_id": update_id, "message": message}).encode()


async def closed_by_server(reader: asyncio.StreamReader, within: float = 5.0) -> bool:
    """Whether the server closes the connection (reading meets its end) in time."""
    try:
        return await asyncio.wait_for(reader.read(), within) == b""
    except TimeoutError:
        return False


def hung_until(event: threading.Event, then: Callable[..., Any]) -> Callable[..., Any]:
    def hung(*args: Any) -> Any:
        event.wait(30)
        return then(*args)

    return hung


async def test_health_answers_200_then_503_in_time_when_the_store_hangs(
    running: Running, hang: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await request(running.port, "GET", "/healthz") == (200, {"status": "ok"})
    monkeypatch.setattr(webhook.WebhookStore, "_ping", hung_until(hang, lambda _self: None))
    started = time.monotonic()
    status = await request(running.port, "GET", "/healthz")
    assert status == (503, {"status": "unavailable"})
    assert time.monotonic() - started < 2.5  # a behaviour: load balancers time out


async def test_an_update_the_store_took_late_is_handled_once_not_lost(
    running: Running, hang: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram got a 503 (the store did not answer in time), but the record went
    through later: the update is handled then, and Telegram's redelivery dropped."""
    record = webhook.WebhookStore._record
    monkeypatch.setattr(webhook.WebhookStore, "_record", hung_until(hang, record))
    queue = running.application.update_queue
    started = time.monotonic()
    assert (await request(running.port, "POST", PATH, update(5)))[0] == 503
    assert time.monotonic() - started < 2.5
    assert queue.empty()
    hang.set()
    taken = await asyncio.wait_for(queue.get(), 10)
    assert isinstance(taken, Update) and taken.update_id == 5
    assert await request(running.port, "POST", PATH, update(5)) == (200, {"ok": True})
    assert await request(running.port, "POST", PATH, update(6)) == (200, {"ok": True})
    second = await asyncio.wait_for(queue.get(), 10)
    assert isinstance(second, Update) and second.update_id == 6  # 5 came once
    assert queue.empty()


async def test_the_path_is_matched_literally(running: Running) -> None:
    assert (await request(running.port, "POST", PATH, update(1)))[0] == 200
    assert (await request(running.port, "POST", "/hook1", update(2)))[0] == 404
    assert (await request(running.port, "POST", "/hookk1", update(3)))[0] == 404
    assert (await request(running.port, "POST", PATH + "/x", update(4)))[0] == 404


async def test_idle_and_slow_connections_are_closed(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook, "IDLE_TIMEOUT", 0.2)
    monkeypatch.setattr(webhook, "BODY_TIMEOUT", 0.2)
    store = webhook.WebhookStore(services)
    app = webhook.make_web_app(cast(CoachApplication, FakeApplication()), store, SECRET, PATH)
    server = webhook.make_server(app)
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server.add_sockets(sockets)
    port = int(sockets[0].getsockname()[1])
    try:
        idle, _ = await asyncio.open_connection("127.0.0.1", port)
        slow_headers, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /hook+1 HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        slow_body, body_writer = await asyncio.open_connection("127.0.0.1", port)
        body_writer.write(b"POST /hook+1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
        for reader in (idle, slow_headers, slow_body):
            assert await closed_by_server(reader)
        assert server.open_connections == 0
    finally:
        server.stop()
        await server.close_all_connections()
        store.close()


async def test_a_connection_beyond_the_cap_takes_the_place_of_the_one_idle_longest(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    idle = [await asyncio.open_connection("127.0.0.1", running.port) for _ in range(10)]
    # Ten idle connections on a cap of four: the six oldest were closed for newer ones,
    # and a request still gets in (and closes the oldest of the four left).
    assert await request(running.port, "GET", "/healthz") == (200, {"status": "ok"})
    closed = [await closed_by_server(reader, within=0.5) for reader, _ in idle[:7]]
    assert closed == [True] * 7
    assert running.server.open_connections <= 4
    warnings = [r for r in caplog.records if "connections open" in r.getMessage()]
    assert len(warnings) == 1  # once a minute, not once a connection


async def test_when_every_connection_is_busy_a_new_one_is_refused(
    running: Running, hang: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhook.WebhookStore, "_ping", hung_until(hang, lambda _self: None))
    running.store.deadline = 30  # the four health checks stay busy until released
    busy = [asyncio.create_task(request(running.port, "GET", "/healthz")) for _ in range(4)]
    while len(running.server._idle) or running.server.open_connections < 4:
        await asyncio.sleep(0.01)  # all four connected, their requests under way
    refused, _ = await asyncio.open_connection("127.0.0.1", running.port)
    assert await closed_by_server(refused)
    hang.set()
    assert [(await task)[0] for task in busy] == [200] * 4


class FlakySocket(socket.socket):
    """A listening socket whose accept() fails as a process out of descriptors does."""

    failures = 0

    def accept(self) -> tuple[socket.socket, Any]:
        if FlakySocket.failures:
            FlakySocket.failures -= 1
            raise OSError(errno.EMFILE, "Too many open files")
        return super().accept()


async def test_out_of_file_descriptors_it_pauses_accepting_and_logs_once(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    listener = FlakySocket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    running.server.add_sockets([listener])
    port = int(listener.getsockname()[1])
    FlakySocket.failures = 3  # no idle connection to close: it pauses thrice
    assert await request(port, "GET", "/healthz") == (200, {"status": "ok"})
    assert FlakySocket.failures == 0
    pauses = [r for r in caplog.records if "cannot accept" in r.getMessage()]
    assert len(pauses) == 1
    # With an idle connection open, the idle one makes room at once.
    idle, _ = await asyncio.open_connection("127.0.0.1", port)
    while len(running.server._idle) < 1:
        await asyncio.sleep(0.01)
    FlakySocket.failures = 1
    assert await request(port, "GET", "/healthz") == (200, {"status": "ok"})
    assert await closed_by_server(idle)


def test_the_log_throttle_lets_one_line_a_minute_through_with_a_count() -> None:
    throttle = webhook.OncePerInterval(interval=60)
    logger = logging.getLogger("tests.throttle")
    records: list[logging.LogRecord] = []
    logger.addFilter(throttle)
    logger.addHandler(handler := logging.Handler())
    handler.emit = records.append  # type: ignore[method-assign]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)

    def refuse(n: int) -> None:
        logger.warning("connection %d refused", n)  # one line of code: one budget

    try:
        for n in range(1000):
            refuse(n)
        logger.debug("debug lines pass")
        assert [r.getMessage() for r in records] == ["connection 0 refused", "debug lines pass"]
        throttle._last = {
            site: (when - 61, count) for site, (when, count) in throttle._last.items()
        }
        refuse(1000)
        assert records[-1].getMessage() == "connection 1000 refused (and 999 more like it left out)"
    finally:
        logger.removeFilter(throttle)
        logger.removeHandler(handler)
        logger.propagate = True
        logger.setLevel(logging.NOTSET)


@pytest.mark.parametrize(
    "body",
    [
        b"null",
        b"[]",
        b'"x"',
        b"1",
        b'{"update_id": 1, "x": "\xff"}',  # not UTF-8
        b"[" * 50_000 + b"]" * 50_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'{"update_id": 1, "m": ' + b"[" * 100 + b"]" * 100 + b"}",
        b'{"update_id": "1"}',
        b'{"update_id": true}',
        b'{"update_id": -1}',
        b'{"update_id": 9223372036854775808}',
        b'{"not": "an update"}',
    ],
)
def test_what_is_not_an_update_is_told_apart(body: bytes) -> None:
    assert webhook.update_data(body) is None


def test_an_update_is_one() -> None:
    assert webhook.update_data(update(7)) == json.loads(update(7))
