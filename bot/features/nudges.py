"""The daily nudge message and its buttons (another tip, later, stop)."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.content import Content, Tip
from bot.domain.platform import PLAIN, Capabilities
from bot.domain.replies import Button, CallbackResult, Reply
from bot.features.base import Ctx, expired
from bot.features.schedule import disable_nudges
from bot.i18n import Locale, Markup
from bot.store import deliveries as outbox
from bot.store.models import DeliveryStatus

SNOOZE = timedelta(hours=1)


def nudge_reply(
    content: Content,
    locale: Locale,
    tip: Tip,
    delivery_id: int,
    *,
    again: bool = False,
    safety_flag: bool = False,
    platform: Capabilities = PLAIN,
) -> Reply:
    """The message of a daily nudge (``again``: the one the user asked to see later).
    While a safety answer stands (``safety_flag``) it offers, gently, to pause them."""
    strategy = content.strategy(tip.strategy_id)
    assert strategy is not None
    heading = locale.t("nudge-heading-again" if again else "nudge-heading")
    title = locale.t(
        "tip-title",
        heading=heading,
        emoji=strategy.emoji,
        title=Markup(locale.t(strategy.title_key)),
    )
    text = f"{title}\n\n{locale.t(tip.key)}"
    stop = Button(locale.t("nudge-stop"), "nd:stop")
    if safety_flag:
        text += f"\n\n{locale.t('nudge-pause-offer')}"
        stop = Button(locale.t("nudge-pause"), "nd:pause")
    buttons = platform.rows(
        Button(locale.t("tip-another"), "tip:more"),
        Button(locale.t("nudge-later"), f"nd:later:{delivery_id}"),
        stop,
    )
    return Reply(text, buttons)


def nudge_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """nd:later:<delivery id> | nd:stop | nd:pause (the same, worded as a pause)."""
    match parts:
        case ["pause"]:  # the same, offered while a safety answer stands
            disable_nudges(ctx, reason="paused")
            return CallbackResult(ctx.t("nudge-paused"))
        case ["stop"]:  # withdrawing consent: works from any message, however old
            disable_nudges(ctx, reason="stopped")
            return CallbackResult(ctx.t("nudge-stopped"))
        case ["later", raw] if raw.isdigit() and len(raw) < 19:
            delivery = outbox.delivery_for(
                session=ctx.session, delivery_id=int(raw), user_id=ctx.user_id
            )
            if delivery is None or delivery.local_date < (ctx.now - timedelta(days=1)).date():
                return expired(ctx)
            if not ctx.user.nudges_enabled:  # stopped since: nothing more comes
                return CallbackResult(ctx.t("nudge-stopped"))
            if delivery.status != DeliveryStatus.SENT:
                return CallbackResult(ctx.t("nudge-already-later"))
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = ctx.now + SNOOZE
            local = delivery.next_attempt_at.astimezone(ctx.tz)
            return CallbackResult(ctx.t("nudge-again-at", time=ctx.locale.time(local)))
    return expired(ctx)
