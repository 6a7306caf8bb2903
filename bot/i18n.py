"""The message catalogue: every user-facing text, in Fluent files, one folder per language.

``content/locales/<language>/*.ftl`` holds the messages of one language;
``content/locales/languages.yaml`` lists the languages offered. Fluent's select
expressions carry plurals and grammatical variants, so no text is ever assembled by
string replacement. Messages are written in the replies' small markup (see
:mod:`bot.domain.replies`): ``<b>``, ``<i>``, ``<code>``; text arguments are escaped
before they are placed, so that nothing a user typed can become markup.

Dates, weekdays, times and numbers are formatted by Babel for the locale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from html import escape
from pathlib import Path
from typing import Any

import yaml
from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.domain.content import ContentError

DEFAULT_LANGUAGE = "en"
# How the bot speaks of the user's partner, passed to every message as $partner; each
# language writes its own variants with Fluent selectors (``*[they]`` the default).
PARTNER_WORDINGS = ("he", "she", "they")
DEFAULT_WORDING = "they"
# Given to every message whether it uses them or not, so a language may need them where
# another does not (Spanish agrees adjectives with the partner, English rarely).
AMBIENT = frozenset({"partner"})
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})


class CatalogueError(ContentError):
    """A catalogue file is missing, broken, or lacks a message; the text says where."""


class Markup(str):
    """A text already in the replies' markup: placed into a message as it is."""


def language_of(code: str | None, offered: tuple[str, ...]) -> str:
    """The offered language for a platform's language code: ``es-MX`` -> ``es``,
    unknown or missing -> the default."""
    if code:
        wanted = code.replace("_", "-").lower()
        if wanted in offered:
            return wanted
        base = wanted.split("-", 1)[0]
        if base in offered:
            return base
    return DEFAULT_LANGUAGE


def _variables(pattern: ast.Pattern | None) -> set[str]:
    """Every ``$variable`` a pattern uses, in selectors and variants too."""
    found: set[str] = set()

    class Variables(Visitor):
        def visit_VariableReference(self, node: ast.VariableReference) -> None:
            found.add(node.id.name)
            self.generic_visit(node)

    if pattern is not None:
        Variables().visit(pattern)
    return found


def _plural_selects(pattern: ast.Pattern | None) -> list[set[str]]:
    """The variant keys of each select on a number (``[one]``, ``[few]``, ``*[other]``)."""
    found: list[set[str]] = []

    class Selects(Visitor):
        def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
            keys = {v.key.name for v in node.variants if isinstance(v.key, ast.Identifier)}
            if keys & PLURAL_CATEGORIES and not keys & set(PARTNER_WORDINGS):
                found.append(keys)
            self.generic_visit(node)

    if pattern is not None:
        Selects().visit(pattern)
    return found


@dataclass(frozen=True)
class Messages:
    """One language's messages: their sources, what each message uses, and Fluent's
    bundle, built on first use (it loads the language's CLDR data, a few MB: a
    language nobody speaks costs nothing)."""

    language: str
    sources: tuple[str, ...]
    variables: dict[str, set[str]]  # message id -> the $variables it uses
    plurals: dict[str, list[set[str]]] = field(default_factory=dict)  # id -> plural selects

    @cached_property
    def bundle(self) -> FluentBundle:
        bundle = FluentBundle([self.language], use_isolating=False)
        for source in self.sources:
            bundle.add_resource(FluentResource(source))
        return bundle


