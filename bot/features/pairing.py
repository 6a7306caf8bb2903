"""/partner: pairing two people by invitation, what they share, and ending it.

An invitation is a random code (:mod:`bot.domain.invitation`), single use, valid for
24 hours, handed on as a link (``/start pair-<code>``) or typed (``/partner <code>``).
Whoever opens it sees who invited them and what is shared, and accepts or declines
with a button; that works before they agreed to be stored, and accepting is that
agreement. Both sides are told. Either can unpair at any time; the other is told only
that the pairing ended, and everything the pairing shared (its mirrors) goes with it.

Buttons (``pr:``): ``inv`` a new invitation, ``wd`` withdraw it, ``acc:<code>`` /
``dec:<code>`` accept or decline, ``show:on|off`` show my answers, ``un`` then
``un:yes`` unpair, ``pause`` / ``resume`` / ``end`` (offered after a safety answer),
``menu`` the status. Nothing is kept in memory: the pairing's row says it all.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from urllib.parse import quote

from bot.domain import invitation
from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.timing import local_date, zone
from bot.features.base import Ctx, expired
from bot.features.onboarding import welcome, zone_step
from bot.store import accounts
from bot.store import deliveries as outbox
from bot.store import pairings as store
from bot.store.models import DeliveryKind, Pairing, User

INVITATION_VALID = timedelta(hours=24)
NAME_LENGTH = 64


# --- reading the pairing ---------------------------------------------------------------


def current(ctx: Ctx, *, lock: bool = False) -> Pairing | None:
    """The user's pairing or open invitation (``None`` before they are stored)."""
    if not ctx.stored:
        return None
    return store.pairing_of(session=ctx.session, user_id=ctx.user_id, lock=lock)


def paired(pairing: Pairing | None) -> bool:
    return pairing is not None and pairing.partner_id is not None


def first_name(ctx: Ctx) -> str | None:
    """The first name the platform gives for this user, as shown to their partner:
    control and formatting characters out, at most NAME_LENGTH characters."""
    name = ctx.identity.first_name or ""
    kept = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return kept[:NAME_LENGTH] or None


def name_of(where: Ctx, pairing: Pairing, user_id: int) -> str:
    """How a member is named to the other: their first name (the catalogue escapes
    it), or "your partner" where the platform gave none."""
    return pairing.first_name_of(user_id) or where.t("pair-no-name")


def tell(ctx: Ctx, user_id: int, kind: DeliveryKind, ref: int) -> None:
    """Put a message to ``user_id`` in the outbox (rendered in their words when it goes,
    at once once this update commits)."""
    user = ctx.session.get(User, user_id)
    if user is None:
        return
    tz = zone(user.timezone) or ctx.tz
    outbox.queue(
        session=ctx.session,
        user_id=user_id,
        kind=kind,
        local_date=local_date(ctx.now, tz),
        due_at=ctx.now,
        ref=ref,
    )
    ctx.outbox_used = True


# --- /partner ----------------------------------------------------------------------------


def partner_command(ctx: Ctx, args: str) -> list[Reply]:
    """/partner: the pairing as it stands; /partner <code>: open an invitation."""
    if args:
        return open_invitation(ctx, args)
    return [status_reply(ctx)]


def status_reply(ctx: Ctx, headline: str | None = None) -> Reply:
    pairing = current(ctx)
    top = f"{headline}\n\n" if headline else ""
    if pairing is None or not paired(pairing):
        lines = [ctx.t("pair-title"), ctx.t("pair-about")]
        buttons: list[tuple[Button, ...]] = [(Button(ctx.t("pair-invite"), "pr:inv"),)]
        if pairing is not None and pairing.expires_at is not None and pairing.expires_at > ctx.now:
            until = pairing.expires_at.astimezone(ctx.tz)
            when = f"{ctx.locale.date(until, 'd MMM')} {ctx.locale.time(until)}"
            lines.append(ctx.t("pair-invite-open", until=when))
            buttons = [
                (Button(ctx.t("pair-invite-again"), "pr:inv"),),
                (Button(ctx.t("pair-withdraw"), "pr:wd"),),
            ]
        return Reply(top + "\n\n".join(lines), ctx.platform.keyboard(*buttons))
    other = pairing.other(ctx.user_id)
    assert other is not None
    mine, theirs = pairing.shows(ctx.user_id), pairing.shows(other)
    lines = [
        ctx.t("pair-title"),
        ctx.t("pair-paired", name=name_of(ctx, pairing, other)),
        ctx.t("pair-shared"),
        ctx.t("pair-answers", mine="on" if mine else "off", theirs="on" if theirs else "off"),
    ]
    if pairing.paused_by == ctx.user_id:
        lines.append(ctx.t("pair-paused-line"))
    show = (
        Button(ctx.t("pair-hide-answers"), "pr:show:off")
        if mine
        else Button(ctx.t("pair-show-answers"), "pr:show:on")
    )
    rows: list[tuple[Button, ...]] = [(show,)]
    if pairing.paused_by == ctx.user_id:
        rows.append((Button(ctx.t("pair-resume"), "pr:resume"),))
    rows.append((Button(ctx.t("pair-unpair"), "pr:un"),))
    return Reply(top + "\n\n".join(lines), ctx.platform.keyboard(*rows))


