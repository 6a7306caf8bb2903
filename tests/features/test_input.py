"""Input as people type it, as a chat: times for /nudges (8pm, 0830, 20h), places for
/timezone (a city or a country in English, Spanish or Russian; an abbreviation
explained), and one confirmation for each setting whichever way it was made."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.config import ROOT
from bot.features.base import Services
from bot.i18n import Catalogue
from bot.store.models import User
from tests.features.chat import Chat

# The clock of the services: Tuesday 24 November 2026, 07:00 UTC (08:00 in Berlin).
BERLIN = ZoneInfo("Europe/Berlin")


def stored(services: Services, user_id: int = 42) -> User:
    with services.session_factory() as session:
        user = session.scalars(select(User).where(User.platform_user_id == user_id)).first()
    assert user is not None
    return user


@pytest.fixture
def polyglot(tmp_path: Path, services: Services) -> Catalogue:
    """The catalogue offering English, Spanish and Russian, all with the English texts:
    what is read in each language (city and country names) and the zones each is
    offered, whatever the translations' state."""
    folder = tmp_path / "locales"
    for code in ("en", "es", "ru"):
        shutil.copytree(ROOT / "content" / "locales" / "en", folder / code)
    (folder / "languages.yaml").write_text(
        "languages:\n  en: English\n  es: Español\n  ru: Русский\n", encoding="utf-8"
    )
    services.catalogue = Catalogue.load(folder)
    return services.catalogue


# --- /timezone ---------------------------------------------------------------------------


async def test_timezone_with_a_city_sets_its_zone_and_says_so(
    chat: Chat, services: Services
) -> None:
    [reply] = await chat.send("/timezone berlin")
    assert reply.text.startswith("✅ Time zone: Berlin (Europe/Berlin). It's 08:00 there now.")
    assert stored(services).timezone == "Europe/Berlin"


@pytest.mark.parametrize(
    ("typed", "zone", "city"),
    [
        ("São Paulo", "America/Sao_Paulo", "São Paulo"),
        ("sao paulo", "America/Sao_Paulo", "São Paulo"),
        ("Europe/Berlin", "Europe/Berlin", "Berlin"),
        ("europe/berlin", "Europe/Berlin", "Berlin"),
        ("new york", "America/New_York", "New York"),
    ],
)
async def test_timezone_reads_cities_and_iana_names_as_people_type_them(
    chat: Chat, services: Services, typed: str, zone: str, city: str
) -> None:
    [reply] = await chat.send(f"/timezone {typed}")
    assert f"Time zone: {city} ({zone})." in reply.text
    assert stored(services).timezone == zone


async def test_timezone_in_russian_and_spanish(
    chat: Chat, services: Services, polyglot: Catalogue
) -> None:
    [moscow] = await chat.send("/timezone москва")
    assert "Time zone: Moscow (Europe/Moscow)" in moscow.text  # an English app: "Moscow"
    assert stored(services).timezone == "Europe/Moscow"
    olga = chat.as_user(43, language="ru")
    [new_york] = await olga.send("/timezone Нью-Йорк")
    assert "Time zone: Нью-Йорк (America/New_York)" in new_york.text  # her city, her words
    [germany] = await chat.as_user(44, language="es").send("/timezone Alemania")
    assert "Time zone: Berlín (Europe/Berlin)" in germany.text
    assert stored(services, 44).timezone == "Europe/Berlin"


async def test_an_abbreviation_is_explained_and_its_suggestion_sets_the_place(
    chat: Chat, services: Services
) -> None:
    [explained] = await chat.send("/timezone EST")
    assert "“EST” is an abbreviation, not a place" in explained.text
    assert explained.labels[:2] == ["New York", "Toronto"]
    assert stored(services).timezone == "UTC"  # nothing set yet
    await chat.press("New York")
    assert chat.notice == "Saved"
    assert explained.text.startswith("✅ Time zone: New York (America/New_York).")
    assert stored(services).timezone == "America/New_York"


async def test_a_fixed_offset_is_explained_with_places_at_that_offset(
    chat: Chat, services: Services
) -> None:
    [explained] = await chat.send("/timezone GMT+3")
    assert "“GMT+3” is a fixed offset" in explained.text and "daylight saving" in explained.text
    assert "Moscow" in explained.labels
    assert stored(services).timezone == "UTC"


async def test_a_country_with_several_zones_offers_buttons(chat: Chat, services: Services) -> None:
    [question] = await chat.send("/timezone United States")
    assert question.text == "United States has more than one time zone. Which one is yours?"
    assert question.labels[:3] == ["New York", "Chicago", "Los Angeles"]
    assert len(question.labels) <= 8
    assert stored(services).timezone == "UTC"
    await chat.press("Chicago")
    assert stored(services).timezone == "America/Chicago"
    assert "Time zone: Chicago (America/Chicago)." in question.text


async def test_a_country_in_russian_offers_its_zones_in_russian(
    chat: Chat, services: Services, polyglot: Catalogue
) -> None:
    olga = chat.as_user(43, language="ru")
    [question] = await olga.send("/timezone Россия")
    assert question.labels[:3] == ["Москва", "Екатеринбург", "Новосибирск"]
    assert question.text.startswith("Россия has more than one time zone")
    await olga.press("Екатеринбург")
    assert stored(services, 43).timezone == "Asia/Yekaterinburg"


