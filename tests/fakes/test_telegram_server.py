"""The fake Bot API server speaks well enough to the real PTB ``telegram.Bot``."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import struct
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakes.telegram_server import FakeTelegramServer, parse_html

TOKEN = "123456:TEST"
USER = 42

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def png(width: int, height: int) -> bytes:
    """A valid grey PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def raw_call(url: str, data: bytes | None = None, content_type: str = "") -> tuple[int, Any]:
    request = urllib.request.Request(url, data=data)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with _OPENER.open(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest.fixture
def srv() -> Iterator[FakeTelegramServer]:
    with FakeTelegramServer(token=TOKEN) as server:
        yield server
    assert server.internal_errors() == []


@pytest.fixture
async def bot(srv: FakeTelegramServer) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, base_url=f"{srv.base_url}/bot", base_file_url=f"{srv.base_url}/file/bot")
    async with bot:
        yield bot


async def test_get_me(bot: Bot, srv: FakeTelegramServer) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (123456, "CoachTestBot", "Coach", True)
    assert me.can_join_groups is True
    assert me.can_read_all_group_messages is False
    assert me.supports_inline_queries is False
    assert srv.calls("getMe")[0].ok


async def test_message_keyboard_edit_and_callback(bot: Bot, srv: FakeTelegramServer) -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Yes", callback_data="tip:yes")],
            [InlineKeyboardButton("No", callback_data="tip:no")],
        ]
    )
    sent = await bot.send_message(
        USER, "Hi <b>Ana</b> &amp; 😀", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    assert sent.text == "Hi Ana & 😀"
    assert sent.text_html == "Hi <b>Ana</b> &amp; 😀"
    assert sent.reply_markup == markup
    assert sent.chat.type == "private" and sent.chat.id == USER
    assert sent.from_user is not None and sent.from_user.username == "CoachTestBot"
    call = srv.delivered("sendMessage", USER)[0]
    assert call.params["chat_id"] == USER
    assert call.text == "Hi <b>Ana</b> &amp; 😀"
    assert call.buttons() == [("Yes", "tip:yes"), ("No", "tip:no")]

    query_id = srv.user_presses(USER, sent.message_id, "tip:yes")
    (update,) = await bot.get_updates(timeout=0)
    assert update.callback_query is not None
    assert update.callback_query.id == query_id
    assert update.callback_query.data == "tip:yes"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query_id, text="Noted") is True
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query_id)

    edited = await bot.edit_message_text("Thanks!", chat_id=USER, message_id=sent.message_id)
    assert isinstance(edited, type(sent)) and edited.text == "Thanks!"
    assert edited.reply_markup is None  # editMessageText without markup drops the keyboard
    state = srv.message(USER, sent.message_id)
    assert state is not None and state["text"] == "Thanks!" and "reply_markup" not in state
    assert srv.last_message_to(USER) == state
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Thanks!", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)
    with pytest.raises(ValueError, match="no button"):
        srv.user_presses(USER, sent.message_id, "tip:yes")  # the keyboard is gone

    assert [c.method for c in srv.sent_to(USER)] == [
        "sendMessage",
        "editMessageText",
        "editMessageText",
        "editMessageText",
    ]
    assert len([c for c in srv.sent_to(USER) if c.ok]) == 2


async def test_photo_and_document_uploads(bot: Bot, srv: FakeTelegramServer) -> None:
    image = png(400, 200)
    photo_message = await bot.send_photo(USER, image, caption="<i>Your week</i>", parse_mode="HTML")
    largest = photo_message.photo[-1]
    assert (largest.width, largest.height, largest.file_size) == (400, 200, len(image))
    assert photo_message.photo[0].width == 90
    assert photo_message.caption == "Your week"
    upload = srv.calls("sendPhoto")[0].files["photo"]
    assert upload[1] == image
    downloaded = await (await bot.get_file(largest.file_id)).download_as_bytearray()
    assert bytes(downloaded) == image

    doc_message = await bot.send_document(USER, b"hello, world", filename="notes.txt")
    assert doc_message.document is not None
    assert doc_message.document.file_name == "notes.txt"
    assert doc_message.document.mime_type == "text/plain"
    assert doc_message.document.file_size == 12
    assert srv.calls("sendDocument")[0].files["document"] == ("notes.txt", b"hello, world")

    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(USER, b"not an image")


