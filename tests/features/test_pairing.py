"""Checking in together, as two people would: an invitation, a shared week that shows
where two views meet and differ (never the answers), and pairing that ends cleanly,
with nothing of a safety answer ever reaching the partner."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import MetaData, select

from bot.domain.mirror import Relation, decode
from bot.features.base import Services
from bot.store.models import Checkin, CheckinStatus, Mirror, NudgeDelivery, Pairing, User
from tests.conftest import Clock
from tests.features.chat import Chat, Message
from tests.features.test_checkin import answer, label

# Values per question in content/checkin.yaml's order: initiative, effort, support,
# appreciation, overall (1 I gave far more .. 3 even .. 5 my partner gave far more),
# then understood, own time, honesty, letting go, safe (1 worst .. 5 best).
ANA = ["1", "3", "3", "4", "2", "5", "4", "3", "4", "5"]
BEN = ["2", "3", "5", "2", "4", "2", "4", "4", "4", "5"]
BEN_UNSAFE = ["2", "3", "5", "2", "4", "2", "4", "4", "4", "1"]
WAITING = "once you've both finished a check-in this week"
ENDED = "Your pairing has ended."


def label_of(services: Services, key: str) -> str:
    return services.locale("en").t(key)


async def invitation_code(chat: Chat) -> str:
    """/partner, "Invite my partner": the link's argument (pair-<code>)."""
    await chat.send("/partner")
    await chat.press("Invite my partner")
    found = re.search(r"start=(pair-[0-9A-Z]+)", chat.last.text)
    assert found, chat.last.text
    return found.group(1)


async def pair(ana: Chat, ben: Chat) -> None:
    code = await invitation_code(ana)
    await ben.send(f"/start {code}")
    await ben.press("Accept")


async def check_in(chat: Chat, values: list[str]) -> list[Message]:
    """A whole check-in; the messages it brought after its summary."""
    before = len(chat.messages)
    await chat.send("/checkin")
    await answer(chat, values)
    return chat.messages[before + 1 :]


def mirrors(chat: Chat) -> list[Message]:
    return [m for m in chat.messages if "Your shared week" in m.text]


@pytest.fixture
def ana(chat: Chat) -> Chat:
    return Chat(chat.core, 42, first_name="Ana")


@pytest.fixture
def ben(ana: Chat) -> Chat:
    return ana.newcomer(43, first_name="Ben")


async def test_an_invitation_is_opened_by_link_accepted_and_both_are_told(
    ana: Chat, ben: Chat, services: Services
) -> None:
    code = await invitation_code(ana)
    invitation = ana.last
    assert "https://chat.example/coach?start=pair-" in invitation.text
    typed = code.removeprefix("pair-")
    assert f"/partner {typed[:5]}-{typed[5:]}" in invitation.text
    copy = invitation.button("Copy the code")
    assert copy is not None and copy.copy == f"{typed[:5]}-{typed[5:]}"

    [offer] = await ben.send(f"/start {code}")
    assert "<b>Ana</b> has invited you to check in together" in offer.text
    assert "never the answers" in offer.text and "safety question" in offer.text
    assert "Accepting means you agree" in offer.text  # a newcomer: nothing stored yet
    assert offer.labels == ["Accept", "No, thanks"]
    with services.session_factory() as session:
        assert session.scalars(select(User).where(User.platform_user_id == 43)).first() is None

    await ben.press("Accept")
    assert "You're now paired with <b>Ana</b>" in offer.text
    assert "1/4 · Your time zone" in offer.text  # then the first steps, as after "Sounds good"
    await ana.tick()
    [told] = ana.nudges
    assert "<b>Ben</b> accepted your invitation" in told.text

    await ana.send("/partner")
    assert "You're paired with <b>Ben</b>" in ana.last.text
    await ben.send("/partner")
    assert "You're paired with <b>Ana</b>" in ben.last.text


