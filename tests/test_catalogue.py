"""The message catalogue: complete in every language, used for every text, no English
left in the code."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, FluentSerializer
from fluent.syntax import ast as ftl

from bot.config import ROOT
from bot.domain.platform import PLAIN
from bot.domain.replies import Reply
from bot.features.base import Identity, Services
from bot.features.core import Core
from bot.features.dispatch import COMMANDS
from bot.i18n import Catalogue, CatalogueError, Markup, language_of

LOCALES = ROOT / "content" / "locales"
CODE = [*sorted((ROOT / "bot").rglob("*.py")), *sorted((ROOT / "scheduler").rglob("*.py"))]


def test_the_catalogue_loads_complete() -> None:
    catalogue = Catalogue.load(LOCALES)
    assert catalogue.problems() == []
    assert "en" in catalogue.offered


def _copy_locales(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(LOCALES, target)
    return target


def _add_language(folder: Path, code: str, source: str) -> None:
    """A language ``code`` whose messages are ``source`` (one file)."""
    shutil.rmtree(folder / code, ignore_errors=True)
    (folder / code).mkdir()
    (folder / code / "bot.ftl").write_text(source, encoding="utf-8")
    listing = folder / "languages.yaml"
    listing.write_text(listing.read_text(encoding="utf-8") + f"  {code}: Test\n", encoding="utf-8")


def _english() -> str:
    """Every English message, the files one after the other."""
    files = sorted((LOCALES / "en").glob("*.ftl"))
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_a_language_lacking_a_message_is_refused(tmp_path: Path) -> None:
    folder = _copy_locales(tmp_path)
    source = re.sub(r"^checkin-keep = .*\n", "", _english(), flags=re.MULTILINE)
    _add_language(folder, "xx", source)
    with pytest.raises(CatalogueError, match="xx: message 'checkin-keep' is missing"):
        Catalogue.load(folder)


def test_a_language_lacking_a_placeholder_is_refused(tmp_path: Path) -> None:
    folder = _copy_locales(tmp_path)
    source = re.sub(r"^history-line = .*$", "history-line = A day.", _english(), flags=re.M)
    _add_language(folder, "xx", source)
    with pytest.raises(CatalogueError, match="xx: message 'history-line' uses \\[\\], en uses"):
        Catalogue.load(folder)


def test_a_language_lacking_a_plural_form_of_its_own_grammar_is_refused(tmp_path: Path) -> None:
    """Polish, like Russian, has one, few and many besides other (CLDR, through Babel)."""
    folder = _copy_locales(tmp_path)
    plural = "trend-needs-two = { $count ->\n    [one] one\n   *[other] more\n}"
    source = re.sub(r"^trend-needs-two = .*$", plural, _english(), flags=re.M)
    _add_language(folder, "pl", source)
    problems = Catalogue.load(folder).problems()  # the test of the real catalogue's, above
    assert "pl: message 'trend-needs-two' lacks the plural forms ['few', 'many']" in problems
    _add_language(
        folder, "pl", source.replace("[one] one", "[one] one\n    [few] few\n    [many] many")
    )
    assert Catalogue.load(folder).locale("pl").t("trend-needs-two", count=3) == "few"


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    folder = _copy_locales(tmp_path)
    _add_language(folder, "xx", _english() + "\nbroken = { $oops\n")
    with pytest.raises(CatalogueError, match=r"xx/bot\.ftl"):
        Catalogue.load(folder)


def test_a_listed_language_without_its_folder_is_refused(tmp_path: Path) -> None:
    folder = _copy_locales(tmp_path)
    listing = folder / "languages.yaml"
    listing.write_text(listing.read_text(encoding="utf-8") + "  de: Deutsch\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="missing"):
        Catalogue.load(folder)


def test_language_codes_fall_back_to_their_base_then_to_english() -> None:
    offered = ("en", "es")
    assert language_of("es-MX", offered) == "es"
    assert language_of("ES_es", offered) == "es"
    assert language_of("pt-BR", offered) == "en"
    assert language_of(None, offered) == "en"


def test_text_arguments_are_escaped_and_markup_is_kept() -> None:
    locale = Catalogue.load(LOCALES).locale("en")
    assert locale.t("unknown-command", name="<b>x</b>") == (
        "I don't know /&lt;b&gt;x&lt;/b&gt;. Send /help to see what I can do."
    )
    assert "<b>" in locale.t("settings-headline", headline=Markup("<b>ok</b>"))


def _keys_used_in_code() -> set[str]:
    """Every literal catalogue key the code asks for: ``t("key"`` and friends."""
    found: set[str] = set()
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
            if isinstance(node, ast.IfExp):  # t("a" if x else "b")
                for branch in (node.body, node.orelse):
                    if (
                        isinstance(branch, ast.Constant)
                        and isinstance(branch.value, str)
                        and re.fullmatch(r"[a-z]+(-[a-z_]+)+", branch.value)
                    ):
                        found.add(branch.value)
    return found


def test_every_key_the_code_asks_for_is_in_the_catalogue() -> None:
    locale = Catalogue.load(LOCALES).locale("en")
    keys = _keys_used_in_code() | {f"command-{c.name}" for c in COMMANDS}
    assert len(keys) > 100
    assert sorted(k for k in keys if not locale.has(k)) == []


def _reads_like_a_sentence(text: str) -> bool:
    """Three words or more, two of them plain lowercase words, and the shape of a
    sentence (a capital first, or a full stop last): not an identifier, a format, a
    stored reason like "daily tip off" or a wire text like "429 Too Many Requests"."""
    stripped = text.strip()
    words = [w for w in stripped.split() if re.fullmatch(r"[A-Za-z'’]{2,}[,.;:!?]?", w)]
    lowercase = [w for w in words if w.islower() and len(w) >= 3]
    shaped = bool(stripped) and (stripped[0].isupper() or stripped.endswith((".", "!", "?")))
    return len(words) >= 3 and len(lowercase) >= 2 and shaped


def _user_facing_literals(path: Path) -> list[tuple[int, str]]:
    """String literals that read like English words for a person, leaving out
    docstrings, log calls, exceptions, and arguments named like SQL or formats."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                skipped.add(id(value))  # a docstring
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value if isinstance(func, ast.Attribute) else None
            owner_name = getattr(owner, "id", "") or getattr(owner, "attr", "")
            operator_facing = (
                owner_name in ("log", "logger", "logging", "parser", "subparsers")
                or name.endswith(("Error", "Exception", "Exit"))
                or name in ("print_usage", "add_argument", "add_parser", "ArgumentParser")
                or name in ("text", "exec_driver_sql", "getLogger", "warn")
            )
            if operator_facing:
                for inner in ast.walk(node):
                    skipped.add(id(inner))
        if isinstance(node, ast.Raise | ast.Assert):
            for inner in ast.walk(node):
                skipped.add(id(inner))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
            and _reads_like_a_sentence(node.value)
        ):
            found.append((node.lineno, node.value))
    return found


