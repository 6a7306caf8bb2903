"""A fake Telegram Bot API server for end-to-end tests, built on the standard library only.

The real bot runs as a subprocess with ``TELEGRAM_API_BASE_URL=<server.base_url>`` and talks
HTTP to this server exactly as it would to ``api.telegram.org``: ``{base_url}/bot{token}/{method}``
for API methods and ``{base_url}/file/bot{token}/{file_path}`` for file downloads.

Tests play the user (``user_sends``, ``user_presses``, ``user_shares_location``,
``bot_blocked_by``...), read what the bot did (``calls``, ``sent_to``, ``delivered``,
``wait_for``, ``message``, ``last_message_to``) and inject faults (``fail_next``,
``set_faults``, ``delay``, ``set_rate_limit``).

Standalone: ``python -m tests.fakes.telegram_server --port 8081`` prints the base URL and serves
until Ctrl-C.

Fidelity notes:

* With ``parse_mode="HTML"`` the text is validated like Telegram does and the stored/returned
  message carries the *plain* text plus ``entities`` (so PTB's ``Message.text_html`` round-trips);
  ``Call.params["text"]`` keeps exactly what the bot sent. Markdown modes are not parsed.
* Only inline keyboards are part of a returned ``Message``; reply keyboards are accepted and
  recorded but, as in Telegram, not echoed back.
* Uploaded photos must be real PNG/JPEG/GIF images (otherwise ``IMAGE_PROCESS_FAILED``).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import hashlib
import itertools
import json
import mimetypes
import random
import re
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

__all__ = [
    "ApiError",
    "Call",
    "FakeTelegramServer",
    "HtmlParseError",
    "Upload",
    "image_size",
    "parse_html",
    "utf16_len",
]

Json = dict[str, Any]
ChatKey = int | str

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

#: Parameters whose string values are JSON-decoded (PTB form-encodes objects as JSON strings).
OBJECT_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "scope",
        "reply_parameters",
        "menu_button",
        "media",
    }
)
INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "from_chat_id",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "max_connections",
    }
)
BOOL_PARAMS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
    }
)
FLOAT_PARAMS = frozenset({"latitude", "longitude", "horizontal_accuracy"})

#: Methods whose calls :meth:`FakeTelegramServer.sent_to` reports.
OUTGOING_METHODS = frozenset(
    {"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
#: Update types Telegram withholds unless they are listed in ``allowed_updates``.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: (
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    ),
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

_INT_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")
_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


# --------------------------------------------------------------------------------------------
# Errors and records
# --------------------------------------------------------------------------------------------


class ApiError(Exception):
    """An error answer of the Bot API: ``{"ok": false, "error_code": status, ...}``."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    @classmethod
    def too_many_requests(cls, retry_after: int) -> ApiError:
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    def body(self) -> Json:
        body: Json = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


ApiHandler = Callable[[Json, dict[str, Upload]], Any]


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
            return None if value is None else _chat_key(value)
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
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: ChatKey | None


@dataclass
class _Faults:
    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_slow: float = 0.0
    slow_seconds: float = 0.0
    retry_after: int = 1
    methods: frozenset[str] = frozenset()
    rng: random.Random = field(default_factory=random.Random)


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    last_error_date: int | None = None
    last_error_message: str | None = None


# --------------------------------------------------------------------------------------------
# Helpers: Telegram HTML, request parsing, images
# --------------------------------------------------------------------------------------------


class HtmlParseError(ValueError):
    """The detail of Telegram's ``Bad Request: can't parse entities: ...``."""


_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_ATTR = r"[^\s=<>/\"']+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>`]+))?"
_TAG_RE = re.compile(rf"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+{_ATTR})*)\s*>")
_ATTR_RE = re.compile(r"([^\s=<>/\"']+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'<>`]+)))?")
_CHAR_REF_RE = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9A-Fa-f]+)|([A-Za-z][A-Za-z0-9]*));")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8", "surrogatepass"))


def _tag_attributes(source: str) -> dict[str, str]:
    attributes: dict[str, str] = {}
    for match in _ATTR_RE.finditer(source):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attributes[match.group(1).lower()] = _unescape_attribute(value)
    return attributes


def _unescape_attribute(value: str) -> str:
    def replace(match: re.Match[str]) -> str:
        return _decode_char_ref(match) or match.group(0)

    return _CHAR_REF_RE.sub(replace, value)


