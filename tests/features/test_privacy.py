"""/privacy, /export, /delete and /stats, as people use them."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, or_, select

from bot.domain.flood import user_key
from bot.features.base import Services
from bot.store import deliveries
from bot.store.models import (
    Base,
    Checkin,
    CheckinAnswer,
    DeliveryKind,
    FloodWindow,
    Mirror,
    NudgeDelivery,
    Pairing,
    TipShown,
    User,
)
from tests.features.chat import Chat
from tests.features.test_checkin import GIVING_HEAVY, run_checkin
from tests.features.test_pairing import pair


def rows_per_table(services: Services, platform_user_id: int) -> dict[str, int]:
    """How many rows of every table are about that user."""
    with services.session_factory() as session:
        user_id = session.scalar(select(User.id).where(User.platform_user_id == platform_user_id))
        checkins = select(Checkin.id).where(Checkin.user_id == user_id).scalar_subquery()
        counts = {
            "users": select(func.count()).select_from(User).where(User.id == user_id),
            "tips_shown": select(func.count())
            .select_from(TipShown)
            .where(TipShown.user_id == user_id),
            "nudge_deliveries": select(func.count())
            .select_from(NudgeDelivery)
            .where(NudgeDelivery.user_id == user_id),
            "checkins": select(func.count()).select_from(Checkin).where(Checkin.user_id == user_id),
            "checkin_answers": select(func.count())
            .select_from(CheckinAnswer)
            .where(CheckinAnswer.checkin_id.in_(checkins)),
            "pairings": select(func.count())
            .select_from(Pairing)
            .where(or_(Pairing.inviter_id == user_id, Pairing.partner_id == user_id)),
            "mirrors": select(func.count()).select_from(Mirror).where(Mirror.reader_id == user_id),
            "flood_windows": select(func.count())
            .select_from(FloodWindow)
            .where(FloodWindow.user_key == user_key("telegram", platform_user_id)),
        }
        # What holds nothing of anyone: update ids taken, and the running instances.
        about_nobody = {"updates_seen", "sender_instances"}
        assert set(counts) | about_nobody == set(Base.metadata.tables), "count a new table here"
        return {table: int(session.scalar(query) or 0) for table, query in counts.items()}


async def use_the_bot(chat: Chat) -> None:
    await chat.send("/nudges 08:00")
    await chat.send("/tip")
    await run_checkin(chat, GIVING_HEAVY)
    services = chat.services
    with services.session_factory.begin() as session:  # a daily tip went out
        user = session.scalars(select(User).where(User.platform_user_id == chat.who.user_id)).one()
        now = services.now()
        new = [deliveries.NewDelivery(user.id, DeliveryKind.NUDGE, now.date(), now)]
        deliveries.add_deliveries(session=session, deliveries=new, now=now)


async def test_privacy_says_what_is_stored_and_names_the_commands(chat: Chat) -> None:
    [reply] = await chat.send("/privacy")
    for word in ("What I keep", "check-in answers", "How long", "/export", "/delete"):
        assert word in reply.text


async def test_export_sends_only_the_users_own_data_as_json(chat: Chat, services: Services) -> None:
    await use_the_bot(chat)
    await use_the_bot(chat.as_user(43))
    [reply] = await chat.send("/export")
    assert reply.attachment is not None and reply.attachment.kind == "document"
    data = json.loads(reply.attachment.content)
    assert data["settings"]["platform"] == "telegram"
    assert data["settings"]["platform_user_id"] == 42
    # The clock stands at 07:00 UTC on 24 November, the zone is the default (UTC): the
    # next tip at 08:00 is today's.
    assert data["settings"]["daily_tip"] == {
        "on": True,
        "time": "08:00",
        "next": "2026-11-24T08:00:00+00:00",
    }
    assert len(data["tips_shown"]) >= 2
    [checkin] = data["checkins"]
    assert [a["value"] for a in checkin["answers"]] == [int(v) for v in GIVING_HEAVY]
    assert "43" not in json.dumps(data["settings"])


async def test_delete_asks_then_removes_every_row_and_leaves_others_alone(
    chat: Chat, services: Services
) -> None:
    # Each checks in with a partner of their own (44 and 45): a pairing and a mirror.
    await pair(chat, chat.as_user(44))
    await pair(chat.as_user(43), chat.as_user(45))
    for user_id in (42, 43, 44, 45):
        await use_the_bot(chat.as_user(user_id))
    before_other = rows_per_table(services, 43)
    assert all(before_other.values()), before_other
    [confirm] = await chat.send("/delete")
    assert "can't be undone" in confirm.text
    await chat.press("No, keep it")
    assert "Nothing was deleted" in confirm.text
    assert rows_per_table(services, 42)["checkin_answers"] == 10
    [confirm] = await chat.send("/delete")
    await chat.press("Yes, delete everything")
    assert "everything I kept about you is deleted" in confirm.text
    assert rows_per_table(services, 42) == {t: 0 for t in before_other}
    assert rows_per_table(services, 43) == before_other
    await chat.send("/start")
    assert chat.last.labels == ["Sounds good"]  # a newcomer again: nothing kept


async def test_stats_only_for_admins(chat: Chat) -> None:
    await use_the_bot(chat)
    [reply] = await chat.send("/stats")
    assert "I don't know /stats" in reply.text
    [reply] = await chat.as_user(999).send("/stats")
    assert "Users: 2" in reply.text and "Daily tip on: 1" in reply.text
    assert "Check-ins in the last 7 days: 1" in reply.text


async def test_export_holds_every_stored_value_of_the_user_and_their_deliveries(
    chat: Chat, services: Services
) -> None:
    """Every column of the user's row and of their deliveries, each given a value that
    can be told apart, is in /export (ids and the user id aside): nothing stored is
    left out of the copy."""
    await use_the_bot(chat)
    with services.session_factory.begin() as session:
        user = session.scalars(select(User).where(User.platform_user_id == 42)).one()
        user.blocked_reason = "reason-marker"
        user.partner_name = "Name-Marker"
        user.next_reminder_at = datetime(2026, 12, 6, 17, 0, tzinfo=UTC)
        delivery = session.scalars(select(NudgeDelivery)).first()
        assert delivery is not None
        delivery.error = "error-marker"
        delivery.next_attempt_at = datetime(2026, 11, 24, 9, 41, tzinfo=UTC)
    [reply] = await chat.send("/export")
    assert reply.attachment is not None
    exported = reply.attachment.content.decode()
    with services.session_factory() as session:
        user = session.scalars(select(User).where(User.platform_user_id == 42)).one()
        rows = [
            (user, {"id"}),
            *(
                (d, {"id", "user_id"})
                for d in session.scalars(
                    select(NudgeDelivery).where(NudgeDelivery.user_id == user.id)
                )
            ),
        ]
        for row, skipped in rows:
            for column in row.__table__.columns:
                value = getattr(row, column.key)
                if column.key in skipped or value is None or isinstance(value, bool):
                    continue
                shown = value.isoformat() if hasattr(value, "isoformat") else str(value)
                assert shown in exported, (row.__tablename__, column.key, shown)
