"""What every feature handler receives, and the registry of commands and buttons."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.domain.content import Content
from bot.domain.platform import Capabilities
from bot.domain.replies import CallbackResult, Reply
from bot.domain.timing import zone
from bot.i18n import Catalogue, Locale, default_catalogue
from bot.store.models import User


@dataclass
class Services:
    """Long-lived services shared by every update: built once in ``bot.app``."""

    settings: Settings
    content: Content
    session_factory: sessionmaker[Session]
    rng: random.Random = field(default_factory=random.Random)
    catalogue: Catalogue = field(default_factory=default_catalogue)
    # Called after an update's transaction that put a message to someone in the outbox
    # (a partner told): the runtime then delivers it now, not at the next tick. It
    # may be called from any thread.
    wake: Callable[[], None] = field(default=lambda: None)

    def locale(self, language: str | None) -> Locale:
        """The texts for a platform's language code (unknown: the default language)."""
        return self.catalogue.locale(language)

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
    """Who is talking and where, as the platform tells it. A user is known by
    ``platform`` (``"telegram"``, ``"console"``) and that platform's ``user_id``: the
    same number on two platforms is two people."""

    user_id: int
    chat_id: int
    private: bool = True
    language: str | None = None
    _: KW_ONLY
    platform: str
    # The first name the platform gives (shown to a partner who opens their invitation).
    first_name: str | None = None


ADMIN_PLATFORM = "telegram"  # ADMIN_USER_IDS are Telegram user ids


def is_admin(services: Services, identity: Identity) -> bool:
    """Whether this is one of the operators (``ADMIN_USER_IDS``, Telegram user ids)."""
    return (
        identity.platform == ADMIN_PLATFORM and identity.user_id in services.settings.admin_user_ids
    )


@dataclass
class Ctx:
    """One update being handled: the services, its transaction's ORM session (one per
    update, committed when the handler returns), and its user's row."""

    services: Services
    session: Session
    user: User
    identity: Identity
    now: datetime
    platform: Capabilities  # what the platform allows (buttons, links): from the adapter
    # Set when the update put a message in the outbox: delivered once it commits.
    outbox_used: bool = False

    @property
    def user_id(self) -> int:
        return self.user.id

    @property
    def stored(self) -> bool:
        """Whether the user agreed to be stored ("Sounds good"). Before that, ``user`` is
        a row with the defaults that is never added to the store."""
        return self.user.id is not None

    @property
    def safety_flag(self) -> bool:
        """Whether the user said they do not feel safe, as of now in this update."""
        return self.user.safety_flag

    @property
    def content(self) -> Content:
        return self.services.content

    @property
    def locale(self) -> Locale:
        """The user's language (as chosen with /language, else as the platform says),
        speaking of their partner as they chose."""
        language = self.user.chosen_language or self.identity.language or self.user.language
        return self.services.locale(language).about(self.user.partner)

    def t(self, key: str, **args: object) -> str:
        """The catalogue's text ``key`` in the user's language (see :mod:`bot.i18n`)."""
        return self.locale.t(key, **args)

    @property
    def settings(self) -> Settings:
        return self.services.settings

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.user.timezone) or ZoneInfo("UTC")

    @property
    def is_admin(self) -> bool:
        return is_admin(self.services, self.identity)


CommandHandler = Callable[[Ctx, str], list[Reply]]
ButtonHandler = Callable[[Ctx, list[str]], CallbackResult]
GroupHandler = Callable[[Locale, Capabilities], Reply]


@dataclass(frozen=True)
class Command:
    name: str
    handler: CommandHandler
    private_only: bool = False
    in_menu: bool = True
    admin_only: bool = False
    # Works before the user agreed to be stored (nothing about them is written); any
    # other command first asks for that agreement.
    open: bool = False
    # What it answers in a group instead, given what the platform allows (the store is
    # not touched); such a command can also be opened by a deep link, /start <name>.
    in_group: GroupHandler | None = None

    def description(self, locale: Locale) -> str:
        """One line for /help and the platform's command menu (``command-<name>``)."""
        return locale.t(f"command-{self.name}")


def expired(where: Ctx | Locale) -> CallbackResult:
    """A press on malformed, forged or stale button data: nothing changes."""
    return CallbackResult(notice=where.t("button-expired"))


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