def _decode_char_ref(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return _NAMED_REFS.get(name)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def _start_entity(name: str, attributes: dict[str, str], at: int) -> Json | None:
    if name == "a":
        href = attributes.get("href", "")
        return {"type": "text_link", "url": href} if href else None
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if name == "tg-emoji":
        emoji_id = attributes.get("emoji-id", "")
        if not emoji_id.isdigit():
            raise HtmlParseError(
                f"Custom emoji entity must contain a valid custom emoji identifier "
                f"at byte offset {at}"
            )
        return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
    if name == "blockquote" and "expandable" in attributes:
        return {"type": "expandable_blockquote"}
    if name == "code" and attributes.get("class", "").startswith("language-"):
        return {"type": "code", "language": attributes["class"].removeprefix("language-")}
    return {"type": _HTML_TAGS[name]}


def parse_html(text: str) -> tuple[str, list[Json]]:
    """Validate Telegram-flavoured HTML; return ``(plain_text, entities)`` like Telegram does.

    Raises :class:`HtmlParseError` for unsupported tags, bad nesting and unescaped
    ``<``, ``>`` or ``&``.
    """
    plain: list[str] = []
    offset = 0  # UTF-16 position in the plain text
    open_tags: list[tuple[str, int, Json | None]] = []
    entities: list[Json] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "<":
            at = _byte_offset(text, pos)
            match = _TAG_RE.match(text, pos)
            if match is None:
                if re.match(r"</?[A-Za-z]", text[pos : pos + 2]):
                    raise HtmlParseError(f"Unclosed start tag at byte offset {at}")
                raise HtmlParseError(
                    f"Unsupported start tag at byte offset {at}: '<' must be escaped as &lt;"
                )
            closing, name = match.group(1) == "/", match.group(2).lower()
            if closing:
                if not open_tags:
                    raise HtmlParseError(f"Unexpected end tag at byte offset {at}")
                opened, start, entity = open_tags.pop()
                if opened != name:
                    raise HtmlParseError(
                        f'Unmatched end tag at byte offset {at}, expected "</{opened}>", '
                        f'found "</{name}>"'
                    )
                if entity is not None:
                    language = entity.pop("language", None)
                    parent = open_tags[-1] if open_tags else None
                    if name == "code" and language and parent and parent[0] == "pre":
                        if parent[2] is not None:
                            parent[2]["language"] = language
                    elif offset > start:
                        if name == "pre" and language:
                            entity["language"] = language
                        entities.append({**entity, "offset": start, "length": offset - start})
            else:
                if name not in _HTML_TAGS:
                    raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {at}')
                entity = _start_entity(name, _tag_attributes(match.group(3)), at)
                open_tags.append((name, offset, entity))
            pos = match.end()
            continue
        if char == "&":
            match = _CHAR_REF_RE.match(text, pos)
            decoded = _decode_char_ref(match) if match else None
            if match is None or decoded is None:
                raise HtmlParseError(
                    f"Character '&' must be escaped as &amp; "
                    f"(unsupported HTML entity at byte offset {_byte_offset(text, pos)})"
                )
            plain.append(decoded)
            offset += utf16_len(decoded)
            pos = match.end()
            continue
        if char == ">":
            raise HtmlParseError(
                f"Character '>' must be escaped as &gt; (byte offset {_byte_offset(text, pos)})"
            )
        plain.append(char)
        offset += 2 if ord(char) > 0xFFFF else 1
        pos += 1
    if open_tags:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1][0]}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(plain), entities