async def test_the_shared_week_comes_once_both_finished_and_names_where_they_differ(
    ana: Chat, ben: Chat
) -> None:
    await pair(ana, ben)
    after = await check_in(ana, ANA)
    assert any(WAITING in m.text for m in after)
    await ana.tick()
    assert mirrors(ana) == []

    after = await check_in(ben, BEN)
    [bens] = [m for m in after if "Your shared week" in m.text]
    await ana.tick()
    [anas] = mirrors(ana)
    for mirror in (anas, bens):
        assert mirror.protect
        assert "Where you see it differently" in mirror.text
        assert "Where you see it alike" in mirror.text
    # Plans: each felt they gave more; support: Ana saw it even, Ben felt she gave more.
    assert "<b>Plans and initiative</b>: you each feel you were the one giving more" in anas.text
    assert (
        "<b>Listening and support</b>: to you it felt about even; your partner feels you gave"
        in anas.text
    )
    assert (
        "<b>Listening and support</b>: you feel your partner gave more; to them it felt about"
        in bens.text
    )
    assert "<b>Feeling understood</b>: it felt better for you than for your partner" in anas.text
    assert "<b>Everyday effort</b>: you both feel it was about even" in anas.text
    # The partner's answers are nowhere, nor anything about the safety question.
    for mirror, theirs in ((anas, BEN), (bens, ANA)):
        for number, value in enumerate(theirs):
            assert f"“{label(ana, number, value)}”" not in mirror.text
        assert "Safety and respect" not in mirror.text and "safe" not in mirror.text.lower()

    [again] = await ana.send("/mirror")
    assert again.text == anas.text and again.protect


async def test_answers_show_only_when_both_chose_it(ana: Chat, ben: Chat) -> None:
    await pair(ana, ben)
    await ana.send("/partner")
    await ana.press("Show my answers")
    await check_in(ana, ANA)
    await check_in(ben, BEN)
    [bens] = mirrors(ben)
    assert "you: “" not in bens.text  # Ben did not choose it: no answers, for either

    await ben.send("/partner")
    await ben.press("Show my answers")
    [bens] = await ben.send("/mirror")  # the week was made without: it stays so
    assert "you: “" not in bens.text


async def test_answers_are_shown_when_both_chose_before_the_week(ana: Chat, ben: Chat) -> None:
    await pair(ana, ben)
    for chat in (ana, ben):
        await chat.send("/partner")
        await chat.press("Show my answers")
    await check_in(ana, ANA)
    await check_in(ben, BEN)
    await ana.tick()
    [anas] = mirrors(ana)
    assert "you: “Me, by far” · your partner: “Me, a bit more”" in anas.text
    assert "Completely" not in anas.text  # never the safety answer
    [chart] = await ana.send("/trend")
    assert chart.attachment is None  # one check-in: no trend yet, partner or not


async def test_a_safety_answer_withholds_the_mirror_and_tells_the_partner_nothing(
    ana: Chat, ben: Chat, clock: Clock
) -> None:
    await pair(ana, ben)
    await ben.send("/checkin remind")
    await ben.press("Turn reminder on")  # Ben would get a partner's reminder
    await ana.tick()  # "Ben accepted"
    await check_in(ana, ANA)
    before = list(ana.texts)
    after = await check_in(ben, BEN_UNSAFE)
    offer = [m for m in after if "Pause sharing" in m.labels]
    assert offer, [m.text for m in after]
    assert not mirrors(ben)
    for days in (0, 1, 2, 3):
        await ana.tick(clock.now + timedelta(days=days, hours=3))
    assert ana.texts == before  # nothing new: no mirror, no word of why
    assert not mirrors(ana)

    await ben.press("Pause sharing")
    assert "Sharing is paused" in ben.last.text or any("Sharing is paused" in t for t in ben.texts)
    await ben.tick(clock.now + timedelta(days=3))
    assert ana.texts == before


