"""The Bot API methods the bot calls, one handler each.

A handler takes the server's :class:`State` (its lock held), the request's parameters and its
uploaded files, and returns the ``result`` or raises :class:`ApiError`. Any other method is
answered ``404 Not Found: method not found``, as Telegram does.
"""

from __future__ import annotations

import copy
import mimetypes
import re
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from fake_bot_api import wire
from fake_bot_api.state import State, Webhook
from fake_bot_api.wire import DEFAULT_DESCRIPTIONS, NOT_MODIFIED, ApiError, Json, Upload

Handler = Callable[[State, Json, dict[str, Upload]], Any]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


def require_loopback(url: str) -> None:
    """The fake only ever talks to this machine."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"webhook URL must point to 127.0.0.1, got {url!r}")


# ---- the bot itself, updates and the webhook ----------------------------------------------


def get_me(state: State, params: Json, uploads: dict[str, Upload]) -> Json:
    return state.bot_user(full=True)


def get_updates(state: State, params: Json, uploads: dict[str, Upload]) -> list[Json]:
    """Long polling: confirm ``offset``, then wait up to ``timeout`` for updates."""
    if state.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    try:
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
    except (TypeError, ValueError):
        raise wire.bad_request("wrong parameter in getUpdates request") from None
    state.set_allowed_updates(params.get("allowed_updates"))
    state.poll_generation += 1
    generation = state.poll_generation
    state.cond.notify_all()  # a poll still waiting is terminated by this one
    state.confirm(params.get("offset"))
    deadline = time.monotonic() + timeout
    while not state.deliverable() and not state.stopping:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        state.cond.wait(remaining)
        if state.poll_generation != generation:
            raise ApiError(409, DEFAULT_DESCRIPTIONS[409])
    return copy.deepcopy(state.updates[:limit])


def set_webhook(state: State, params: Json, uploads: dict[str, Upload]) -> bool:
    url = str(params.get("url") or "")
    secret = params.get("secret_token")
    if url:
        try:
            require_loopback(url)
        except ValueError as error:
            raise wire.bad_request(f"bad webhook: {error}") from None
    if secret not in (None, "") and not _SECRET_RE.fullmatch(str(secret)):
        raise wire.bad_request("secret token contains unallowed characters")
    if params.get("drop_pending_updates"):
        state.updates.clear()
    state.set_allowed_updates(params.get("allowed_updates"))
    state.webhook = Webhook(url, str(secret) if secret else None) if url else None
    state.cond.notify_all()
    return True


def delete_webhook(state: State, params: Json, uploads: dict[str, Upload]) -> bool:
    state.webhook = None
    if params.get("drop_pending_updates"):
        state.updates.clear()
    state.cond.notify_all()
    return True


# ---- the bot's profile: commands and descriptions -----------------------------------------


def set_my_commands(state: State, params: Json, uploads: dict[str, Upload]) -> bool:
    """Keeps the commands per (scope, language_code), as Telegram shows them."""
    commands = params.get("commands")
    if not isinstance(commands, list):
        raise wire.bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise wire.bad_request("too many commands")
    cleaned: list[Json] = []
    for command in commands:
        if not isinstance(command, dict):
            raise wire.bad_request("can't parse BotCommand")
        name, description = str(command.get("command", "")), str(command.get("description", ""))
        if not _BOT_COMMAND_RE.fullmatch(name):
            raise wire.bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256:
            raise wire.bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": name, "description": description})
    key = (wire.command_scope(params.get("scope")), wire.language_code(params))
    state.bot_commands[key] = cleaned
    return True


def _set_description(state: State, params: Json, name: str, limit: int) -> bool:
    text = str(params.get(name) or "")
    if len(text) > limit:
        raise wire.bad_request(f"{name.replace('_', ' ')} is too long")
    key = (name, wire.language_code(params))
    if text:
        state.bot_descriptions[key] = text
    else:  # an empty one removes it for that language
        state.bot_descriptions.pop(key, None)
    return True


def set_my_description(state: State, params: Json, uploads: dict[str, Upload]) -> bool:
    return _set_description(state, params, "description", wire.MAX_DESCRIPTION_LENGTH)


def set_my_short_description(state: State, params: Json, uploads: dict[str, Upload]) -> bool:
    return _set_description(state, params, "short_description", wire.MAX_SHORT_DESCRIPTION_LENGTH)


# ---- messages ------------------------------------------------------------------------------


def send_message(state: State, params: Json, uploads: dict[str, Upload]) -> Json:
    chat = wire.require_chat(params)
    text, entities = wire.format_text(
        params.get("text"), params.get("parse_mode"), params.get("entities")
    )
    markup = wire.inline_markup(params.get("reply_markup"))
    message = state.new_bot_message(chat, params)
    message["text"] = text
    wire.set_optional(message, "entities", entities)
    wire.set_optional(message, "reply_markup", markup)
    return state.store(message)


def edit_message_text(state: State, params: Json, uploads: dict[str, Upload]) -> Json | bool:
    text, entities = wire.format_text(
        params.get("text"), params.get("parse_mode"), params.get("entities")
    )
    markup = wire.inline_markup(params.get("reply_markup"))
    if params.get("inline_message_id"):
        return True
    message = state.editable(params)
    if "text" not in message:
        raise wire.bad_request("there is no text in the message to edit")
    if (text, entities, markup) == (
        message["text"],
        message.get("entities", []),
        message.get("reply_markup"),
    ):
        raise ApiError(400, NOT_MODIFIED)
    message["text"] = text
    wire.set_optional(message, "entities", entities)
    wire.set_optional(message, "reply_markup", markup)
    message["edit_date"] = wire.now()
    return copy.deepcopy(message)


def answer_callback_query(state: State, params: Json, uploads: dict[str, Upload]) -> bool:
    """Once per query, for queries the fake created (``user_presses``)."""
    query_id = str(params.get("callback_query_id") or "")
    if state.callback_queries.get(query_id, True):  # unknown or already answered
        raise wire.bad_request(wire.QUERY_INVALID)
    if len(str(params.get("text") or "")) > wire.MAX_CALLBACK_ANSWER_LENGTH:
        raise wire.bad_request("MESSAGE_TOO_LONG")
    state.callback_queries[query_id] = True
    return True


# ---- files: uploads only (the bot never sends by file_id or URL, nor downloads) ------------


def _upload(params: Json, uploads: dict[str, Upload], name: str) -> Upload:
    upload = wire.input_file(params, uploads, name)
    if upload is None:
        raise wire.bad_request(f"there is no {name} in the request")
    if not isinstance(upload, Upload):
        raise wire.bad_request("wrong file identifier/HTTP URL specified")
    if not upload.data:
        raise wire.bad_request("file must be non-empty")
    return upload


def _send_media(
    state: State,
    params: Json,
    uploads: dict[str, Upload],
    kind: str,
    media: Callable[[Upload], Any],
) -> Json:
    """A photo or document message: chat, caption and keyboard checked first, then the file."""
    chat = wire.require_chat(params)
    caption, caption_entities = wire.format_text(
        params.get("caption"),
        params.get("parse_mode"),
        params.get("caption_entities"),
        caption=True,
    )
    markup = wire.inline_markup(params.get("reply_markup"))
    content = media(_upload(params, uploads, kind))
    message = state.new_bot_message(chat, params)
    message[kind] = content
    wire.set_optional(message, "caption", caption)
    wire.set_optional(message, "caption_entities", caption_entities)
    wire.set_optional(message, "reply_markup", markup)
    return state.store(message)


def _photo_sizes(state: State, width: int, height: int, data: bytes) -> list[Json]:
    """The sizes Telegram makes of a photo: thumbnails of 90, 320 and 800 px, at most 1280."""
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
        file_id, unique_id = state.new_file("photos", data)
        sizes.append(
            {
                "file_id": file_id,
                "file_unique_id": unique_id,
                "width": w,
                "height": h,
                "file_size": file_size,
            }
        )
    return sizes


def send_photo(state: State, params: Json, uploads: dict[str, Upload]) -> Json:
    """Photos must be real PNG, JPEG or GIF images (otherwise ``IMAGE_PROCESS_FAILED``)."""

    def sizes(photo: Upload) -> list[Json]:
        dimensions = wire.image_size(photo.data)
        if dimensions is None:
            raise wire.bad_request("IMAGE_PROCESS_FAILED")
        return _photo_sizes(state, *dimensions, photo.data)

    return _send_media(state, params, uploads, "photo", sizes)


def send_document(state: State, params: Json, uploads: dict[str, Upload]) -> Json:
    def info(document: Upload) -> Json:
        mime = document.content_type
        if not mime or mime == "application/octet-stream":
            mime = mimetypes.guess_type(document.filename)[0] or "application/octet-stream"
        file_id, unique_id = state.new_file("documents", document.data)
        return {
            "file_name": document.filename,
            "mime_type": mime,
            "file_id": file_id,
            "file_unique_id": unique_id,
            "file_size": len(document.data),
        }

    return _send_media(state, params, uploads, "document", info)


#: lower-case name -> (name, handler); dispatch is case-insensitive, like Telegram's.
METHODS: dict[str, tuple[str, Handler]] = {
    name.lower(): (name, handler)
    for name, handler in {
        "getMe": get_me,
        "getUpdates": get_updates,
        "setWebhook": set_webhook,
        "deleteWebhook": delete_webhook,
        "setMyCommands": set_my_commands,
        "setMyDescription": set_my_description,
        "setMyShortDescription": set_my_short_description,
        "sendMessage": send_message,
        "editMessageText": edit_message_text,
        "answerCallbackQuery": answer_callback_query,
        "sendPhoto": send_photo,
        "sendDocument": send_document,
    }.items()
}
