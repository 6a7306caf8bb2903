"""What every feature handler receives, and the registry of commands and buttons."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.content import Content
from bot.domain.replies import CallbackResult, Reply
from bot.domain.timing import zone
from bot.store.models import User
from bot.store.repo import Account, Db, TipHistory


@dataclass
class Services:
    """Long-lived services shared by every update: built once in ``bot.app``."""

    settings: Settings
    content: Content
    session_factory: sessionmaker[Session]
    rng: random.Random = field(default_factory=random.Random)

    @property
    def engine(self) -> Engine:
        engine: Engine = self.session_factory.kw["bind"]
        return engine

    @property
    def local_store(self) -> bool:
        """Whether the store is an embedded SQLite file (no network round trips)."""
        return self.engine.dialect.name == "sqlite"

    def now(self) -> datetime:
        """The current instant, UTC (shifted by CLOCK_OFFSET_SECONDS, for tests)."""
        return datetime.now(UTC) + timedelta(seconds=self.settings.clock_offset_seconds)


@dataclass(frozen=True)
class Identity:
    """Who is talking and where, as the platform tells it."""

    user_id: int
    chat_id: int
    private: bool = True
    language: str | None = None


@dataclass
class Ctx:
    """One update being handled: the services, the open transaction, the user.

    The transaction is a Core connection; an ORM session joined to it is opened only
    when a feature asks for ``session`` (most updates need a few plain statements)."""

    services: Services
    connection: Connection
    account: Account
    identity: Identity
    now: datetime
    created: bool = False  # the user's row was added by this update
    tips_shown: list[str] = field(default_factory=list)  # by this update
    preloaded: TipHistory | None = None  # read with the account, before this update's tips
    _session: Session | None = field(default=None, repr=False)
    _user: User | None = field(default=None, repr=False)

    @property
    def session(self) -> Session:
        """An ORM session in this update's transaction, opened on first use."""
        if self._session is None:
            self._session = Session(bind=self.connection, expire_on_commit=False)
        return self._session

    @property
    def db(self) -> Db:
        """Where plain statements run: the session if one is open (its pending changes
        are flushed first), else the bare connection."""
        return self.connection if self._session is None else self._session

    def finish(self) -> None:
        """Write what the session holds; the caller then commits the transaction."""
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    @property
    def user_id(self) -> int:
        return self.account.id

    @property
    def user(self) -> User:
        """The user's whole row, loaded on first use (many updates need only ``account``)."""
        if self._user is None:
            user = self.session.get(User, self.account.id)
            assert user is not None
            self._user = user
        return self._user

    @property
    def safety_flag(self) -> bool:
        """Whether the user said they do not feel safe, as of now in this update."""
        return self.account.safety_flag if self._user is None else self._user.safety_flag

    @property
    def content(self) -> Content:
        return self.services.content

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.user.timezone) or ZoneInfo("UTC")

    @property
    def is_admin(self) -> bool:
        return self.identity.user_id in self.settings.admin_user_ids


CommandHandler = Callable[[Ctx, str], list[Reply]]
ButtonHandler = Callable[[Ctx, list[str]], CallbackResult]
GroupHandler = Callable[[str | None], Reply]


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    handler: CommandHandler
    private_only: bool = False
    in_menu: bool = True
    admin_only: bool = False
    shows_tips: bool = False  # read the tip history with the account
    # What it answers in a group instead, given the bot's username (the store is not
    # touched); such a command can also be opened by a deep link, /start <name>.
    in_group: GroupHandler | None = None


EXPIRED = "This button has expired. Send /help to see what I can do."
OLDER_MESSAGE = "That button is from an older message: nothing changed. Here is what is set now."
IN_PRIVATE = "This works in our private chat"


def expired() -> CallbackResult:
    return CallbackResult(notice=EXPIRED)


# --- the settings version ----------------------------------------------------------------
#
# Every change of a setting raises ``users.settings_version``; every button that changes
# a setting carries the version it was drawn for (``st:at:0900:v3``), so a press on an
# older message can be told apart and changes nothing. Only the buttons that withdraw
# consent ("Stop daily tips") work whatever their age.


def versioned(ctx: Ctx, data: str) -> str:
    """Callback data for a button that changes a setting: ``data`` and the version of the
    settings it is drawn for."""
    return f"{data}:v{ctx.user.settings_version}"


def drawn_for(parts: list[str]) -> tuple[list[str], int | None]:
    """Split a press's version off its data: ``["at", "0900", "v3"]`` -> ``(["at",
    "0900"], 3)``; data without one gives ``None`` (from before versions: older)."""
    last = parts[-1] if parts else ""
    digits = last[1:]
    if last[:1] == "v" and digits.isascii() and digits.isdigit() and len(digits) <= 10:
        return parts[:-1], int(digits)
    return parts, None


def is_current(ctx: Ctx, drawn: int | None) -> bool:
    """Whether a button was drawn for the settings as they are now."""
    return drawn == ctx.user.settings_version


def setting_changed(ctx: Ctx) -> None:
    """A setting changed: buttons drawn before are from an older message from now on."""
    ctx.user.settings_version = ctx.user.settings_version + 1


def h(text: str) -> str:
    """Escape text for the bot's HTML replies."""
    return escape(text, quote=False)