# Operator-facing texts (the command line, the operator's settings errors) and names.
_OPERATOR_FILES = {"__main__.py", "config.py", "logs.py", "env.py"}


def test_no_user_facing_english_is_left_in_the_code() -> None:
    leftovers = {
        f"{path.relative_to(ROOT)}:{line}": text
        for path in CODE
        if path.name not in _OPERATOR_FILES and "migrations" not in path.parts
        for line, text in _user_facing_literals(path)
    }
    assert leftovers == {}


def _dummy_language(tmp_path: Path) -> Catalogue:
    """English with every message marked ``⟦xx⟧``: a text that shows without the mark
    did not come from the user's language."""
    folder = _copy_locales(tmp_path)
    resource = FluentParser(with_spans=False).parse(_english())
    for entry in resource.body:
        if isinstance(entry, ftl.Message) and entry.value is not None:
            entry.value.elements.insert(0, ftl.TextElement("⟦xx⟧ "))
    _add_language(folder, "xx", FluentSerializer().serialize(resource))
    return Catalogue.load(folder)


def test_a_dummy_language_has_every_message_marked(tmp_path: Path) -> None:
    catalogue = _dummy_language(tmp_path)
    locale = catalogue.locale("xx")
    assert locale.t("checkin-keep") == "⟦xx⟧ Keep"
    assert catalogue.locale("xx-YY").language == "xx"


async def test_every_reply_renders_in_a_dummy_language(tmp_path: Path, services: Services) -> None:
    """Every command, then every button its replies show (and the buttons those show,
    breadth first), for a user whose language is the dummy one: each text and notice
    carries the mark, so none came from anywhere but that language's catalogue."""
    services.catalogue = _dummy_language(tmp_path)
    core = Core(services, PLAIN)
    who = Identity(42, 42, language="xx", platform="test")
    group = Identity(42, -100, private=False, language="xx", platform="test")
    seen: list[str] = []
    to_press: list[str] = []

    def read(replies: list[Reply]) -> None:
        for reply in replies:
            seen.append(reply.text)
            to_press.extend(d for d in reply.button_data() if d not in pressed)

    pressed: set[str] = {"del:yes"}  # everything else, deleting last
    for command in COMMANDS:  # before "Sounds good": the welcome, or what works without
        read(await core.command(who, command.name, ""))
    consent = await core.button(who, "ob:ok")
    read([consent.edit] if consent.edit else [])
    for command in COMMANDS:
        read(await core.command(who, command.name, ""))
        read(await core.command(group, command.name, ""))
    read(await core.text(who, "my partner ignored me today"))
    read(await core.text(who))
    read(await core.command(who, "nosuchcommand", ""))
    read(await core.command(who, "tip", "nosuchtopic"))
    read(await core.command(who, "nudges", "25:99"))
    read(await core.command(who, "timezone", "Nowhere/Atall"))
    while to_press and len(pressed) < 400:
        data = to_press.pop(0)
        if data in pressed:
            continue
        pressed.add(data)
        result = await core.button(who, data)
        if result.notice:
            seen.append(result.notice)
        read([result.edit] if result.edit else [])
        read(result.send)
    read([(await core.button(who, "del:yes")).edit or Reply("⟦xx⟧")])
    read([Reply((await core.button(who, "forged:data")).notice or "")])
    assert len(pressed) > 60  # the check-in, settings, reminders, tips, topics...
    unmarked = [text for text in seen if "⟦xx⟧" not in text]
    assert unmarked == []