async def test_a_safety_answer_looks_to_the_partner_like_not_yet(ana: Chat, ben: Chat) -> None:
    """Ben answered unsafe first; then Ana finishes: she reads what she would read if
    Ben had not checked in at all."""
    await pair(ana, ben)
    await check_in(ben, BEN_UNSAFE)
    after = await check_in(ana, ANA)
    assert any(WAITING in m.text for m in after)
    await ana.tick()
    assert not mirrors(ana) and not mirrors(ben)


async def test_ending_from_the_safety_offer_tells_the_partner_only_that_it_ended(
    ana: Chat, ben: Chat
) -> None:
    await pair(ana, ben)
    await ana.tick()
    before = len(ana.messages)
    await check_in(ben, BEN_UNSAFE)
    await ben.press("End the pairing")
    await ana.tick()
    [told] = ana.messages[before:]
    assert told.text.startswith(ENDED)
    assert "safe" not in told.text.lower() and "why" not in told.text.lower()


async def test_an_expired_or_used_code_is_refused_alike(ana: Chat, ben: Chat, clock: Clock) -> None:
    code = await invitation_code(ana)
    clock.now += timedelta(hours=24, minutes=1)
    [refused] = await ben.send(f"/start {code}")
    assert refused.text.startswith("That invitation isn't valid.")
    assert refused.labels == []

    code = await invitation_code(ana)
    await ben.send(f"/start {code}")
    await ben.press("Accept")
    carl = ana.as_user(44, first_name="Carl")
    [used] = await carl.send(f"/partner {code.removeprefix('pair-').lower()}")
    assert used.text == refused.text
    [made_up] = await carl.send("/partner ABCDE-FGHJK")
    assert made_up.text == refused.text


async def test_one_partner_at_a_time(ana: Chat, ben: Chat) -> None:
    await pair(ana, ben)
    carl = ana.as_user(44, first_name="Carl")
    code = await invitation_code(carl)
    [answer_] = await ana.send(f"/start {code}")
    assert answer_.text.startswith("You're already paired.")
    await ana.send("/partner")
    assert "Invite my partner" not in ana.last.labels
    with pytest.raises(pytest.fail.Exception):
        await ana.press("Invite my partner", on=ana.last)
    [forged] = await ana.press_data("pr:inv")
    assert "You're already paired" in forged.text


async def test_after_unpairing_new_checkins_bring_no_mirror(ana: Chat, ben: Chat) -> None:
    await pair(ana, ben)
    await ana.send("/partner")
    await ana.press("End the pairing")
    await ana.press("Yes, end it")
    assert [t for t in ana.texts if t.startswith("The pairing has ended")]
    await ben.tick()
    assert ben.nudges[-1].text.startswith(ENDED)
    for chat, values in ((ana, ANA), (ben, BEN)):
        after = await check_in(chat, values)
        assert not any(WAITING in m.text for m in after)
    await ana.tick()
    assert not mirrors(ana) and not mirrors(ben)
    [none] = await ana.send("/mirror")
    assert "check in together" in none.text


async def test_delete_by_one_leaves_no_row_naming_them_and_the_other_whole(
    ana: Chat, ben: Chat, services: Services
) -> None:
    await pair(ana, ben)
    await check_in(ana, ANA)
    await check_in(ben, BEN)
    await ana.tick()
    await ben.tick()
    with services.session_factory() as session:
        ana_id = session.scalars(select(User.id).where(User.platform_user_id == 42)).one()
        ben_id = session.scalars(select(User.id).where(User.platform_user_id == 43)).one()
        bens_checkins = session.scalars(
            select(Checkin.id).where(Checkin.user_id == ben_id, Checkin.status == "done")
        ).all()
    assert len(bens_checkins) == 1
    before = len(ben.messages)

    await ana.send("/delete")
    await ana.press("Yes, delete everything")
    await ben.tick()
    [told] = ben.messages[before:]
    assert told.text.startswith(ENDED) and "delete" not in told.text.lower()

    tables = MetaData()
    with services.session_factory() as session:
        connection = session.connection()
        tables.reflect(bind=connection)
        for table in tables.sorted_tables:
            for row in connection.execute(table.select()):
                values = dict(row._mapping)
                for column in ("user_id", "inviter_id", "partner_id", "reader_id", "paused_by"):
                    assert values.get(column) != ana_id, (table.name, values)
                if table.name == "users":
                    assert values["platform_user_id"] != 42
                assert "Ana" not in json.dumps(values, default=str), (table.name, values)
        assert session.scalars(select(Pairing)).all() == []
        assert session.scalars(select(Mirror)).all() == []
        kept = session.scalars(
            select(Checkin.id).where(Checkin.user_id == ben_id, Checkin.status == "done")
        ).all()
    assert kept == bens_checkins
    [history] = await ben.send("/history")
    assert "🪞" not in history.text  # the shared week went with the pairing