async def test_commands_and_chat_action(bot: Bot, srv: FakeTelegramServer) -> None:
    assert await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    commands = await bot.get_my_commands()
    assert [(c.command, c.description) for c in commands] == [("start", "Start"), ("help", "Help")]
    assert srv.calls("setMyCommands")[0].params["commands"][0] == {
        "command": "start",
        "description": "Start",
    }
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    assert await bot.send_chat_action(USER, "typing")


async def test_get_updates_offsets(bot: Bot, srv: FakeTelegramServer) -> None:
    first = srv.user_sends(USER, "/start")
    second = srv.user_sends(USER, "/start@CoachTestBot hello 😀")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [first, second]
    assert updates[0].message is not None and updates[0].message.text == "/start"
    entity = updates[1].message.entities[0] if updates[1].message else None
    assert entity is not None and (entity.type, entity.offset, entity.length) == (
        "bot_command",
        0,
        19,
    )
    assert len(await bot.get_updates(timeout=0)) == 2  # not confirmed yet
    assert [u.update_id for u in await bot.get_updates(offset=second, timeout=0)] == [second]
    assert await bot.get_updates(offset=second + 1, timeout=0) == ()
    assert srv.pending_updates() == []


async def test_long_poll_returns_early(bot: Bot, srv: FakeTelegramServer) -> None:
    timer = threading.Timer(0.3, srv.user_sends, args=(USER, "hello"))
    timer.start()
    started = time.monotonic()
    updates = await bot.get_updates(timeout=2)
    elapsed = time.monotonic() - started
    timer.join()
    assert 0.2 < elapsed < 1.5
    assert [u.message.text for u in updates if u.message] == ["hello"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_retry_after(bot: Bot, srv: FakeTelegramServer) -> None:
    srv.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "one")
    assert seconds(caught.value.retry_after) == 7
    await bot.send_message(USER, "two")
    assert [c.failed_status for c in srv.calls("sendMessage")] == [429, None]
    assert [c.text for c in srv.delivered()] == ["two"]
    assert srv.calls("sendMessage")[0].description == "Too Many Requests: retry after 7"


async def test_blocked_user_is_forbidden(bot: Bot, srv: FakeTelegramServer) -> None:
    srv.bot_blocked_by(USER)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(USER, "hello?")
    (update,) = await bot.get_updates(timeout=0)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    assert update.my_chat_member.old_chat_member.status == "member"
    srv.bot_unblocked_by(USER)
    assert (await bot.send_message(USER, "welcome back")).text == "welcome back"


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>unclosed", r"(?i)can't parse entities"),
        ("<script>x</script>", r"(?i)can't parse entities"),
        ("Tom & Jerry", r"(?i)can't parse entities"),
        ("<b><i>x</b></i>", r"(?i)can't parse entities"),
        ("", r"(?i)message text is empty"),
        ("x" * 4097, r"(?i)message is too long"),
    ],
)
async def test_bad_requests(bot: Bot, text: str, error: str) -> None:
    with pytest.raises(BadRequest, match=error):
        await bot.send_message(USER, text, parse_mode=ParseMode.HTML)