def _header_param(header: str, key: str) -> str | None:
    match = re.search(rf'(?:^|;)\s*{key}\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))', header, re.I)
    if match is None:
        return None
    if match.group(1) is not None:
        return re.sub(r"\\(.)", r"\1", match.group(1))
    return match.group(2)


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Split a ``multipart/form-data`` body into text fields and file uploads."""
    boundary = _header_param(content_type, "boundary")
    if not boundary:
        raise bad_request("multipart boundary is missing")
    fields: dict[str, str] = {}
    uploads: dict[str, Upload] = {}
    parts = (b"\r\n" + body).split(b"\r\n--" + boundary.encode("latin-1"))
    for part in parts[1:]:
        if part.startswith(b"--"):
            break
        head, separator, content = part.partition(b"\r\n\r\n")
        if not separator:
            continue
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            header, colon, value = line.partition(":")
            if colon:
                headers[header.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        name = _header_param(disposition, "name")
        if name is None:
            continue
        filename = _header_param(disposition, "filename")
        if filename is None:
            fields[name] = content.decode("utf-8")
        else:
            part_type = headers.get("content-type", "application/octet-stream")
            uploads[name] = Upload(filename, content, part_type)
    return fields, uploads


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in OBJECT_PARAMS:
        stripped = value.strip()
        if stripped[:1] in ("{", "["):
            try:
                return json.loads(stripped)
            except ValueError:
                what = "reply keyboard markup" if name == "reply_markup" else name
                raise bad_request(f"can't parse {what} JSON object") from None
        return value
    if name in INT_PARAMS and _INT_RE.fullmatch(value.strip()):
        return int(value)
    if name in BOOL_PARAMS and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if name in FLOAT_PARAMS:
        try:
            return float(value)
        except ValueError:
            return value
    return value


def parse_request_params(
    query: str, content_type: str, body: bytes
) -> tuple[Json, dict[str, Upload]]:
    """Parameters from the query string and a urlencoded, JSON or multipart body."""
    raw: dict[str, Any] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    uploads: dict[str, Upload] = {}
    mime = content_type.split(";", 1)[0].strip().lower()
    if body:
        if mime == "application/json":
            try:
                decoded = json.loads(body)
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(decoded, dict):
                raise bad_request("JSON object expected")
            raw.update(decoded)
        elif mime == "multipart/form-data":
            fields, uploads = parse_multipart(body, content_type)
            raw.update(fields)
        else:
            text = body.decode("utf-8", "replace")
            raw.update(urllib.parse.parse_qsl(text, keep_blank_values=True))
    return {name: _coerce(name, value) for name, value in raw.items()}, uploads


def image_size(data: bytes) -> tuple[int, int] | None:
    """``(width, height)`` of a PNG, GIF or JPEG image, ``None`` for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 <= len(data):
            if data[pos] != 0xFF:
                pos += 1
                continue
            marker = data[pos + 1]
            if marker == 0xFF:
                pos += 1
                continue
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                pos += 2
                continue
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
                return int(width), int(height)
            (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
            pos += 2 + int(length)
    return None


def _chat_key(value: Any) -> ChatKey:
    if isinstance(value, bool):
        raise bad_request("chat not found")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if _INT_RE.fullmatch(text):
        return int(text)
    if not text:
        raise bad_request("chat_id is empty")
    return text


def _callback_datas(message: Json) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [
        str(button["callback_data"])
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]


def _command_entities(text: str) -> list[Json]:
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def _require_loopback(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"webhook URL must point to 127.0.0.1, got {url!r}")


_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _post_json(url: str, payload: Json, secret_token: str | None, timeout: float) -> int:
    _require_loopback(url)
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


def _now() -> int:
    return int(time.time())


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeTelegramServer) -> None:
        self.fake = fake
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
        self.server.fake._track_connection(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track_connection(self.connection, add=False)

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
        status, mime, payload = self.server.fake._handle_http(self.path, content_type, body)
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def _json_bytes(body: Json) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------------------------
# The fake server
# --------------------------------------------------------------------------------------------


class FakeTelegramServer:
    """A thread-backed fake of the Telegram Bot API on ``127.0.0.1``."""

    _API_PATH = re.compile(r"/bot([^/]+)/([A-Za-z0-9_]+)/?")
    _FILE_PATH = re.compile(r"/file/bot([^/]+)/(.+)")

    def __init__(
        self,
        token: str = "123456:TEST",
        bot_username: str = "CoachTestBot",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.bot_username = bot_username
        self.host = host
        self._requested_port = port
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else 123456

        self._cond = threading.Condition(threading.RLock())
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._pusher: threading.Thread | None = None
        self._stopping = False
        self._connections: set[socket.socket] = set()
        self._internal_errors: list[str] = []

        self._calls: list[Call] = []
        self._updates: list[Json] = []
        self._next_update_id = 1000
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._messages: dict[tuple[ChatKey, int], Json] = {}
        self._next_message_id: dict[ChatKey, int] = {}
        self._chats: dict[ChatKey, Json] = {}
        self._users: dict[int, Json] = {}
        self._blocked: set[ChatKey] = set()
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._callback_ids = itertools.count(4_000_000_000_000_000_000)
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._photo_sets: dict[str, list[Json]] = {}
        self._documents: dict[str, Json] = {}
        self._file_counter = itertools.count(1)
        self._commands: dict[tuple[str, str], list[Json]] = {}
        self._menu_buttons: dict[ChatKey | None, Json] = {}
        self._profile: dict[str, Json] = {}
        self._webhook: _Webhook | None = None

        self._failures: list[_Failure] = []
        self._faults = _Faults()
        self._delay = 0.0
        self._rate_limit: float | None = None
        self._send_times: deque[float] = deque()

        self._methods: dict[str, tuple[str, ApiHandler]] = {
            name[len("_api_") :].lower(): (name[len("_api_") :], getattr(self, name))
            for name in dir(self)
            if name.startswith("_api_")
        }

    # ---- lifecycle --------------------------------------------------------------------------

    def start(self) -> Self:
        if self._httpd is not None:
            raise RuntimeError("FakeTelegramServer already started")
        self._stopping = False
        self._httpd = _HTTPServer((self.host, self._requested_port), self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-telegram-http",
            daemon=True,
        )
        self._thread.start()
        self._pusher = threading.Thread(
            target=self._webhook_loop, name="fake-telegram-webhook", daemon=True
        )
        self._pusher.start()
        return self

    def stop(self) -> None:
        """Wake pending long polls, close every connection and join the threads (< 1 s)."""
        httpd = self._httpd
        if httpd is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        httpd.shutdown()
        httpd.server_close()
        with self._cond:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in (self._thread, self._pusher):
            if thread is not None:
                thread.join(timeout=1.0)
        self._httpd = self._thread = self._pusher = None

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
        if self._httpd is None:
            raise RuntimeError("FakeTelegramServer is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        """``{base_url}/bot{token}``: prefix of every API method URL."""
        return f"{self.base_url}/bot{self.token}"

    def internal_errors(self) -> list[str]:
        """Tracebacks of crashes inside the fake itself (answered as 500)."""
        with self._cond:
            return list(self._internal_errors)

    def _track_connection(self, connection: socket.socket, *, add: bool) -> None:
        with self._cond:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    # ---- HTTP entry point -------------------------------------------------------------------

    def _handle_http(self, raw_path: str, content_type: str, body: bytes) -> tuple[int, str, bytes]:
        try:
            parts = urllib.parse.urlsplit(raw_path)
            path = urllib.parse.unquote(parts.path)
            file_match = self._FILE_PATH.fullmatch(path)
            if file_match:
                return self._serve_file(file_match.group(1), file_match.group(2))
            api_match = self._API_PATH.fullmatch(path)
            if api_match is None:
                body_json = ApiError(404, "Not Found").body()
                return 404, "application/json", _json_bytes(body_json)
            status, answer = self._call_api(
                api_match.group(1), api_match.group(2), parts.query, content_type, body
            )
            return status, "application/json", _json_bytes(answer)
        except Exception as exc:  # a bug in the fake: answer 500 and keep the traceback
            details = traceback.format_exc()
            with self._cond:
                self._internal_errors.append(details)
            print(details, file=sys.stderr)
            answer = ApiError(500, f"Internal Server Error: fake server crashed: {exc!r}").body()
            return 500, "application/json", _json_bytes(answer)

    def _serve_file(self, token: str, file_path: str) -> tuple[int, str, bytes]:
        if token != self.token:
            return 401, "application/json", _json_bytes(ApiError(401, "Unauthorized").body())
        with self._cond:
            stored = self._files_by_path.get(file_path)
        if stored is None:
            return 404, "application/json", _json_bytes(ApiError(404, "Not Found").body())
        return 200, "application/octet-stream", stored.data

    def _call_api(
        self, token: str, name: str, query: str, content_type: str, body: bytes
    ) -> tuple[int, Json]:
        at = time.monotonic()
        entry = self._methods.get(name.lower())
        method = entry[0] if entry else name
        params: Json = {}
        uploads: dict[str, Upload] = {}
        try:
            params, uploads = parse_request_params(query, content_type, body)
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            if entry is None:
                raise ApiError(404, "Not Found: method not found")
            self._before_answer(method, params)
            with self._cond:
                self._check_limits(method, params)
                result = entry[1](params, uploads)
            status, answer = 200, {"ok": True, "result": result}
        except ApiError as error:
            status, answer = error.status, error.body()
        call = Call(
            method=method,
            params=params,
            files={name: (upload.filename, upload.data) for name, upload in uploads.items()},
            at=at,
            failed_status=None if status == 200 else status,
            description=answer.get("description"),
            result=copy.deepcopy(answer.get("result")),
        )
        self._record(call)
        return status, answer

    def _record(self, call: Call) -> None:
        with self._cond:
            call.index = len(self._calls)
            self._calls.append(call)
            self._cond.notify_all()

    def _before_answer(self, method: str, params: Json) -> None:
        """Global delay, queued failures and random faults (sleeps happen outside the lock)."""
        with self._cond:
            delay = self._delay
        if delay > 0:
            time.sleep(delay)
        slow = 0.0
        with self._cond:
            chat = _chat_key(params["chat_id"]) if params.get("chat_id") not in (None, "") else None
            failure = self._take_failure(method, chat)
            if failure is not None:
                raise failure
            faults = self._faults
            if method.lower() in faults.methods:
                slow_roll, fault_roll = faults.rng.random(), faults.rng.random()
                if slow_roll < faults.rate_slow:
                    slow = faults.slow_seconds
                if fault_roll < faults.rate_429:
                    raise ApiError.too_many_requests(faults.retry_after)
                if fault_roll < faults.rate_429 + faults.rate_5xx:
                    status = faults.rng.choice((500, 502))
                    raise ApiError(status, DEFAULT_DESCRIPTIONS[status])
        if slow > 0:
            time.sleep(slow)

    def _take_failure(self, method: str, chat: ChatKey | None) -> ApiError | None:
        for failure in self._failures:
            if failure.method != method.lower():
                continue
            if failure.chat_id is not None and failure.chat_id != chat:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            return ApiError(failure.status, failure.description, retry_after=failure.retry_after)
        return None

    def _check_limits(self, method: str, params: Json) -> None:
        if self._rate_limit is not None and method.startswith("send"):
            now = time.monotonic()
            while self._send_times and now - self._send_times[0] >= 1.0:
                self._send_times.popleft()
            if len(self._send_times) >= self._rate_limit:
                raise ApiError.too_many_requests(1)
            self._send_times.append(now)
        writes = method.startswith(("send", "edit", "copy", "forward"))
        if writes and params.get("chat_id") and _chat_key(params["chat_id"]) in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    # ---- recorded calls ---------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """A copy of the recorded calls, optionally of one method (case-insensitive)."""
        with self._cond:
            if method is None:
                return list(self._calls)
            return [call for call in self._calls if call.method.lower() == method.lower()]

    def sent_to(self, chat_id: ChatKey) -> list[Call]:
        """Calls of sendMessage/sendPhoto/sendDocument/editMessage* aimed at ``chat_id``."""
        key = _chat_key(chat_id)
        with self._cond:
            return [c for c in self._calls if c.method in OUTGOING_METHODS and c.chat_id == key]

    def delivered(self, method: str = "sendMessage", chat_id: ChatKey | None = None) -> list[Call]:
        """Successful calls of ``method`` (optionally to one chat)."""
        key = None if chat_id is None else _chat_key(chat_id)
        return [
            call for call in self.calls(method) if call.ok and (key is None or call.chat_id == key)
        ]

    def texts_to(self, chat_id: ChatKey) -> list[str]:
        """Texts of the messages successfully sent to ``chat_id``, as the bot sent them."""
        return [call.text or "" for call in self.delivered("sendMessage", chat_id)]

    def call_count(self) -> int:
        with self._cond:
            return len(self._calls)

    def clear_calls(self) -> None:
        with self._cond:
            self._calls.clear()

    def wait_for(
        self, predicate: Callable[[Call], bool], timeout: float = 10.0, *, since: int = 0
    ) -> Call:
        """Block until a call with index >= ``since`` satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._cond:
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
                self._cond.wait(remaining)

    # ---- faults -----------------------------------------------------------------------------

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
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        failure = _Failure(
            method=method.lower(),
            status=status,
            description=description,
            retry_after=retry_after,
            remaining=count,
            chat_id=None if chat_id is None else _chat_key(chat_id),
        )
        with self._cond:
            self._failures.append(failure)

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
        with self._cond:
            self._faults = _Faults(
                rate_429=rate_429,
                rate_5xx=rate_5xx,
                rate_slow=rate_slow,
                slow_seconds=slow_seconds,
                retry_after=retry_after,
                methods=frozenset(m.lower() for m in methods),
                rng=random.Random(seed),
            )

    def delay(self, seconds: float) -> None:
        """Delay every answer by ``seconds`` (0 turns it off)."""
        with self._cond:
            self._delay = max(0.0, seconds)

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 (retry_after 1) beyond ``per_second`` send* calls per sliding second."""
        with self._cond:
            self._rate_limit = per_second
            self._send_times.clear()

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
        with self._cond:
            message = self._user_message(
                user_id, chat_id, chat_type, first_name, language_code, username
            )
            message["text"] = text
            entities = _command_entities(text)
            if entities:
                message["entities"] = entities
            return self._enqueue({"message": copy.deepcopy(message)})

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
        with self._cond:
            known = self._users.get(user_id, {})
            message = self._user_message(
                user_id,
                chat_id,
                chat_type,
                str(known.get("first_name", "Ana")),
                str(known.get("language_code", "en")),
                known.get("username"),
            )
            message["location"] = {"latitude": latitude, "longitude": longitude}
            return self._enqueue({"message": copy.deepcopy(message)})

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
        with self._cond:
            key = _chat_key(chat_id if chat_id is not None else user_id)
            message = self._messages.get((key, message_id))
            if message is None:
                raise LookupError(f"no message {message_id} in chat {key}")
            if check_button and data not in _callback_datas(message):
                raise ValueError(
                    f"message {message_id} in chat {key} has no button with callback_data "
                    f"{data!r}; it has {_callback_datas(message)!r}"
                )
            user = self._users.get(user_id) or self._remember_user(user_id, "Ana", "en", None)
            query_id = str(next(self._callback_ids))
            self._callback_queries[query_id] = False
            query = {
                "id": query_id,
                "from": copy.deepcopy(user),
                "message": copy.deepcopy(message),
                "chat_instance": str(int(hashlib.sha1(str(key).encode()).hexdigest()[:15], 16)),
                "data": data,
            }
            self._enqueue({"callback_query": query})
            return query_id

    def push_update(self, update: Json) -> int:
        """Queue a raw update; an ``update_id`` is assigned when missing."""
        with self._cond:
            update = copy.deepcopy(update)
            if "update_id" in update:
                self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            else:
                update = {"update_id": self._next_update_id, **update}
                self._next_update_id += 1
            self._observe(update)
            self._updates.append(update)
            self._cond.notify_all()
            return int(update["update_id"])

    def bot_blocked_by(self, user_id: int) -> int:
        """The user blocks the bot: later sends to that chat get 403; queues my_chat_member."""
        with self._cond:
            self._blocked.add(user_id)
            return self._enqueue(self._my_chat_member(user_id, "member", "kicked"))

    def bot_unblocked_by(self, user_id: int) -> int:
        """The user unblocks the bot; queues my_chat_member (kicked -> member)."""
        with self._cond:
            self._blocked.discard(user_id)
            return self._enqueue(self._my_chat_member(user_id, "kicked", "member"))

    def pending_updates(self) -> list[Json]:
        """Updates not yet confirmed by an offset."""
        with self._cond:
            return copy.deepcopy(self._updates)

    def _enqueue(self, payload: Json) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append({"update_id": update_id, **payload})
        self._cond.notify_all()
        return update_id

    def _remember_user(
        self, user_id: int, first_name: str, language_code: str, username: str | None
    ) -> Json:
        user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def _remember_chat(self, chat_id: ChatKey, chat_type: str, user: Json) -> Json:
        if chat_type == "private":
            chat: Json = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
            if "username" in user:
                chat["username"] = user["username"]
        else:
            chat = {"id": chat_id, "type": chat_type, "title": "Test Group"}
        self._chats[chat_id] = chat
        return chat

    def _user_message(
        self,
        user_id: int,
        chat_id: int | None,
        chat_type: str,
        first_name: str,
        language_code: str,
        username: str | None,
    ) -> Json:
        user = self._remember_user(user_id, first_name, language_code, username)
        key = _chat_key(chat_id if chat_id is not None else user_id)
        chat = self._remember_chat(key, chat_type, user)
        message_id = self._allocate_message_id(key)
        message: Json = {
            "message_id": message_id,
            "from": copy.deepcopy(user),
            "chat": copy.deepcopy(chat),
            "date": _now(),
        }
        self._messages[(key, message_id)] = message
        return message

    def _observe(self, update: Json) -> None:
        """Remember chats and users seen in a raw update."""
        for kind in ("message", "edited_message", "channel_post", "my_chat_member"):
            item = update.get(kind)
            if isinstance(item, dict) and isinstance(item.get("chat"), dict):
                chat = item["chat"]
                if "id" in chat:
                    self._chats[_chat_key(chat["id"])] = copy.deepcopy(chat)
            if isinstance(item, dict) and isinstance(item.get("from"), dict):
                sender = item["from"]
                if isinstance(sender.get("id"), int) and not sender.get("is_bot"):
                    self._users[sender["id"]] = copy.deepcopy(sender)

    def _my_chat_member(self, user_id: int, old: str, new: str) -> Json:
        user = self._users.get(user_id) or self._remember_user(user_id, "Ana", "en", None)
        chat = self._chats.get(user_id) or self._remember_chat(user_id, "private", user)

        def member(status: str) -> Json:
            state: Json = {"user": self._bot_user(), "status": status}
            if status == "kicked":
                state["until_date"] = 0
            return state

        return {
            "my_chat_member": {
                "chat": copy.deepcopy(chat),
                "from": copy.deepcopy(user),
                "date": _now(),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            }
        }

    # ---- inspecting bot messages ------------------------------------------------------------

    def message(self, chat_id: ChatKey, message_id: int) -> Json | None:
        """The current state of a stored message (plain text, entities, reply_markup...)."""
        with self._cond:
            stored = self._messages.get((_chat_key(chat_id), message_id))
            return copy.deepcopy(stored)

    def last_message_to(self, chat_id: ChatKey) -> Json | None:
        """The current state of the newest undeleted bot message in ``chat_id``."""
        key = _chat_key(chat_id)
        with self._cond:
            mine = [
                message
                for (chat, _), message in self._messages.items()
                if chat == key and message.get("from", {}).get("id") == self.bot_id
            ]
            if not mine:
                return None
            return copy.deepcopy(max(mine, key=lambda message: int(message["message_id"])))

    def commands(self, scope: Json | None = None, language_code: str = "") -> list[Json]:
        """The commands set by setMyCommands for ``scope`` and ``language_code``."""
        with self._cond:
            return copy.deepcopy(self._commands.get(self._commands_key(scope, language_code), []))

    @property
    def webhook_url(self) -> str | None:
        with self._cond:
            return self._webhook.url if self._webhook else None

    # ---- webhook ----------------------------------------------------------------------------

    def deliver_to_webhook(self, update: Json, timeout: float = 10.0) -> int:
        """POST ``update`` to the webhook set by setWebhook; returns the HTTP status."""
        with self._cond:
            if self._webhook is None:
                raise RuntimeError("no webhook is set (call setWebhook first)")
            url, secret = self._webhook.url, self._webhook.secret_token
            update = copy.deepcopy(update)
            if "update_id" not in update:
                update = {"update_id": self._next_update_id, **update}
                self._next_update_id += 1
            self._observe(update)
        return _post_json(url, update, secret, timeout)

    def _webhook_loop(self) -> None:
        """While a webhook is set, push queued updates to it in order, like Telegram does."""
        while True:
            with self._cond:
                while not self._stopping and not (self._webhook and self._deliverable()):
                    self._cond.wait()
                if self._stopping or self._webhook is None:
                    return
                webhook = self._webhook
                update = copy.deepcopy(self._updates[0])
            try:
                status, error = _post_json(webhook.url, update, webhook.secret_token, 10.0), ""
            except (OSError, ValueError) as exc:
                status, error = 0, str(exc)
            with self._cond:
                if 200 <= status < 300:
                    self._updates = [
                        u for u in self._updates if u["update_id"] != update["update_id"]
                    ]
                    continue
                webhook.last_error_date = _now()
                webhook.last_error_message = error or f"Wrong response from the webhook: {status}"
                self._cond.wait(0.5)

    # ---- update queue -----------------------------------------------------------------------

    def _update_allowed(self, update: Json) -> bool:
        kinds = set(update) - {"update_id"}
        if self._allowed_updates:
            return bool(kinds & set(self._allowed_updates))
        return not kinds <= OPT_IN_UPDATE_TYPES or not kinds

    def _deliverable(self) -> bool:
        self._updates = [u for u in self._updates if self._update_allowed(u)]
        return bool(self._updates)

    def _confirm(self, offset: Any) -> None:
        if not isinstance(offset, int) or offset == 0:
            return
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        else:
            self._updates = self._updates[offset:]

    # ---- bot-side objects -------------------------------------------------------------------

    def _bot_user(self, *, full: bool = False) -> Json:
        user: Json = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Coach",
            "username": self.bot_username,
        }
        if full:
            user.update(
                can_join_groups=True,
                can_read_all_group_messages=False,
                supports_inline_queries=False,
                can_connect_to_business=False,
                has_main_web_app=False,
            )
        return user

    def _chat_object(self, chat: ChatKey) -> Json:
        known = self._chats.get(chat)
        if known is not None:
            return copy.deepcopy(known)
        if isinstance(chat, str):
            return {"id": -1001000000001, "type": "channel", "title": chat, "username": chat[1:]}
        if chat > 0:
            user = self._users.get(chat, {})
            private: Json = {
                "id": chat,
                "type": "private",
                "first_name": user.get("first_name", "Ana"),
            }
            if "username" in user:
                private["username"] = user["username"]
            return private
        chat_type = "supergroup" if str(chat).startswith("-100") else "group"
        return {"id": chat, "type": chat_type, "title": "Test Group"}

    def _allocate_message_id(self, chat: ChatKey) -> int:
        message_id = self._next_message_id.get(chat, 1)
        self._next_message_id[chat] = message_id + 1
        return message_id

    def _require_chat(self, params: Json) -> ChatKey:
        if params.get("chat_id") in (None, ""):
            raise bad_request("chat_id is empty")
        return _chat_key(params["chat_id"])

    def _require_message_id(self, params: Json) -> int:
        message_id = params.get("message_id")
        if not isinstance(message_id, int) or isinstance(message_id, bool):
            raise bad_request("message identifier is not specified")
        return message_id

    def _format(
        self, value: Any, parse_mode: Any, entities: Any, *, caption: bool = False
    ) -> tuple[str, list[Json]]:
        text = "" if value is None else str(value)
        mode = str(parse_mode or "").strip().lower()
        if mode not in ("", "html", "markdown", "markdownv2"):
            raise bad_request("unsupported parse_mode")
        if mode == "html":
            try:
                plain, found = parse_html(text)
            except HtmlParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        else:
            plain, found = text, list(entities) if isinstance(entities, list) else []
        if not caption and not plain.strip():
            raise bad_request("message text is empty")
        if len(plain) > (MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH):
            raise bad_request("message caption is too long" if caption else "message is too long")
        return plain, found

    def _inline_markup(self, raw: Any) -> Json | None:
        """Validate ``reply_markup``; return it if it is an inline keyboard (else ``None``)."""
        if raw in (None, ""):
            return None
        if isinstance(raw, str):
            raw = _coerce("reply_markup", raw)
        if not isinstance(raw, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in raw:
            return None
        rows = raw["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton expected")
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not str(button.get("text", "")).strip():
                    raise bad_request("BUTTON_TEXT_INVALID")
                actions = set(button) - {"text"}
                if not actions:
                    raise bad_request(
                        "can't parse inline keyboard button: "
                        "Text buttons are unallowed in the inline keyboard"
                    )
                if "callback_data" in button:
                    size = len(str(button["callback_data"]).encode("utf-8"))
                    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
                        raise bad_request("BUTTON_DATA_INVALID")
                if "url" in button and not str(button["url"]).strip():
                    raise bad_request("BUTTON_URL_INVALID")
        if not any(rows):
            return None
        return copy.deepcopy(raw)

    def _new_bot_message(self, chat: ChatKey, params: Json) -> Json:
        reply_to: Json | None = None
        reply = params.get("reply_parameters")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else None
        reply_id = reply_id if reply_id is not None else params.get("reply_to_message_id")
        if isinstance(reply_id, int):
            reply_to = self._messages.get((chat, reply_id))
            allow = params.get("allow_sending_without_reply") or (
                isinstance(reply, dict) and reply.get("allow_sending_without_reply")
            )
            if reply_to is None and not allow:
                raise bad_request("message to be replied not found")
        message: Json = {
            "message_id": self._allocate_message_id(chat),
            "from": self._bot_user(),
            "chat": self._chat_object(chat),
            "date": _now(),
        }
        if reply_to is not None:
            message["reply_to_message"] = {
                k: copy.deepcopy(v) for k, v in reply_to.items() if k != "reply_to_message"
            }
        return message

    def _store(self, message: Json) -> Json:
        self._messages[(_chat_key(message["chat"]["id"]), message["message_id"])] = message
        return copy.deepcopy(message)

    def _editable(self, params: Json) -> Json:
        chat = self._require_chat(params)
        message = self._messages.get((chat, self._require_message_id(params)))
        if message is None:
            raise bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            raise bad_request("message can't be edited")
        return message

    @staticmethod
    def _set_optional(message: Json, key: str, value: Any) -> None:
        if value:
            message[key] = value
        else:
            message.pop(key, None)

    def _new_file(self, folder: str, extension: str, data: bytes) -> _StoredFile:
        number = next(self._file_counter)
        digest = hashlib.sha1(data + str(number).encode()).hexdigest()[:16]
        stored = _StoredFile(
            file_id=f"AgAD{folder[:3]}{number:06d}{digest}",
            file_unique_id=f"AQAD{number:06d}",
            file_path=f"{folder}/file_{number}{extension}",
            data=data,
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def _photo_sizes(self, width: int, height: int, data: bytes, extension: str) -> list[Json]:
        longest = max(width, height, 1)
        dimensions: list[tuple[int, int]] = []
        for limit in (90, 320, 800):
            if longest > limit:
                scale = limit / longest
                dimensions.append((max(1, round(width * scale)), max(1, round(height * scale))))
        if longest > 1280:
            scale = 1280 / longest
            dimensions.append((max(1, round(width * scale)), max(1, round(height * scale))))
        else:
            dimensions.append((width, height))
        sizes: list[Json] = []
        full_area = dimensions[-1][0] * dimensions[-1][1]
        for index, (w, h) in enumerate(dimensions):
            last = index == len(dimensions) - 1
            file_size = len(data) if last else max(1, len(data) * w * h // max(full_area, 1))
            stored = self._new_file("photos", extension, data)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": w,
                    "height": h,
                    "file_size": file_size,
                }
            )
        for size in sizes:
            self._photo_sets[size["file_id"]] = sizes
        return copy.deepcopy(sizes)

    @staticmethod
    def _input_file(params: Json, uploads: dict[str, Upload], name: str) -> Upload | str | None:
        value = params.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return uploads.get(value[len("attach://") :])
        if name in uploads:
            return uploads[name]
        return value if isinstance(value, str) and value else None

    def _media_message(self, params: Json) -> tuple[ChatKey, str, list[Json], Json | None]:
        chat = self._require_chat(params)
        caption, caption_entities = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        markup = self._inline_markup(params.get("reply_markup"))
        return chat, caption, caption_entities, markup

    def _finish_media(
        self,
        message: Json,
        caption: str,
        caption_entities: list[Json],
        markup: Json | None,
    ) -> Json:
        self._set_optional(message, "caption", caption)
        self._set_optional(message, "caption_entities", caption_entities)
        self._set_optional(message, "reply_markup", markup)
        return self._store(message)

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope if isinstance(scope, dict) and scope else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    # ---- API methods (``_api_<name>``; dispatch is case-insensitive) -----------------------

    def _api_getMe(self, params: Json, uploads: dict[str, Upload]) -> Json:
        return self._bot_user(full=True)

    def _api_logOut(self, params: Json, uploads: dict[str, Upload]) -> bool:
        return True

    def _api_close(self, params: Json, uploads: dict[str, Upload]) -> bool:
        return True

    def _api_getUpdates(self, params: Json, uploads: dict[str, Upload]) -> list[Json]:
        if self._webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        try:
            limit = min(max(int(params.get("limit") or 100), 1), 100)
            timeout = max(float(params.get("timeout") or 0), 0.0)
        except (TypeError, ValueError):
            raise bad_request("wrong parameter in getUpdates request") from None
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed] or None
        self._poll_generation += 1
        generation = self._poll_generation
        self._cond.notify_all()  # a poll still waiting is terminated by this one
        self._confirm(params.get("offset"))
        deadline = time.monotonic() + timeout
        while not self._deliverable() and not self._stopping:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            self._cond.wait(remaining)
            if self._poll_generation != generation:
                raise ApiError(409, DEFAULT_DESCRIPTIONS[409])
        return copy.deepcopy(self._updates[:limit])

    def _api_setWebhook(self, params: Json, uploads: dict[str, Upload]) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if url:
            try:
                _require_loopback(url)
            except ValueError as error:
                raise bad_request(f"bad webhook: {error}") from None
        if secret not in (None, "") and not _SECRET_RE.fullmatch(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed] or None
        max_connections = params.get("max_connections")
        self._webhook = (
            _Webhook(
                url=url,
                secret_token=str(secret) if secret else None,
                max_connections=max_connections if isinstance(max_connections, int) else 40,
            )
            if url
            else None
        )
        self._cond.notify_all()
        return True

    def _api_deleteWebhook(self, params: Json, uploads: dict[str, Upload]) -> bool:
        self._webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._cond.notify_all()
        return True

    def _api_getWebhookInfo(self, params: Json, uploads: dict[str, Upload]) -> Json:
        info: Json = {
            "url": self._webhook.url if self._webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self._webhook is not None:
            info["max_connections"] = self._webhook.max_connections
            info["ip_address"] = "127.0.0.1"
            if self._webhook.last_error_date is not None:
                info["last_error_date"] = self._webhook.last_error_date
                info["last_error_message"] = self._webhook.last_error_message
        if self._allowed_updates:
            info["allowed_updates"] = list(self._allowed_updates)
        return info

    def _api_setMyCommands(self, params: Json, uploads: dict[str, Upload]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        cleaned: list[Json] = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand")
            name, description = str(command.get("command", "")), str(command.get("description", ""))
            if not _BOT_COMMAND_RE.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = cleaned
        return True

    def _api_getMyCommands(self, params: Json, uploads: dict[str, Upload]) -> list[Json]:
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        return copy.deepcopy(self._commands.get(key, []))

    def _api_deleteMyCommands(self, params: Json, uploads: dict[str, Upload]) -> bool:
        self._commands.pop(
            self._commands_key(params.get("scope"), params.get("language_code")), None
        )
        return True

    def _api_setChatMenuButton(self, params: Json, uploads: dict[str, Upload]) -> bool:
        chat = _chat_key(params["chat_id"]) if params.get("chat_id") not in (None, "") else None
        button = params.get("menu_button")
        if button is not None and not (isinstance(button, dict) and "type" in button):
            raise bad_request("can't parse menu button JSON object")
        self._menu_buttons[chat] = copy.deepcopy(button) if button else {"type": "default"}
        return True

    def _api_getChatMenuButton(self, params: Json, uploads: dict[str, Upload]) -> Json:
        chat = _chat_key(params["chat_id"]) if params.get("chat_id") not in (None, "") else None
        button = self._menu_buttons.get(chat) or self._menu_buttons.get(None)
        return copy.deepcopy(button) if button else {"type": "default"}

    def _api_setMyDescription(self, params: Json, uploads: dict[str, Upload]) -> bool:
        self._profile["description"] = copy.deepcopy(params)
        return True

    def _api_setMyShortDescription(self, params: Json, uploads: dict[str, Upload]) -> bool:
        self._profile["short_description"] = copy.deepcopy(params)
        return True

    def _api_setMyName(self, params: Json, uploads: dict[str, Upload]) -> bool:
        self._profile["name"] = copy.deepcopy(params)
        return True

    def _api_sendMessage(self, params: Json, uploads: dict[str, Upload]) -> Json:
        chat = self._require_chat(params)
        text, entities = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = self._inline_markup(params.get("reply_markup"))
        message = self._new_bot_message(chat, params)
        message["text"] = text
        self._set_optional(message, "entities", entities)
        self._set_optional(message, "reply_markup", markup)
        return self._store(message)

    def _api_editMessageText(self, params: Json, uploads: dict[str, Upload]) -> Json | bool:
        text, entities = self._format(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = self._inline_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        if "text" not in message:
            raise bad_request("there is no text in the message to edit")
        if (text, entities, markup) == (
            message["text"],
            message.get("entities", []),
            message.get("reply_markup"),
        ):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        self._set_optional(message, "entities", entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    def _api_editMessageCaption(self, params: Json, uploads: dict[str, Upload]) -> Json | bool:
        caption, entities = self._format(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            caption=True,
        )
        markup = self._inline_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        if "text" in message:
            raise bad_request("there is no caption in the message to edit")
        if (caption, entities, markup) == (
            message.get("caption", ""),
            message.get("caption_entities", []),
            message.get("reply_markup"),
        ):
            raise ApiError(400, NOT_MODIFIED)
        self._set_optional(message, "caption", caption)
        self._set_optional(message, "caption_entities", entities)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    def _api_editMessageReplyMarkup(self, params: Json, uploads: dict[str, Upload]) -> Json | bool:
        markup = self._inline_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        message = self._editable(params)
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        self._set_optional(message, "reply_markup", markup)
        message["edit_date"] = _now()
        return copy.deepcopy(message)

    def _api_deleteMessage(self, params: Json, uploads: dict[str, Upload]) -> bool:
        key = (self._require_chat(params), self._require_message_id(params))
        if self._messages.pop(key, None) is None:
            raise bad_request("message to delete not found")
        return True

    def _api_answerCallbackQuery(self, params: Json, uploads: dict[str, Upload]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if self._callback_queries.get(query_id, True):  # unknown or already answered
            raise bad_request(QUERY_INVALID)
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._callback_queries[query_id] = True
        return True

    def _api_sendPhoto(self, params: Json, uploads: dict[str, Upload]) -> Json:
        chat, caption, caption_entities, markup = self._media_message(params)
        photo = self._input_file(params, uploads, "photo")
        if isinstance(photo, Upload):
            if not photo.data:
                raise bad_request("file must be non-empty")
            dimensions = image_size(photo.data)
            if dimensions is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            extension = ".png" if photo.data.startswith(b"\x89PNG") else ".jpg"
            sizes = self._photo_sizes(*dimensions, photo.data, extension)
        elif isinstance(photo, str) and photo in self._photo_sets:
            sizes = copy.deepcopy(self._photo_sets[photo])
        elif isinstance(photo, str) and photo.startswith(("http://", "https://")):
            sizes = self._photo_sizes(800, 600, b"", ".jpg")
        elif photo is None:
            raise bad_request("there is no photo in the request")
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        message = self._new_bot_message(chat, params)
        message["photo"] = sizes
        return self._finish_media(message, caption, caption_entities, markup)

    def _api_sendDocument(self, params: Json, uploads: dict[str, Upload]) -> Json:
        chat, caption, caption_entities, markup = self._media_message(params)
        document = self._input_file(params, uploads, "document")
        if isinstance(document, Upload):
            if not document.data:
                raise bad_request("file must be non-empty")
            mime = document.content_type
            if not mime or mime == "application/octet-stream":
                mime = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
            suffix = document.filename.rpartition(".")[2] if "." in document.filename else ""
            extension = f".{suffix}" if suffix else ""
            stored = self._new_file("documents", extension, document.data)
            info: Json = {
                "file_name": document.filename,
                "mime_type": mime,
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(document.data),
            }
            self._documents[stored.file_id] = info
        elif isinstance(document, str) and document in self._documents:
            info = copy.deepcopy(self._documents[document])
        elif isinstance(document, str) and document.startswith(("http://", "https://")):
            name = urllib.parse.urlsplit(document).path.rsplit("/", 1)[-1] or "file"
            stored = self._new_file("documents", "", b"")
            info = {
                "file_name": name,
                "mime_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": 0,
            }
            self._documents[stored.file_id] = info
        elif document is None:
            raise bad_request("there is no document in the request")
        else:
            raise bad_request("wrong file identifier/HTTP URL specified")
        message = self._new_bot_message(chat, params)
        message["document"] = info
        return self._finish_media(message, caption, caption_entities, markup)

    def _api_sendChatAction(self, params: Json, uploads: dict[str, Upload]) -> bool:
        self._require_chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _api_getChat(self, params: Json, uploads: dict[str, Upload]) -> Json:
        chat = self._chat_object(self._require_chat(params))
        chat.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        )
        return chat

    def _api_getFile(self, params: Json, uploads: dict[str, Upload]) -> Json:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }


# --------------------------------------------------------------------------------------------
# Standalone
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the fake Telegram Bot API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--bot-username", default="CoachTestBot")
    args = parser.parse_args(argv)
    server = FakeTelegramServer(
        token=args.token, bot_username=args.bot_username, host=args.host, port=args.port
    )
    # Ctrl-C and SIGTERM both stop the server, even when started from a non-interactive shell.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    server.start()
    print(server.base_url, flush=True)
    print(f"token {server.token}; Ctrl-C to stop", file=sys.stderr, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