def invitation_reply(ctx: Ctx, code: str) -> Reply:
    """The new invitation: the link to forward, and the code to copy or type."""
    link = ctx.platform.start_link(invitation.link_argument(code))
    shown = invitation.shown(code)
    hours = int(INVITATION_VALID.total_seconds() // 3600)
    if link is None:
        text = ctx.t("pair-invitation-code-only", code=shown, hours=hours)
        return Reply(text, ((Button(ctx.t("back"), "pr:menu"),),))
    text = ctx.t("pair-invitation", link=link, code=shown, hours=hours)
    share = "https://t.me/share/url?url={}&text={}".format(
        quote(link, safe=""), quote(ctx.t("pair-share-text"), safe="")
    )
    return Reply(
        text,
        (
            (Button(ctx.t("pair-share"), url=share),),
            (Button(ctx.t("pair-copy-code"), data="pr:menu", copy=shown),),
            (Button(ctx.t("back"), "pr:menu"),),
        ),
    )


def open_invitation(ctx: Ctx, raw: str) -> list[Reply]:
    """Someone opened a link or typed a code: who invited them, what is shared, and
    two buttons to accept or decline."""
    found = valid_invitation(ctx, raw)
    if isinstance(found, Reply):
        return [found]
    code, pairing = found
    if paired(current(ctx)):
        return [Reply(ctx.t("pair-already-paired"))]
    lines = [
        ctx.t("pair-invited", name=name_of(ctx, pairing, pairing.inviter_id)),
        ctx.t("pair-shared"),
    ]
    if not ctx.stored:
        lines.append(ctx.t("pair-invited-newcomer"))
    buttons = ctx.platform.rows(
        Button(ctx.t("pair-accept"), f"pr:acc:{code}"),
        Button(ctx.t("pair-decline"), f"pr:dec:{code}"),
    )
    return [Reply("\n\n".join(lines), buttons)]


# --- the buttons -------------------------------------------------------------------------


def pairing_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """pr:... (see the module's docstring). Only accept and decline work before the
    user agreed to be stored."""
    match parts:
        case ["acc", code]:
            return _accept(ctx, code)
        case ["dec", code]:
            return _decline(ctx, code)
    if not ctx.stored:
        return CallbackResult(send=[welcome(ctx)])
    match parts:
        case ["menu"]:
            return CallbackResult(edit=status_reply(ctx))
        case ["inv"]:
            return _invite(ctx)
        case ["wd"]:
            pairing = current(ctx, lock=True)
            if pairing is not None and not paired(pairing):
                store.end(session=ctx.session, pairing=pairing)
            return CallbackResult(
                ctx.t("saved"), edit=status_reply(ctx, ctx.t("pair-invite-withdrawn"))
            )
        case ["show", choice] if choice in ("on", "off"):
            return _show_answers(ctx, choice == "on")
        case ["un"]:
            if not paired(current(ctx)):
                return CallbackResult(edit=status_reply(ctx))
            yes = Button(ctx.t("pair-unpair-yes"), "pr:un:yes")
            no = Button(ctx.t("pair-unpair-no"), "pr:menu")
            confirm = Reply(ctx.t("pair-unpair-confirm"), ctx.platform.rows(yes, no))
            return CallbackResult(edit=confirm)
        case ["un", "yes"] | ["end"]:
            ended = leave(ctx)
            text = ctx.t("pair-ended-you" if ended else "pair-not-paired")
            return CallbackResult(ctx.t("saved") if ended else None, edit=Reply(text))
        case ["pause"]:
            pairing = current(ctx, lock=True)
            if not paired(pairing):
                return CallbackResult(edit=Reply(ctx.t("pair-not-paired")))
            assert pairing is not None
            pause(ctx, pairing)
            return CallbackResult(ctx.t("saved"), edit=Reply(ctx.t("pair-paused")))
        case ["resume"]:
            pairing = current(ctx, lock=True)
            if paired(pairing) and pairing is not None and pairing.paused_by == ctx.user_id:
                pairing.paused_by = None
            return CallbackResult(ctx.t("saved"), edit=status_reply(ctx, ctx.t("pair-resumed")))
    return expired(ctx)


def _invite(ctx: Ctx) -> CallbackResult:
    pairing = current(ctx, lock=True)
    if paired(pairing):
        return CallbackResult(edit=status_reply(ctx, ctx.t("pair-already-paired")))
    code = invitation.new_code()
    store.invite(
        session=ctx.session,
        inviter_id=ctx.user_id,
        code_hash=invitation.digest(code),
        first_name=first_name(ctx),
        now=ctx.now,
        expires_at=ctx.now + INVITATION_VALID,
    )
    return CallbackResult(edit=invitation_reply(ctx, code))


def valid_invitation(ctx: Ctx, raw: str) -> tuple[str, Pairing] | Reply:
    """The code as issued and its open invitation, or what to say instead. Any code
    that cannot be taken up (unknown, expired, used) gets the same answer, so nothing
    can be learnt by trying codes."""
    code = invitation.normalise(raw)
    pairing = (
        store.find_invitation(session=ctx.session, code_hash=invitation.digest(code), now=ctx.now)
        if code
        else None
    )
    if code is None or pairing is None:
        return Reply(ctx.t("pair-code-not-valid"))
    if ctx.stored and pairing.inviter_id == ctx.user_id:
        return Reply(ctx.t("pair-own-code"))
    return code, pairing


def _accept(ctx: Ctx, raw: str) -> CallbackResult:
    found = valid_invitation(ctx, raw)
    if isinstance(found, Reply):
        return CallbackResult(edit=found)
    code, pairing = found
    if paired(current(ctx, lock=True)):
        return CallbackResult(edit=Reply(ctx.t("pair-already-paired")))
    newcomer = not ctx.stored
    if newcomer:  # accepting is agreeing to be stored, as the invitation said
        ctx.user = accounts.join(
            session=ctx.session, user=ctx.user, language=ctx.identity.language, now=ctx.now
        )
    taken = store.accept(
        session=ctx.session,
        pairing=pairing,
        code_hash=invitation.digest(code),
        partner_id=ctx.user_id,
        first_name=first_name(ctx),
        now=ctx.now,
    )
    if not taken:
        return CallbackResult(edit=Reply(ctx.t("pair-code-not-valid")))
    tell(ctx, pairing.inviter_id, DeliveryKind.PAIRED, pairing.id)
    text = ctx.t("pair-accepted", name=name_of(ctx, pairing, pairing.inviter_id))
    if newcomer:  # then the first steps, as after "Sounds good"
        return CallbackResult(ctx.t("saved"), edit=zone_step(ctx, text))
    return CallbackResult(ctx.t("saved"), edit=Reply(text))


def _decline(ctx: Ctx, raw: str) -> CallbackResult:
    found = valid_invitation(ctx, raw)
    if isinstance(found, Reply):
        return CallbackResult(edit=found)
    _, pairing = found
    inviter = pairing.inviter_id
    store.end(session=ctx.session, pairing=pairing)  # the code is used up
    tell(ctx, inviter, DeliveryKind.DECLINED, pairing.id)
    return CallbackResult(edit=Reply(ctx.t("pair-declined")))


def _show_answers(ctx: Ctx, show: bool) -> CallbackResult:
    pairing = current(ctx, lock=True)
    if not paired(pairing) or pairing is None:
        return CallbackResult(edit=status_reply(ctx))
    if pairing.inviter_id == ctx.user_id:
        pairing.inviter_shows = show
    else:
        pairing.partner_shows = show
    key = "pair-answers-shown" if show else "pair-answers-hidden"
    return CallbackResult(ctx.t("saved"), edit=status_reply(ctx, ctx.t(key)))


def pause(ctx: Ctx, pairing: Pairing) -> None:
    """Sharing paused by this user: no mirror and no reminder about them goes across
    until they resume; their partner is told nothing."""
    pairing.paused_by = ctx.user_id
    other = pairing.other(ctx.user_id)
    if other is not None:
        outbox.withdraw(
            session=ctx.session,
            user_id=other,
            kinds=(DeliveryKind.PARTNER_REMINDER,),
            reason="paused",
            ref=pairing.id,
        )


def leave(ctx: Ctx) -> bool:
    """End the user's pairing (or withdraw their invitation). The other is told only
    that it ended, and nothing more of it goes out to them. Whether there was one."""
    pairing = current(ctx, lock=True)
    if pairing is None:
        return False
    other = pairing.other(ctx.user_id)
    pairing_id = pairing.id
    store.end(session=ctx.session, pairing=pairing)
    if other is None:
        return False
    outbox.withdraw(
        session=ctx.session,
        user_id=other,
        kinds=(DeliveryKind.PARTNER_REMINDER, DeliveryKind.PAIRED),
        reason="pairing ended",
        ref=pairing_id,
    )
    tell(ctx, other, DeliveryKind.UNPAIRED, pairing_id)
    return True


def safety_offer(ctx: Ctx) -> Reply | None:
    """After a safety answer, privately: pause sharing or end the pairing, one button
    each (nothing of it is said to the partner)."""
    pairing = current(ctx)
    if not paired(pairing) or pairing is None:
        return None
    buttons: list[Button] = []
    if pairing.paused_by != ctx.user_id:
        buttons.append(Button(ctx.t("pair-pause"), "pr:pause"))
    buttons.append(Button(ctx.t("pair-end"), "pr:end"))
    return Reply(ctx.t("pair-safety-offer"), ctx.platform.rows(*buttons, per_row=1))
