"""Settings, read once from the environment and ``.env``.

Every relative path means one under the project (:data:`ROOT`), wherever the bot is
started from: ``.env`` itself, a SQLite ``DATABASE_URL`` (by default
``<project>/var/coachbot.sqlite3``) and ``CONTENT_DIR``. Resolved against the current
directory instead, the bot started from elsewhere would silently open a new, empty
database (and find no content, nor its token).
"""

from __future__ import annotations

import logging
import math
import os
import re
import stat
from datetime import time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.domain.timing import parse_hhmm, zone

ROOT = Path(__file__).resolve().parent.parent
#: The ``.env`` read (the project's, not the current directory's).
ENV_FILE = ROOT / ".env"
#: Where the bot keeps its data by default: the SQLite store, the terminal chat's files.
DATA_DIR = ROOT / "var"
#: Relative, so under the project: ``<project>/var/coachbot.sqlite3``.
DEFAULT_DATABASE_URL = "sqlite:///var/coachbot.sqlite3"
#: CLOCK_OFFSET_SECONDS beyond this (ten years either way) is a mistake, not a demo.
MAX_CLOCK_OFFSET = 10 * 365 * 86400
_TOKEN = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class Settings(BaseSettings):
    """Every setting of the bot; ``.env.example`` lists the same."""

    model_config = SettingsConfigDict(env_file=ENV_FILE, env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org"
    database_url: str = DEFAULT_DATABASE_URL
    default_timezone: str = "UTC"
    default_nudge_time: str = "09:00"
    admin_user_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    content_dir: Path = ROOT / "content"
    nudge_grace_hours: float = Field(default=3.0, ge=0, le=24)
    tick_seconds: float = Field(default=60.0, gt=0, le=3600)
    nudge_rate_per_second: float = Field(default=25.0, gt=0, le=1000)
    allow_paid_broadcast: bool = False
    nudge_lease_seconds: float = Field(default=300.0, ge=1, le=3600)
    nudge_max_in_flight: int | None = Field(default=None, ge=1, le=256)
    reassess_threshold: int = Field(default=-25, ge=-100, le=0)
    reassess_streak: int = Field(default=3, ge=2, le=10)
    user_commands_per_minute: int = Field(default=30, ge=1, le=1000)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    clock_offset_seconds: float = 0.0

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if not _TOKEN.match(str(value)):
            raise ValueError("expected the token BotFather gave, like 123456:ABC-def")
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("expected an http(s) URL such as https://api.telegram.org")
        try:
            urlsplit(value).port  # noqa: B018 (it raises for a port out of range)
        except ValueError:
            raise ValueError("expected a port from 1 to 65535 after the host") from None
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(
                "expected a SQLAlchemy URL like sqlite:///var/coachbot.sqlite3"
            ) from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError("only sqlite:/// and postgresql+psycopg:// URLs are supported")
        path = sqlite_file(value)
        if path is None or path.is_absolute():
            return value
        home = path.expanduser()  # ~/coach.db: the home folder; else under the project
        where = home if home.is_absolute() else ROOT / path
        return url.set(database=str(where)).render_as_string(hide_password=False)

    @field_validator("content_dir")
    @classmethod
    def _content_dir(cls, value: Path) -> Path:
        value = value.expanduser()
        return value if value.is_absolute() else ROOT / value

    @field_validator("clock_offset_seconds", mode="before")
    @classmethod
    def _clock_offset(cls, value: Any) -> Any:
        if value in (None, ""):
            return 0.0
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            raise ValueError("expected a number of seconds, such as 0 or -3600") from None
        if not math.isfinite(seconds) or abs(seconds) > MAX_CLOCK_OFFSET:
            raise ValueError(
                f"expected a number of seconds within ten years either way "
                f"(at most {MAX_CLOCK_OFFSET})"
            )
        return seconds

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        found = zone(value)
        if found is None:
            raise ValueError("expected an IANA time zone such as Europe/Berlin")
        return found.key

    @field_validator("default_nudge_time")
    @classmethod
    def _time(cls, value: str) -> str:
        if parse_hhmm(value) is None:
            raise ValueError("expected a 24-hour time such as 09:00")
        return value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value.strip()) if p]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("expected Telegram user ids separated by commas")
            return [int(p) for p in parts]
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return upper

    @field_validator("nudge_max_in_flight", mode="before")
    @classmethod
    def _empty_is_default(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if not re.match(r"^https?://[^\s/]+", str(value)):
            raise ValueError("expected the public https:// URL Telegram should post updates to")
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret(cls, value: Any) -> Any:
        if value in (None, ""):
            return None
        if not _SECRET.match(str(value)):
            raise ValueError("expected 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _broadcast_rate(self) -> Settings:
        if self.nudge_rate_per_second > 30 and not self.allow_paid_broadcast:
            raise ValueError(
                "above 30 needs ALLOW_PAID_BROADCAST=true "
                "(Telegram's free limit is about 30 messages per second)"
            )
        return self

    @property
    def nudge_time(self) -> time:
        parsed = parse_hhmm(self.default_nudge_time)
        assert parsed is not None
        return parsed

    @property
    def log_level_number(self) -> int:
        return int(logging.getLevelName(self.log_level))


def sqlite_file(database_url: str) -> Path | None:
    """The file of a SQLite store as written, maybe relative (``None``: another
    database, one in memory, a ``file:`` URI, which is left as it is)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None
    return Path(database)


def prepare_data_dir(settings: Settings, data_dir: Path = DATA_DIR) -> None:
    """The folder of the SQLite store, readable by its owner only: made with mode 0700
    when missing (the store holds everyone's check-in answers; its file is 0600 too),
    and the project's own ``var/`` (``data_dir``) tightened to 0700 if it is looser.
    A folder the operator named elsewhere that already exists is left as it is."""
    path = sqlite_file(settings.database_url)
    if path is None:
        return
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
        os.chmod(folder, 0o700)  # whatever the umask
        return
    if folder.resolve() == data_dir.resolve():
        info = folder.stat()
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(folder, 0o700)


def env_file_warning(env_file: Path | None = None) -> str | None:
    """One line if ``.env`` (:data:`ENV_FILE`; it holds the token) can be read by every
    user of the machine."""
    env_file = env_file or ENV_FILE
    try:
        mode = env_file.stat().st_mode
    except OSError:
        return None
    if mode & stat.S_IROTH:
        return (
            f"{env_file} can be read by every user of this machine and holds the bot "
            f"token: chmod 600 {env_file}"
        )
    return None


class ConfigError(Exception):
    """A setting is invalid; the message is one line naming the variable."""


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning validation errors into one clear line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first.get("loc") else "NUDGE_RATE_PER_SECOND"
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
