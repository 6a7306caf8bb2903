"""Webhook mode under faults: a thousand idle connections, a store that hangs."""

from __future__ import annotations

import errno
import os
import resource
import selectors
import socket
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from fake_bot_api import BotProcess, FakeTelegramServer
from tests.e2e.conftest import User
from tests.e2e.test_webhook import SECRET, free_port, get, post, replies, update, webhook_bot

IDLE = 1000


@contextmanager
def file_limit(soft: int) -> Iterator[None]:
    """This process's soft limit on open files is ``soft`` meanwhile (a bot started
    meanwhile inherits it)."""
    before = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, before)


@contextmanager
def idle_connections(port: int, count: int = IDLE) -> Iterator[list[socket.socket]]:
    """``count`` TCP connections to the port that never send a byte."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = count + len(os.listdir("/proc/self/fd")) + 100
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"{count} connections need {needed} open files, the limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    sockets: list[socket.socket] = []
    try:
        # All at once, not one by one: a connect the kernel drops waits a second.
        with selectors.DefaultSelector() as selector:
            for _ in range(count):
                sock = socket.socket()
                sockets.append(sock)
                sock.setblocking(False)
                assert sock.connect_ex(("127.0.0.1", port)) in (0, errno.EINPROGRESS)
                selector.register(sock, selectors.EVENT_WRITE)
            for _ in range(count):  # writable: connected (or failed)
                key, _events = selector.select(timeout=30)[0]
                assert key.fileobj.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
                selector.unregister(key.fileobj)
        yield sockets
    finally:
        for sock in sockets:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def connection_warnings(bot: BotProcess) -> list[str]:
    """The log's warnings and errors about connections or accepting them."""
    lines = bot.log.read_text(errors="replace").splitlines()
    words = ("connection", "accept", "open files", "file descriptors")
    return [
        line
        for line in lines
        if (" WARNING " in line or " ERROR " in line) and any(w in line.lower() for w in words)
    ]


def set_bot_file_limit(bot: BotProcess, soft: int) -> None:
    _soft, hard = resource.prlimit(bot.pid, resource.RLIMIT_NOFILE)
    resource.prlimit(bot.pid, resource.RLIMIT_NOFILE, (soft, hard))


def test_a_thousand_idle_connections_keep_no_one_out_and_the_log_short(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    """The bot runs with 256 open files, so at most 128 connections: each one beyond
    that closes the connection idle longest. Telegram's posts and the health check
    get in at once, and the log says so in a line."""
    port = free_port()
    with file_limit(256):
        bot = webhook_bot(make_bot, port)
    with idle_connections(port):
        assert get(port, "/healthz") == (200, {"status": "ok"})
        assert "What I can do" in User(server).reply_to("/help")  # through the webhook
        assert get(port, "/healthz") == (200, {"status": "ok"})
    assert bot.alive()
    assert len(connection_warnings(bot)) == 1, connection_warnings(bot)
    assert "Traceback" not in bot.log.read_text()


def test_out_of_file_descriptors_the_log_stays_short_and_the_bot_recovers(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    """The bot's limit drops below what its connection cap (set at start) allows:
    accepting finds no file descriptor (EMFILE, which tornado alone would log for
    ever, as fast as the loop turns), and closes idle connections for new ones."""
    port = free_port()
    bot = webhook_bot(make_bot, port)
    set_bot_file_limit(bot, 200)
    with idle_connections(port):
        set_bot_file_limit(bot, 300)  # room again for the store and the Bot API
        assert get(port, "/healthz") == (200, {"status": "ok"})
        assert "What I can do" in User(server).reply_to("/help")
    assert bot.alive()
    warnings = connection_warnings(bot)
    assert 1 <= len(warnings) <= 2, warnings
    assert "out of file descriptors" in warnings[0]
    assert bot.log.stat().st_size < 50_000


def test_a_hung_store_gets_telegram_a_503_in_time_and_the_update_handled_once(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    """Another connection holds the SQLite store's write lock: recording the update
    waits (up to the busy timeout), so Telegram gets a 503 within 2 s and posts it
    again later. Once the lock is gone the record goes through: the update is
    handled then, once, and its redelivery dropped."""
    port = free_port()
    bot = webhook_bot(make_bot, port)
    path = bot.db_url.removeprefix("sqlite:///")
    lock = sqlite3.connect(path, isolation_level=None)
    since = server.call_count()
    lock.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        assert post(port, update(30, "/help"), SECRET) == 503
        assert time.monotonic() - started < 2.5  # a behaviour: Telegram waits no longer
        assert post(port, update(30, "/help"), SECRET) == 503  # posted again: still hung
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    User(server).wait_reply(since, "What I can do")
    assert post(port, update(30, "/help"), SECRET) == 200  # Telegram's next try: seen
    assert post(port, update(31, "/tip"), SECRET) == 200
    User(server).wait_reply(since, "Today's tip")
    assert len(replies(server, since, "What I can do")) == 1
    assert "Traceback" not in bot.log.read_text()
