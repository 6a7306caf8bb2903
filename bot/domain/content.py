"""The coaching content's structure (strategies, tips, check-in questions) and its loader.

Content is data in ``content/``; the loader validates all of it at start-up so
that a broken file stops the bot with one clear line instead of failing later
in a chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from bot.domain.resources import Resources
from bot.domain.text import fold
from bot.domain.zones import ZoneContent

TELEGRAM_TEXT_LIMIT = 4096
BUTTON_LABEL_LIMIT = 64
_ID = re.compile(r"^[a-z][a-z0-9_-]{0,30}$")
# The tag of the strategies tips come from while a user's check-in says they do not
# feel safe or respected (self-care, support, their own life): never "distance".
SAFE_TAG = "safe"


class ContentError(ValueError):
    """The content files are missing or invalid; the message says where."""


@dataclass(frozen=True, slots=True)
class Tip:
    """One small thing to do today. Its words are the catalogue's ``tip-<id>``."""

    id: str
    strategy_id: str

    @property
    def key(self) -> str:
        return f"tip-{self.id}"


@dataclass(frozen=True, slots=True)
class Strategy:
    """A strategy of the seed; its words are ``strategy-<id>-title`` and ``-why``."""

    id: str
    emoji: str
    tags: frozenset[str]
    tips: tuple[Tip, ...]

    @property
    def title_key(self) -> str:
        return f"strategy-{self.id}-title"

    @property
    def why_key(self) -> str:
        return f"strategy-{self.id}-why"


ANSWERS = 5  # every question has five answers, worst or "I gave far more" first


@dataclass(frozen=True, slots=True)
class Question:
    """One check-in question. ``kind`` "balance": compares what I gave with what my
    partner gave, answers from "I gave far more" (1) through "about even" (3) to "my
    partner gave far more" (5); "health": how an area felt, worst (1) to best (5).
    Its words are the catalogue's ``question-<id>`` (``_`` written ``-``), ``-area``,
    ``-answer-1`` to ``-answer-5`` and ``-not-applicable``."""

    id: str
    kind: str  # "balance" | "health"
    strategy_id: str  # tips when the area needs care (balance: when I gave more)
    safety: bool = False
    strategy_receiving: str | None = None  # balance: tips when my partner gave more
    not_applicable: bool = False  # an extra answer, value 0, that counts as skipped

    @property
    def key(self) -> str:
        return "question-" + self.id.replace("_", "-")

    @property
    def area_key(self) -> str:
        return f"{self.key}-area"

    def answer_key(self, value: int | None) -> str | None:
        """The catalogue key of a stored value's label (0: doesn't apply; None: skipped
        or not an answer of this question)."""
        if value == NOT_APPLICABLE and self.not_applicable:
            return f"{self.key}-not-applicable"
        if value is not None and 1 <= value <= ANSWERS:
            return f"{self.key}-answer-{value}"
        return None

    @property
    def keys(self) -> tuple[str, ...]:
        """Every catalogue key this question needs."""
        answers = tuple(self.answer_key(v) or "" for v in range(1, ANSWERS + 1))
        extra = (f"{self.key}-not-applicable",) if self.not_applicable else ()
        return (self.key, self.area_key, *answers, *extra)


NOT_APPLICABLE = 0  # the stored value of a "doesn't apply" answer


@dataclass(frozen=True, slots=True)
class EarlierQuestion:
    """A question of an earlier check-in format, and how its answers map onto today's.
    Its words are the catalogue's ``earlier<format>-<id>``, ``-area``, ``-answer-<n>``."""

    id: str
    maps_to: str | None = None
    values: tuple[int, ...] = ()  # earlier value v -> today's value values[v - 1]
    format: int = 1

    @property
    def key(self) -> str:
        return f"earlier{self.format}-" + self.id.replace("_", "-")

    @property
    def area_key(self) -> str:
        return f"{self.key}-area"

    def answer_key(self, value: int | None) -> str | None:
        if value is None or not 1 <= value <= ANSWERS:
            return None
        return f"{self.key}-answer-{value}"

    @property
    def keys(self) -> tuple[str, ...]:
        answers = tuple(self.answer_key(v) or "" for v in range(1, ANSWERS + 1))
        return (self.key, self.area_key, *answers)


