"""Choosing the help resources to show: by language and the country of the time zone."""

import pytest

from bot.domain.content import Content
from bot.domain.resources import (
    MAX_WITHOUT_COUNTRY,
    Resources,
    primary_language,
    select_resources,
    zone_country,
)


@pytest.fixture
def resources(content: Content) -> Resources:
    assert content.resources is not None
    return content.resources


@pytest.mark.parametrize(
    ("zone_name", "country"),
    [
        ("Europe/Berlin", "DE"),
        ("America/Mexico_City", "MX"),
        ("Europe/London", "GB"),
        ("Australia/Sydney", "AU"),
        ("Europe/Moscow", "RU"),
        ("US/Eastern", "US"),  # an old name: a link in the tz database
        ("Asia/Calcutta", "IN"),
        ("UTC", None),
        ("Etc/GMT+3", None),
        ("Mars/Olympus", None),
        ("", None),
        (None, None),
    ],
)
def test_a_zone_maps_to_its_country(zone_name: str | None, country: str | None) -> None:
    assert zone_country(zone_name) == country


@pytest.mark.parametrize(
    ("tag", "language"),
    [("es-MX", "es"), ("pt_BR", "pt"), ("EN", "en"), ("de", "de"), ("", None), (None, None)],
)
def test_the_primary_language_of_a_telegram_language_code(
    tag: str | None, language: str | None
) -> None:
    assert primary_language(tag) == language


def names(resources: Resources, language: str | None, country: str | None) -> list[str]:
    chosen = select_resources(resources, language=language, country_code=country)
    return [s.service.name for s in chosen.services]


def test_a_listed_country_gets_its_own_services_then_the_directory(
    resources: Resources,
) -> None:
    assert names(resources, "en", "US") == ["National Domestic Violence Hotline", "Find A Helpline"]
    assert names(resources, "es-MX", "ES")[0].startswith("016")
    chosen = select_resources(resources, language="ru", country_code="RU")
    assert chosen.country is not None and chosen.country.emergency == "112"
    assert [s.elsewhere for s in chosen.services] == [None, None]


def test_a_country_not_listed_gets_the_international_directory_only(
    resources: Resources,
) -> None:
    # A Mexican zone and Spanish: not Spain's 016, which does not work from Mexico.
    assert names(resources, "es-MX", "MX") == ["Find A Helpline"]
    assert select_resources(resources, language="es", country_code="MX").country is None


def test_without_a_country_services_in_the_language_come_named_with_their_country(
    resources: Resources,
) -> None:
    chosen = select_resources(resources, language="de-AT", country_code=None)
    assert [(s.service.name, s.elsewhere) for s in chosen.services][:2] == [
        ("Hilfetelefon Gewalt gegen Frauen", "Germany"),
        ("Frauenhelpline gegen Gewalt", "Austria"),
    ]
    # By a service's main language: Germany's helpline also answers in Spanish, but is
    # not offered to a Spanish speaker whose country is unknown.
    spanish = select_resources(resources, language="es-MX", country_code=None).services
    assert [s.elsewhere for s in spanish] == ["Spain", None]
    english = select_resources(resources, language="en", country_code=None).services
    assert len(english) == MAX_WITHOUT_COUNTRY + 1
    assert all(s.elsewhere for s in english[:-1])
    assert english[-1].service == resources.international
    assert names(resources, None, None) == ["Find A Helpline"]
    assert names(resources, "xx", None) == ["Find A Helpline"]
