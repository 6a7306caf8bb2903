"""Where to turn for help: the services of ``content/resources.yaml`` and the choice of
those to show one person, from their language and the country of their time zone.

Pure Python: the file is validated by the pydantic models below (the content loader
turns a validation error into one clear line), and a zone's country comes from the
tz database's own zone table, shipped by the ``tzdata`` package.

The file holds no prose: a service's name is its own (a proper name, never
translated), its note is the catalogue's ``service-<id>-note`` in the user's language
(:attr:`Service.note_key`), and a country's name is Babel's, in the user's language
(:func:`country_name`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources as package_files
from pathlib import Path
from typing import Annotated, Any, NamedTuple

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

MAX_WITHOUT_COUNTRY = 3  # services shown by language alone, when the country is unknown
_SYSTEM_ZONE_TABLE = Path("/usr/share/zoneinfo/zone.tab")
_NAMES_FALLBACK = "en"  # Babel's language for country names when it lacks the user's


def _plain(value: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValueError("must be a non-empty text")
    if "<" in text or ">" in text:
        raise ValueError("plain text only (no '<' or '>'), the bot adds formatting")
    return text


def _https(value: str) -> str:
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[a-z]{2,}(/[^\s<>\"]*)?", value):
        raise ValueError("must be an https:// address")
    return value


def _territory(code: str) -> str:
    if code not in _territories(_NAMES_FALLBACK):
        raise ValueError(f"{code!r} is not an ISO 3166 country Babel can name")
    return code


Text = Annotated[str, AfterValidator(_plain)]
Url = Annotated[str, AfterValidator(_https)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_territory)]
ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Service(_Model):
    """One helpline or directory."""

    id: ServiceId  # lowercase, unique in the file: names its catalogue messages
    name: Annotated[Text, Field(max_length=60)]  # its own name (not translated); its button
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z][0-9A-Z -]{1,23}$")] | None = None
    url: Url
    languages: tuple[Language, ...] = Field(min_length=1)  # ISO 639-1; the first: its main one
    note: bool = False  # whether it has a note, the catalogue's ``service-<id>-note``

    @field_validator("note", mode="before")
    @classmethod
    def _note_is_a_flag(cls, value: Any) -> Any:
        if not isinstance(value, bool):
            raise ValueError(
                "note must be true or false: its words are the catalogue's service-<id>-note"
            )
        return value

    @property
    def note_key(self) -> str | None:
        """The catalogue message of its note, ``None`` when it has none."""
        return f"service-{self.id}-note" if self.note else None


class Country(_Model):  # its name is Babel's, in the user's language: see country_name
    emergency: Annotated[str, StringConstraints(pattern=r"^[0-9]{2,4}$")] | None = None
    services: tuple[Service, ...] = Field(min_length=1)


class LinkModel(_Model):  # its label is the catalogue's ``safety-counselling``
    url: Url


class Resources(_Model):
    """The whole of ``content/resources.yaml``."""

    international: Service  # always shown: the directory of every country's services
    counselling: LinkModel  # the counselling resource offered with the reassess message
    countries: dict[CountryCode, Country] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids_are_unique(self) -> Resources:
        seen: set[str] = set()
        for place, service in self.placed_services():
            if service.id in seen:
                raise ValueError(f"{place}.id: duplicate service id {service.id!r}")
            seen.add(service.id)
        return self

    def placed_services(self) -> Iterable[tuple[str, Service]]:
        """Every service with its place in the file (``countries.ES.services.0``)."""
        yield "international", self.international
        for code, country in self.countries.items():
            for index, service in enumerate(country.services):
                yield f"countries.{code}.services.{index}", service

    @property
    def catalogue_keys(self) -> tuple[str, ...]:
        """Every catalogue message the services need (their notes), in every language."""
        return tuple(s.note_key for _, s in self.placed_services() if s.note_key)


class Shown(NamedTuple):
    """A service to show, with the country it serves (ISO 3166) when that is not the
    user's own."""

    service: Service
    elsewhere: str | None = None