def _load_language(folder: Path) -> Messages:
    language = folder.name
    files = sorted(folder.glob("*.ftl"))
    if not files:
        raise CatalogueError(f"{folder}: no .ftl files")
    sources: list[str] = []
    variables: dict[str, set[str]] = {}
    plurals: dict[str, list[set[str]]] = {}
    parser = FluentParser(with_spans=False)
    for path in files:
        source = path.read_text(encoding="utf-8")
        parsed = parser.parse(source)
        for entry in parsed.body:
            if isinstance(entry, ast.Junk):
                problem = entry.annotations[0].message if entry.annotations else "syntax error"
                first = (entry.content or "").strip().splitlines()[0][:60]
                raise CatalogueError(f"{path}: {problem} near {first!r}")
            if isinstance(entry, ast.Message):
                name = entry.id.name
                if name in variables:
                    raise CatalogueError(f"{path}: message {name!r} is defined twice")
                uses = _variables(entry.value)
                for attribute in entry.attributes:
                    uses |= _variables(attribute.value)
                variables[name] = uses
                plurals[name] = _plural_selects(entry.value)
        sources.append(source)
    return Messages(language, tuple(sources), variables, plurals)


@dataclass(frozen=True)
class Catalogue:
    """Every language's messages; the default language is complete by definition."""

    languages: dict[str, Messages]
    names: dict[str, str] = field(default_factory=dict)  # language -> its own name
    _locales: dict[str, Locale] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, directory: Path) -> Catalogue:
        listing = directory / "languages.yaml"
        if not listing.is_file():
            raise CatalogueError(f"{listing}: the list of languages is missing")
        listed = yaml.safe_load(listing.read_text(encoding="utf-8")) or {}
        offered = listed.get("languages") if isinstance(listed, dict) else None
        if not isinstance(offered, dict) or DEFAULT_LANGUAGE not in offered:
            raise CatalogueError(f"{listing}: 'languages' must map codes to names, with 'en'")
        languages: dict[str, Messages] = {}
        for code in offered:
            folder = directory / str(code)
            if not folder.is_dir():
                raise CatalogueError(f"{folder}: listed in languages.yaml but missing")
            languages[str(code)] = _load_language(folder)
        catalogue = cls(languages, {str(k): str(v) for k, v in offered.items()})
        problems = catalogue.problems(plurals=False)  # the plural forms: tests/test_catalogue
        if problems:
            raise CatalogueError(problems[0])
        return catalogue

    def problems(self, *, plurals: bool = True) -> list[str]:
        """What a language lacks against the default: messages, placeholders (other than
        the ambient $partner), or (``plurals``) the plural forms its own grammar has
        (CLDR's, by Babel: Russian needs one, few and many besides other; reading them
        loads each language's CLDR data, so start-up leaves this to the tests)."""
        reference = self.languages[DEFAULT_LANGUAGE].variables
        found: list[str] = []
        for code, messages in self.languages.items():
            needed = _plural_forms(code) if plurals else set()
            for name, uses in reference.items():
                if name not in messages.variables:
                    found.append(f"{code}: message {name!r} is missing")
                elif messages.variables[name] - AMBIENT != uses - AMBIENT:
                    found.append(
                        f"{code}: message {name!r} uses {sorted(messages.variables[name])}, "
                        f"{DEFAULT_LANGUAGE} uses {sorted(uses)}"
                    )
            for name, selects in messages.plurals.items():
                for keys in selects:
                    if not needed <= keys:
                        found.append(
                            f"{code}: message {name!r} lacks the plural forms "
                            f"{sorted(needed - keys)}"
                        )
            for name in messages.variables.keys() - reference.keys():
                found.append(f"{code}: message {name!r} is not in {DEFAULT_LANGUAGE}")
        return found

    def require(self, keys: tuple[str, ...] | list[str]) -> None:
        """Raise CatalogueError naming the first key the default language lacks (the
        other languages are held to the default by :meth:`problems`)."""
        have = self.languages[DEFAULT_LANGUAGE].variables
        missing = [key for key in keys if key not in have]
        if missing:
            raise CatalogueError(
                f"{DEFAULT_LANGUAGE}: the content needs message {missing[0]!r}"
                + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
            )

    @property
    def offered(self) -> tuple[str, ...]:
        return tuple(self.languages)

    def locale(self, code: str | None) -> Locale:
        language = language_of(code, self.offered)
        if language not in self._locales:  # one per language, built on first use
            self._locales[language] = Locale(
                language, self.languages[language], self.languages[DEFAULT_LANGUAGE]
            )
        return self._locales[language]


