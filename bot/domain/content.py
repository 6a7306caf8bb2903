"""The coaching content (strategies, tips, check-in questions, fixed texts) and its loader.

Content is data in ``content/``; the loader validates all of it at start-up so
that a broken file stops the bot with one clear line instead of failing later
in a chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TELEGRAM_TEXT_LIMIT = 4096
BUTTON_LABEL_LIMIT = 64
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class ContentError(ValueError):
    """The content files are missing or invalid; the message says where."""


@dataclass(frozen=True, slots=True)
class Tip:
    id: str
    strategy_id: str
    text: str


@dataclass(frozen=True, slots=True)
class Strategy:
    id: str
    title: str
    emoji: str
    why: str
    tags: frozenset[str]
    tips: tuple[Tip, ...]


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    area: str
    measures: str  # "gave" | "received" | "self"
    strategy_id: str
    answers: tuple[str, ...]
    safety: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Content:
    strategies: tuple[Strategy, ...]
    questions: tuple[Question, ...] = ()
    checkin_intro: str = ""
    messages: dict[str, str] = field(default_factory=dict)
    safety_links: tuple[Link, ...] = ()
    reflection_prompts: tuple[str, ...] = ()
    _tips_by_id: dict[str, Tip] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:  # every nudge looks its tip up: one dict, built once
        tips = {tip.id: tip for strategy in self.strategies for tip in strategy.tips}
        object.__setattr__(self, "_tips_by_id", tips)

    @property
    def tips(self) -> tuple[Tip, ...]:
        return tuple(self._tips_by_id.values())

    def strategy(self, strategy_id: str) -> Strategy | None:
        return next((s for s in self.strategies if s.id == strategy_id), None)

    def tip(self, tip_id: str) -> Tip | None:
        return self._tips_by_id.get(tip_id)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def find_strategy(self, query: str) -> Strategy | None:
        """A strategy by id, number (1-based) or a word of its title."""
        wanted = query.strip().lower()
        if not wanted:
            return None
        if wanted.isdigit() and 1 <= int(wanted) <= len(self.strategies):
            return self.strategies[int(wanted) - 1]
        for strategy in self.strategies:
            if wanted in (strategy.id, strategy.title.lower()):
                return strategy
        for strategy in self.strategies:
            if wanted in strategy.id or wanted in strategy.title.lower():
                return strategy
        return None

    def message(self, key: str, **values: str) -> str:
        text = self.messages.get(key, "")
        return text.format(**values) if values else text


def _plain_text(value: Any, where: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: must be a non-empty text")
    text = " ".join(value.split()) if "\n" not in value.strip() else value.strip()
    if len(text) > limit:
        raise ContentError(f"{where}: {len(text)} characters, at most {limit}")
    if "<" in text or ">" in text:
        raise ContentError(f"{where}: plain text only (no '<' or '>'), the bot adds formatting")
    return text


def _ident(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ContentError(f"{where}: id {value!r} must be lowercase letters, digits, - or _")
    return value


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ContentError(f"{path}: content file missing")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    return data


def parse_strategies(data: dict[str, Any], where: str = "strategies") -> tuple[Strategy, ...]:
    raw = data.get("strategies")
    if not isinstance(raw, list) or not raw:
        raise ContentError(f"{where}: 'strategies' must be a non-empty list")
    strategies: list[Strategy] = []
    seen_ids: set[str] = set()
    for index, item in enumerate(raw):
        at = f"{where}[{index}]"
        if not isinstance(item, dict):
            raise ContentError(f"{at}: must be a mapping")
        sid = _ident(item.get("id"), at)
        if sid in seen_ids:
            raise ContentError(f"{at}: duplicate id {sid!r}")
        seen_ids.add(sid)
        tips_raw = item.get("tips")
        if not isinstance(tips_raw, list) or len(tips_raw) < 6:
            raise ContentError(f"{at} ({sid}): needs at least six tips")
        tips: list[Tip] = []
        for tip_index, tip_item in enumerate(tips_raw):
            tip_at = f"{at}.tips[{tip_index}]"
            if not isinstance(tip_item, dict):
                raise ContentError(f"{tip_at}: must be a mapping with id and text")
            tid = _ident(tip_item.get("id"), tip_at)
            if tid in seen_ids:
                raise ContentError(f"{tip_at}: duplicate id {tid!r}")
            seen_ids.add(tid)
            tips.append(Tip(tid, sid, _plain_text(tip_item.get("text"), tip_at, 600)))
        tags = item.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ContentError(f"{at}: tags must be a list of words")
        strategies.append(
            Strategy(
                id=sid,
                title=_plain_text(item.get("title"), f"{at}.title", 60),
                emoji=str(item.get("emoji") or ""),
                why=_plain_text(item.get("why"), f"{at}.why", 600),
                tags=frozenset(tags),
                tips=tuple(tips),
            )
        )
    return tuple(strategies)


def parse_checkin(
    data: dict[str, Any], strategy_ids: set[str], where: str = "checkin"
) -> tuple[str, tuple[Question, ...]]:
    raw = data.get("questions")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 10:
        raise ContentError(f"{where}: 'questions' must be a list of 1 to 10 questions")
    questions: list[Question] = []
    for index, item in enumerate(raw):
        at = f"{where}.questions[{index}]"
        if not isinstance(item, dict):
            raise ContentError(f"{at}: must be a mapping")
        qid = _ident(item.get("id"), at)
        if any(q.id == qid for q in questions):
            raise ContentError(f"{at}: duplicate id {qid!r}")
        measures = item.get("measures")
        if measures not in ("gave", "received", "self"):
            raise ContentError(f"{at}: measures must be gave, received or self")
        strategy_id = item.get("strategy")
        if strategy_id not in strategy_ids:
            raise ContentError(f"{at}: unknown strategy {strategy_id!r}")
        answers = item.get("answers")
        if not isinstance(answers, list) or len(answers) != 5:
            raise ContentError(f"{at}: needs exactly five answers")
        labels = tuple(
            _plain_text(a, f"{at}.answers[{i}]", BUTTON_LABEL_LIMIT) for i, a in enumerate(answers)
        )
        questions.append(
            Question(
                id=qid,
                text=_plain_text(item.get("text"), f"{at}.text", 300),
                area=_plain_text(item.get("area"), f"{at}.area", 24),
                measures=measures,
                strategy_id=strategy_id,
                answers=labels,
                safety=bool(item.get("safety", False)),
            )
        )
    intro = _plain_text(data.get("intro", "A few quick questions."), f"{where}.intro", 600)
    return intro, tuple(questions)


REQUIRED_MESSAGES = ("welcome", "safety", "reassess")


def parse_messages(
    data: dict[str, Any], where: str = "messages"
) -> tuple[dict[str, str], tuple[Link, ...], tuple[str, ...]]:
    messages: dict[str, str] = {}
    for key, value in data.items():
        if key in ("safety_links", "reflection_prompts"):
            continue
        messages[str(key)] = _plain_text(value, f"{where}.{key}", 2000)
    for key in REQUIRED_MESSAGES:
        if key not in messages:
            raise ContentError(f"{where}: missing text {key!r}")
    links: list[Link] = []
    for index, item in enumerate(data.get("safety_links") or []):
        at = f"{where}.safety_links[{index}]"
        if not isinstance(item, dict) or not str(item.get("url", "")).startswith("https://"):
            raise ContentError(f"{at}: needs a label and an https:// url")
        links.append(
            Link(_plain_text(item.get("label"), f"{at}.label", BUTTON_LABEL_LIMIT), item["url"])
        )
    prompts = tuple(
        _plain_text(p, f"{where}.reflection_prompts[{i}]", 300)
        for i, p in enumerate(data.get("reflection_prompts") or [])
    )
    return messages, tuple(links), prompts


def load_content(directory: Path) -> Content:
    """Load and validate every content file in ``directory``."""
    if not directory.is_dir():
        raise ContentError(f"{directory}: content folder missing")
    strategies = parse_strategies(_read_yaml(directory / "strategies.yaml"), "strategies.yaml")
    if sum(len(s.tips) for s in strategies) < 48:
        raise ContentError("strategies.yaml: at least 48 tips are needed")
    intro, questions = parse_checkin(
        _read_yaml(directory / "checkin.yaml"), {s.id for s in strategies}, "checkin.yaml"
    )
    messages, links, prompts = parse_messages(
        _read_yaml(directory / "messages.yaml"), "messages.yaml"
    )
    return Content(
        strategies=strategies,
        questions=questions,
        checkin_intro=intro,
        messages=messages,
        safety_links=links,
        reflection_prompts=prompts,
    )
