"""/safety, and tips while a safety answer stands, as a chat."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import ROOT
from bot.domain.content import SAFE_TAG, Content
from bot.features.base import Services
from bot.i18n import Catalogue, default_catalogue
from bot.store.models import TipShown, User
from tests.conftest import Clock
from tests.features.chat import Chat
from tests.features.test_checkin import GIVING_HEAVY, REFLECT, run_checkin

EN = default_catalogue().locale("en")
LOCALES = ROOT / "content" / "locales"


def set_safety_flag(services: Services, platform_user_id: int = 42, flag: bool = True) -> None:
    with services.session_factory.begin() as session:
        user = session.scalars(select(User).where(User.platform_user_id == platform_user_id)).one()
        user.safety_flag = flag


def tips_shown(services: Services) -> list[str]:
    with services.session_factory() as session:
        return list(session.scalars(select(TipShown.tip_id).order_by(TipShown.id)))


def safe_tip_ids(content: Content) -> set[str]:
    return {t.id for s in content.strategies if SAFE_TAG in s.tags for t in s.tips}


def topic_label(content: Content, strategy_id: str) -> str:
    """A topic's button as the topics list shows it: its emoji and title."""
    strategy = content.strategy(strategy_id)
    assert strategy is not None
    return f"{strategy.emoji} {EN.t(strategy.title_key)}"


# --- /safety ---------------------------------------------------------------------------


async def test_safety_in_private_shows_the_services_of_the_users_country(chat: Chat) -> None:
    await chat.send("/timezone Europe/Berlin")
    [reply] = await chat.send("/safety")
    assert "You deserve to feel safe and respected" in reply.text
    assert "Hilfetelefon Gewalt gegen Frauen</b>: 116 016" in reply.text
    danger = "If you are in danger right now, call your local emergency number (Germany: 112)."
    assert f"<b>{danger}</b>" in reply.text
    assert "anyone who can open your phone can read this chat" in reply.text
    assert "Delete" in reply.text
    assert reply.buttons == [
        ("Hilfetelefon Gewalt gegen Frauen", "https://www.hilfetelefon.de"),
        ("Find A Helpline", "https://findahelpline.com"),
    ]


@pytest.fixture
def spoken(services: Services, tmp_path: Path) -> Catalogue:
    """The bot speaking English, Spanish and Russian: the project's catalogue once it
    offers all three; until then, one built from the English files with the Spanish and
    Russian resources.ftl (the services' notes in the language, the rest in English)."""
    catalogue = default_catalogue()
    if not {"es", "ru"} <= set(catalogue.offered):
        folder = tmp_path / "locales"
        for code in ("en", "es", "ru"):
            shutil.copytree(LOCALES / "en", folder / code)
            shutil.copy(LOCALES / code / "resources.ftl", folder / code / "resources.ftl")
        languages = "languages:\n  en: English\n  es: Español\n  ru: Русский\n"
        (folder / "languages.yaml").write_text(languages, encoding="utf-8")
        catalogue = Catalogue.load(folder)
    services.catalogue = catalogue
    return catalogue


def line_with(text: str, part: str) -> str:
    """The one line of ``text`` that holds ``part``."""
    [line] = [line for line in text.splitlines() if part in line]
    return line


async def test_a_spanish_speaker_in_madrid_reads_spain_s_services_in_spanish(
    chat: Chat, spoken: Catalogue
) -> None:
    es = spoken.locale("es")
    spanish = chat.speaking("es")
    await spanish.send("/timezone Europe/Madrid")
    await spanish.send("/safety")
    text = spanish.last.text
    line = line_with(text, "016, atención a víctimas de violencia de género</b>: 016")
    assert line.endswith(" · " + es.t("service-es-016-note"))  # "gratis, las 24 horas"
    assert "Línea 024</b>: 024 · " + es.t("service-es-024-note") in text
    assert "gratis" in line and "free" not in text and "24/7" not in text  # no English note
    assert "España" in line_with(text, "112") and "Spain" not in text
    assert spanish.last.links == [
        "https://violenciagenero.igualdad.gob.es",
        "https://www.sanidad.gob.es/linea024/home.htm",
        "https://findahelpline.com",
    ]


async def test_a_russian_speaker_in_moscow_reads_the_russian_service_in_russian(
    chat: Chat, spoken: Catalogue
) -> None:
    ru = spoken.locale("ru")
    russian = chat.speaking("ru")
    await russian.send("/timezone Europe/Moscow")
    await russian.send("/safety")
    text = russian.last.text
    assert line_with(text, "8-800-7000-600") == (
        "• <b>Телефон доверия центра «АННА»</b>: 8-800-7000-600 · " + ru.t("service-ru-anna-note")
    )
    assert ru.t("service-ru-anna-note") == "бесплатно"
    assert line_with(text, "Find A Helpline").endswith(ru.t("service-findahelpline-note"))
    assert "directory" not in text
    assert "Россия" in line_with(text, "112") and "Russia" not in text
    assert russian.last.labels == ["Телефон доверия центра «АННА»", "Find A Helpline"]


