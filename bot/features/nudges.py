"""The daily nudge message and its buttons (another tip, later, stop)."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from bot.domain.content import Content, Tip
from bot.domain.replies import Button, CallbackResult, Reply, rows
from bot.features.base import Ctx, expired
from bot.features.schedule import disable_nudges
from bot.store import repo

SNOOZE = timedelta(hours=1)


PAUSE_OFFER = (
    "If a daily message from me doesn't suit you right now, you can pause it."
    " Nothing else changes, and /nudges on brings it back whenever you like."
)
PAUSED = "Daily tips paused. /nudges on brings them back."


def nudge_reply(
    content: Content,
    tip: Tip,
    delivery_id: int,
    *,
    again: bool = False,
    safety_flag: bool = False,
) -> Reply:
    """The message of a daily nudge (``again``: the one the user asked to see later).
    While a safety answer stands (``safety_flag``) it offers, gently, to pause them."""
    strategy = content.strategy(tip.strategy_id)
    assert strategy is not None
    heading = "Your tip, an hour later as asked" if again else "Your daily tip"
    text = (
        f"<b>{heading}: {strategy.emoji} {escape(strategy.title, quote=False)}</b>\n\n"
        f"{escape(tip.text, quote=False)}"
    )
    stop = Button("Stop daily tips", "nd:stop")
    if safety_flag:
        text += f"\n\n<i>{PAUSE_OFFER}</i>"
        stop = Button("Pause daily tips", "nd:pause")
    buttons = rows(
        Button("Another tip", "tip:more"),
        Button("Later (in 1 hour)", f"nd:later:{delivery_id}"),
        stop,
    )
    return Reply(text, buttons)


def nudge_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """nd:later:<delivery id> | nd:stop | nd:pause (the same, worded as a pause)."""
    match parts:
        case ["pause"]:  # the same, offered while a safety answer stands
            disable_nudges(ctx, reason="paused")
            return CallbackResult(PAUSED)
        case ["stop"]:  # withdrawing consent: works from any message, however old
            disable_nudges(ctx, reason="stopped")
            return CallbackResult("Daily tips are off. /nudges on brings them back.")
        case ["later", raw] if raw.isdigit() and len(raw) < 19:
            delivery = repo.delivery_for(
                session=ctx.session, delivery_id=int(raw), user_id=ctx.user_id
            )
            if delivery is None or delivery.local_date < (ctx.now - timedelta(days=1)).date():
                return expired()
            if not ctx.user.nudges_enabled:  # stopped since: nothing more comes
                return CallbackResult("Daily tips are off. /nudges on brings them back.")
            if delivery.status != "sent":
                return CallbackResult("It's already set to come back later.")
            delivery.status = "pending"
            delivery.next_attempt_at = ctx.now + SNOOZE
            local = delivery.next_attempt_at.astimezone(ctx.tz)
            return CallbackResult(f"I'll send it again at {local:%H:%M}.")
    return expired()