async def test_callback_data_too_long(bot: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(USER, "x", reply_markup=markup)


async def test_unknown_token(srv: FakeTelegramServer) -> None:
    stranger = Bot("999:WRONG", base_url=f"{srv.base_url}/bot")
    with pytest.raises(InvalidToken):
        async with stranger:
            pass
    assert srv.calls()[0].failed_status == 401


async def test_application_polling_round_trip(srv: FakeTelegramServer) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
        await update.effective_message.reply_text(
            "Hi <b>there</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard
        )

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Gone")

    app = Application.builder().token(TOKEN).base_url(f"{srv.base_url}/bot").build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(press))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10)
        srv.user_sends(USER, "/start")
        reply = await asyncio.to_thread(srv.wait_for, lambda c: c.method == "sendMessage", 5)
        mark = srv.call_count()
        srv.user_presses(USER, reply.result["message_id"], "go")
        edit = await asyncio.to_thread(
            srv.wait_for, lambda c: c.method == "editMessageText", 5, since=mark
        )
        await app.updater.stop()
        await app.stop()
    assert reply.ok and reply.result["entities"] == [{"type": "bold", "offset": 3, "length": 5}]
    assert edit.ok and srv.last_message_to(USER) == srv.message(USER, reply.result["message_id"])
    assert [c.ok for c in srv.calls("answerCallbackQuery")] == [True]


def test_raw_http_contract(srv: FakeTelegramServer) -> None:
    assert raw_call(f"{srv.api_url}/nosuchMethod") == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert raw_call(f"{srv.base_url}/bot1:NOPE/getMe")[0] == 401
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


def test_wait_for_and_faults(srv: FakeTelegramServer) -> None:
    mark = srv.call_count()
    threading.Timer(
        0.1, raw_call, args=(f"{srv.api_url}/sendMessage?chat_id=5&text=later",)
    ).start()
    call = srv.wait_for(lambda c: c.method == "sendMessage", timeout=3, since=mark)
    assert call.text == "later"
    with pytest.raises(TimeoutError, match="sendMessage"):
        srv.wait_for(lambda c: c.method == "sendPhoto", timeout=0.1)

    srv.set_faults(rate_429=0.5, rate_5xx=0.3, seed=3)
    statuses = [raw_call(f"{srv.api_url}/sendMessage?chat_id=5&text=x")[0] for _ in range(20)]
    assert {429, 200} <= set(statuses) and set(statuses) <= {200, 429, 500, 502}
    srv.set_faults()
    srv.set_rate_limit(3)
    statuses = [raw_call(f"{srv.api_url}/sendMessage?chat_id=5&text=x")[0] for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    srv.set_rate_limit(None)
    srv.fail_next("sendMessage", status=502, chat_id=6)
    assert raw_call(f"{srv.api_url}/sendMessage?chat_id=5&text=x")[0] == 200
    assert raw_call(f"{srv.api_url}/sendMessage?chat_id=6&text=x") == (
        502,
        {"ok": False, "error_code": 502, "description": "Bad Gateway"},
    )


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
        assert raw_call(f"{srv.api_url}/getUpdates")[0] == 409
        assert srv.deliver_to_webhook({"message": {"message_id": 1}}) == 200
        srv.user_sends(USER, "pushed")  # queued updates are pushed while a webhook is set
        deadline = time.monotonic() + 3
        while len(received) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [secret for secret, _ in received] == ["s3cret", "s3cret"]
        assert received[1][1]["message"]["text"] == "pushed"
        info = raw_call(f"{srv.api_url}/getWebhookInfo")[1]["result"]
        assert info["url"] == url and info["pending_update_count"] == 0
    finally:
        receiver.shutdown()
        receiver.server_close()


def test_stop_wakes_long_poll() -> None:
    server = FakeTelegramServer().start()
    results: list[int] = []

    def poll() -> None:
        try:
            results.append(raw_call(f"{server.api_url}/getUpdates?timeout=30")[0])
        except OSError:  # the connection was closed under us: also a way to end the poll
            results.append(-1)

    poller = threading.Thread(target=poll)
    poller.start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    poller.join(timeout=2)
    assert time.monotonic() - started < 1.5
    assert not poller.is_alive()
    assert results in ([200], [-1])


def test_parse_html_entities() -> None:
    text, entities = parse_html(
        '😀 <b>bold <i>both</i></b> <a href="https://x.y/?a=1&amp;b=2">link</a>'
    )
    assert text == "😀 bold both link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "url": "https://x.y/?a=1&b=2", "offset": 13, "length": 4},
    ]
