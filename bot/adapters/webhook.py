"""Webhook mode: several instances behind one address share one database.

A small tornado server (tornado comes with PTB's webhooks extra) takes
Telegram's POSTs, checks the secret token header, and feeds the updates to the
same Application (run by ``bot.app``, as in polling mode); ``/healthz`` answers
load balancers. No conversation state lives in process memory, so any instance can
take any update.

The port is open to anyone who finds it, so the server holds under abuse:

* Connections are bounded: one idle (or sending its headers) longer than
  ``IDLE_TIMEOUT``, or its body longer than ``BODY_TIMEOUT``, is closed, and at
  most ``connection_cap()`` are open at once. A connection beyond that takes the
  place of the one idle longest, so a thousand idle connections never keep
  Telegram or the load balancer out. Should the process run out of file
  descriptors anyway, an idle connection makes room, or accepting pauses for a
  moment, instead of failing (and logging) in a loop.
* A body that is not a Telegram update (not JSON, not UTF-8, nested deeper than
  ``MAX_DEPTH``, not an object, no integer ``update_id``) gets a 400.
* Telegram posts an update again when it got no 200 in time, maybe to another
  instance: each id is recorded in the store (``bot.store.updates``) before the
  update is handled, and one recorded before is answered 200 and dropped. An
  update is taken only once recorded (so at most once: a process that dies right
  after loses it), and ids are kept a day.
* The store is asked in a few threads of the webhook's own with a deadline
  (``STORE_DEADLINE``): a hung database gets Telegram a 503 (it posts again later)
  and the load balancer a 503 from ``/healthz``, never a request that hangs.
* What repeats per connection or request (tornado's messages and ours) is logged
  at most once per ``LOG_INTERVAL`` per line of code, with a count of the rest.
  Bodies, texts and tokens are never logged.
"""

from __future__ import annotations

import asyncio
import errno
import hmac
import json
import logging
import re
import resource
import socket
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.httputil
import tornado.web
from sqlalchemy import text
from telegram import Update
from tornado.http1connection import HTTP1ServerConnection
from tornado.ioloop import IOLoop
from tornado.iostream import IOStream

from bot.adapters.telegram.context import CoachApplication
from bot.features.base import Services
from bot.store import updates

log = logging.getLogger(__name__)
T = TypeVar("T")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # an update is a few kilobytes
MAX_HEADERS = 16 << 10
IDLE_TIMEOUT = 30.0  # seconds a connection may wait for (the headers of) its next request
BODY_TIMEOUT = 10.0  # seconds to send a body of at most MAX_BODY
MAX_CONNECTIONS = 512  # Telegram opens at most 100 (setWebhook's max_connections)
ACCEPT_PAUSE = 0.25  # seconds without accepting when out of file descriptors
MAX_DEPTH = 64  # an update nests about ten deep
STORE_DEADLINE = 1.5  # seconds the store has to answer (a 503 within 2 s otherwise)
STORE_THREADS = 4
MAX_STORE_WAITING = 64  # store calls under way or queued; beyond that, 503 at once
KEEP_SEEN = timedelta(days=1)  # Telegram gives up redelivering well before
PRUNE_EVERY = 3600.0  # seconds between prunes of the seen ids, per process
LOG_INTERVAL = 60.0
OUT_OF_DESCRIPTORS = (errno.EMFILE, errno.ENFILE)
# The loggers tornado writes per connection or request ("Malformed HTTP message",
# "Timeout reading body", the access log of refused requests, ...).
TORNADO_LOGGERS = ("tornado.general", "tornado.application", "tornado.access")


class OncePerInterval(logging.Filter):
    """Let through one record per ``interval`` seconds from each line of code that
    logs, per level (INFO and above; DEBUG passes), and say in the next one let
    through how many were left out: a flood of bad connections costs a line a
    minute, not a disk."""

    def __init__(self, interval: float = LOG_INTERVAL) -> None:
        super().__init__()
        self.interval = interval
        self._lock = threading.Lock()
        self._last: dict[tuple[str, int, int], tuple[float, int]] = {}  # (when, left out)

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO:
            return True
        site = (record.pathname, record.lineno, record.levelno)  # tornado's access log
        # writes 4xx and 5xx from one line: a flood of 403s keeps the 503s in sight
        now = time.monotonic()
        with self._lock:
            last, left_out = self._last.get(site, (-self.interval, 0))
            if now - last < self.interval:
                self._last[site] = (last, left_out + 1)
                return False
            self._last[site] = (now, 0)
        if left_out:
            record.msg = f"{record.msg} (and {left_out} more like it left out)"
        return True


THROTTLE = OncePerInterval()  # this module's lines, and tornado's in webhook mode
log.addFilter(THROTTLE)


