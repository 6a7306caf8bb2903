"""The shared week: when both partners have finished a check-in in the same week
(Monday to Sunday, each in their own zone), each gets a mirror of where their views
meet and where they differ, area by area (:mod:`bot.domain.mirror`). Never the other's
answers, unless both chose to show them; never anything of a safety answer: while one
stands (or sharing is paused), no mirror and no reminder is made, and the partner sees
exactly what they would see if the other had not checked in yet.

When one has finished and the other has not after two days, the other gets one
reminder that week (in their waking hours, only while their weekly reminder is on).

Also here: /mirror, and the pairing's messages as the outbox sends them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.domain.content import Content
from bot.domain.mirror import compare, decode, encode
from bot.domain.platform import PLAIN, Capabilities
from bot.domain.replies import Button, Reply
from bot.domain.timing import week_of, zone
from bot.features.answers import answer_label, answers_in_todays_terms, answers_today
from bot.features.base import Ctx, Services
from bot.features.pairing import current, name_of, paired
from bot.i18n import Locale, Markup
from bot.store import checkins
from bot.store import deliveries as outbox
from bot.store import pairings as store
from bot.store.deliveries import Claimed
from bot.store.models import Checkin, DeliveryKind, Mirror, Pairing, User

REMIND_AFTER = timedelta(days=2)
WAKING = (time(9, 0), time(21, 0))  # a partner's reminder goes between these, local


# --- after a check-in --------------------------------------------------------------------


def their_checkin(session: Session, pairing: Pairing, partner: User, week: date) -> Checkin | None:
    """The partner's latest check-in finished since they paired, in ``week`` of their
    own zone."""
    tz = zone(partner.timezone) or ZoneInfo("UTC")
    for checkin in checkins.finished_checkins(session=session, user_id=partner.id, limit=4):
        finished = checkin.finished_at
        if finished is None or pairing.accepted_at is None or finished < pairing.accepted_at:
            continue
        if week_of(finished, tz) == week:
            return checkin
    return None


def after_checkin(ctx: Ctx, checkin: Checkin) -> list[Reply]:
    """A check-in was just finished: the mirror, if the partner finished theirs this
    week; else a word that it comes once both have, and the partner's reminder."""
    pairing = current(ctx, lock=True)
    if pairing is None or not paired(pairing) or checkin.finished_at is None:
        return []
    other_id = pairing.other(ctx.user_id)
    partner = ctx.session.get(User, other_id) if other_id is not None else None
    if partner is None:
        return []
    outbox.withdraw(  # they have checked in: no reminder to do it
        session=ctx.session,
        user_id=ctx.user_id,
        kinds=(DeliveryKind.PARTNER_REMINDER,),
        reason="checked in",
        ref=pairing.id,
    )
    if ctx.user.safety_flag:  # nothing of this check-in goes across, not even a reminder
        outbox.withdraw(
            session=ctx.session,
            user_id=partner.id,
            kinds=(DeliveryKind.PARTNER_REMINDER,),
            reason="no longer applies",
            ref=pairing.id,
        )
        return []
    if pairing.paused_by == ctx.user_id:
        return []
    week = week_of(checkin.finished_at, ctx.tz)
    made = store.mirror_of(
        session=ctx.session, pairing_id=pairing.id, reader_id=ctx.user_id, week=week
    )
    if made is not None:
        return []  # this week's mirror was made: a second check-in changes nothing
    # Paused by the partner or a safety answer of theirs: seen exactly as "not yet".
    withheld = pairing.paused_by is not None or partner.safety_flag
    theirs = None if withheld else their_checkin(ctx.session, pairing, partner, week)
    if theirs is None:
        if not withheld:
            remind_later(ctx, pairing, partner, week)
        return [Reply(ctx.t("mirror-waiting"))]
    mine_answers = answers_today(ctx, checkin)
    their_answers = answers_in_todays_terms(ctx.session, ctx.content, theirs)
    mine, for_them = (
        store.add_mirror(
            session=ctx.session,
            pairing_id=pairing.id,
            reader_id=reader.id,
            week=week,
            reader_checkin_id=own.id,
            partner_checkin_id=other.id,
            areas=encode(compare(ctx.content.questions, own_answers, other_answers)),
            answers_shown=pairing.both_show,
            now=ctx.now,
        )
        for reader, own, other, own_answers, other_answers in (
            (ctx.user, checkin, theirs, mine_answers, their_answers),
            (partner, theirs, checkin, their_answers, mine_answers),
        )
    )
    outbox.queue(
        session=ctx.session,
        user_id=partner.id,
        kind=DeliveryKind.MIRROR,
        local_date=week,
        due_at=ctx.now,
        ref=for_them.id,
    )
    outbox.withdraw(
        session=ctx.session,
        user_id=partner.id,
        kinds=(DeliveryKind.PARTNER_REMINDER,),
        reason="checked in",
        ref=pairing.id,
    )
    ctx.outbox_used = True
    answers = (mine_answers, their_answers) if pairing.both_show else None
    return [mirror_reply(ctx.locale, ctx.content, mine, answers, name_of(ctx, pairing, partner.id))]


