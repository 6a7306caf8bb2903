"""The methods the bot calls, through the real PTB ``telegram.Bot``."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from fake_bot_api import FakeTelegramServer
from tests.fake_bot_api.client import png, raw_call
from tests.fake_bot_api.conftest import TOKEN, USER


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
    assert sent.has_protected_content is None
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


async def test_protected_content(bot: Bot, srv: FakeTelegramServer) -> None:
    sent = await bot.send_message(USER, "just for you", protect_content=True)
    assert sent.has_protected_content is True
    assert srv.calls("sendMessage")[0].params["protect_content"] is True
    document = await bot.send_document(USER, b"{}", filename="export.json", protect_content=True)
    assert document.has_protected_content is True


async def test_photo_and_document_uploads(bot: Bot, srv: FakeTelegramServer) -> None:
    image = png(400, 200)
    photo_message = await bot.send_photo(USER, image, caption="<i>Your week</i>", parse_mode="HTML")
    largest = photo_message.photo[-1]
    assert (largest.width, largest.height, largest.file_size) == (400, 200, len(image))
    assert photo_message.photo[0].width == 90
    assert photo_message.caption == "Your week"
    assert srv.calls("sendPhoto")[0].files["photo"][1] == image

    doc_message = await bot.send_document(USER, b"hello, world", filename="notes.txt")
    assert doc_message.document is not None
    assert doc_message.document.file_name == "notes.txt"
    assert doc_message.document.mime_type == "text/plain"
    assert doc_message.document.file_size == 12
    assert srv.calls("sendDocument")[0].files["document"] == ("notes.txt", b"hello, world")

    with pytest.raises(BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(USER, b"not an image")
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(USER, largest.file_id)  # only uploads: the bot sends nothing else


async def test_commands_per_scope_and_language(bot: Bot, srv: FakeTelegramServer) -> None:
    assert await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    assert srv.calls("setMyCommands")[0].params["commands"][0] == {
        "command": "start",
        "description": "Start",
    }
    assert await bot.set_my_commands([BotCommand("tip", "Ein Tipp")], language_code="de")
    assert await bot.set_my_commands(
        [BotCommand("tip", "Un conseil")], scope=BotCommandScopeChat(USER), language_code="fr"
    )
    assert [c["command"] for c in srv.commands()] == ["start", "help"]
    assert srv.commands(language_code="de") == [{"command": "tip", "description": "Ein Tipp"}]
    chat = {"type": "chat", "chat_id": USER}
    assert srv.commands(chat, "fr") == [{"command": "tip", "description": "Un conseil"}]
    assert srv.commands(chat) == [] and srv.commands({"type": "all_private_chats"}) == []
    assert srv.calls("setMyCommands")[2].params["scope"] == chat

    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Tip", "capitals are not allowed")])
    with pytest.raises(BadRequest, match=r"(?i)invalid language code"):
        await bot.set_my_commands([BotCommand("tip", "A tip")], language_code="en-US")


async def test_descriptions_per_language(bot: Bot, srv: FakeTelegramServer) -> None:
    assert await bot.set_my_description("Tips for relationships that last")
    assert await bot.set_my_description("Tipps für Beziehungen", language_code="de")
    assert await bot.set_my_short_description("A daily tip", language_code="de")
    assert srv.description() == "Tips for relationships that last"
    assert srv.description("de") == "Tipps für Beziehungen"
    assert srv.short_description("de") == "A daily tip" and srv.short_description() == ""
    assert await bot.set_my_description("", language_code="de")  # removed for that language
    assert srv.description("de") == ""
    assert srv.calls("setMyShortDescription")[0].params["language_code"] == "de"
    with pytest.raises(BadRequest, match=r"(?i)too long"):
        await bot.set_my_short_description("x" * 121)


@pytest.mark.parametrize(
    "method", ["sendChatAction", "deleteMessage", "editMessageReplyMarkup", "getFile", "getChat"]
)
def test_methods_the_bot_does_not_call_are_not_found(srv: FakeTelegramServer, method: str) -> None:
    status, body = raw_call(f"{srv.api_url}/{method}?chat_id={USER}")
    assert (status, body["description"]) == (404, "Not Found: method not found")


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