def update_data(body: bytes) -> dict[str, Any] | None:
    """The JSON object of a Telegram update in ``body``, or ``None`` when it is none:
    not JSON in UTF-8, nested deeper than ``MAX_DEPTH``, not an object, or without an
    integer ``update_id`` (that fits the store's BIGINT).

    The decoder is guarded against deep nesting by Python's recursion limit (a
    RecursionError, caught here); the depth check keeps what PTB would build objects
    of, recursively, small."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # a UnicodeDecodeError is a ValueError
        return None
    if not isinstance(data, dict) or _deeper_than(data, MAX_DEPTH):
        return None
    update_id = data.get("update_id")
    if type(update_id) is not int or not 0 <= update_id < 1 << 63:
        return None
    return data


def _deeper_than(value: object, limit: int) -> bool:
    """Whether ``value`` has lists or objects nested more than ``limit`` deep (a walk
    with a stack of its own, not recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        for child in cast(Iterable[object], children):
            if isinstance(child, dict | list):
                if depth >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


class StoreUnavailable(Exception):
    """The store did not answer within the deadline, or failed."""


class WebhookStore:
    """What the webhook asks the store, in threads of its own (a busy bot's other
    work in the default executor never delays ``/healthz``) and within
    ``deadline`` seconds. A call that misses the deadline keeps running; at most
    ``MAX_STORE_WAITING`` are under way or queued, beyond that calls fail at once,
    so a hung database piles up no work."""

    def __init__(
        self, services: Services, *, deadline: float = STORE_DEADLINE, threads: int = STORE_THREADS
    ) -> None:
        self.services = services
        self.deadline = deadline
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="webhook-store")
        self._waiting = 0
        self._pruned_at: float | None = None

    def close(self) -> None:
        """Stop the threads once their calls return; queued calls are dropped (an
        update whose id was not recorded gets posted again)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def ping(self) -> None:
        """Raise StoreUnavailable unless the database answers within the deadline."""
        await self._within_deadline(self._submit(self._ping))

    async def first_time(self, update_id: int, *, late: Callable[[], None]) -> bool:
        """Record ``update_id``: whether it is new (``False``: taken before, on any
        instance). Raises StoreUnavailable when the store did not answer in time; a
        record that still succeeds after that calls ``late`` (on the event loop), so
        the update it was for is handled after all, and its redelivery is dropped
        as seen: handled once either way, never lost."""
        recording = self._submit(lambda: self._record(update_id))
        try:
            first = await self._within_deadline(recording)
        except StoreUnavailable:
            if not recording.done():

                def recorded(future: asyncio.Future[bool]) -> None:
                    if not future.cancelled() and future.exception() is None and future.result():
                        late()

                recording.add_done_callback(recorded)
            raise
        self._prune_if_due()
        return first

    def _submit(self, work: Callable[[], T]) -> asyncio.Future[T]:
        if self._waiting >= MAX_STORE_WAITING:
            raise StoreUnavailable(f"{self._waiting} store calls waiting")
        try:
            future = asyncio.get_running_loop().run_in_executor(self._executor, work)
        except RuntimeError as error:  # closed: the bot is stopping
            raise StoreUnavailable("stopping") from error
        self._waiting += 1
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: asyncio.Future[Any]) -> None:
        self._waiting -= 1
        if not future.cancelled():
            future.exception()  # retrieved: a late failure is not reported as unhandled

    async def _within_deadline(self, future: Awaitable[T]) -> T:
        try:
            # shield: the call is not cancelled at the deadline (its thread could not
            # be stopped anyway), and its result stays there for first_time's ``late``.
            return await asyncio.wait_for(asyncio.shield(future), self.deadline)
        except TimeoutError:
            raise StoreUnavailable(f"no answer within {self.deadline:g} s") from None
        except Exception as error:
            raise StoreUnavailable(type(error).__name__) from error

    def _ping(self) -> None:
        with self.services.session_factory() as session:
            session.execute(text("SELECT 1"))

    def _record(self, update_id: int) -> bool:
        with self.services.session_factory.begin() as session:
            updates.limit_statement_time(session=session, seconds=self.deadline)
            return updates.first_time(session=session, update_id=update_id, now=self.services.now())

    def _prune_if_due(self) -> None:
        """Forget ids older than KEEP_SEEN, at most every PRUNE_EVERY seconds, in the
        background (no update waits for it)."""
        now = time.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        try:
            self._submit(self._prune).add_done_callback(self._pruned)
        except StoreUnavailable:
            self._pruned_at = None  # the next update tries again

    def _prune(self) -> int:
        with self.services.session_factory.begin() as session:
            before = self.services.now() - KEEP_SEEN
            return updates.prune(session=session, before=before)

    def _pruned(self, future: asyncio.Future[int]) -> None:
        if future.cancelled():
            return
        if future.exception() is not None:
            log.warning("webhook: pruning the seen update ids failed; tried again in an hour")
        else:
            log.debug("webhook: forgot %d seen update ids", future.result())


class UpdateEndpoint(tornado.web.RequestHandler):
    """POST an update: 403 without the right secret, 400 if not an update, 503 when
    the store did not answer in time (Telegram posts it again later), else 200,
    whether it was new (handled) or seen before (dropped)."""

    def initialize(self, bot_app: CoachApplication, secret: str, store: WebhookStore) -> None:
        self.bot_app = bot_app
        self.secret = secret
        self.store = store

    async def post(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self.answer(403, "forbidden")
            return
        update = self.parse()
        if update is None:
            self.answer(400, "not a Telegram update")
            return
        queue = self.bot_app.update_queue
        try:
            first = await self.store.first_time(
                update.update_id, late=lambda: queue.put_nowait(update)
            )
        except StoreUnavailable as why:
            log.warning("webhook: the store did not take an update (%s): answered 503", why)
            self.answer(503, "store unavailable, retry later")
            return
        if first:
            await queue.put(update)
        else:
            log.debug("webhook: update %d seen before, dropped", update.update_id)
        self.finish({"ok": True})

    def parse(self) -> Update | None:
        data = update_data(self.request.body)
        if data is None:
            return None
        try:
            return Update.de_json(data, self.bot_app.bot)
        except Exception:  # whatever PTB cannot make an update of is not one
            return None

    def answer(self, status: int, description: str) -> None:
        self.set_status(status)
        self.finish({"ok": False, "description": description})


class HealthEndpoint(tornado.web.RequestHandler):
    """GET: 200 when the database answers within the deadline, 503 otherwise."""

    def initialize(self, store: WebhookStore) -> None:
        self.store = store

    async def get(self) -> None:
        try:
            await self.store.ping()
        except StoreUnavailable as why:  # do not route traffic here
            log.warning("webhook: health check failed (%s): answered 503", why)
            self.set_status(503)
            self.finish({"status": "unavailable"})
            return
        self.finish({"status": "ok"})


class _Busy(tornado.httputil.HTTPMessageDelegate):
    """Passes a request on, telling ``on_headers`` when its headers are in: from then
    on its connection is busy, not idle."""

    def __init__(
        self, delegate: tornado.httputil.HTTPMessageDelegate, on_headers: Callable[[], None]
    ) -> None:
        self.delegate = delegate
        self.on_headers = on_headers

    def headers_received(
        self,
        start_line: tornado.httputil.RequestStartLine | tornado.httputil.ResponseStartLine,
        headers: tornado.httputil.HTTPHeaders,
    ) -> Awaitable[None] | None:
        self.on_headers()
        return self.delegate.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Awaitable[None] | None:
        return self.delegate.data_received(chunk)

    def finish(self) -> None:
        self.delegate.finish()

    def on_connection_close(self) -> None:
        self.delegate.on_connection_close()


class WebhookServer(tornado.httpserver.HTTPServer):
    """tornado's HTTP server with at most ``max_connections`` open connections.

    A connection beyond the cap closes the one idle longest (waiting for its next
    request, or still sending its headers), so idle connections never keep a real
    request out; only when every open connection is busy is the new one closed.
    Running out of file descriptors all the same (the limit was lowered, or other
    parts of the process hold them) is handled as well: see ``_accept_from``.
    Idle ones are tracked per stream: from when a connection starts waiting for a
    request (tornado calls ``start_request``) until that request's headers are in.
    """

    def initialize(self, *args: Any, max_connections: int = MAX_CONNECTIONS, **kwargs: Any) -> None:
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        self._open: set[IOStream] = set()
        self._idle: dict[IOStream, None] = {}  # oldest idle first

    @property
    def open_connections(self) -> int:
        return len(self._open)

    def handle_stream(self, stream: IOStream, address: tuple[Any, ...]) -> None:
        if len(self._open) >= self.max_connections:
            if not self._close_longest_idle():
                stream.close()
                log.warning(
                    "webhook: %d connections open, all busy: refused a new one", len(self._open)
                )
                return
            log.warning(
                "webhook: %d connections open, the most allowed: closed the one idle longest",
                len(self._open) + 1,
            )
        self._open.add(stream)
        self._idle[stream] = None
        super().handle_stream(stream, address)

    def start_request(
        self, server_conn: object, request_conn: tornado.httputil.HTTPConnection
    ) -> tornado.httputil.HTTPMessageDelegate:
        # Called when a connection starts waiting for (the headers of) a request.
        stream = cast(HTTP1ServerConnection, server_conn).stream
        if stream in self._open and stream not in self._idle:
            self._idle[stream] = None
        delegate = super().start_request(server_conn, request_conn)
        return _Busy(delegate, lambda: self._idle.pop(stream, None))

    def on_close(self, server_conn: object) -> None:
        stream = cast(HTTP1ServerConnection, server_conn).stream
        self._open.discard(stream)
        self._idle.pop(stream, None)
        super().on_close(server_conn)

    def _close_longest_idle(self) -> bool:
        stream = next(iter(self._idle), None)
        if stream is None:
            return False
        del self._idle[stream]
        self._open.discard(stream)
        stream.close()
        return True

    def add_sockets(self, sockets: Iterable[socket.socket]) -> None:
        for sock in sockets:
            self._sockets[sock.fileno()] = sock
            self._handlers[sock.fileno()] = self._accept_from(sock)

    def _accept_from(self, sock: socket.socket) -> Callable[[], None]:
        """tornado.netutil.add_accept_handler (tornado 6), but an accept() failing
        with anything else than "nothing to accept" does not raise from the event
        loop's callback, which the loop would log and call again at once, forever
        (the "Too many open files" flood). Out of file descriptors, the connection
        idle longest is closed to make room; when there is none (or accept() failed
        otherwise), accepting pauses for ACCEPT_PAUSE. Returns what stops accepting."""
        loop = IOLoop.current()
        stopped = False

        def accept(_fd: Any, _events: int) -> None:
            for _ in range(128):  # tornado's batch: other tasks run in between
                if stopped:
                    return
                try:
                    connection, address = sock.accept()
                except BlockingIOError:
                    return  # all accepted
                except ConnectionAbortedError:
                    continue
                except OSError as error:
                    if error.errno in OUT_OF_DESCRIPTORS and self._close_longest_idle():
                        log.warning(
                            "webhook: out of file descriptors with %d connections open: "
                            "closed the one idle longest",
                            len(self._open) + 1,
                        )
                        continue  # its descriptor is free for the one waiting
                    log.warning(
                        "webhook: cannot accept connections (%s), %d open: pausing",
                        error.strerror or type(error).__name__,
                        len(self._open),
                    )
                    loop.remove_handler(sock)
                    loop.call_later(ACCEPT_PAUSE, resume)
                    return
                self._handle_connection(connection, address)

        def resume() -> None:
            if not stopped:
                loop.add_handler(sock, accept, IOLoop.READ)

        def stop() -> None:
            nonlocal stopped
            stopped = True
            loop.remove_handler(sock)

        loop.add_handler(sock, accept, IOLoop.READ)
        return stop


def connection_cap() -> int:
    """MAX_CONNECTIONS, or half the process's file descriptor limit when that is less:
    the other half stays for the database, the Bot API and the logs."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return MAX_CONNECTIONS
    return max(8, min(MAX_CONNECTIONS, soft // 2))


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def make_web_app(
    application: CoachApplication, store: WebhookStore, secret: str, path: str
) -> tornado.web.Application:
    """The two endpoints. tornado's routes are regular expressions: the webhook's
    path is escaped, so it is matched literally ("/hook+1" is that path, nothing
    else)."""
    return tornado.web.Application(
        [
            (
                re.escape(path),
                UpdateEndpoint,
                {"bot_app": application, "secret": secret, "store": store},
            ),
            (r"/healthz", HealthEndpoint, {"store": store}),
        ]
    )


def make_server(web: tornado.web.Application) -> WebhookServer:
    """The HTTP server with the limits above (tornado's defaults are an hour idle,
    no body deadline, 100 MB buffers and no cap on connections)."""
    return WebhookServer(
        web,
        max_connections=connection_cap(),
        idle_connection_timeout=IDLE_TIMEOUT,
        body_timeout=BODY_TIMEOUT,
        max_body_size=MAX_BODY,
        max_header_size=MAX_HEADERS,
        max_buffer_size=MAX_BODY + MAX_HEADERS,
    )


@asynccontextmanager
async def receiving(application: CoachApplication, services: Services) -> AsyncIterator[None]:
    """Serve updates while the block runs: listen on WEBHOOK_LISTEN:WEBHOOK_PORT and
    tell Telegram where to post them; then stop listening."""
    settings = services.settings
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    store = WebhookStore(services)
    server = make_server(
        make_web_app(application, store, secret, webhook_path(settings.webhook_url))
    )
    for name in TORNADO_LOGGERS:
        logging.getLogger(name).addFilter(THROTTLE)
    server.listen(settings.webhook_port, address=settings.webhook_listen)
    try:
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES
        )
        log.info(
            "webhook mode on %s:%s (at most %d connections)",
            settings.webhook_listen,
            settings.webhook_port,
            server.max_connections,
        )
        yield
    finally:
        server.stop()
        store.close()
        for name in TORNADO_LOGGERS:
            logging.getLogger(name).removeFilter(THROTTLE)