def waking_time(instant: datetime, tz: tzinfo) -> datetime:
    """``instant``, or the next local morning when it falls at night."""
    local = instant.astimezone(tz)
    start, end = WAKING
    if local.time() < start:
        local = local.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
    elif local.time() >= end:
        local = (local + timedelta(days=1)).replace(
            hour=start.hour, minute=start.minute, second=0, microsecond=0
        )
    return local.astimezone(UTC)


def remind_later(ctx: Ctx, pairing: Pairing, partner: User, week: date) -> None:
    """One reminder for the partner two days on (in their waking hours), if that is
    still this week in their zone; one a week at most (the outbox's key)."""
    tz = zone(partner.timezone) or ZoneInfo("UTC")
    due = waking_time(ctx.now + REMIND_AFTER, tz)
    if week_of(due, tz) != week:
        return
    outbox.queue(
        session=ctx.session,
        user_id=partner.id,
        kind=DeliveryKind.PARTNER_REMINDER,
        local_date=week,
        due_at=due,
        ref=pairing.id,
    )


# --- the mirror ----------------------------------------------------------------------


def mirror_reply(
    locale: Locale,
    content: Content,
    mirror: Mirror,
    answers: tuple[dict[str, int | None], dict[str, int | None]] | None,
    partner_name: str,
) -> Reply:
    """The mirror as its reader sees it, protected from forwarding. ``answers``: the
    reader's and the partner's, when both chose to show them (never the safety
    question's: it is not in the mirror)."""
    views = decode(mirror.areas)
    lines = [
        locale.t("mirror-title", week=locale.date(mirror.week, "d MMM")),
        locale.t("mirror-intro-answers" if answers else "mirror-intro", name=partner_name),
    ]
    if not views:
        lines += ["", locale.t("mirror-nothing-shared")]
    for heading, group in (
        ("mirror-meet", [v for v in views if not v.relation.differ]),
        ("mirror-differ", [v for v in views if v.relation.differ]),
    ):
        if not group:
            continue
        lines += ["", locale.t(heading)]
        for view in group:
            question = content.question(view.question_id)
            if question is None:
                continue
            line = locale.t(
                "mirror-line",
                area=locale.t(question.area_key),
                view=Markup(locale.t(f"mirror-{view.relation}")),
            )
            if answers is not None:
                mine, theirs = answers
                line += "\n" + locale.t(
                    "mirror-answers",
                    mine=answer_label(locale, question, mine.get(question.id)) or "",
                    theirs=answer_label(locale, question, theirs.get(question.id)) or "",
                )
            lines.append(line)
    lines += ["", locale.t("mirror-closing")]
    return Reply("\n".join(lines), protect=True)


