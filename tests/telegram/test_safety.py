"""/safety, and tips while a safety answer stands, through PTB with the recording request."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.domain.content import SAFE_TAG, Content
from bot.features.base import Services
from bot.features.safety import counselling_button
from bot.store.models import TipShown, User
from tests.telegram.conftest import Chat


def set_safety_flag(services: Services, platform_user_id: int = 42, flag: bool = True) -> None:
    with services.session_factory.begin() as session:
        user = session.scalars(select(User).where(User.platform_user_id == platform_user_id)).one()
        user.safety_flag = flag


def sender(language: str) -> dict[str, Any]:
    return {"from": {"id": 42, "is_bot": False, "first_name": "Ana", "language_code": language}}


def last_buttons(chat: Chat) -> list[tuple[str, str]]:
    return chat.request.buttons(chat.request.last("sendMessage"))


def tips_shown(services: Services) -> list[str]:
    with services.session_factory() as session:
        return list(session.scalars(select(TipShown.tip_id).order_by(TipShown.id)))


def safe_tip_ids(content: Content) -> set[str]:
    return {t.id for s in content.strategies if SAFE_TAG in s.tags for t in s.tips}


# --- /safety ---------------------------------------------------------------------------


async def test_safety_in_private_shows_the_services_of_the_users_country(chat: Chat) -> None:
    await chat.send("/timezone Europe/Berlin")
    await chat.send("/safety")
    text = chat.last_reply()
    assert "You deserve to feel safe and respected" in text
    assert "Hilfetelefon Gewalt gegen Frauen</b>: 116 016" in text
    danger = "If you are in danger right now, call your local emergency number (Germany: 112)."
    assert f"<b>{danger}</b>" in text
    assert "anyone who can open your phone can read this chat" in text and "Delete" in text
    assert last_buttons(chat) == [
        ("Hilfetelefon Gewalt gegen Frauen", "https://www.hilfetelefon.de"),
        ("Find A Helpline", "https://findahelpline.com"),
    ]


async def test_safety_without_a_known_country_goes_by_language(chat: Chat) -> None:
    await chat.send("/safety", **sender("es-MX"))  # the zone is still the default, UTC
    text = chat.last_reply()
    assert "016, atención a víctimas de violencia de género</b> (Spain): 016" in text
    assert "Hilfetelefon" not in text
    assert [url for _, url in last_buttons(chat)] == [
        "https://violenciagenero.igualdad.gob.es",
        "https://findahelpline.com",
    ]
    # A Mexican zone: Spain's number would not work there, the directory lists Mexico's.
    await chat.send("/timezone America/Mexico_City", **sender("es-MX"))
    await chat.send("/safety", **sender("es-MX"))
    assert "016" not in chat.last_reply()
    assert [url for _, url in last_buttons(chat)] == ["https://findahelpline.com"]
    assert "call your local emergency number" in chat.last_reply()


async def test_safety_in_a_group_only_says_how_to_open_it_in_private(
    chat: Chat, services: Services
) -> None:
    await chat.send("/safety", chat_type="group", chat_id=-100)
    text = chat.last_reply()
    assert "private chat" in text and len(text) < 120
    assert "helpline" not in text.lower() and "emergency" not in text.lower()
    assert last_buttons(chat) == [("Open a private chat", "https://t.me/CoachTestBot?start=safety")]
    with services.session_factory() as session:  # nothing stored about anyone
        assert session.scalars(select(User)).all() == []


async def test_the_deep_link_from_the_group_opens_safety_in_private(chat: Chat) -> None:
    await chat.send("/start safety")
    welcome, help_message = chat.replies()
    assert "welcome" in welcome.lower()
    assert "Find A Helpline" in help_message and "emergency number" in help_message


async def test_safety_is_listed_in_help_and_works_with_a_safety_answer_or_without(
    chat: Chat, services: Services
) -> None:
    await chat.send("/help")
    assert "/safety — where to find support, at any time" in chat.last_reply()
    set_safety_flag(services)
    await chat.send("/safety")
    assert "Find A Helpline" in chat.last_reply()


def test_the_counselling_resource_for_the_reassess_message_is_a_url_button(
    content: Content,
) -> None:
    button = counselling_button(content)
    assert button.url == "https://findahelpline.com" and button.data is None
    assert button.label == "Find someone to talk it through with"


def test_the_care_opening_leaves_the_emergency_line_to_safety_reply(content: Content) -> None:
    """The check-in's care message is ``safety_reply`` opened by the "safety" text: the
    emergency line must come once, from ``safety_reply``."""
    assert content.resources is not None
    assert "emergency" not in content.message("safety").lower()
    assert "emergency" not in content.resources.intro.lower()


# --- tips while a safety answer stands -------------------------------------------------


async def test_with_a_safety_answer_every_tip_comes_from_an_allowed_strategy(
    chat: Chat, services: Services, content: Content
) -> None:
    await chat.send("/help")
    set_safety_flag(services)
    allowed = safe_tip_ids(content)
    for _ in range(len(allowed)):
        await chat.send("/tip")
        await chat.press("tip:more")
    shown = tips_shown(services)
    assert len(shown) == 2 * len(allowed) and set(shown) <= allowed
    # Every allowed tip once before any of them a second time, then the round again.
    assert set(shown[: len(allowed)]) == allowed == set(shown[len(allowed) :])
    assert all(
        title not in reply
        for reply in chat.replies()
        for title in ("Keep a little mystery", "Set kind, clear boundaries", "Balance presence")
    )


async def test_a_topic_kept_out_gives_an_allowed_tip_with_one_kind_line(
    chat: Chat, services: Services, content: Content
) -> None:
    await chat.send("/help")
    set_safety_flag(services)
    await chat.send("/tip mystery")
    reply = chat.last_reply()
    assert reply.startswith("<i>Since your last check-in, I'm keeping to tips about looking")
    assert "Keep a little mystery" not in reply
    await chat.press("tip:t:presence")  # a topic button of an older message
    assert "I'm keeping to tips about" in chat.last_reply()
    await chat.send("/tip care")
    assert "Look after yourself" in chat.last_reply()
    assert "keeping to tips" not in chat.last_reply()
    assert set(tips_shown(services)) <= safe_tip_ids(content)
    # In a group the line says nothing about why.
    await chat.send("/tip mystery", chat_type="group", chat_id=-100)
    assert chat.last_reply().startswith("<i>For now I'm keeping to tips about looking")
    assert "check-in" not in chat.last_reply().split("</i>")[0]


async def test_the_topics_list_shows_only_the_allowed_topics(
    chat: Chat, services: Services
) -> None:
    await chat.send("/tip")
    await chat.press("tip:topics")
    assert "Keep a little mystery" in chat.last_reply()
    set_safety_flag(services)
    await chat.press("tip:topics")
    text = chat.last_reply()
    assert "1. 🎨 Keep your own life (/tip own-life)" in text
    assert "2. 🌱 Look after yourself (/tip care)" in text
    assert "mystery" not in text and "boundaries" not in text
    assert [data for _, data in last_buttons(chat)] == ["tip:t:own-life", "tip:t:care"]
    await chat.send("/tip 2")  # numbered as the user sees the list
    assert "Look after yourself" in chat.last_reply()
    await chat.send("/tip astrology")
    assert "I don't know the topic" in chat.last_reply()
    assert "Set kind, clear boundaries" not in chat.last_reply()


async def test_a_later_check_in_clearing_the_flag_brings_every_topic_back(
    chat: Chat, services: Services
) -> None:
    await chat.send("/help")
    set_safety_flag(services)
    set_safety_flag(services, flag=False)
    await chat.send("/tip mystery")
    assert "Keep a little mystery" in chat.last_reply()
    assert "keeping to tips" not in chat.last_reply()
