"""Time zones as people type them: a city, a country or an IANA name, in any language
the bot speaks, turned into the zone of a place, or into a short list to choose from.

Pure Python. The tz database's own tables come from the ``tzdata`` package
(``zone.tab``: each country's zones, the most populous first within a region;
``zone1970.tab``; the links of ``tzdata.zi``: old names), the names of cities and
countries in each language from Babel (CLDR's exemplar cities and territories), and
what is content from ``content/zones.yaml`` (:class:`ZoneContent`): the zones each
language is offered first, the order of a country's zones, what an abbreviation like
``EST`` stands for, and a few extra names (``USA``).

Only places are zones here: a zone of ``zone.tab`` or ``zone1970.tab`` (old names such
as ``Asia/Calcutta`` lead to theirs), and ``UTC``. ``localtime``, ``posixrules``,
``Factory``, ``posix/...``, ``right/...``, ``Etc/GMT+3`` or ``EST5EDT`` are not, even
where ``zoneinfo`` would load them: an abbreviation or a fixed offset does not follow
the clock changes of any place, so :func:`find_zone` explains that and suggests places.

The lookup index is built on first use, once per set of languages, and holds only
names (a few thousand short strings).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, cached_property, lru_cache
from importlib import resources as package_files
from typing import Annotated
from zoneinfo import ZoneInfo

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.core import get_global
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from bot.domain.text import clean_argument, fold

UTC_KEY = "UTC"
MAX_CANDIDATES = 8  # zones offered for one name (a country, several cities)
MAX_SUGGESTIONS = 8  # places suggested instead of an abbreviation or an offset
MAX_COMMON = 12  # zones a picker offers at once
LABEL_FALLBACK_LANGUAGE = "en"  # Babel's names where a language has none of its own
# Other spellings of UTC (the tz database's links to Etc/UTC), folded.
_UTC_NAMES = frozenset(
    {"utc", "etc/utc", "uct", "etc/uct", "universal", "etc/universal", "zulu", "etc/zulu"}
)
# The areas of the tz database's names of places; the city part of an old name in
# another area ("US/Eastern", "Brazil/East") or a word like "North" names no city.
_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)
_NOT_CITIES = frozenset({"north", "south", "east", "west", "central", "yukon"})
# A fixed offset as people write it: "GMT+3", "UTC -05:00", "+0530"; and the tz
# database's inverted "Etc/GMT-3" (three hours east of Greenwich).
_OFFSET = re.compile(r"^(?:(?:utc|gmt|ut)\s*)?([+-])\s*(\d{1,2})(?:\s*:?\s*(\d{2}))?$")
_ETC_OFFSET = re.compile(r"^etc/gmt([+-])(\d{1,2})$")
_DASHES = str.maketrans({"\u2212": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_SEPARATORS = re.compile(r"[-\u2010\u2011.'’()]+")


def _key(text: str) -> str:
    """A name as the index keeps it: folded (case, accents, ``_``), hyphens, dots and
    apostrophes as spaces, no spaces around ``/`` (``"Нью-Йорк"`` -> ``"нью иорк"``)."""
    spaced = _SEPARATORS.sub(" ", fold(text))
    return re.sub(r"\s*/\s*", "/", " ".join(spaced.split()))


# --- the tz database -----------------------------------------------------------------


@dataclass(frozen=True)
class _Tables:
    places: frozenset[str]  # the zones of places, and UTC
    order: dict[str, int]  # place -> its row in zone.tab (zone1970.tab after)
    countries: dict[str, tuple[str, ...]]  # country -> its zones, in zone.tab's order
    country_of: dict[str, str]  # place -> its country (zone.tab's)
    links: dict[str, str]  # an old name with an area ("Asia/Calcutta") -> its place


def _read_tzdata(name: str) -> str:
    return (package_files.files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")


def _rows(table: str) -> Iterable[list[str]]:
    for line in table.splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) >= 3:
            yield fields


@cache
def _tables() -> _Tables:
    order: dict[str, int] = {}
    countries: dict[str, list[str]] = {}
    country_of: dict[str, str] = {}
    for fields in _rows(_read_tzdata("zone.tab")):
        code, key = fields[0].strip().upper(), fields[2].strip()
        order.setdefault(key, len(order))
        countries.setdefault(code, []).append(key)
        country_of.setdefault(key, code)
    for fields in _rows(_read_tzdata("zone1970.tab")):
        key = fields[2].strip()
        order.setdefault(key, len(order))
        country_of.setdefault(key, fields[0].split(",")[0].strip().upper())
    places = frozenset(order) | {UTC_KEY}
    links: dict[str, str] = {}
    for line in _read_tzdata("tzdata.zi").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "L":  # "L <zone> <old name>"
            target, old = fields[1], fields[2]
            target = UTC_KEY if target == "Etc/UTC" else target
            named = "/" in old and not old.startswith("Etc/")
            if named and old not in places and target in places:
                links[old] = target
    return _Tables(
        places,
        order,
        {code: tuple(keys) for code, keys in countries.items()},
        country_of,
        links,
    )


def known_zone(name: str) -> str | None:
    """The zone of a place by its exact IANA name (``"Europe/Berlin"``; an old name such
    as ``"Asia/Calcutta"`` gives ``"Asia/Kolkata"``; ``"UTC"``), else ``None``:
    ``"localtime"``, ``"posix/Europe/Berlin"``, ``"EST5EDT"``, ``"Etc/GMT+3"``."""
    tables = _tables()
    if name in tables.places:
        return name
    if name in ("Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu"):
        return UTC_KEY
    return tables.links.get(name)


def zone_country(key: str) -> str | None:
    """The ISO country of a place's zone (``"Europe/Berlin"`` -> ``"DE"``), else ``None``."""
    return _tables().country_of.get(key)


