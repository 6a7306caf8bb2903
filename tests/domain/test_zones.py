"""Time zones as people type them (``bot.domain.zones``): cities, countries and IANA
names in English, Spanish and Russian; abbreviations and offsets explained; names that
are not places refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import ROOT
from bot.domain.content import ContentError, load_content, parse_zones
from bot.domain.zones import (
    Candidates,
    Found,
    NotAPlace,
    Unknown,
    ZoneContent,
    country_name,
    find_zone,
    known_zone,
    zone_label,
)

LANGUAGES = ("en", "es", "ru")
WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def zones() -> ZoneContent:
    found = load_content(ROOT / "content").zones
    assert found is not None
    return found


def find(text: str, zones: ZoneContent, now: datetime = WINTER) -> object:
    return find_zone(text, LANGUAGES, zones, now=now)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("  BERLIN ", "Europe/Berlin"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("EUROPE / BERLIN", "Europe/Berlin"),
        ("America/Sao_Paulo", "America/Sao_Paulo"),
        ("america/sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("sao paulo", "America/Sao_Paulo"),
        ("Сан-Паулу", "America/Sao_Paulo"),
        ("москва", "Europe/Moscow"),
        ("Москва", "Europe/Moscow"),
        ("Moscow", "Europe/Moscow"),
        ("Moscú", "Europe/Moscow"),
        ("Нью-Йорк", "America/New_York"),
        ("нью йорк", "America/New_York"),
        ("New York", "America/New_York"),
        ("new_york", "America/New_York"),
        ("New York City", "America/New_York"),
        ("Nueva York", "America/New_York"),
        ("Ciudad de México", "America/Mexico_City"),
        ("ciudad de mexico", "America/Mexico_City"),
        ("Mexico City", "America/Mexico_City"),
        ("Буэнос-Айрес", "America/Argentina/Buenos_Aires"),
        ("Londres", "Europe/London"),
        ("Лондон", "Europe/London"),
        ("Берлин", "Europe/Berlin"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("Asia/Calcutta", "Asia/Kolkata"),  # an old name leads to its place
        ("Kiev", "Europe/Kyiv"),
        ("US/Eastern", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Etc/UTC", "UTC"),
    ],
)
def test_cities_and_iana_names_find_their_zone(text: str, zone: str, zones: ZoneContent) -> None:
    assert find(text, zones) == Found(zone)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Germany", "Europe/Berlin"),  # Büsingen keeps Berlin's time: one choice
        ("Alemania", "Europe/Berlin"),
        ("Германия", "Europe/Berlin"),
        ("Japan", "Asia/Tokyo"),
        ("Japón", "Asia/Tokyo"),
        ("Япония", "Asia/Tokyo"),
        ("France", "Europe/Paris"),
        ("Argentina", "America/Argentina/Buenos_Aires"),  # all its zones keep one time
        ("UK", "Europe/London"),  # a name of content/zones.yaml's aliases
    ],
)
def test_a_country_with_one_time_finds_its_zone(text: str, zone: str, zones: ZoneContent) -> None:
    assert find(text, zones) == Found(zone)


@pytest.mark.parametrize("text", ["United States", "Estados Unidos", "Соединенные Штаты", "USA"])
def test_a_country_with_several_zones_offers_them_most_people_first(
    text: str, zones: ZoneContent
) -> None:
    found = find(text, zones)
    assert isinstance(found, Candidates) and found.country == "US"
    assert found.zones[:3] == ("America/New_York", "America/Chicago", "America/Los_Angeles")
    assert "America/Denver" in found.zones and "Pacific/Honolulu" in found.zones
    assert len(found.zones) <= 8
    assert "America/Detroit" not in found.zones  # keeps New York's time: not offered twice


@pytest.mark.parametrize(
    ("text", "first", "country"),
    [("Brasil", "America/Sao_Paulo", "BR"), ("Россия", "Europe/Moscow", "RU")],
)
def test_brazil_and_russia_begin_with_their_biggest_cities(
    text: str, first: str, country: str, zones: ZoneContent
) -> None:
    found = find(text, zones)
    assert isinstance(found, Candidates) and found.country == country
    assert found.zones[0] == first and 2 <= len(found.zones) <= 8


def test_several_places_of_one_name_are_candidates() -> None:
    # No two places share a name in the tz database and CLDR's three languages; an
    # alias of the content's gives "Paris" a second one.
    content = ZoneContent(common={"en": ("UTC",)}, aliases={"Paris": "America/Chicago"})
    found = find_zone("Paris", LANGUAGES, content)
    assert isinstance(found, Candidates) and found.country is None
    assert set(found.zones) == {"Europe/Paris", "America/Chicago"}
    assert find_zone("Paris, France", LANGUAGES, content) == Found("Europe/Paris")


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        ("EST", "America/New_York"),
        ("est", "America/New_York"),
        ("EDT", "America/New_York"),
        ("EST5EDT", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("CET", "Europe/Berlin"),
        ("CEST", "Europe/Berlin"),
        ("MET", "Europe/Berlin"),
        ("MSK", "Europe/Moscow"),
        ("MST", "America/Denver"),
        ("HST", "Pacific/Honolulu"),
        ("EET", "Europe/Athens"),
        ("WET", "Europe/Lisbon"),
    ],
)
def test_an_abbreviation_is_explained_with_places_to_choose(
    text: str, suggested: str, zones: ZoneContent
) -> None:
    found = find(text, zones)
    assert isinstance(found, NotAPlace) and found.offset is None
    assert found.suggestions[0] == suggested


def test_est_suggests_new_york_and_toronto(zones: ZoneContent) -> None:
    found = find("EST", zones)
    assert isinstance(found, NotAPlace)
    assert found.suggestions[:2] == ("America/New_York", "America/Toronto")


@pytest.mark.parametrize(
    ("text", "hours"),
    [("GMT+3", 3), ("UTC+3", 3), ("utc -5", -5), ("+05:30", 5.5), ("GMT−2", -2), ("Etc/GMT-3", 3)],
)
def test_a_fixed_offset_is_explained_with_places_at_that_offset_now(
    text: str, hours: float, zones: ZoneContent
) -> None:
    found = find(text, zones)
    assert isinstance(found, NotAPlace) and found.offset == timedelta(hours=hours)
    assert found.suggestions
    for key in found.suggestions:
        assert WINTER.astimezone(ZoneInfo(key)).utcoffset() == timedelta(hours=hours), key


def test_an_offset_suggests_the_places_at_it_now_summer_or_winter(zones: ZoneContent) -> None:
    winter, summer = find("GMT+1", zones, WINTER), find("GMT+1", zones, SUMMER)
    assert isinstance(winter, NotAPlace) and isinstance(summer, NotAPlace)
    assert "Europe/Berlin" in winter.suggestions  # CET in January
    assert "Europe/London" in summer.suggestions and "Europe/Berlin" not in summer.suggestions


@pytest.mark.parametrize(
    "text",
    [
        "localtime",
        "posixrules",
        "Factory",
        "right/Europe/Berlin",
        "posix/Europe/Berlin",
        "Etc/Unknown",
        "Nowhere/Atall",
        "Mars",
        "",
        "   ",
        "GMT+25",
        "../../etc/passwd",
    ],
)
def test_what_is_not_a_place_is_refused(text: str, zones: ZoneContent) -> None:
    assert find(text, zones) == Unknown()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("UTC", "UTC"),
        ("Etc/UTC", "UTC"),
        ("europe/berlin", None),  # buttons carry exact names
        ("localtime", None),
        ("posixrules", None),
        ("Factory", None),
        ("posix/Europe/Berlin", None),
        ("right/Europe/Berlin", None),
        ("EST", None),
        ("EST5EDT", None),
        ("CET", None),
        ("Etc/GMT+3", None),
        ("Japan", None),
    ],
)
def test_known_zone_takes_only_the_exact_names_of_places(name: str, expected: str | None) -> None:
    assert known_zone(name) == expected


@pytest.mark.parametrize(
    ("key", "language", "label"),
    [
        ("Europe/Berlin", "ru", "Берлин"),
        ("Europe/Berlin", "en", "Berlin"),
        ("Europe/Moscow", "ru", "Москва"),
        ("America/Sao_Paulo", "en", "São Paulo"),
        ("America/New_York", "es", "Nueva York"),
        ("America/Mexico_City", "es", "Ciudad de México"),
        ("America/Argentina/Buenos_Aires", "en", "Buenos Aires"),
        ("UTC", "ru", "UTC"),
        ("Europe/Berlin", "xx", "Berlin"),  # a language Babel does not know: English
    ],
)
def test_zone_labels_are_the_city_in_the_language(key: str, language: str, label: str) -> None:
    assert zone_label(key, language) == label


def test_country_names_come_in_the_language() -> None:
    assert country_name("DE", "es") == "Alemania"
    assert country_name("US", "ru") == "Соединенные Штаты"


def test_the_languages_searched_are_the_ones_given() -> None:
    content = ZoneContent(common={"en": ("UTC",)})
    assert find_zone("Москва", ("en", "ru"), content) == Found("Europe/Moscow")
    assert find_zone("Москва", ("en",), content) == Unknown()
    assert find_zone("Alemania", ("en",), content) == Unknown()


def test_common_zones_per_language_fall_back_to_the_first_list(zones: ZoneContent) -> None:
    assert zones.common_for("ru")[0] == "Europe/Moscow"
    assert zones.common_for("es")[0] == "Europe/Madrid"
    assert zones.common_for("de") == zones.common_for("en")
    for language in zones.common:
        assert len(zones.common_for(language)) <= 12


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"common": {"en": ["Europe/Berlinn"]}}, r"zones\.common\.en\.0: 'Europe/Berlinn' is not"),
        ({"common": {"en": ["EST"]}}, r"zones\.common\.en\.0: 'EST' is not the IANA name"),
        ({"common": {"en": ["localtime"]}}, "is not the IANA name of a place"),
        ({"common": {}}, r"zones\.common"),
        ({"common": {"en": ["UTC", "UTC"]}}, "lists a zone twice"),
        ({"common": {"en": ["UTC"]}, "countries": {"XX": ["UTC"]}}, "not a country"),
        ({"common": {"en": ["UTC"]}, "abbreviations": {"EST": ["Mars/Base"]}}, "Mars/Base"),
        ({"common": {"en": ["UTC"]}, "aliases": {"USA": "ZZ"}}, "not a country"),
        ({"common": {"en": ["UTC"]}, "other": 1}, "zones.other"),
    ],
)
def test_invalid_zone_content_is_refused_with_the_place(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ContentError, match=message):
        parse_zones(data, "zones")
