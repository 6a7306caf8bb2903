"""/safety, and tips while a safety answer stands, as a chat."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.domain.content import SAFE_TAG, Content
from bot.features.base import Services
from bot.i18n import default_catalogue
from bot.store.models import TipShown, User
from tests.conftest import Clock
from tests.features.chat import Chat
from tests.features.test_checkin import GIVING_HEAVY, REFLECT, run_checkin

EN = default_catalogue().locale("en")


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
    return f"{strategy.emoji} {strategy.title}"


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


async def test_safety_without_a_known_country_goes_by_language(chat: Chat) -> None:
    mexican = chat.speaking("es-MX")
    [reply] = await mexican.send("/safety")  # the zone is still the default, UTC
    assert "016, atención a víctimas de violencia de género</b> (Spain): 016" in reply.text
    assert "Hilfetelefon" not in reply.text
    assert reply.links == ["https://violenciagenero.igualdad.gob.es", "https://findahelpline.com"]
    # A Mexican zone: Spain's number would not work there, the directory lists Mexico's.
    await mexican.send("/timezone America/Mexico_City")
    [reply] = await mexican.send("/safety")
    assert "016" not in reply.text
    assert reply.links == ["https://findahelpline.com"]
    assert "call your local emergency number" in reply.text


async def test_safety_in_a_group_only_says_how_to_open_it_in_private(
    chat: Chat, services: Services
) -> None:
    [reply] = await chat.in_group(-100).send("/safety")
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
