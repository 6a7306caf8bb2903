"""The layering, checked on every run: import-linter's contracts in pyproject.toml.

Dependencies point inward: the domain imports nothing else of the project; features
import no adapter; the scheduler imports no feature; the store imports neither. The
contracts are run on the tree as it is, and on copies with one forbidden import
added, so that a contract that could never break would show.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bot.config import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("bot", "scheduler")


def contracts() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    found: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return found


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    assert LINT_IMPORTS.exists(), f"{LINT_IMPORTS} missing: pip install -e '.[dev]'"
    env = {**os.environ, "PYTHONPATH": str(root), "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layers_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(contracts())} kept, 0 broken" in result.stdout


def test_the_domain_contract_names_every_other_module() -> None:
    """A new module of the bot (``bot.i18n`` was one) is forbidden to the domain too."""
    [domain] = [c for c in contracts() if c["source_modules"] == ["bot.domain"]]
    others = {f"bot.{p.stem}" for p in (ROOT / "bot").iterdir() if p.suffix == ".py"}
    others |= {f"bot.{p.name}" for p in (ROOT / "bot").iterdir() if (p / "__init__.py").exists()}
    others = (others - {"bot.__init__", "bot.domain"}) | {"scheduler"}
    forbidden = domain["forbidden_modules"]
    assert isinstance(forbidden, list)
    assert sorted(others - set(forbidden)) == []


BREAKS = {  # contract -> (module, the forbidden import added to it)
    "The domain imports nothing else of the project": ("bot/domain/replies.py", "bot.store.models"),
    "Features import no adapter": ("bot/features/tips.py", "bot.adapters.console"),
    "The scheduler imports no feature": ("scheduler/delivery.py", "bot.features.base"),
    "The store imports no feature or adapter": ("bot/store/models.py", "bot.features.base"),
}


def test_every_contract_has_a_breaking_case() -> None:
    assert sorted(BREAKS) == sorted(str(c["name"]) for c in contracts())


@pytest.mark.parametrize("contract", sorted(BREAKS))
def test_a_forbidden_import_breaks_its_contract(contract: str, tmp_path: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "migrations"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    # ``bot`` is a namespace package: without this, the editable install's checkout
    # would be a second portion of it, and which copy of a module counts, a toss-up.
    (tmp_path / "bot" / "__init__.py").touch()
    assert lint_imports(tmp_path).returncode == 0  # the copy, as it is, keeps them all
    module, forbidden = BREAKS[contract]
    with (tmp_path / module).open("a", encoding="utf-8") as source:
        source.write(f"\nimport {forbidden}  # noqa: E402\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout, result.stdout