@dataclass(frozen=True, slots=True)
class Content:
    strategies: tuple[Strategy, ...]
    questions: tuple[Question, ...] = ()
    checkin_format: int = 2
    earlier_formats: dict[int, tuple[EarlierQuestion, ...]] = field(default_factory=dict)
    resources: Resources | None = None  # content/resources.yaml: where to turn for help
    zones: ZoneContent | None = None  # content/zones.yaml: zones offered, abbreviations
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

    def find_strategy(self, query: str, titles: dict[str, str] | None = None) -> Strategy | None:
        """A strategy by id, number (1-based) or a word of its title (``titles``: id ->
        title in the user's language), case- and accent-insensitively."""
        wanted = fold(query)
        if not wanted:
            return None
        if wanted.isdigit() and 1 <= int(wanted) <= len(self.strategies):
            return self.strategies[int(wanted) - 1]
        names = {s.id: fold((titles or {}).get(s.id, "")) for s in self.strategies}
        for strategy in self.strategies:
            if wanted in (strategy.id, names[strategy.id]):
                return strategy
        for strategy in self.strategies:
            if wanted in strategy.id or (len(wanted) >= 3 and wanted in names[strategy.id]):
                return strategy
        return None

    @property
    def catalogue_keys(self) -> tuple[str, ...]:
        """Every catalogue message the content needs, in every language."""
        keys: list[str] = ["checkin-intro"]
        for strategy in self.strategies:
            keys += [strategy.title_key, strategy.why_key, *(t.key for t in strategy.tips)]
        for question in self.questions:
            keys += question.keys
        for olds in self.earlier_formats.values():
            for old in olds:
                keys += old.keys
        if self.resources is not None:
            keys += self.resources.catalogue_keys
        return tuple(keys)


def _checked_ident(value: Any) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ValueError(f"id {value!r} must be lowercase letters, digits, - or _")
    return value


def _ident(value: Any, where: str) -> str:
    try:
        return _checked_ident(value)
    except ValueError as exc:
        raise ContentError(f"{where}: {exc}") from None


# The fields of the content models (pydantic reports a problem with its place).
Ident = Annotated[str, AfterValidator(_checked_ident)]


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


class _StrategyModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Ident
    emoji: str = ""
    tags: list[str] = Field(default_factory=list)
    tips: list[Ident] = Field(min_length=6)


class _StrategiesModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    strategies: list[_StrategyModel] = Field(min_length=1)


def parse_strategies(data: dict[str, Any], where: str = "strategies") -> tuple[Strategy, ...]:
    """The strategies and their tips, validated: ids unique across both, at least six
    tips each, and some strategy tagged ``safe`` (never together with ``distance``)."""
    try:
        model = _StrategiesModel.model_validate(data)
    except ValidationError as exc:
        raise _pydantic_problem(exc, where) from exc
    strategies: list[Strategy] = []
    seen_ids: set[str] = set()
    for index, item in enumerate(model.strategies):
        at = f"{where}.strategies.{index}"
        ids = [("id", item.id)] + [(f"tips.{i}", t) for i, t in enumerate(item.tips)]
        for place, ident in ids:
            if ident in seen_ids:
                raise ContentError(f"{at}.{place}: duplicate id {ident!r}")
            seen_ids.add(ident)
        if SAFE_TAG in item.tags and "distance" in item.tags:
            raise ContentError(f"{at}.tags: a {SAFE_TAG!r} strategy cannot be 'distance'")
        strategies.append(
            Strategy(
                id=item.id,
                emoji=item.emoji,
                tags=frozenset(item.tags),
                tips=tuple(Tip(t, item.id) for t in item.tips),
            )
        )
    if not any(SAFE_TAG in s.tags for s in strategies):
        raise ContentError(
            f"{where}: no strategy is tagged {SAFE_TAG!r} (the tips shown while a user"
            " does not feel safe)"
        )
    return tuple(strategies)


class _QuestionModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: Literal["balance", "health"]
    strategy: str
    strategy_receiving: str | None = None
    not_applicable: bool = False
    safety: bool = False


class _EarlierQuestionModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    maps_to: str | None = None
    values: list[int] = Field(default_factory=list)


class _EarlierFormatModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = Field(ge=1)
    questions: list[_EarlierQuestionModel] = Field(min_length=1)


class _CheckinModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int = Field(ge=1)
    questions: list[_QuestionModel] = Field(min_length=6, max_length=10)
    earlier_formats: list[_EarlierFormatModel] = Field(default_factory=list)