@pytest.mark.parametrize("typed", ["localtime", "posixrules", "Factory", "right/Europe/Berlin"])
async def test_names_that_are_no_place_are_refused(
    chat: Chat, services: Services, typed: str
) -> None:
    [refused] = await chat.send(f"/timezone {typed}")
    assert refused.text.startswith(f"I couldn't find a place called “{typed}”.")
    assert "Berlin" in refused.labels and "UTC" in refused.labels  # the common zones
    assert stored(services).timezone == "UTC"


async def test_the_zone_picker_is_in_the_users_language(
    chat: Chat, services: Services, polyglot: Catalogue
) -> None:
    [english] = await chat.send("/timezone")
    assert english.labels[:3] == ["London", "Berlin", "Moscow"]
    [russian] = await chat.as_user(43, language="ru").send("/timezone")
    assert russian.labels[:3] == ["Москва", "Калининград", "Самара"]
    [spanish] = await chat.as_user(44, language="es").send("/timezone")
    assert spanish.labels[:3] == ["Madrid", "Ciudad de México", "Bogotá"]
    await chat.as_user(44, language="es").press("Ciudad de México")
    assert stored(services, 44).timezone == "America/Mexico_City"


async def test_a_zone_button_takes_any_place_and_nothing_else(
    chat: Chat, services: Services
) -> None:
    await chat.send("/settings")
    version = stored(services).settings_version
    await chat.press_data(f"st:tz:Asia/Kathmandu:v{version}")
    assert chat.notice == "Saved" and stored(services).timezone == "Asia/Kathmandu"
    version = stored(services).settings_version
    for forged in ("localtime", "EST", "Etc/GMT+3", "posix/Europe/Berlin", "europe/berlin"):
        await chat.press_data(f"st:tz:{forged}:v{version}")
        assert chat.notice is not None and chat.notice.startswith("This button has expired")
    assert stored(services).timezone == "Asia/Kathmandu"


async def test_a_zone_is_confirmed_in_the_same_words_by_command_button_or_location(
    chat: Chat,
) -> None:
    [by_command] = await chat.send("/timezone Berlin")
    await chat.send("/timezone Tokyo")
    [picker] = await chat.send("/timezone")
    await chat.press("Berlin", on=picker)
    # A first location may answer the first steps' zone question (that says the same,
    # then asks for the time); this one changes the settings.
    await chat.share_location(35.68, 139.69)  # Tokyo
    [by_location] = await chat.share_location(52.52, 13.405)
    said = "✅ Time zone: Berlin (Europe/Berlin). It's 08:00 there now."
    assert by_command.text.split("\n")[0] == said
    assert picker.text.split("\n")[0] == said
    assert by_location.text.split("\n")[0] == said
    assert by_location.text.split("\n")[1] == "I keep only the zone name, not your location."


# --- /nudges -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "at", "day"),
    [
        ("8pm", "20:00", 24),
        ("8", "08:00", 25),  # 08:00 in Berlin is now: the next one is tomorrow
        ("0830", "08:30", 24),
        ("830", "08:30", 24),
        ("20h", "20:00", 24),
        ("20.30", "20:30", 24),
        ("20:30", "20:30", 24),
        ("8:30 a.m.", "08:30", 24),
        ("12am", "00:00", 25),
    ],
)
async def test_nudges_reads_a_time_as_people_type_it(
    chat: Chat, services: Services, typed: str, at: str, day: int
) -> None:
    await chat.send("/timezone Berlin")
    [reply] = await chat.send(f"/nudges {typed}")
    assert reply.text.startswith(f"✅ Daily tip on, at {at} Berlin time.")
    weekday = "Tue" if day == 24 else "Wed"
    assert f"Next one: {weekday} {day} Nov, {at}" in reply.text
    user = stored(services)
    assert (user.nudges_enabled, user.nudge_time) == (True, at)
    hour, minute = map(int, at.split(":"))
    assert user.next_nudge_at == datetime(2026, 11, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize("typed", ["25:00", "24:00", "8:60", "13pm", "soon"])
async def test_an_impossible_time_is_answered_with_the_forms_understood(
    chat: Chat, services: Services, typed: str
) -> None:
    [reply] = await chat.send(f"/nudges {typed}")
    assert reply.text == f"I couldn't read “{typed}” as a time. Try 8pm, 20:30 or 0830."
    assert not stored(services).nudges_enabled


async def test_the_tip_time_is_confirmed_in_the_same_words_by_command_or_button(
    chat: Chat,
) -> None:
    await chat.send("/timezone Berlin")
    [by_command] = await chat.send("/nudges 8pm")
    await chat.send("/nudges 07:00")
    [settings] = await chat.send("/settings")
    await chat.press("Change time", on=settings)
    await chat.press("20:00", on=settings)
    said = "✅ Daily tip on, at 20:00 Berlin time."
    assert by_command.text.split("\n")[0] == said
    assert settings.text.split("\n")[0] == said


async def test_utc_is_named_once(chat: Chat) -> None:
    [tip] = await chat.send("/nudges 9pm")
    assert tip.text.startswith("✅ Daily tip on, at 21:00 UTC.")
    [zone] = await chat.send("/timezone utc")
    assert zone.text.startswith("✅ Time zone: UTC. It's 07:00 UTC now.")


def test_the_clock_of_these_chats(services: Services) -> None:
    assert services.now() == datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