def sharing(session: Session, pairing: Pairing | None) -> bool:
    """Whether the pairing may show anything across now: paired, not paused, and no
    safety answer standing on either side."""
    if pairing is None or pairing.partner_id is None or pairing.paused_by is not None:
        return False
    members = [session.get(User, pairing.inviter_id), session.get(User, pairing.partner_id)]
    return all(m is not None and not m.safety_flag for m in members)


def shown_answers(
    session: Session, content: Content, mirror: Mirror, pairing: Pairing
) -> tuple[dict[str, int | None], dict[str, int | None]] | None:
    """Both partners' answers of a mirror's week, if both chose (then, and now) to show
    them."""
    if not (mirror.answers_shown and pairing.both_show):
        return None
    if mirror.reader_checkin_id is None or mirror.partner_checkin_id is None:
        return None
    mine = session.get(Checkin, mirror.reader_checkin_id)
    theirs = session.get(Checkin, mirror.partner_checkin_id)
    if mine is None or theirs is None:
        return None
    return (
        answers_in_todays_terms(session, content, mine),
        answers_in_todays_terms(session, content, theirs),
    )


def mirror_command(ctx: Ctx, args: str) -> list[Reply]:
    """/mirror: the latest shared week again."""
    pairing = current(ctx)
    if pairing is None or not paired(pairing):
        return [Reply(ctx.t("mirror-not-paired"), ((Button(ctx.t("pair-open"), "pr:menu"),),))]
    mirror = store.latest_mirror(session=ctx.session, pairing_id=pairing.id, reader_id=ctx.user_id)
    if mirror is None:
        return [Reply(ctx.t("mirror-none-yet"))]
    other = pairing.other(ctx.user_id)
    assert other is not None
    answers = shown_answers(ctx.session, ctx.content, mirror, pairing)
    return [mirror_reply(ctx.locale, ctx.content, mirror, answers, name_of(ctx, pairing, other))]


# --- the pairing's messages, as the outbox sends them ---------------------------------------


def pairing_message(
    services: Services, session: Session, claimed: Claimed, platform: Capabilities = PLAIN
) -> Reply | None:
    """What a pairing's delivery says, in its reader's words; ``None`` when it no
    longer applies (the pairing ended or paused, a safety answer came, they checked in)."""
    locale = services.locale(claimed.language).about(claimed.partner)
    open_pairing = ((Button(locale.t("pair-open"), "pr:menu"),),)
    match claimed.kind:
        case DeliveryKind.UNPAIRED:
            return Reply(locale.t("pair-ended-partner"))
        case DeliveryKind.DECLINED:
            return Reply(locale.t("pair-declined-inviter"), open_pairing)
        case DeliveryKind.PAIRED:
            pairing = session.get(Pairing, claimed.ref)
            if pairing is None or pairing.partner_id is None:
                return None
            other = pairing.other(claimed.user_id)
            name = (pairing.first_name_of(other) if other else None) or locale.t("pair-no-name")
            return Reply(locale.t("pair-accepted-inviter", name=name), open_pairing)
        case DeliveryKind.PARTNER_REMINDER:
            pairing = session.get(Pairing, claimed.ref)
            reader = session.get(User, claimed.user_id)
            if not sharing(session, pairing) or reader is None or claimed.local_date is None:
                return None
            assert pairing is not None
            if their_checkin(session, pairing, reader, claimed.local_date) is not None:
                return None  # they checked in meanwhile
            start = Button(locale.t("reminder-start"), "ci:new")
            return Reply(locale.t("partner-reminder"), ((start,),))
        case DeliveryKind.MIRROR:
            mirror = session.get(Mirror, claimed.ref)
            if mirror is None or mirror.reader_id != claimed.user_id:
                return None
            pairing = session.get(Pairing, mirror.pairing_id)
            if not sharing(session, pairing):
                return None
            assert pairing is not None
            other = pairing.other(claimed.user_id)
            name = (pairing.first_name_of(other) if other else None) or locale.t("pair-no-name")
            answers = shown_answers(session, services.content, mirror, pairing)
            return mirror_reply(locale, services.content, mirror, answers, name)
    return None