class CheckinContent(NamedTuple):
    questions: tuple[Question, ...]
    format: int
    earlier: dict[int, tuple[EarlierQuestion, ...]]


def _pydantic_problem(exc: ValidationError, where: str) -> ContentError:
    """The first problem pydantic found, as one line naming the file and the place."""
    first = exc.errors()[0]
    at = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    return ContentError(f"{where}.{at}: {message}" if at else f"{where}: {message}")


def parse_checkin(
    data: dict[str, Any], strategy_ids: set[str], where: str = "checkin"
) -> CheckinContent:
    """The check-in's questions (6 to 10), validated; earlier formats with their mapping."""
    try:
        model = _CheckinModel.model_validate(data)
    except ValidationError as exc:
        raise _pydantic_problem(exc, where) from exc
    questions: list[Question] = []
    for index, item in enumerate(model.questions):
        at = f"{where}.questions[{index}]"
        qid = _ident(item.id, at)
        if any(q.id == qid for q in questions):
            raise ContentError(f"{at}: duplicate id {qid!r}")
        for name in (item.strategy, item.strategy_receiving):
            if name is not None and name not in strategy_ids:
                raise ContentError(f"{at}: unknown strategy {name!r}")
        if item.kind == "health" and item.strategy_receiving is not None:
            raise ContentError(f"{at}: strategy_receiving is for balance questions only")
        questions.append(
            Question(
                id=qid,
                kind=item.kind,
                strategy_id=item.strategy,
                safety=item.safety,
                strategy_receiving=item.strategy_receiving,
                not_applicable=item.not_applicable,
            )
        )
    if not any(q.kind == "balance" for q in questions):
        raise ContentError(f"{where}: at least one balance question is needed")
    current = {q.id for q in questions}
    earlier: dict[int, tuple[EarlierQuestion, ...]] = {}
    for f_index, old in enumerate(model.earlier_formats):
        at = f"{where}.earlier_formats[{f_index}]"
        if old.format >= model.format or old.format in earlier:
            raise ContentError(f"{at}: format {old.format} must be earlier and listed once")
        olds: list[EarlierQuestion] = []
        for q_index, q in enumerate(old.questions):
            q_at = f"{at}.questions[{q_index}]"
            if q.maps_to is not None and q.maps_to not in current:
                raise ContentError(f"{q_at}: maps_to {q.maps_to!r} is not a question of today")
            if (q.maps_to is None) != (not q.values) or (
                q.values and (len(q.values) != 5 or not all(1 <= v <= 5 for v in q.values))
            ):
                raise ContentError(f"{q_at}: maps_to needs five values from 1 to 5")
            olds.append(
                EarlierQuestion(
                    id=_ident(q.id, q_at),
                    maps_to=q.maps_to,
                    values=tuple(q.values),
                    format=old.format,
                )
            )
        earlier[old.format] = tuple(olds)
    return CheckinContent(tuple(questions), model.format, earlier)


def parse_resources(data: dict[str, Any], where: str = "resources") -> Resources:
    try:
        return Resources.model_validate(data)
    except ValidationError as exc:
        raise _pydantic_problem(exc, where) from exc


def parse_zones(data: dict[str, Any], where: str = "zones") -> ZoneContent:
    try:
        return ZoneContent.model_validate(data)
    except ValidationError as exc:
        raise _pydantic_problem(exc, where) from exc


def load_content(directory: Path) -> Content:
    """Load and validate every content file in ``directory`` (their words are checked
    against the catalogue by :func:`bot.i18n.Catalogue.require`)."""
    if not directory.is_dir():
        raise ContentError(f"{directory}: content folder missing")
    strategies = parse_strategies(_read_yaml(directory / "strategies.yaml"), "strategies.yaml")
    if sum(len(s.tips) for s in strategies) < 48:
        raise ContentError("strategies.yaml: at least 48 tips are needed")
    checkin = parse_checkin(
        _read_yaml(directory / "checkin.yaml"), {s.id for s in strategies}, "checkin.yaml"
    )
    resources = parse_resources(_read_yaml(directory / "resources.yaml"), "resources.yaml")
    zones = parse_zones(_read_yaml(directory / "zones.yaml"), "zones.yaml")
    return Content(
        strategies=strategies,
        questions=checkin.questions,
        checkin_format=checkin.format,
        earlier_formats=checkin.earlier,
        resources=resources,
        zones=zones,
    )
