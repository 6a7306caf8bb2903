"""Where to turn for help: the services of ``content/resources.yaml`` and the choice of
those to show one person, from their language and the country of their time zone.

Pure Python: the file is validated by the pydantic models below (the content loader
turns a validation error into one clear line), and a zone's country comes from the
tz database's own zone table, shipped by the ``tzdata`` package.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources as package_files
from pathlib import Path
from typing import Annotated, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

MAX_WITHOUT_COUNTRY = 3  # services shown by language alone, when the country is unknown
_SYSTEM_ZONE_TABLE = Path("/usr/share/zoneinfo/zone.tab")


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


Text = Annotated[str, AfterValidator(_plain)]
Url = Annotated[str, AfterValidator(_https)]
Language = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Service(_Model):
    """One helpline or directory."""

    name: Annotated[Text, Field(max_length=60)]  # also its button's label
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z][0-9A-Z -]{1,23}$")] | None = None
    url: Url
    languages: tuple[Language, ...] = Field(min_length=1)  # ISO 639-1; the first: its main one
    note: Annotated[Text, Field(max_length=120)] | None = None


class Country(_Model):
    name: Annotated[Text, Field(max_length=40)]
    emergency: Annotated[str, StringConstraints(pattern=r"^[0-9]{2,4}$")] | None = None
    services: tuple[Service, ...] = Field(min_length=1)


class LinkModel(_Model):  # its label is the catalogue's ``safety-counselling``
    url: Url


class Resources(_Model):
    """The whole of ``content/resources.yaml``."""

    international: Service  # always shown: the directory of every country's services
    counselling: LinkModel  # the counselling resource offered with the reassess message
    countries: dict[CountryCode, Country] = Field(min_length=1)


class Shown(NamedTuple):
    """A service to show, with the country it serves when that is not the user's own."""

    service: Service
    elsewhere: str | None = None


class Selection(NamedTuple):
    services: tuple[Shown, ...]  # the international directory last
    country: Country | None  # the user's, when known and listed


def primary_language(tag: str | None) -> str | None:
    """``"es-MX"`` -> ``"es"``; ``None`` for nothing usable."""
    if not tag:
        return None
    head = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return head if re.fullmatch(r"[a-z]{2,3}", head) else None


def select_resources(
    resources: Resources, *, language: str | None, country_code: str | None
) -> Selection:
    """The services for someone speaking ``language`` (a Telegram language code) in
    ``country_code`` (ISO 3166, or ``None`` when unknown).

    A listed country: its services, those in the user's language first. A country
    known but not listed: the international directory alone (it lists that country's
    services; a neighbour's number would not work there). No country known: a few
    services whose main language is the user's, each named with its country. The
    international directory always comes last."""
    lang = primary_language(language)
    country = resources.countries.get(country_code or "")
    shown: list[Shown] = []
    if country is not None:
        ordered = sorted(country.services, key=lambda s: lang not in s.languages)
        shown = [Shown(s) for s in ordered]
    elif country_code is None and lang is not None:
        shown = [
            Shown(service, place.name)
            for place in resources.countries.values()
            for service in place.services
            if service.languages[0] == lang
        ][:MAX_WITHOUT_COUNTRY]
    return Selection((*shown, Shown(resources.international)), country)


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
