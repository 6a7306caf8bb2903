"""HTTP: the threaded server on 127.0.0.1, routing to the methods, and the webhook client.

``{base_url}/bot{token}/{method}`` answers a Bot API method (GET or POST, keep-alive, chunked
bodies too); anything else is ``404``. Every API request is recorded as a :class:`Call` when
it is answered, with the time it arrived.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import socket
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from fake_bot_api import wire
from fake_bot_api.faults import Faults
from fake_bot_api.methods import METHODS, require_loopback
from fake_bot_api.state import Call, State
from fake_bot_api.wire import ApiError, Json, Upload

_API_PATH = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)/?")


class ApiServer:
    """Serves the Bot API of ``state`` on ``host:port`` (0: any free port) from a thread."""

    def __init__(self, state: State, faults: Faults, host: str, port: int) -> None:
        self.state = state
        self.faults = faults
        self.host = host
        self._requested_port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("FakeTelegramServer is not running")
        return int(self._httpd.server_address[1])

    def start(self) -> None:
        self._httpd = _HTTPServer((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram-http",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and close every open connection (long polls included)."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=1.0)
        self._httpd = self._thread = None

    def track(self, connection: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    # ---- routing ----------------------------------------------------------------------------

    def handle(self, raw_path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        """``(status, content type, body)`` of one HTTP request."""
        try:
            parts = urllib.parse.urlsplit(raw_path)
            api_match = _API_PATH.fullmatch(urllib.parse.unquote(parts.path))
            if api_match is None:
                status, answer = 404, ApiError(404, "Not Found").body()
            else:
                token, name = api_match.groups()
                status, answer = self.call_api(token, name, parts.query, content_type, body)
            return status, "application/json", wire.json_bytes(answer)
        except Exception as exc:  # a bug in the fake: answer 500 and keep the traceback
            details = traceback.format_exc()
            self.state.note_internal_error(details)
            print(details, file=sys.stderr)
            answer = ApiError(500, f"Internal Server Error: fake server crashed: {exc!r}").body()
            return 500, "application/json", wire.json_bytes(answer)

    def call_api(
        self, token: str, name: str, query: str, content_type: str, body: bytes
    ) -> tuple[int, Json]:
        """Parse, authorise, inject faults, run the method; record the call."""
        at = time.monotonic()
        entry = METHODS.get(name.lower())
        method = entry[0] if entry else name
        params: Json = {}
        uploads: dict[str, Upload] = {}
        try:
            params, uploads = wire.parse_request_params(query, content_type, body)
            if token != self.state.token:
                raise ApiError(401, "Unauthorized")
            if entry is None:
                raise ApiError(404, "Not Found: method not found")
            self.faults.before_answer(method, params)
            self.faults.check_limits(method, params)
            with self.state.cond:
                result = entry[1](self.state, params, uploads)
            status, answer = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, answer = error.status, error.body()
        self.state.record(
            Call(
                method=method,
                params=params,
                files={name: (upload.filename, upload.data) for name, upload in uploads.items()},
                at=at,
                failed_status=None if status == 200 else status,
                description=answer.get("description"),
                result=copy.deepcopy(answer.get("result")),
            )
        )
        return status, answer


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], api: ApiServer) -> None:
        self.api = api
        super().__init__(address, _RequestHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):  # the client went away
            return
        super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "FakeTelegramBotAPI/1.0"

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):  # no Nagle stalls on keep-alive connections
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.api.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.api.track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default request logging."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        body = self._read_body()
        content_type = self.headers.get("Content-Type", "")
        status, mime, payload = self.server.api.handle(self.path, content_type, body)
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


# ---- the webhook client ------------------------------------------------------------------

_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def post_json(url: str, payload: Json, secret_token: str | None, timeout: float) -> int:
    """POST an update to a webhook on this machine, as Telegram does; the HTTP status."""
    require_loopback(url)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    if secret_token:
        request.add_header("X-Telegram-Bot-Api-Secret-Token", secret_token)
    try:
        with _NO_PROXY_OPENER.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