class Selection(NamedTuple):
    services: tuple[Shown, ...]  # the international directory last
    country: Country | None  # the user's, when known and listed
    code: str | None = None  # that country's ISO 3166 code


def primary_language(tag: str | None) -> str | None:
    """``"es-MX"`` -> ``"es"``; ``None`` for nothing usable."""
    if not tag:
        return None
    head = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return head if re.fullmatch(r"[a-z]{2,3}", head) else None


def select_resources(
    resources: Resources, *, languages: Sequence[str | None], country_code: str | None
) -> Selection:
    """The services for someone reading ``languages`` (language codes such as ``es`` or
    ``es-MX``, the best read first) in ``country_code`` (ISO 3166, or ``None`` when
    unknown).

    A listed country: its services, those in the user's languages first. A country
    known but not listed: the international directory alone (it lists that country's
    services; a neighbour's number would not work there). No country known: a few
    services whose main language is one of the user's, each named with its country,
    one a country (in the order of the file) so that the user's own is likelier among
    them.
    The international directory always comes last."""
    wanted = list(dict.fromkeys(lang for lang in map(primary_language, languages) if lang))

    def rank(service: Service) -> int:  # the first of the user's languages it speaks
        return next((i for i, lang in enumerate(wanted) if lang in service.languages), len(wanted))

    country = resources.countries.get(country_code or "")
    shown: list[Shown] = []
    if country is not None:
        shown = [Shown(s) for s in sorted(country.services, key=rank)]
    elif country_code is None:  # one a country: the user's own may be any of them
        abroad: list[Shown] = []
        for code, place in resources.countries.items():
            mains = [s for s in place.services if s.languages[0] in wanted]
            if mains:
                abroad.append(Shown(min(mains, key=lambda s: wanted.index(s.languages[0])), code))
        abroad.sort(key=lambda shown: wanted.index(shown.service.languages[0]))  # stable
        shown = abroad[:MAX_WITHOUT_COUNTRY]
    listed = country_code if country is not None else None
    return Selection((*shown, Shown(resources.international)), country, listed)


def country_name(code: str, language: str | None) -> str:
    """The name of the country ``code`` (ISO 3166) in ``language``, from Babel's CLDR data
    (``"DE"``, ``"es"`` -> ``"Alemania"``); in English when Babel lacks the language."""
    lang = primary_language(language) or _NAMES_FALLBACK
    return _territories(lang).get(code) or _territories(_NAMES_FALLBACK).get(code) or code


@cache
def _territories(language: str) -> dict[str, str]:
    try:
        return dict(BabelLocale.parse(language).territories)
    except (UnknownLocaleError, ValueError):  # a language Babel does not know
        return {}


def zone_country(zone_name: str | None) -> str | None:
    """The ISO 3166 country of an IANA zone (``"Europe/Berlin"`` -> ``"DE"``; old
    names such as ``"US/Eastern"`` through the tz database's links), or ``None``
    (``UTC``, ``Etc/...``, unknown)."""
    if not zone_name:
        return None
    countries, links = _zone_tables()
    name = zone_name.strip()
    for _ in range(3):  # a link names a zone (links do not chain, but be safe)
        if name in countries:
            return countries[name]
        if name not in links:
            return None
        name = links[name]
    return None


@cache
def _zone_tables() -> tuple[dict[str, str], dict[str, str]]:
    """``zone.tab`` (zone -> country) and the links of ``tzdata.zi`` (old name -> zone)."""
    countries: dict[str, str] = {}
    links: dict[str, str] = {}
    zone_tab, compiled = _read_tzdata("zone.tab"), _read_tzdata("tzdata.zi")
    if zone_tab is None and _SYSTEM_ZONE_TABLE.is_file():
        zone_tab = _SYSTEM_ZONE_TABLE.read_text(encoding="utf-8")
    for line in (zone_tab or "").splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) >= 3:
            countries[fields[2].strip()] = fields[0].strip().upper()
    for line in (compiled or "").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "L":  # "L <zone> <old name>"
            links[fields[2]] = fields[1]
    return countries, links


def _read_tzdata(name: str) -> str | None:
    try:
        return (package_files.files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return None