def country_zones(code: str) -> tuple[str, ...]:
    """Every zone of a country (``"DE"``), in zone.tab's order."""
    return _tables().countries.get(code.upper(), ())


# --- the content: content/zones.yaml -------------------------------------------------


def _a_place(value: str) -> str:
    if known_zone(value) != value:
        raise ValueError(f"{value!r} is not the IANA name of a place (or UTC)")
    return value


def _a_country(value: str) -> str:
    if value not in _tables().countries:
        raise ValueError(f"{value!r} is not a country of the tz database's zone.tab")
    return value


def _a_country_or_place(value: str) -> str:
    return _a_place(value) if "/" in value or value == UTC_KEY else _a_country(value)


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(values)) != len(values):
        raise ValueError("lists a zone twice")
    return values


ZoneKey = Annotated[str, AfterValidator(_a_place)]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), AfterValidator(_a_country)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Abbreviation = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9+-]{1,9}$")]
Zones = Annotated[tuple[ZoneKey, ...], Field(min_length=1), AfterValidator(_distinct)]


class ZoneContent(BaseModel):
    """``content/zones.yaml``: which zones to offer, in what order, for what names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # language -> the zones its speakers are offered first (a picker's buttons)
    common: dict[LanguageCode, Annotated[Zones, Field(max_length=MAX_COMMON)]] = Field(min_length=1)
    # country -> its zones in the order to offer them, the most people first (zones not
    # listed come after, in zone.tab's order)
    countries: dict[CountryCode, Zones] = Field(default_factory=dict)
    # an abbreviation or a tz database rule name ("EST", "CET", "EST5EDT") -> the
    # places to suggest instead, the likeliest first
    abbreviations: dict[Abbreviation, Zones] = Field(default_factory=dict)
    # other names of a country or a place ("USA", "США") -> its code or zone
    aliases: dict[str, Annotated[str, AfterValidator(_a_country_or_place)]] = Field(
        default_factory=dict
    )

    def common_for(self, language: str) -> tuple[str, ...]:
        """The zones offered to speakers of ``language`` (unlisted: the first list's)."""
        return self.common.get(language) or next(iter(self.common.values()))

    @cached_property
    def _rank(self) -> dict[str, int]:
        """Place -> how early to offer it: in a common list (its position there), a
        country's list, an abbreviation's, then zone.tab's order."""
        rank: dict[str, int] = {}
        for zones in self.common.values():
            for position, key in enumerate(zones):
                rank[key] = min(rank.get(key, position), position)
        late = MAX_COMMON
        for zones in [*self.countries.values(), *self.abbreviations.values()]:
            for position, key in enumerate(zones):
                rank.setdefault(key, late + position)
        late += 100
        for key, row in _tables().order.items():
            rank.setdefault(key, late + row)
        return rank

    def rank(self, key: str) -> int:
        return self._rank.get(key, len(self._rank) + 10_000)

    @cached_property
    def _abbreviations(self) -> dict[str, tuple[str, ...]]:
        return {name.upper(): zones for name, zones in self.abbreviations.items()}

    def suggestions_for(self, abbreviation: str) -> tuple[str, ...] | None:
        return self._abbreviations.get(abbreviation.upper())

    @cached_property
    def folded_aliases(self) -> dict[str, str]:
        return {_key(name): target for name, target in self.aliases.items()}


NO_ZONE_CONTENT = ZoneContent(common={"en": (UTC_KEY,)})


# --- names in every language ---------------------------------------------------------


@lru_cache(maxsize=16)
def _babel(language: str) -> BabelLocale | None:
    try:
        return BabelLocale.parse(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return None


@lru_cache(maxsize=16)
def _cities(language: str) -> dict[str, str]:
    """Place -> its city as ``language`` writes it, where CLDR names it (``"ru"``:
    ``"Europe/Berlin"`` -> ``"Берлин"``); CLDR's older names are mapped to places."""
    locale = _babel(language)
    if locale is None:
        return {}
    aliases: Mapping[str, str] = get_global("zone_aliases")
    found: dict[str, str] = {}
    for name, data in locale.time_zones.items():
        city = data.get("city") if hasattr(data, "get") else None
        key = known_zone(name) or known_zone(aliases.get(name, ""))
        if isinstance(city, str) and city and key and key != UTC_KEY:
            found.setdefault(key, city)
    return found


@lru_cache(maxsize=16)
def _territories(language: str) -> dict[str, str]:
    """Country code -> its name in ``language`` (only countries with zones)."""
    locale = _babel(language)
    if locale is None:
        return {}
    countries = _tables().countries
    return {code: str(name) for code, name in locale.territories.items() if code in countries}


def _city_part(key: str) -> str:
    return key.rsplit("/", 1)[-1].replace("_", " ")


def zone_label(key: str, language: str) -> str:
    """A zone as a person knows it, in ``language``: its city (``"Europe/Berlin"``,
    ``"ru"`` -> ``"Берлин"``; ``"America/Sao_Paulo"`` -> ``"São Paulo"``); ``"UTC"``."""
    if key == UTC_KEY:
        return UTC_KEY
    return (
        _cities(language).get(key) or _cities(LABEL_FALLBACK_LANGUAGE).get(key) or _city_part(key)
    )


def country_name(code: str, language: str) -> str | None:
    """A country's name in ``language`` (``"DE"``, ``"es"`` -> ``"Alemania"``)."""
    return _territories(language).get(code) or _territories(LABEL_FALLBACK_LANGUAGE).get(code)


@dataclass(frozen=True)
class _Index:
    iana: dict[str, str]  # folded IANA name (and old name) -> place
    names: dict[str, frozenset[str]]  # folded city name, in any language -> places
    countries: dict[str, frozenset[str]]  # folded country name, any language -> codes


@lru_cache(maxsize=4)
def _index(languages: tuple[str, ...]) -> _Index:
    tables = _tables()
    iana: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    countries: dict[str, set[str]] = {}

    def city(name: str, key: str) -> None:
        folded = _key(name)
        if folded and folded not in _NOT_CITIES:
            names.setdefault(folded, set()).add(key)

    for key in tables.places - {UTC_KEY}:
        iana[_key(key)] = key
        city(_city_part(key), key)
    for old, key in tables.links.items():
        iana.setdefault(_key(old), key)
        part = _city_part(old)
        if old.split("/", 1)[0] in _AREAS and not part.isupper():
            city(part, key)
    for language in (LABEL_FALLBACK_LANGUAGE, *languages):
        for key, name in _cities(language).items():
            city(name, key)
        for code, name in _territories(language).items():
            countries.setdefault(_key(name), set()).add(code)
    return _Index(
        iana,
        {name: frozenset(keys) for name, keys in names.items()},
        {name: frozenset(codes) for name, codes in countries.items()},
    )


# --- finding a zone ------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One place's zone: set it."""

    zone: str


@dataclass(frozen=True)
class Candidates:
    """Several zones fit (a country with several, cities of one name): ask which, best
    first. ``country``: the country that was named, when one was."""

    zones: tuple[str, ...]
    country: str | None = None


@dataclass(frozen=True)
class NotAPlace:
    """An abbreviation (``EST``) or a fixed offset (``GMT+3``): not set, since it follows
    no place's clock changes; ``suggestions`` are places it may stand for."""

    suggestions: tuple[str, ...]
    offset: timedelta | None = None  # a fixed offset's; None: an abbreviation


@dataclass(frozen=True)
class Unknown:
    """Nothing known by that name."""


Resolution = Found | Candidates | NotAPlace | Unknown


def find_zone(
    text: str,
    languages: Sequence[str],
    content: ZoneContent | None = None,
    *,
    now: datetime | None = None,
) -> Resolution:
    """What a person typed for their time zone, read in ``languages`` (the bot's, from
    its catalogue): an IANA name, any case, spaces for ``_`` (``"europe/berlin"``); a
    city, in English or as any of those languages writes it (``"москва"``, ``"sao
    paulo"``, ``"Ciudad de México"``); a country (``"Alemania"``, ``"United States"``),
    whose zone is found when all of its zones keep the same time, else its zones as
    :class:`Candidates`; ``"Berlin, Germany"``. Abbreviations and fixed offsets give
    :class:`NotAPlace` with places to suggest. ``now``: when offsets are compared."""
    content = content or NO_ZONE_CONTENT
    now = now or datetime.now(UTC)
    cleaned = clean_argument(text, 100).translate(_DASHES)
    folded = fold(cleaned)
    if not folded:
        return Unknown()
    offset = _offset(folded)
    if offset is not None:
        return NotAPlace(_offset_suggestions(offset, content, now), offset)
    suggestions = content.suggestions_for(folded.replace(" ", ""))
    if suggestions is not None:
        return NotAPlace(suggestions)
    if folded in _UTC_NAMES:
        return Found(UTC_KEY)
    index = _index(tuple(sorted(set(languages))))
    parts = [part for part in (_key(p) for p in folded.split(",")) if part]
    if len(parts) > 1:
        return _with_country(parts, index, content, now)
    return _by_name(_key(folded), index, content, now)


def _by_name(key: str, index: _Index, content: ZoneContent, now: datetime) -> Resolution:
    if key in index.iana:
        return Found(index.iana[key])
    alias = content.folded_aliases.get(key)
    zones = set(index.names.get(key, ()))
    codes = set(index.countries.get(key, ()))
    if alias is not None:
        (zones if known_zone(alias) else codes).add(alias)
    if not zones and not codes and key.endswith(" city"):
        return _by_name(key.removesuffix(" city"), index, content, now)
    if not zones and len(codes) == 1:
        [code] = codes
        found = _country_choice(code, content, _month(now))
        return Found(found[0]) if len(found) == 1 else Candidates(found, code)
    for code in codes:
        zones.update(_country_choice(code, content, _month(now)))
    ranked = sorted(zones, key=content.rank)
    if not ranked:
        return Unknown()
    return Found(ranked[0]) if len(ranked) == 1 else Candidates(tuple(ranked[:MAX_CANDIDATES]))


def _with_country(
    parts: list[str], index: _Index, content: ZoneContent, now: datetime
) -> Resolution:
    """``"Portland, United States"``: the first part that names something, narrowed to
    the countries the other parts name."""
    for position, part in enumerate(parts):
        found = _by_name(part, index, content, now)
        if isinstance(found, Unknown):
            continue
        others = parts[:position] + parts[position + 1 :]
        wanted = {code for other in others for code in index.countries.get(other, ())}
        if isinstance(found, Candidates) and wanted:
            narrowed = tuple(z for z in found.zones if zone_country(z) in wanted)
            if len(narrowed) == 1:
                return Found(narrowed[0])
            if narrowed:
                return Candidates(narrowed, found.country)
        return found
    return Unknown()


def _month(now: datetime) -> date:
    return now.astimezone(UTC).date().replace(day=1)


def _country_choice(code: str, content: ZoneContent, start: date) -> tuple[str, ...]:
    """A country's zones to offer: the content's order (the most people first), then
    zone.tab's, one zone for each distinct behaviour (zones that keep the same time
    over the coming year are one choice: Germany's Berlin and Büsingen)."""
    listed = content.countries.get(code, ())
    zones = sorted(
        country_zones(code),
        key=lambda z: (listed.index(z) if z in listed else len(listed), content.rank(z)),
    )
    kept: list[str] = []
    seen: set[tuple[tuple[int, int], ...]] = set()
    for key in zones:
        behaviour = _behaviour(key, start)
        if behaviour not in seen:
            seen.add(behaviour)
            kept.append(key)
    return tuple(kept[:MAX_CANDIDATES])


@lru_cache(maxsize=1024)
def _behaviour(key: str, start: date) -> tuple[tuple[int, int], ...]:
    """A zone's offsets over the year from ``start``, sampled daily at noon UTC, as
    (day, offset in minutes) where it changes."""
    tz = ZoneInfo(key)
    changes: list[tuple[int, int]] = []
    noon = datetime(start.year, start.month, start.day, 12, tzinfo=UTC)
    for day in range(367):
        offset = noon + timedelta(days=day)
        delta = offset.astimezone(tz).utcoffset() or timedelta()
        minutes = int(delta.total_seconds() // 60)
        if not changes or changes[-1][1] != minutes:
            changes.append((day, minutes))
    return tuple(changes)


def _offset(folded: str) -> timedelta | None:
    """A fixed offset as typed (``"gmt+3"``, ``"utc-05:30"``, ``"etc/gmt-3"``), else None."""
    compact = folded.replace(" ", "")
    match = _OFFSET.match(compact)
    if match is not None:
        sign, hours, minutes = match[1], int(match[2]), int(match[3] or 0)
    elif (etc := _ETC_OFFSET.match(compact)) is not None:  # POSIX: Etc/GMT-3 is east
        sign, hours, minutes = ("+" if etc[1] == "-" else "-"), int(etc[2]), 0
    else:
        return None
    if hours > 14 or minutes > 59:
        return None
    return (-1 if sign == "-" else 1) * timedelta(hours=hours, minutes=minutes)


def _offset_suggestions(offset: timedelta, content: ZoneContent, now: datetime) -> tuple[str, ...]:
    """Places whose clocks stand at ``offset`` now, the most often chosen first."""
    places = sorted(_tables().places - {UTC_KEY}, key=content.rank)
    fitting = [key for key in places if now.astimezone(ZoneInfo(key)).utcoffset() == offset]
    suggestions = fitting[: MAX_SUGGESTIONS - (1 if offset == timedelta() else 0)]
    return (*suggestions, UTC_KEY) if offset == timedelta() else tuple(suggestions)
