"""Hostile and odd input: generated updates, other update kinds, and logs without secrets."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram import Update

from bot.adapters.telegram.context import CoachApplication
from bot.app import build_application
from bot.features.base import Services
from bot.logs import RedactTokens, setup_logging
from bot.store import privacy
from bot.store.models import User
from tests.fakes.recording import RecordingRequest
from tests.telegram.conftest import GIVING_HEAVY, Chat, run_checkin

VICTIM = 1
ATTACKERS = (2, 3, 4, -1001)
STICKER = {
    "file_id": "s",
    "file_unique_id": "s",
    "type": "regular",
    "width": 1,
    "height": 1,
    "is_animated": False,
    "is_video": False,
}
_update_ids = count(10_000)

odd_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        [
            "\u202eevil",
            "mys\u200btery",
            "٨:٣٠",
            "𝓽𝓲𝓹",
            "🙂" * 50,
            "\x00\x07",
            "a" * 5000,
            "Europe/Berlin\u200f",
            "/" * 10,
            "@",
            " ",
            "",
        ]
    ),
)
commands = st.sampled_from(
    [
        "/start",
        "/help",
        "/tip",
        "/nudges",
        "/timezone",
        "/settings",
        "/stop",
        "/checkin",
        "/history",
        "/trend",
        "/privacy",
        "/export",
        "/delete",
        "/stats",
        "/nope",
        "/tip@CoachTestBot",
        "/tip@OtherBot",
        "/start@CoachTestBot",
    ]
)
callback_data = st.one_of(
    st.text(max_size=70),
    st.builds(
        lambda p, rest: f"{p}:{rest}",
        st.sampled_from(["tip", "st", "nd", "ci", "del", "zz"]),
        st.text(max_size=40),
    ),
    st.sampled_from(
        [
            "ci:1:0:5",
            "ci:1:go",
            "ci:1:fix",
            "nd:later:1",
            "ci:1:3:x",
            "del:yes",
            "st:tz:Europe/Berlin",
            "ci:rem:on",
            "ci:99999999999999999999:0:1",
        ]
    ),
)


def user(uid: int) -> dict[str, Any]:
    return {"id": abs(uid), "is_bot": False, "first_name": "Zed", "language_code": "xx"}


def chat_of(uid: int, kind: str) -> dict[str, Any]:
    if kind == "private":
        return {"id": abs(uid), "type": "private", "first_name": "Zed"}
    return {"id": -100123, "type": kind, "title": "Some group"}


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    uid = draw(st.sampled_from(ATTACKERS))
    kind = draw(st.sampled_from(["private", "private", "group", "supergroup"]))
    base = {
        "message_id": draw(st.integers(1, 10**6)),
        "date": 0,
        "chat": chat_of(uid, kind),
        "from": user(uid),
    }
    shape = draw(
        st.sampled_from(
            [
                "command",
                "text",
                "button",
                "edited",
                "channel",
                "inline",
                "poll",
                "sticker",
                "photo",
                "location",
                "member",
                "empty",
            ]
        )
    )
    update: dict[str, Any] = {"update_id": next(_update_ids)}
    if shape == "command":
        name = draw(commands)
        text = f"{name} {draw(odd_text)}".strip()
        update["message"] = {
            **base,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(name)}],
        }
    elif shape == "text":
        update["message"] = {**base, "text": draw(odd_text) or "x"}
    elif shape == "button":
        update["callback_query"] = {
            "id": str(next(_update_ids)),
            "from": user(uid),
            "chat_instance": "c",
            "data": draw(callback_data),
            "message": {
                **base,
                "from": {"id": 123456, "is_bot": True, "first_name": "C"},
                "text": "old",
            },
        }
    elif shape == "edited":
        update["edited_message"] = {**base, "text": "/tip", "edit_date": 1}
    elif shape == "channel":
        update["channel_post"] = {
            "message_id": 1,
            "date": 0,
            "text": "/tip",
            "chat": {"id": -1009, "type": "channel", "title": "C"},
        }
    elif shape == "inline":
        update["inline_query"] = {
            "id": "1",
            "from": user(uid),
            "query": draw(odd_text),
            "offset": "",
        }
    elif shape == "poll":  # a poll answer from someone: nothing for this bot to do
        update["poll_answer"] = {
            "poll_id": "p",
            "user": user(uid),
            "option_ids": [0],
            "option_persistent_ids": ["a"],
        }
    elif shape == "sticker":
        update["message"] = {**base, "sticker": STICKER}
    elif shape == "photo":
        update["message"] = {
            **base,
            "photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
            "caption": draw(odd_text),
        }
    elif shape == "location":
        update["message"] = {
            **base,
            "location": {
                "latitude": draw(st.floats(-90, 90)),
                "longitude": draw(st.floats(-180, 180)),
            },
        }
    elif shape == "member":
        update["my_chat_member"] = {
            "chat": chat_of(uid, kind),
            "from": user(uid),
            "date": 0,
            "old_chat_member": {"user": user(123456), "status": "member"},
            "new_chat_member": {
                "user": user(123456),
                "status": draw(st.sampled_from(["kicked", "member", "left"])),
                "until_date": 0,
            },
        }
    return update


class Harness:
    def __init__(self, services: Services) -> None:
        self.loop = asyncio.new_event_loop()
        self.request = RecordingRequest()
        self.app: CoachApplication = build_application(services, self.request)
        self.errors: list[BaseException] = []

        async def record(update: object, context: Any) -> None:
            self.errors.append(context.error)

        self.app.add_error_handler(record)
        self.run(self.app.initialize())

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    def feed(self, raw: dict[str, Any]) -> None:
        self.run(self.app.process_update(Update.de_json(raw, self.app.bot)))

    def close(self) -> None:
        self.run(self.app.shutdown())
        self.loop.close()


@pytest.fixture
def harness(services: Services) -> Iterator[Harness]:
    h = Harness(services)
    # The victim: settings, tips, a finished check-in and an open one.
    chat = Chat(h.app, h.request, services)
    h.run(chat.send("/nudges 07:15", user_id=VICTIM))
    h.run(run_checkin(chat, GIVING_HEAVY, user_id=VICTIM))
    h.run(chat.send("/checkin", user_id=VICTIM))
    yield h
    h.close()


def victim_data(services: Services) -> dict[str, object]:
    with services.session_factory() as session:
        victim = session.scalars(select(User).where(User.platform_user_id == VICTIM)).one()
        return privacy.export_user(session=session, user=victim)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=st.lists(updates(), min_size=5, max_size=30))
def test_generated_updates_never_crash_or_touch_another_users_data(
    harness: Harness, services: Services, batch: list[dict[str, Any]]
) -> None:
    before = victim_data(services)
    for raw in batch:
        harness.feed(raw)
    assert harness.errors == []
    assert victim_data(services) == before
    since = len(harness.request.calls)
    harness.feed(
        {
            "update_id": next(_update_ids),
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": chat_of(5, "private"),
                "from": user(5),
                "text": "/tip",
                "entities": [{"type": "bot_command", "offset": 0, "length": 4}],
            },
        }
    )
    replies = [c for c in harness.request.calls[since:] if c.method == "sendMessage"]
    assert len(replies) == 1 and "Today's tip" in str(replies[0].params["text"])


async def test_other_update_kinds_are_ignored_or_answered_briefly(chat: Chat) -> None:
    await chat.process(
        {
            "update_id": 1,
            "edited_message": {
                "message_id": 1,
                "date": 0,
                "edit_date": 1,
                "text": "/tip",
                "chat": {"id": 42, "type": "private"},
                "from": user(42),
            },
        }
    )
    await chat.process(
        {
            "update_id": 2,
            "channel_post": {
                "message_id": 1,
                "date": 0,
                "text": "/tip",
                "chat": {"id": -5, "type": "channel"},
            },
        }
    )
    assert chat.replies() == []
    await chat.send(
        "",
        sticker=STICKER,
    )
    assert "/help" in chat.last_reply()  # a sticker in private: a short pointer
    await chat.send("hello all", chat_id=-100, chat_type="group")
    assert len(chat.replies()) == 1  # group chatter is not answered


async def test_a_handler_error_is_logged_with_the_update_id_and_the_user_gets_an_apology(
    chat: Chat, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.features import dispatch

    def broken(ctx: object, args: str) -> list[object]:
        raise RuntimeError("boom 123456:SECRETTOKENSECRETTOKEN")

    # The registry holds the handlers: replacing /tip's entry is what breaks /tip.
    commands = [
        c if c.name != "tip" else dataclasses.replace(c, handler=broken) for c in dispatch.COMMANDS
    ]
    monkeypatch.setattr(dispatch, "COMMANDS", commands)
    with caplog.at_level(logging.ERROR):
        await chat.send("/tip my secret words")
    assert chat.last_reply().startswith("Sorry, something went wrong")
    record = next(r for r in caplog.records if "error handling update" in r.getMessage())
    assert "RuntimeError" in record.getMessage()
    await chat.send("/help")
    assert "What I can do" in chat.last_reply()  # still running


TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_logs_never_show_the_token_or_token_urls(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(logging.INFO)
    log = logging.getLogger("httpx.fake")
    log.warning(
        "HTTP Request: POST https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getUpdates"
    )
    try:
        raise ValueError("bad token 123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    except ValueError:
        logging.getLogger("bot").exception(
            "failed with %s", "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
        )
    err = capsys.readouterr().err
    assert TOKEN.split(":")[1] not in err
    assert "/bot<token>/getUpdates" in err and "<token>" in err
    assert any(isinstance(f, RedactTokens) for h in logging.getLogger().handlers for f in h.filters)