async def test_a_spanish_speaker_without_a_country_gets_spanish_services_of_named_countries(
    chat: Chat, spoken: Catalogue
) -> None:
    spanish = chat.speaking("es-MX")
    await spanish.send("/safety")  # the zone is still the default, UTC
    text = spanish.last.text
    assert line_with(text, "016").startswith(
        "• <b>016, atención a víctimas de violencia de género</b> (España): 016"
    )
    assert line_with(text, "Línea 144").startswith("• <b>Línea 144</b> (Argentina): 144 · ")
    assert line_with(text, "Línea 155").startswith("• <b>Línea 155</b> (Colombia): 155 · ")
    assert "Hilfetelefon" not in text and "Línea 024" not in text  # one a country
    assert "call your local emergency number" in text or "emergencias" in text
    assert spanish.last.labels == [
        "016, atención a víctimas de violencia de género (España)",
        "Línea 144 (Argentina)",
        "Línea 155 (Colombia)",
        "Find A Helpline",
    ]


async def test_the_language_chosen_in_the_bot_counts_over_the_apps(
    chat: Chat, spoken: Catalogue
) -> None:
    await chat.send("/language es")  # the app says English
    await chat.send("/safety")  # the zone is still UTC: services by language
    note = spoken.locale("es").t("service-es-016-note")
    assert f"(España): 016 · {note}" in chat.last.text
    assert "Hotline" not in chat.last.text  # not the English-speaking countries' lines
    await chat.send("/timezone Europe/Madrid")
    await chat.send("/safety")
    assert f"género</b>: 016 · {note}" in chat.last.text
    assert "España" in line_with(chat.last.text, "112")


async def test_a_country_the_file_does_not_list_gets_the_directory_only(chat: Chat) -> None:
    # A Peruvian zone and Spanish: Spain's or Argentina's number would not work there,
    # the directory lists Peru's.
    spanish = chat.speaking("es-PE")
    await spanish.send("/timezone America/Lima")
    [reply] = await spanish.send("/safety")
    assert "016" not in reply.text and "144" not in reply.text
    assert reply.links == ["https://findahelpline.com"]
    assert reply.text.count("•") == 1


async def test_an_english_speaker_in_buenos_aires_gets_argentina_s_line(chat: Chat) -> None:
    await chat.send("/timezone America/Argentina/Buenos_Aires")
    [reply] = await chat.send("/safety")
    assert "• <b>Línea 144</b>: 144 · gender-based violence; free, 24/7" in reply.text
    danger = "If you are in danger right now, call your local emergency number (Argentina: 911)."
    assert f"<b>{danger}</b>" in reply.text
    assert reply.labels == ["Línea 144", "Find A Helpline"]


async def test_safety_in_a_group_only_says_how_to_open_it_in_private(
    chat: Chat, services: Services
) -> None:
    # Someone who never agreed to be stored (whoever agreed has a row of their own).
    [reply] = await Chat(chat.core, chat_id=-100, agreed=False).send("/safety")
    assert "private chat" in reply.text and len(reply.text) < 120
    assert "helpline" not in reply.text.lower() and "emergency" not in reply.text.lower()
    assert reply.buttons == [("Open a private chat", "https://chat.example/coach?start=safety")]
    with services.session_factory() as session:  # nothing stored about anyone
        assert session.scalars(select(User)).all() == []


async def test_the_deep_link_from_the_group_opens_safety_in_private(chat: Chat) -> None:
    welcome, help_message = await chat.send("/start safety")
    assert "welcome" in welcome.text.lower()
    assert "Find A Helpline" in help_message.text and "emergency number" in help_message.text
    assert chat.messages == [welcome, help_message]


async def test_safety_is_listed_in_help_and_works_with_a_safety_answer_or_without(
    chat: Chat, services: Services
) -> None:
    await chat.send("/help")
    assert "/safety — where to find support, at any time" in chat.last.text
    set_safety_flag(services)
    await chat.send("/safety")
    assert "Find A Helpline" in chat.last.text


async def test_the_reassess_message_offers_a_counselling_link(chat: Chat, clock: Clock) -> None:
    for _ in range(3):
        clock.now += timedelta(days=7)
        await run_checkin(chat, GIVING_HEAVY)
    [reassess] = chat.with_text(REFLECT)
    assert reassess.url("Find someone to talk it through with") == "https://findahelpline.com"


