"""Choosing the help resources to show: by language and the country of the time zone;
their notes in the catalogue, their countries named by Babel."""

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as ftl

from bot.config import ROOT
from bot.domain.content import Content
from bot.domain.resources import (
    MAX_WITHOUT_COUNTRY,
    Resources,
    country_name,
    primary_language,
    select_resources,
    zone_country,
)
from bot.i18n import default_catalogue

LOCALES = ROOT / "content" / "locales"


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
    chosen = select_resources(resources, languages=[language], country_code=country)
    return [s.service.name for s in chosen.services]


def test_a_listed_country_gets_its_own_services_then_the_directory(
    resources: Resources,
) -> None:
    assert names(resources, "en", "US") == ["National Domestic Violence Hotline", "Find A Helpline"]
    assert names(resources, "es-MX", "ES") == [
        "016, atención a víctimas de violencia de género",
        "Línea 024",
        "Find A Helpline",
    ]
    assert names(resources, "en", "AR") == ["Línea 144", "Find A Helpline"]
    chosen = select_resources(resources, languages=["ru"], country_code="RU")
    assert chosen.country is not None and chosen.country.emergency == "112"
    assert chosen.code == "RU"
    assert [s.elsewhere for s in chosen.services] == [None, None]


def test_in_a_country_the_services_in_the_users_languages_come_first(
    resources: Resources,
) -> None:
    data = resources.model_dump()
    other = {"id": "de-other", "name": "Other", "url": "https://example.org", "languages": ["de"]}
    data["countries"]["DE"]["services"] = (other, *data["countries"]["DE"]["services"])
    two = Resources.model_validate(data)

    def first(*languages: str) -> str:
        chosen = select_resources(two, languages=languages, country_code="DE")
        return chosen.services[0].service.id

    assert first("de") == "de-other"  # both speak German: the file's order
    assert first("ru") == "de-hilfetelefon"
    assert first("xx", "es") == "de-hilfetelefon"  # the second language counts too


def test_a_country_not_listed_gets_the_international_directory_only(
    resources: Resources,
) -> None:
    # A Peruvian zone and Spanish: not Spain's 016, which does not work from Peru.
    assert zone_country("America/Lima") == "PE" and "PE" not in resources.countries
    assert names(resources, "es-PE", "PE") == ["Find A Helpline"]
    chosen = select_resources(resources, languages=["es"], country_code="PE")
    assert chosen.country is None and chosen.code is None


def test_without_a_country_services_in_the_language_come_named_with_their_country(
    resources: Resources,
) -> None:
    chosen = select_resources(resources, languages=["de-AT"], country_code=None)
    assert [(s.service.name, s.elsewhere) for s in chosen.services][:2] == [
        ("Hilfetelefon Gewalt gegen Frauen", "DE"),
        ("Frauenhelpline gegen Gewalt", "AT"),
    ]
    # By a service's main language: Germany's helpline also answers in Spanish, but is
    # not offered to a Spanish speaker whose country is unknown. One service a country.
    spanish = select_resources(resources, languages=["es-MX"], country_code=None).services
    assert [(s.service.id, s.elsewhere) for s in spanish] == [
        ("es-016", "ES"),
        ("ar-144", "AR"),
        ("co-155", "CO"),
        ("findahelpline", None),
    ]
    english = select_resources(resources, languages=["en"], country_code=None).services
    assert len(english) == MAX_WITHOUT_COUNTRY + 1
    assert all(s.elsewhere for s in english[:-1])
    assert english[-1].service == resources.international
    assert names(resources, None, None) == ["Find A Helpline"]
    assert names(resources, "xx", None) == ["Find A Helpline"]
    # The language the bot speaks to them first, then the app's.
    both = select_resources(resources, languages=["ru", "de"], country_code=None).services
    assert [s.elsewhere for s in both] == ["RU", "DE", "AT", None]


@pytest.mark.parametrize(
    ("code", "language", "name"),
    [
        ("DE", "es", "Alemania"),
        ("DE", "ru", "Германия"),
        ("ES", "es-MX", "España"),
        ("RU", "ru", "Россия"),
        ("GB", "en", "United Kingdom"),
        ("AR", "xx", "Argentina"),  # a language Babel does not know: English
        ("DE", None, "Germany"),
    ],
)
def test_countries_are_named_by_babel_in_the_users_language(
    code: str, language: str | None, name: str
) -> None:
    assert country_name(code, language) == name


def _messages(language: str) -> dict[str, str]:
    """The messages of ``content/locales/<language>/resources.ftl``, as written."""
    source = (LOCALES / language / "resources.ftl").read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for entry in FluentParser(with_spans=False).parse(source).body:
        assert not isinstance(entry, ftl.Junk), entry.content
        if isinstance(entry, ftl.Message) and entry.value is not None:
            text = "".join(e.value for e in entry.value.elements if isinstance(e, ftl.TextElement))
            found[entry.id.name] = text
    return found


def test_every_note_is_in_the_catalogue_in_every_language(resources: Resources) -> None:
    """The notes' keys are built at run time (``service-<id>-note``): no test of the code's
    literal keys sees them, so here they are, in English (the catalogue the bot loads)
    and in the resources.ftl of Spanish and Russian, whether those are offered yet or not."""
    keys = set(resources.catalogue_keys)
    assert "service-es-016-note" in keys and "service-findahelpline-note" in keys
    assert len(keys) == len(resources.catalogue_keys)  # ids are unique
    default_catalogue().require(sorted(keys))
    english = _messages("en")
    assert set(english) == keys  # and no note of a service that is gone
    for language in ("es", "ru"):
        notes = _messages(language)
        assert set(notes) == keys, language
        same = [k for k, text in notes.items() if text == english[k] and len(text) > 4]
        assert same == [], f"{language}: left in English"
        assert all("<" not in text and "{" not in text for text in notes.values())
    assert "gratis" in _messages("es")["service-es-016-note"]
    assert _messages("ru")["service-ru-anna-note"] == "бесплатно"


def test_a_service_without_a_note_has_no_key(resources: Resources) -> None:
    austria = resources.countries["AT"].services[0]
    assert not austria.note and austria.note_key is None
    assert resources.countries["ES"].services[0].note_key == "service-es-016-note"
