"""The real bot in Spanish and Russian, through the fake Bot API server: a user whose
app is in that language gets every step in it, /language switches it, and Telegram's
menus and descriptions are set for each language."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest

from bot.config import ROOT
from bot.domain.content import load_content
from bot.i18n import Catalogue
from fake_bot_api import BotProcess, Call, FakeTelegramServer
from tests.e2e.conftest import User, bot_clock_before_a_minute, bot_minute

CATALOGUE = Catalogue.load(ROOT / "content" / "locales")
CONTENT = load_content(ROOT / "content")


def first_line(text: str) -> str:
    """A piece of a message without markup (its first), enough to recognise it by."""
    pieces = [piece.strip() for piece in re.split(r"<[^>]+>", text)]
    return next(piece for piece in pieces if len(piece) >= 3)[:25]


def press_label(user: User, message: Call, label: str, contains: str = "") -> Call:
    data = next(d for shown, d in message.buttons() if shown.removeprefix("• ") == label)
    return user.press_and_wait(message, data, contains=contains)


def ask(user: User, code: str, text: str, expected: str) -> Call:
    """Send ``text`` from an app in ``code``; the reply showing ``expected``."""
    return user.wait_reply(user.send(text, language_code=code), first_line(expected))


def walk_through(ana: User, code: str, language: str, minute: datetime) -> None:
    """/start and consent, /help, /tip, /safety, a whole check-in, a daily tip set."""
    t = CATALOGUE.locale(language).t
    since = ana.send("/start", language_code=code)
    welcome = ana.wait_reply(since, first_line(t("welcome-short")))
    assert [label for label, _ in welcome.buttons()] == [t("welcome-agree")]
    zone_step = ana.press_and_wait(welcome, "ob:ok", contains=first_line(t("onboarding-thanks")))
    assert t("onboarding-skip") in [label for label, _ in zone_step.buttons()]
    assert "/checkin" in (ask(ana, code, "/help", t("help-title")).text or "")
    tip = ask(ana, code, "/tip", t("tip-heading-today"))
    assert t("tip-another") in [label for label, _ in tip.buttons()]
    ask(ana, code, "/safety", t("safety-intro"))
    message = ask(ana, code, "/checkin", t("checkin-intro"))
    for question in CONTENT.questions:
        message = press_label(ana, message, t(question.answer_key(3) or ""))
    assert first_line(t("summary-title")) in (message.text or "")
    ana.send(f"/nudges {minute:%H:%M}", language_code=code)


@pytest.mark.slow
def test_users_get_every_step_in_their_apps_language(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    """A Spanish and a Russian user, side by side on one bot, from /start to the daily
    tip (``es-419`` falls back to Spanish)."""
    offset = bot_clock_before_a_minute(30)
    bot = make_bot()
    bot.extra_env["CLOCK_OFFSET_SECONDS"] = str(offset)
    bot.start()
    minute = bot_minute(offset)
    people = [(User(server, 300, agreed=False), "es-419", "es")]
    people.append((User(server, 301, agreed=False), "ru", "ru"))
    for ana, code, language in people:
        walk_through(ana, code, language, minute)
    for ana, _, language in people:
        t = CATALOGUE.locale(language).t
        nudge = ana.wait_reply(0, first_line(t("nudge-heading")), timeout=90)
        assert t("nudge-later") in [label for label, _ in nudge.buttons()]
    assert server.internal_errors() == []


def test_language_switches_with_buttons_and_the_chat_menu_follows(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    last = server.wait_for(  # set at start-up, while updates are taken: the last one
        lambda c: c.method == "setMyShortDescription" and c.params.get("language_code") == "ru",
        15,
    )
    assert last is not None
    for language in ("en", "es", "ru"):  # each language's menu and texts
        menu = server.commands(language_code=language)
        expected = CATALOGUE.locale(language).t("command-tip")
        assert any(c["command"] == "tip" and c["description"] == expected for c in menu)
        description = CATALOGUE.locale(language).t("bot-description")
        assert server.description(language_code=language) == description
    assert server.commands()  # and a default for any other language
    ana = User(server, 301)
    choices = ana.ask(
        "/language", first_line(CATALOGUE.locale("en").t("language-choose", language="English"))
    )
    labels = [label.removeprefix("• ") for label, _ in choices.buttons()]
    assert labels[:3] == ["English", "Español", "Русский"]
    spanish = CATALOGUE.locale("es")
    data = next(d for label, d in choices.buttons() if label == "Español")
    since = ana.press(int(choices.result["message_id"]), data)
    ana.wait_reply(since, first_line(spanish.t("language-set")))
    chat_scope = {"type": "chat", "chat_id": 301}
    assert (
        server.wait_for(lambda c: c.method == "setMyCommands" and c.ok, 10, since=since) is not None
    )
    menu = server.commands(scope=chat_scope)
    assert {c["command"]: c["description"] for c in menu}["tip"] == spanish.t("command-tip")
    assert first_line(spanish.t("help-title")) in ana.reply_to("/help")