async def test_a_partners_reminder_comes_once_after_two_days_in_waking_hours(
    ana: Chat, ben: Chat, services: Services, clock: Clock
) -> None:
    """Tuesday 07:00 UTC: Ana finishes; Thursday from 09:00 (Ben's zone: UTC), Ben gets
    one reminder, as his weekly reminder is on; none after."""
    await pair(ana, ben)
    await ben.send("/checkin remind")
    await ben.press("Turn reminder on")
    await check_in(ana, ANA)
    start = clock.now
    await ben.tick(start + timedelta(days=1))
    assert not [m for m in ben.nudges if "Your partner has finished" in m.text]
    await ben.tick(start + timedelta(days=2, hours=2, minutes=1))
    [reminder] = [m for m in ben.nudges if "Your partner has finished" in m.text]
    assert reminder.button(label_of(services, "reminder-start")) is not None
    await ben.tick(start + timedelta(days=3, hours=3))
    assert len([m for m in ben.nudges if "Your partner has finished" in m.text]) == 1


async def test_no_partners_reminder_while_the_weekly_reminder_is_off(
    ana: Chat, ben: Chat, services: Services, clock: Clock
) -> None:
    await pair(ana, ben)
    await check_in(ana, ANA)
    await ben.tick(clock.now + timedelta(days=3))
    assert not [m for m in ben.nudges if "Your partner has finished" in m.text]
    with services.session_factory() as session:
        kinds = [
            (d.kind, d.status, d.error)
            for d in session.scalars(
                select(NudgeDelivery).where(NudgeDelivery.kind == "partner-remind")
            )
        ]
    assert kinds == [("partner-remind", "skipped", "reminder off")]


async def test_history_marks_the_shared_week_and_export_holds_the_pairing(
    ana: Chat, ben: Chat
) -> None:
    await pair(ana, ben)
    await check_in(ana, ANA)
    await check_in(ben, BEN)
    [history] = await ana.send("/history")
    assert "🪞" in history.text and "a shared week with your partner" in history.text
    [export] = await ana.send("/export")
    assert export.attachment is not None
    data = json.loads(export.attachment.content)
    assert data["pairing"]["paired"] is True
    assert data["pairing"]["partner_first_name_as_shown"] == "Ben"
    [received] = data["mirrors_received"]
    [shown] = data["shown_to_partner"]
    assert (
        "Plans and initiative: you each feel you were the one giving more." in received["in_words"]
    )
    assert {v.relation for v in decode(shown["areas"])} >= {Relation.EACH_GIVES}
    assert "answers" not in json.dumps(shown).replace("answers_shown", "")
    with_checkins = [c for c in data["checkins"] if c["status"] == CheckinStatus.DONE]
    assert len(with_checkins) == 1  # her own check-in only, never Ben's