def _plural_forms(language: str) -> set[str]:
    """The plural categories a language's grammar distinguishes (CLDR, through Babel)."""
    try:
        return set(BabelLocale.parse(language).plural_form.tags) | {"other"}
    except (UnknownLocaleError, ValueError):
        return {"one", "other"}


class Locale:
    """The texts and formats of one language, speaking of the partner as ``partner``
    (``he``, ``she`` or ``they``; :meth:`about` gives the same language for another)."""

    def __init__(
        self,
        language: str,
        messages: Messages,
        fallback: Messages,
        partner: str = DEFAULT_WORDING,
        _babel: BabelLocale | None = None,
    ) -> None:
        self.language = language
        self.partner = partner if partner in PARTNER_WORDINGS else DEFAULT_WORDING
        self._messages = messages
        self._fallback = fallback
        self._babel_locale: BabelLocale | None = _babel

    def about(self, partner: str | None) -> Locale:
        """This language, speaking of the partner as ``partner`` (unknown: "they")."""
        wording = partner if partner in PARTNER_WORDINGS else DEFAULT_WORDING
        if wording == self.partner:
            return self
        return Locale(self.language, self._messages, self._fallback, wording, self._babel_locale)

    @property
    def _babel(self) -> BabelLocale:
        """Babel's data for the language, loaded on first use (a few MB per language):
        dates and numbers as the language writes them (unknown to Babel: English)."""
        if self._babel_locale is None:
            try:
                self._babel_locale = BabelLocale.parse(self.language)
            except (UnknownLocaleError, ValueError):
                self._babel_locale = BabelLocale.parse(DEFAULT_LANGUAGE)
        return self._babel_locale

    def has(self, key: str) -> bool:
        return key in self._messages.variables or key in self._fallback.variables

    def t(self, key: str, **args: Any) -> str:
        """The message ``key`` with ``args`` placed (text escaped unless it is Markup)."""
        messages = self._messages if key in self._messages.variables else self._fallback
        message = messages.bundle.get_message(key) if key in messages.variables else None
        if message is None or message.value is None:
            raise KeyError(f"no message {key!r} in the catalogue")
        prepared = _prepared(args)
        prepared.setdefault("partner", self.partner)
        text, errors = messages.bundle.format_pattern(message.value, prepared)
        if errors:
            raise KeyError(f"message {key!r}: {errors[0]}")
        return str(text)

    def date(self, value: date | datetime, pattern: str = "d MMM y") -> str:
        """A date in the locale's words, e.g. ``1 Dec 2026``."""
        return format_date(value, pattern, locale=self._babel)

    def day_and_time(self, value: datetime) -> str:
        """A weekday, day, month and time, e.g. ``Tue 1 Dec, 20:15``."""
        return format_datetime(value, "EEE d MMM, HH:mm", locale=self._babel)

    def time(self, value: time | datetime) -> str:
        return format_time(value, "HH:mm", locale=self._babel)

    def weekday(self, index: int) -> str:
        """Monday = 0, abbreviated as the locale does."""
        return str(self._babel.days["format"]["abbreviated"][index])


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The catalogue in the project's ``content/locales`` (loaded once)."""
    from bot.config import ROOT

    return Catalogue.load(ROOT / "content" / "locales")


def _prepared(args: Mapping[str, Any]) -> dict[str, Any]:
    prepared: dict[str, Any] = {}
    for name, value in args.items():
        if isinstance(value, Markup):
            prepared[name] = str(value)
        elif isinstance(value, str):
            prepared[name] = escape(value, quote=False)
        else:
            prepared[name] = value
    return prepared