def test_the_care_opening_leaves_the_emergency_line_to_safety_reply(content: Content) -> None:
    """The check-in's care message is ``safety_reply`` opened by the "safety" text: the
    emergency line must come once, from ``safety_reply``."""
    assert content.resources is not None
    assert "emergency" not in EN.t("safety-care").lower()
    assert "emergency" not in EN.t("safety-intro").lower()


# --- tips while a safety answer stands -------------------------------------------------


async def test_with_a_safety_answer_every_tip_comes_from_an_allowed_strategy(
    chat: Chat, services: Services, content: Content
) -> None:
    await chat.send("/help")
    set_safety_flag(services)
    allowed = safe_tip_ids(content)
    for _ in range(len(allowed)):
        await chat.send("/tip")
        await chat.press("Another tip")
    shown = tips_shown(services)
    assert len(shown) == 2 * len(allowed) and set(shown) <= allowed
    # Every allowed tip once before any of them a second time, then the round again.
    assert set(shown[: len(allowed)]) == allowed == set(shown[len(allowed) :])
    assert len(chat.with_text("Today's tip")) == 2 * len(allowed)
    assert all(
        title not in text
        for text in chat.texts
        for title in ("Keep a little mystery", "Set kind, clear boundaries", "Balance presence")
    )


async def test_a_topic_kept_out_gives_an_allowed_tip_with_one_kind_line(
    chat: Chat, services: Services, content: Content
) -> None:
    await chat.send("/tip")
    await chat.press("Choose a topic")
    [topics] = chat.with_text("Pick a topic:")  # shown before the safety answer
    set_safety_flag(services)
    before = len(tips_shown(services))
    [reply] = await chat.send("/tip mystery")
    assert reply.text.startswith("<i>Since your last check-in, I'm keeping to tips about looking")
    assert "Keep a little mystery" not in reply.text
    await chat.press(topic_label(content, "presence"), on=topics)  # on the older message
    assert "I'm keeping to tips about" in chat.last.text
    await chat.send("/tip care")
    assert "Look after yourself" in chat.last.text
    assert "keeping to tips" not in chat.last.text
    assert set(tips_shown(services)[before:]) <= safe_tip_ids(content)
    # In a group the line says nothing about why.
    [reply] = await chat.in_group(-100).send("/tip mystery")
    assert reply.text.startswith("<i>For now I'm keeping to tips about looking")
    assert "check-in" not in reply.text.split("</i>")[0]


async def test_the_topics_list_shows_only_the_allowed_topics(
    chat: Chat, services: Services, content: Content
) -> None:
    await chat.send("/tip")
    await chat.press("Choose a topic")
    assert "Keep a little mystery" in chat.last.text
    set_safety_flag(services)
    await chat.press("Choose a topic")
    topics = chat.last
    assert "1. 🎨 Keep your own life (/tip own-life)" in topics.text
    assert "2. 🌱 Look after yourself (/tip care)" in topics.text
    assert "mystery" not in topics.text and "boundaries" not in topics.text
    assert topics.labels == [topic_label(content, "own-life"), topic_label(content, "care")]
    await chat.press(topic_label(content, "care"), on=topics)
    assert "Look after yourself" in chat.last.text
    await chat.send("/tip 2")  # numbered as the user sees the list
    assert "Look after yourself" in chat.last.text
    await chat.send("/tip astrology")
    assert "I don't know the topic" in chat.last.text
    assert "Set kind, clear boundaries" not in chat.last.text


async def test_a_later_check_in_clearing_the_flag_brings_every_topic_back(
    chat: Chat, services: Services
) -> None:
    await chat.send("/help")
    set_safety_flag(services)
    set_safety_flag(services, flag=False)
    await chat.send("/tip mystery")
    assert "Keep a little mystery" in chat.last.text
    assert "keeping to tips" not in chat.last.text


async def test_with_a_safety_answer_the_daily_tip_is_allowed_and_offers_a_pause(
    chat: Chat, services: Services, content: Content, clock: Clock
) -> None:
    await chat.send("/nudges 08:00")  # 07:00 UTC now, the zone is UTC
    set_safety_flag(services)
    assert (await chat.tick(clock.now + timedelta(minutes=59))).sent == 0
    assert chat.nudges == []
    await chat.tick(clock.now + timedelta(hours=1))
    [nudge] = chat.nudges
    assert nudge is chat.last and "Your daily tip" in nudge.text
    assert "Pause daily tips" in nudge.labels and "Stop daily tips" not in nudge.labels
    assert tips_shown(services)[-1] in safe_tip_ids(content)
    await chat.press("Pause daily tips")
    assert chat.notice == EN.t("nudge-paused")  # "Daily tips paused. /nudges on ..."
    with services.session_factory() as session:
        assert not session.scalars(select(User)).one().nudges_enabled
    await chat.tick(clock.now + timedelta(days=1, hours=1))
    assert chat.nudges == [nudge]  # paused: no more
