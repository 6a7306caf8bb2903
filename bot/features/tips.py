"""/tip: one strategy with a small action for today, and buttons for more."""

from __future__ import annotations

from random import Random

from bot.domain.content import Content, Strategy, Tip
from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.tips import allowed_strategies, choose_tip, leaning
from bot.features.base import Ctx, expired
from bot.i18n import Markup
from bot.store import tips as tip_store
from bot.store.models import TipSource
from bot.store.tips import TipHistory


def pick_tip(ctx: Ctx, *, topic: str | None = None, source: TipSource = TipSource.COMMAND) -> Tip:
    """Choose the user's next tip and remember that it was shown."""
    tip = next_tip(ctx.content, tip_history(ctx), ctx.safety_flag, ctx.services.rng, topic=topic)
    if ctx.stored:  # before "Sounds good" nothing is kept, not even which tip was seen
        tip_store.record_tip_shown(
            session=ctx.session, user_id=ctx.user_id, tip_id=tip.id, source=source, now=ctx.now
        )
    return tip


def tip_history(ctx: Ctx) -> TipHistory:
    """What the user has seen, this update's tips included (the session flushes them
    before it reads)."""
    return tip_store.tip_history(session=ctx.session, user_id=ctx.user_id)


def next_tip(
    content: Content,
    history: TipHistory,
    safety_flag: bool,
    rng: Random,
    *,
    topic: str | None = None,
) -> Tip:
    """The user's next tip, leaning on what their latest check-in revealed
    (see :func:`bot.domain.tips.leaning`)."""
    lean = leaning(
        content,
        weakest_strategy=history.weakest_strategy,
        reassess=history.reassess,
        safety_flag=safety_flag,
        partner_carrying=history.partner_carrying,
    )
    return choose_tip(
        content,
        history.shown,
        topic=topic,
        prefer=lean.prefer,
        exclude_tags=lean.exclude,
        only_tags=lean.only,
        rng=rng,
    )


def allowed(ctx: Ctx) -> tuple[Strategy, ...]:
    """The strategies the user's tips come from now (see :func:`allowed_strategies`)."""
    return allowed_strategies(ctx.content, safety_flag=ctx.safety_flag)


def keeping_to_care(ctx: Ctx) -> str:
    """Why a safety-flagged user sees fewer topics: kind, and discreet in a group."""
    if not ctx.identity.private:
        return ctx.t("tip-keeping-to-care-group")
    return ctx.t("tip-keeping-to-care")


def tip_text(ctx: Ctx, tip: Tip, heading: str | None = None) -> str:
    """A tip with its strategy; ``heading`` (plain text) by default "Today's tip"."""
    strategy = ctx.content.strategy(tip.strategy_id)
    assert strategy is not None
    title = ctx.t(
        "tip-title",
        heading=heading or ctx.t("tip-heading-today"),
        emoji=strategy.emoji,
        title=ctx.t(strategy.title_key),
    )
    why = Markup(ctx.t(strategy.why_key))
    return f"{title}\n\n{ctx.t(tip.key)}\n\n{ctx.t('tip-why', why=why)}"


def tip_buttons(ctx: Ctx, *extra: Button) -> tuple[tuple[Button, ...], ...]:
    another = Button(ctx.t("tip-another"), "tip:more")
    return ctx.platform.rows(another, Button(ctx.t("tip-choose-topic"), "tip:topics"), *extra)


def tip_reply(
    ctx: Ctx,
    *,
    topic: str | None = None,
    source: TipSource = TipSource.COMMAND,
    heading: str | None = None,
) -> Reply:
    tip = pick_tip(ctx, topic=topic, source=source)
    text = tip_text(ctx, tip, heading)
    if topic is not None and tip.strategy_id != topic:  # a topic kept out for now
        text = f"{keeping_to_care(ctx)}\n\n{text}"
    return Reply(text, tip_buttons(ctx))


def topics_reply(ctx: Ctx, intro: str | None = None) -> Reply:
    """The topics the user's tips may come from now, numbered as /tip <number> reads.
    ``intro``: a catalogue text (markup), by default "Pick a topic:"."""
    strategies = allowed(ctx)
    lines = [intro or ctx.t("tip-pick-topic"), ""]
    if ctx.safety_flag:
        lines += [keeping_to_care(ctx), ""]
    for number, strategy in enumerate(strategies, start=1):
        line = ctx.t(
            "tip-topic-line",
            number=str(number),
            emoji=strategy.emoji,
            title=Markup(ctx.t(strategy.title_key)),
            id=strategy.id,
        )
        lines.append(line)
    buttons = [Button(f"{s.emoji} {ctx.t(s.title_key)}", f"tip:t:{s.id}") for s in strategies]
    return Reply("\n".join(lines), ctx.platform.rows(*buttons))


def find_topic(ctx: Ctx, args: str) -> Strategy | None:
    """``/tip <topic>``: a strategy by id or a word of its title, or by its number in
    the topics list the user sees."""
    if args.strip().isdigit():
        strategies, number = allowed(ctx), int(args)
        return strategies[number - 1] if 1 <= number <= len(strategies) else None
    titles = {s.id: ctx.t(s.title_key) for s in ctx.content.strategies}
    return ctx.content.find_strategy(args, titles)


def tip_command(ctx: Ctx, args: str) -> list[Reply]:
    """/tip [topic]: a tip, from that topic if one is named (and allowed now)."""
    if not args:
        return [tip_reply(ctx)]
    strategy = find_topic(ctx, args)
    if strategy is None:
        return [topics_reply(ctx, ctx.t("tip-unknown-topic", topic=args[:40]))]
    return [tip_reply(ctx, topic=strategy.id)]


def tip_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """tip:more | tip:topics | tip:t:<strategy>."""
    match parts:
        case ["more"]:
            return CallbackResult(send=[tip_reply(ctx, source=TipSource.BUTTON)])
        case ["topics"]:
            return CallbackResult(send=[topics_reply(ctx)])
        case ["t", strategy_id] if ctx.content.strategy(strategy_id) is not None:
            reply = tip_reply(ctx, topic=strategy_id, source=TipSource.BUTTON)
            return CallbackResult(send=[reply])
    return expired(ctx)