async def test_a_stale_or_forged_pairing_button_changes_nothing(ana: Chat, ben: Chat) -> None:
    await pair(ana, ben)
    for data in ("pr:acc:ZZZZZZZZZZ", "pr:dec:", "pr:show:maybe", "pr:nonsense", "pr:acc"):
        await ana.press_data(data)
    await ana.send("/partner")
    assert "You're paired with <b>Ben</b>" in ana.last.text
    stranger = ana.newcomer(45)
    [welcome] = await stranger.press_data("pr:un:yes")
    assert welcome.labels == ["Sounds good"]


async def test_export_holds_every_stored_value_of_the_pairing_and_its_mirrors(
    ana: Chat, ben: Chat, services: Services
) -> None:
    """Every column of the pairing's row and of both readers' mirrors (ids aside) is in
    each partner's /export: nothing the pairing stored is left out of the copy."""
    await pair(ana, ben)
    await ana.send("/partner")
    await ana.press("Show my answers")
    await check_in(ana, ANA)
    await check_in(ben, BEN)
    with services.session_factory.begin() as session:
        pairing = session.scalars(select(Pairing)).one()
        pairing.paused_by = None
    for chat in (ana, ben):
        [reply] = await chat.send("/export")
        assert reply.attachment is not None
        exported = reply.attachment.content.decode()
        with services.session_factory() as session:
            rows = [session.scalars(select(Pairing)).one(), *session.scalars(select(Mirror))]
            for row in rows:
                for column in row.__table__.columns:
                    value = getattr(row, column.key)
                    if column.key in ("id", "pairing_id", "reader_id", "inviter_id", "partner_id"):
                        continue
                    if value is None or isinstance(value, bool):
                        continue
                    shown = value.isoformat() if hasattr(value, "isoformat") else str(value)
                    assert shown in exported, (row.__tablename__, column.key, shown)


async def test_each_partner_reads_in_their_own_language(chat: Chat, services: Services) -> None:
    """Ana's app is in Russian, Ben's in Spanish: each reads the invitation, the news and
    the shared week in their own words."""
    ana = Chat(chat.core, 42, first_name="Ana", language="ru")
    ben = ana.newcomer(43, first_name="Ben", language="es")
    ru, es = services.locale("ru"), services.locale("es")
    await ana.send("/partner")
    await ana.press(ru.t("pair-invite"))
    found = re.search(r"start=(pair-[0-9A-Z]+)", ana.last.text)
    assert found
    [offer] = await ben.send(f"/start {found.group(1)}")
    assert offer.text.startswith(es.t("pair-invited", name="Ana").split("<b>Ana</b>")[0])
    await ben.press(es.t("pair-accept"))
    for person, locale, values in ((ana, ru, ANA), (ben, es, BEN)):
        await person.send("/checkin")
        for number, value in enumerate(values):
            key = services.content.questions[number].answer_key(int(value))
            assert key is not None
            await person.press(locale.t(key))
    await ana.tick()
    title = {"ru": ru.t("mirror-meet"), "es": es.t("mirror-meet")}
    [anas] = [m for m in ana.messages if title["ru"] in m.text]
    [bens] = [m for m in ben.messages if title["es"] in m.text]
    assert ru.t("pair-accepted-inviter", name="Ben") in ana.texts
    assert "Ben" in anas.text and "Ana" in bens.text
    assert anas.protect and bens.protect


async def test_trend_draws_the_partners_view_only_while_both_show_answers(
    ana: Chat, ben: Chat, clock: Clock
) -> None:
    await pair(ana, ben)
    for chat in (ana, ben):
        await chat.send("/partner")
        await chat.press("Show my answers")
    for _ in range(2):  # two shared weeks
        await check_in(ana, ANA)
        await check_in(ben, BEN)
        clock.now += timedelta(days=7)
    [chart] = await ana.send("/trend")
    assert chart.attachment is not None and chart.attachment.kind == "photo"
    assert "The dashed line is how your partner saw the weeks you shared" in chart.text

    await ben.send("/partner")
    await ben.press("Stop showing my answers")
    [chart] = await ana.send("/trend")
    assert chart.attachment is not None and "dashed line" not in chart.text
