"""Shared fixtures: settings on a temporary SQLite store, migrated services."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import ROOT, Settings, load_settings
from bot.domain.content import Content, load_content
from bot.features.base import Services
from bot.store.db import make_engine, make_session_factory, migrate


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(ROOT / "content")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'coach.sqlite3'}"


@pytest.fixture
def settings(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.chdir(ROOT)
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "DEFAULT_TIMEZONE", "ADMIN_USER_IDS"):
        monkeypatch.delenv(name, raising=False)
    return load_settings(
        database_url=db_url, telegram_bot_token="123456:TEST", admin_user_ids="999"
    )


class Clock:
    """An injectable clock for services: tests set ``now`` instead of sleeping."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))


@pytest.fixture
def services(settings: Settings, content: Content, clock: Clock) -> Iterator[Services]:
    engine = make_engine(settings.database_url)
    migrate(engine)
    services = Services(
        settings=settings,
        content=content,
        session_factory=make_session_factory(engine),
        rng=random.Random(7),
    )
    services.now = clock  # type: ignore[method-assign]
    yield services
    engine.dispose()
