"""Typed SQLAlchemy 2 models. Timestamps are timezone aware and stored in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite keeps naive UTC text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class CheckinStatus(StrEnum):
    """Where a check-in stands: being answered, finished, or given up (kept, without
    answers, so that its id is never reused)."""

    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


class DeliveryKind(StrEnum):
    """What a delivery sends: the daily tip, the weekly check-in reminder, or one of the
    messages a pairing brings (their ``ref`` is the pairing's id, or the mirror's)."""

    NUDGE = "nudge"
    REMINDER = "reminder"
    PAIRED = "paired"  # your invitation was accepted
    DECLINED = "declined"  # your invitation was not accepted
    UNPAIRED = "unpaired"  # the pairing ended (nothing more is said)
    MIRROR = "mirror"  # the shared week: ref is the mirror's id
    PARTNER_REMINDER = "partner-remind"  # your partner has finished this week's check-in


# The kinds that a pairing sends (``ref``: the pairing's id, the mirror's for a mirror).
PAIRING_KINDS = (
    DeliveryKind.PAIRED,
    DeliveryKind.DECLINED,
    DeliveryKind.UNPAIRED,
    DeliveryKind.MIRROR,
    DeliveryKind.PARTNER_REMINDER,
)


class TipSource(StrEnum):
    """How a tip came to be shown."""

    COMMAND = "command"  # /tip
    BUTTON = "button"  # "Another tip", a topic
    NUDGE = "nudge"  # the daily tip
    CHECKIN = "checkin"  # a check-in's summary


class DeliveryStatus(StrEnum):
    """Where a delivery stands: pending -> sending -> sent, or failed, or skipped."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class User(Base):
    """Someone who talks to the bot, with their nudge settings. Known by the platform
    they talk on and that platform's id for them: the same number on two platforms is
    two people."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))  # "telegram", "console"
    platform_user_id: Mapped[int] = mapped_column(BigInteger)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str] = mapped_column(String(64))
    nudge_time: Mapped[str] = mapped_column(String(5))  # local "HH:MM"
    nudges_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    next_nudge_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminder_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    reminder_weekday: Mapped[int] = mapped_column(Integer, default=6)  # Monday=0
    reminder_time: Mapped[str] = mapped_column(String(5), default="18:00")
    next_reminder_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    safety_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    blocked_reason: Mapped[str | None] = mapped_column(String(200))
    # Raised by every change of a setting; a settings button carries the version it was
    # drawn for, and one drawn for an older version changes nothing.
    settings_version: Mapped[int] = mapped_column(Integer, default=0)
    # How the bot speaks of their partner: "he", "she" or "they" (see bot.i18n), and an
    # optional first name they gave.
    partner: Mapped[str] = mapped_column(String(8), default="they")
    partner_name: Mapped[str | None] = mapped_column(String(40))
    # Chosen with /language; until then the platform's code, ``language``, is followed.
    chosen_language: Mapped[str | None] = mapped_column(String(16))
    # When they pressed "Sounds good": nobody is stored before.
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the bot waits for them to type next ("zone", "time", "partner-name"), if anything.
    awaiting: Mapped[str | None] = mapped_column(String(16))

    @classmethod
    def newcomer(
        cls,
        *,
        platform: str,
        platform_user_id: int,
        chat_id: int,
        language: str | None,
        timezone: str,
        nudge_time: str,
    ) -> User:
        """Someone seen for the first time, not yet in a session: nothing switched on,
        not a daily tip nor a reminder, until they say so."""
        return cls(
            platform=platform,
            platform_user_id=platform_user_id,
            chat_id=chat_id,
            language=(language or None) and language[:16],
            timezone=timezone,
            nudge_time=nudge_time,
            nudges_enabled=False,
            next_nudge_at=None,
            reminder_enabled=False,
            reminder_weekday=6,
            reminder_time="18:00",
            next_reminder_at=None,
            safety_flag=False,
            settings_version=0,
            partner="they",
        )

    __table_args__ = (
        UniqueConstraint("platform", "platform_user_id", name="uq_users_platform_identity"),
        Index("ix_users_next_nudge_at", "next_nudge_at"),
        Index("ix_users_next_reminder_at", "next_reminder_at"),
    )


class TipShown(Base):
    """``times`` shows of a tip to a user, the last at ``shown_at`` (via ``source``), so
    that nobody sees one twice before seeing all.

    A new show is a row of its own (``times`` 1). Each user's newest shows stay one row
    each; older ones are folded into one row per tip (see ``bot.store.tips``), so the
    rows of a user stay bounded however many tips they asked for. A tip's count is the
    sum of ``times`` over its rows.
    """

    __tablename__ = "tips_shown"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tip_id: Mapped[str] = mapped_column(String(40))
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))  # TipSource
    times: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __table_args__ = (Index("ix_tips_shown_user_id", "user_id"),)


class NudgeDelivery(Base):
    """One message the bot sends unprompted (a daily tip, a weekly check-in reminder,
    a pairing's message) to one user for one local day: the delivery outbox.

    ``status`` moves pending -> sending -> sent, or to failed, or to skipped when
    the user no longer wants it (``error`` says why; a tip the user had asked to see
    again later goes back to sent). The unique key on (user, kind, local date, ref)
    makes a second nudge for one day impossible to record; ``ref`` is 0 for the
    nudges and names the pairing (or the mirror) of a pairing's message, so each
    of those goes once per pairing (a mirror or a partner's reminder once a week).
    """

    __tablename__ = "nudge_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default=DeliveryKind.NUDGE)  # DeliveryKind
    local_date: Mapped[date] = mapped_column(Date)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tip_id: Mapped[str | None] = mapped_column(String(40))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))
    ref: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        UniqueConstraint(
            "user_id", "kind", "local_date", "ref", name="uq_nudge_deliveries_user_day"
        ),
        Index("ix_nudge_deliveries_status_next", "status", "next_attempt_at"),
    )


class Checkin(Base):
    """One reciprocity check-in. ``position`` is the question now being asked;
    status (:class:`CheckinStatus`) moves open -> done, or to cancelled: a check-in given
    up keeps its row (so that its id is never reused) but none of its answers.

    ``revises_id``: an open draft that corrects that finished check-in; finishing it
    replaces the finished one's answers, cancelling it leaves them as they were.
    ``format``: the question set it was asked with (earlier ones keep their answers).
    ``weakest_area``: the question id of the area that needed care."""

    __tablename__ = "checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=CheckinStatus.OPEN)
    position: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    balance: Mapped[int | None] = mapped_column(Integer)
    weakest_area: Mapped[str | None] = mapped_column(String(40))
    weakest_strategy: Mapped[str | None] = mapped_column(String(40))
    reassess: Mapped[bool] = mapped_column(Boolean, default=False)
    partner_carrying: Mapped[bool] = mapped_column(Boolean, default=False)
    safety_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    format: Mapped[int] = mapped_column(Integer, default=2)
    revises_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="CASCADE"), default=None
    )

    __table_args__ = (Index("ix_checkins_user_status", "user_id", "status"),)


class CheckinAnswer(Base):
    """One answer (value 1..5; 0 "doesn't apply"; None skipped), saved at the press."""

    __tablename__ = "checkin_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("checkins.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(40))
    value: Mapped[int | None] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("checkin_id", "question_id", name="uq_checkin_answers_question"),
    )


class Pairing(Base):
    """Two users who check in together, or an invitation waiting for the second.

    An invitation has an ``inviter`` and a code (only its SHA-256 is kept, never the
    code), valid until ``expires_at``; accepting it sets ``partner_id`` and
    ``accepted_at`` and clears the code (single use). A user is in at most one
    pairing (unique on each side, and checked across both sides when one is made).
    Ending a pairing deletes its row and its mirrors: nothing is shown across
    afterwards. The first names are as the platform gave them, shown to the other.
    ``*_shows``: that member chose "show my answers" (shown only when both did).
    ``paused_by``: a member who paused sharing (no mirror, no reminder meanwhile)."""

    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    inviter_first_name: Mapped[str | None] = mapped_column(String(64))
    partner_first_name: Mapped[str | None] = mapped_column(String(64))
    inviter_shows: Mapped[bool] = mapped_column(Boolean, default=False)
    partner_shows: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_by: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("inviter_id", name="uq_pairings_inviter"),
        UniqueConstraint("partner_id", name="uq_pairings_partner"),
        UniqueConstraint("code_hash", name="uq_pairings_code"),
    )

    def other(self, user_id: int) -> int | None:
        """The other member's user id (``None``: nobody has accepted yet)."""
        return self.partner_id if user_id == self.inviter_id else self.inviter_id

    def first_name_of(self, user_id: int) -> str | None:
        return self.inviter_first_name if user_id == self.inviter_id else self.partner_first_name

    def shows(self, user_id: int) -> bool:
        """Whether this member chose "show my answers"."""
        return self.inviter_shows if user_id == self.inviter_id else self.partner_shows

    @property
    def both_show(self) -> bool:
        return self.inviter_shows and self.partner_shows


class Mirror(Base):
    """One partner's view of a shared week: for each area both answered, how their two
    views compare (``areas``: ``question:relation`` pairs, comma separated; see
    :mod:`bot.domain.mirror`), never the answers themselves. ``week``: the Monday of
    the week, in the reader's zone. ``answers_shown``: both had chosen to show their
    answers when it was made. The two check-ins it compares are named so that /history
    can mark the week."""

    __tablename__ = "mirrors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("pairings.id", ondelete="CASCADE"))
    reader_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week: Mapped[date] = mapped_column(Date)
    reader_checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="SET NULL")
    )
    partner_checkin_id: Mapped[int | None] = mapped_column(
        ForeignKey("checkins.id", ondelete="SET NULL")
    )
    areas: Mapped[str] = mapped_column(String(600))
    answers_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("pairing_id", "reader_id", "week", name="uq_mirrors_reader_week"),
        Index("ix_mirrors_reader", "reader_id"),
    )


