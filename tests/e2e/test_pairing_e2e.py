"""Checking in together through the real bot process and the fake Bot API server, as two
people would: an invitation opened by its link, a shared week sent with protected
content, codes that work once, one partner at a time, a safety answer that withholds
the mirror silently, and an unpairing or /delete that tells the partner only that it
ended."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import MetaData, text

from bot.config import ROOT
from bot.domain.content import load_content
from bot.i18n import default_catalogue
from bot.store.db import make_engine
from fake_bot_api import BotProcess, Call, FakeTelegramServer
from tests.e2e.conftest import User
from tests.e2e.test_checkin_e2e import press_label

CONTENT = load_content(ROOT / "content")
EN = default_catalogue().locale("en")
ANA = [1, 3, 3, 4, 2, 5, 4, 3, 4, 5]
BEN = [2, 3, 5, 2, 4, 2, 4, 4, 4, 5]
UNSAFE = [2, 3, 5, 2, 4, 2, 4, 4, 4, 1]
SHARED_WEEK = "Your shared week"
ENDED = "Your pairing has ended."


def invite(user: User, first_name: str = "Ana") -> str:
    """/partner, "Invite my partner": the deep link's argument."""
    status = user.ask("/partner", "Checking in together", first_name=first_name)
    made = press_label(user, status, "Invite my partner", contains="Your invitation")
    found = re.search(r"https://t\.me/CoachTestBot\?start=(pair-[0-9A-Z]+)", made.text or "")
    assert found, made.text
    return found.group(1)


def accept(user: User, argument: str, first_name: str) -> Call:
    since = user.send(f"/start {argument}", first_name=first_name)
    offer = user.wait_reply(since, "has invited you")
    return press_label(user, offer, "Accept", contains="You're now paired")


def check_in(user: User, values: list[int]) -> Call:
    message = user.ask("/checkin", "Check-in · 1/")
    for question, value in zip(CONTENT.questions, values, strict=True):
        message = press_label(user, message, EN.t(question.answer_key(value) or ""))
    return message


def messages_to(server: FakeTelegramServer, user_id: int, since: int = 0) -> list[Call]:
    return [c for c in server.calls("sendMessage")[since:] if c.ok and c.chat_id == user_id]


def count(server: FakeTelegramServer) -> int:
    return len(server.calls("sendMessage"))


def test_two_people_pair_share_a_week_and_a_delete_ends_it(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    ana, ben, carl = User(server, 501), User(server, 502, agreed=False), User(server, 503)
    carl.join(first_name="Carl")
    argument = invite(ana)
    since = server.call_count()
    accepted = accept(ben, argument, "Ben")
    assert "<b>Ana</b>" in (accepted.text or "")
    told = ana.wait_reply(since, "accepted your invitation")
    assert "<b>Ben</b>" in (told.text or "")

    # The code is used up; a third person cannot pair with either of them.
    assert "isn't valid" in carl.reply_to(f"/partner {argument.removeprefix('pair-')}")
    carls = invite(carl, "Carl")
    assert "already paired" in ana.reply_to(f"/start {carls}")

    sent = count(server)
    summary = check_in(ana, ANA)
    ana.wait_reply(0, "once you've both finished a check-in this week")
    assert SHARED_WEEK not in (summary.text or "")
    since = server.call_count()
    check_in(ben, BEN)
    anas = ana.wait_reply(since, SHARED_WEEK)
    bens = ben.wait_reply(since, SHARED_WEEK)
    for mirror, theirs in ((anas, BEN), (bens, ANA)):
        assert mirror.params.get("protect_content") is True
        body = mirror.text or ""
        assert "Where you see it differently" in body
        for question, value in zip(CONTENT.questions, theirs, strict=True):
            assert f"“{EN.t(question.answer_key(value) or '')}”" not in body
        assert "Safety" not in body and "safe" not in body.lower()
    assert "Plans and initiative</b>: you each feel you were the one giving more" in (
        anas.text or ""
    )
    assert [m for m in messages_to(server, 501, sent) if SHARED_WEEK in (m.text or "")] == [anas]

    # Ana deletes everything: Ben hears only that the pairing ended.
    since = server.call_count()
    confirm = ana.ask("/delete", "This erases everything")
    press_label(ana, confirm, "Yes, delete everything")
    ended = ben.wait_reply(since, ENDED)
    assert "delete" not in (ended.text or "").lower()
    engine = make_engine(bot.db_url)
    tables = MetaData()
    with engine.connect() as connection:
        tables.reflect(bind=connection)
        for table in tables.sorted_tables:
            for row in connection.execute(table.select()):
                values = {k: v for k, v in row._mapping.items()}
                assert 501 not in values.values() or table.name == "alembic_version", values
                assert "Ana" not in repr(values), (table.name, values)
        users = connection.execute(text("SELECT id, platform_user_id FROM users")).all()
        assert {u.platform_user_id for u in users} == {502, 503}
        ben_id = next(u.id for u in users if u.platform_user_id == 502)
        for column in ("inviter_id", "partner_id"):
            query = text(f"SELECT count(*) FROM pairings WHERE {column} = :id")
            assert connection.execute(query, {"id": ben_id}).scalar() == 0
        done = connection.execute(
            text(f"SELECT count(*) FROM checkins WHERE user_id = {ben_id} AND status = 'done'")
        ).scalar()
    engine.dispose()
    assert done == 1  # Ben's own check-in is whole


@pytest.mark.slow
def test_codes_expire_a_safety_answer_withholds_and_unpairing_stops_the_mirror(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    ana, ben = User(server, 601), User(server, 602, agreed=False)
    argument = invite(ana)
    engine = make_engine(bot.db_url)
    with engine.begin() as connection:  # a day has passed: the invitation ran out
        past = datetime.now(UTC) - timedelta(minutes=1)
        connection.execute(
            text("UPDATE pairings SET expires_at = :t"), {"t": past.replace(tzinfo=None)}
        )
    since = ben.send(f"/start {argument}", first_name="Ben")
    assert "isn't valid" in (ben.wait_reply(since).text or "")

    accept(ben, invite(ana), "Ben")
    since = server.call_count()
    check_in(ana, ANA)
    ana.wait_reply(since, "once you've both finished")
    time.sleep(1)  # the rest of what her check-in brought (a tip) has gone out
    since, sent = server.call_count(), count(server)
    care = check_in(ben, UNSAFE)
    offer = ben.wait_reply(since, "pause it or end the pairing")
    assert "Pause sharing" in [label for label, _ in offer.buttons()]
    assert "Thank you for answering honestly" in (care.text or "")
    time.sleep(2)  # what would have gone to Ana has had time to
    assert messages_to(server, 601, sent) == []  # no mirror, and no word of why

    # Ben ends it with the one button: Ana hears only that it ended.
    since = server.call_count()
    press_label(ben, offer, "End the pairing", contains="The pairing has ended")
    ended = ana.wait_reply(since, ENDED)
    assert "safe" not in (ended.text or "").lower()
    # New check-ins: no mirror for either.
    since = server.call_count()
    check_in(ana, ANA)
    check_in(ben, BEN)
    time.sleep(2)
    shared = [c for c in server.calls("sendMessage") if SHARED_WEEK in (c.text or "")]
    assert shared == []
    engine.dispose()
