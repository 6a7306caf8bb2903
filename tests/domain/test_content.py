from pathlib import Path

import pytest
import yaml

from bot.config import ROOT
from bot.domain.content import Content, ContentError, load_content
from bot.domain.text import clean_argument

SEED = ROOT.parent / "shared" / "seed" / "000_9170334bac4a05c6.txt"


def test_every_strategy_of_the_seed_is_there_with_enough_tips(content: Content) -> None:
    ids = [s.id for s in content.strategies]
    assert ids == [
        "mystery",
        "appreciation",
        "own-life",
        "letting-go",
        "genuine",
        "boundaries",
        "presence",
        "reciprocity",
    ]
    assert all(len(s.tips) >= 6 for s in content.strategies)
    assert len(content.tips) >= 48
    assert len({t.id for t in content.tips}) == len(content.tips)


def test_every_text_fits_a_telegram_message(content: Content) -> None:
    for strategy in content.strategies:
        for tip in strategy.tips:
            assert len(f"{strategy.title}\n\n{tip.text}\n\n{strategy.why}") < 1024


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is not beside the repository")
def test_no_sentence_is_copied_from_the_seed(content: Content) -> None:
    def words(text: str) -> list[str]:
        return "".join(c.lower() if c.isalnum() else " " for c in text.replace("’", "'")).split()

    seed = words(SEED.read_text(encoding="utf-8"))
    seed_runs = {tuple(seed[i : i + 6]) for i in range(len(seed) - 5)}
    texts = [t.text for t in content.tips] + [s.why for s in content.strategies]
    texts += list(content.messages.values()) + [q.text for q in content.questions]
    for text in texts:
        ws = words(text)
        copied = {tuple(ws[i : i + 6]) for i in range(len(ws) - 5)} & seed_runs
        assert not copied, f"copied from the seed: {copied} in {text!r}"


def _copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    target.mkdir()
    for file in (ROOT / "content").glob("*.yaml"):
        (target / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def _edit(path: Path, change: object) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    folder = _copy_content(tmp_path)
    (folder / "strategies.yaml").unlink()
    with pytest.raises(ContentError, match=r"strategies.yaml: content file missing"):
        load_content(folder)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["strategies"][1].update(id=d["strategies"][0]["id"]), "duplicate id"),
        (lambda d: d["strategies"][0]["tips"][0].update(text="x" * 700), "at most 600"),
        (lambda d: d["strategies"][0]["tips"][0].update(text="<b>bold"), "plain text only"),
        (lambda d: d["strategies"][0].update(tips=d["strategies"][0]["tips"][:3]), "six tips"),
        (lambda d: d["strategies"][0].pop("title"), "title: must be a non-empty text"),
    ],
)
def test_invalid_strategies_are_refused_with_the_place(
    tmp_path: Path, change: object, message: str
) -> None:
    folder = _copy_content(tmp_path)
    _edit(folder / "strategies.yaml", change)
    with pytest.raises(ContentError, match=message):
        load_content(folder)


def test_broken_yaml_is_refused(tmp_path: Path) -> None:
    folder = _copy_content(tmp_path)
    (folder / "messages.yaml").write_text("welcome: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match=r"messages\.yaml: not valid YAML"):
        load_content(folder)


def test_clean_argument_drops_invisible_marks_and_folds_space() -> None:
    assert clean_argument("\u200bmys\u200dtery\u202e ") == "mystery"
    assert clean_argument("Ｅｕｒｏｐｅ/Berlin") == "Europe/Berlin"
    assert clean_argument("a\x00b\x07c   d") == "abc d"
    assert len(clean_argument("x" * 100_000)) == 200
