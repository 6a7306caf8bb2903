"""The Bot API on the wire: errors, request parsing, and the JSON shapes of its objects.

Requests come as a query string and a urlencoded, JSON or multipart body (PTB form-encodes
objects as JSON strings); answers are ``{"ok": true, "result": ...}`` or an :class:`ApiError`.
"""

from __future__ import annotations

import copy
import json
import re
import struct
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

from fake_bot_api.entities import HtmlParseError, parse_html, utf16_len

Json = dict[str, Any]
ChatKey = int | str

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 512
MAX_SHORT_DESCRIPTION_LENGTH = 120

#: Parameters whose string values are JSON-decoded.
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
        "allow_paid_broadcast",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "has_spoiler",
        "disable_content_type_detection",
        "show_caption_above_media",
    }
)

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: BLOCKED,
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

#: Each ``BotCommandScope`` type with the fields that name its chat (and member).
COMMAND_SCOPES: dict[str, tuple[str, ...]] = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}

_INT_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")
_LANGUAGE_RE = re.compile(r"[a-z]{2}")


# --- errors and uploads -------------------------------------------------------------------


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


def json_bytes(body: Json) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


# --- requests -----------------------------------------------------------------------------


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


def coerce(name: str, value: Any) -> Any:
    """A form value as the Bot API reads it: JSON objects, integers and booleans decoded."""
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
    return {name: coerce(name, value) for name, value in raw.items()}, uploads


def chat_key(value: Any) -> ChatKey:
    """A ``chat_id`` as Telegram reads it: an integer, or an ``@username``."""
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


def optional_chat(params: Json) -> ChatKey | None:
    return chat_key(params["chat_id"]) if params.get("chat_id") not in (None, "") else None


def require_chat(params: Json) -> ChatKey:
    if params.get("chat_id") in (None, ""):
        raise bad_request("chat_id is empty")
    return chat_key(params["chat_id"])


def require_message_id(params: Json) -> int:
    message_id = params.get("message_id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise bad_request("message identifier is not specified")
    return message_id


def command_scope(scope: Any) -> str:
    """A ``BotCommandScope`` as a key: its type and ids, normalised (none: the default scope)."""
    if scope in (None, "", {}):
        scope = {"type": "default"}
    if not isinstance(scope, dict):
        raise bad_request("can't parse BotCommandScope JSON object")
    kind = str(scope.get("type", ""))
    if kind not in COMMAND_SCOPES:
        raise bad_request("unsupported bot command scope type")
    normal: Json = {"type": kind}
    for name in COMMAND_SCOPES[kind]:
        if scope.get(name) in (None, ""):
            raise bad_request(f"{name} is empty")
        key = chat_key(scope[name])
        if name == "user_id" and not isinstance(key, int):
            raise bad_request("invalid user_id specified")
        normal[name] = key
    return json.dumps(normal, sort_keys=True)


def language_code(params: Json) -> str:
    """The ``language_code`` of a setMy* call: two lower-case letters (ISO 639-1), or none."""
    code = str(params.get("language_code") or "")
    if code and not _LANGUAGE_RE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code


def input_file(params: Json, uploads: dict[str, Upload], name: str) -> Upload | str | None:
    """The file of parameter ``name``: an upload (also by ``attach://``), a string, or none."""
    value = params.get(name)
    if isinstance(value, str) and value.startswith("attach://"):
        return uploads.get(value[len("attach://") :])
    if name in uploads:
        return uploads[name]
    return value if isinstance(value, str) and value else None


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


# --- text and keyboards the bot sends ------------------------------------------------------


def format_text(
    value: Any, parse_mode: Any, entities: Any, *, caption: bool = False
) -> tuple[str, list[Json]]:
    """``(plain_text, entities)`` of a text or caption; HTML is parsed, Markdown is not."""
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


def inline_markup(raw: Any) -> Json | None:
    """Validate ``reply_markup``; return it if it is an inline keyboard (else ``None``)."""
    if raw in (None, ""):
        return None
    if isinstance(raw, str):
        raw = coerce("reply_markup", raw)
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


def callback_datas(message: Json) -> list[str]:
    """The ``callback_data`` of every button a message shows."""
    markup = message.get("reply_markup") or {}
    return [
        str(button["callback_data"])
        for row in markup.get("inline_keyboard", [])
        for button in row
        if "callback_data" in button
    ]


def command_entities(text: str) -> list[Json]:
    """The ``bot_command`` entity Telegram adds to a message starting with a command."""
    match = _COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


def set_optional(message: Json, key: str, value: Any) -> None:
    """Telegram leaves out empty fields: set ``key`` if ``value`` is truthy, else drop it."""
    if value:
        message[key] = value
    else:
        message.pop(key, None)


# --- objects ------------------------------------------------------------------------------


def now() -> int:
    return int(time.time())


def bot_user(bot_id: int, username: str, *, full: bool = False) -> Json:
    """The bot as a ``User``; ``full`` adds the fields only getMe returns."""
    user: Json = {"id": bot_id, "is_bot": True, "first_name": "Coach", "username": username}
    if full:
        user.update(
            can_join_groups=True,
            can_read_all_group_messages=False,
            supports_inline_queries=False,
            can_connect_to_business=False,
            has_main_web_app=False,
        )
    return user


def human_user(user_id: int, first_name: str, language_code: str, username: str | None) -> Json:
    user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def private_chat(chat_id: ChatKey, user: Json) -> Json:
    chat: Json = {"id": chat_id, "type": "private", "first_name": user.get("first_name", "Ana")}
    if "username" in user:
        chat["username"] = user["username"]
    return chat


def group_chat(chat_id: ChatKey, chat_type: str) -> Json:
    return {"id": chat_id, "type": chat_type, "title": "Test Group"}


def chat_member(user: Json, status: str) -> Json:
    member: Json = {"user": user, "status": status}
    if status == "kicked":
        member["until_date"] = 0
    return member