class UpdateSeen(Base):
    """An update id the bot has taken (webhook mode), so that one Telegram delivers
    again is handled once, on whichever instance. Kept a day (Telegram gives up
    redelivering well before), then pruned."""

    __tablename__ = "updates_seen"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_updates_seen_seen_at", "seen_at"),)


class FloodWindow(Base):
    """The per-user flood limit, counted in the store so that every instance counts
    alike: actions in the current window. ``user_key`` is a SHA-256 of the platform and
    the platform's user id (the limit applies before anyone agreed to be stored, so it
    keeps no id), and rows older than a window are pruned."""

    __tablename__ = "flood_windows"

    user_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(Integer, default=0)
    warned: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_flood_windows_window_start", "window_start"),)


class SenderInstance(Base):
    """A running bot process that sends nudges: each one's heartbeat, so that the
    instances on one database split NUDGE_RATE_PER_SECOND between the live ones.
    ``sees``: how many sending instances it has counted and taken its share for (a
    newcomer waits until every other one sees it). ``holds``: how many of its recent
    sends stay in the one-second window, and for how long (counts per tenth of a
    second), for the one that takes its place. ``left``: it has stopped sending.
    Nothing in it is about a user."""

    __tablename__ = "sender_instances"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sees: Mapped[int] = mapped_column(Integer, default=1)
    holds: Mapped[str] = mapped_column(Text, default="")
    left: Mapped[bool] = mapped_column(Boolean, default=False)
