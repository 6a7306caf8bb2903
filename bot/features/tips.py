"""/tip: one strategy with a small action for today, and buttons for more."""

from __future__ import annotations

from random import Random

from bot.domain.content import Content, Strategy, Tip
from bot.domain.replies import Button, CallbackResult, Reply, rows
from bot.domain.tips import allowed_strategies, choose_tip, leaning
from bot.features.base import Ctx, expired, h
from bot.store import repo


def pick_tip(ctx: Ctx, *, topic: str | None = None, source: str = "command") -> Tip:
    """Choose the user's next tip and remember that it was shown."""
    tip = next_tip(ctx.content, tip_history(ctx), ctx.safety_flag, ctx.services.rng, topic=topic)
    repo.record_tip_shown(
        session=ctx.db, user_id=ctx.user_id, tip_id=tip.id, source=source, now=ctx.now
    )
    ctx.tips_shown.append(tip.id)
    return tip


def tip_history(ctx: Ctx) -> repo.TipHistory:
    """What the user has seen, this update's tips included."""
    if ctx.created:  # a user added by this very update has no history but this update's
        return repo.TipHistory(list(ctx.tips_shown), None, False)
    if ctx.preloaded is not None:  # read with the account, before this update's tips
        return ctx.preloaded._replace(shown=ctx.preloaded.shown + ctx.tips_shown)
    return repo.tip_history(session=ctx.db, user_id=ctx.user_id)


def next_tip(
    content: Content,
    history: repo.TipHistory,
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
        return "For now I'm keeping to tips about looking after yourself and your own life."
    return (
        "Since your last check-in, I'm keeping to tips about looking after yourself and"
        " your own life, until a later check-in says otherwise."
    )


def tip_text(ctx: Ctx, tip: Tip, heading: str = "Today's tip") -> str:
    strategy = ctx.content.strategy(tip.strategy_id)
    assert strategy is not None
    return (
        f"<b>{h(heading)}: {strategy.emoji} {h(strategy.title)}</b>\n\n"
        f"{h(tip.text)}\n\n<i>Why: {h(strategy.why)}</i>"
    )


def tip_buttons(*extra: Button) -> tuple[tuple[Button, ...], ...]:
    return rows(Button("Another tip", "tip:more"), Button("Choose a topic", "tip:topics"), *extra)


def tip_reply(
    ctx: Ctx, *, topic: str | None = None, source: str = "command", heading: str = "Today's tip"
) -> Reply:
    tip = pick_tip(ctx, topic=topic, source=source)
    text = tip_text(ctx, tip, heading)
    if topic is not None and tip.strategy_id != topic:  # a topic kept out for now
        text = f"<i>{h(keeping_to_care(ctx))}</i>\n\n{text}"
    return Reply(text, tip_buttons())


def topics_reply(ctx: Ctx, intro: str = "Pick a topic:") -> Reply:
    """The topics the user's tips may come from now, numbered as /tip <number> reads."""
    strategies = allowed(ctx)
    lines = [h(intro), ""]
    if ctx.safety_flag:
        lines += [f"<i>{h(keeping_to_care(ctx))}</i>", ""]
    for number, strategy in enumerate(strategies, start=1):
        lines.append(f"{number}. {strategy.emoji} {h(strategy.title)} (/tip {strategy.id})")
    buttons = [Button(f"{s.emoji} {s.title}", f"tip:t:{s.id}") for s in strategies]
    return Reply("\n".join(lines), rows(*buttons))


def find_topic(ctx: Ctx, args: str) -> Strategy | None:
    """``/tip <topic>``: a strategy by id or a word of its title, or by its number in
    the topics list the user sees."""
    if args.strip().isdigit():
        strategies, number = allowed(ctx), int(args)
        return strategies[number - 1] if 1 <= number <= len(strategies) else None
    return ctx.content.find_strategy(args)


def tip_command(ctx: Ctx, args: str) -> list[Reply]:
    """/tip [topic]: a tip, from that topic if one is named (and allowed now)."""
    if not args:
        return [tip_reply(ctx)]
    strategy = find_topic(ctx, args)
    if strategy is None:
        return [topics_reply(ctx, f"I don't know the topic “{args[:40]}”. Pick one of these:")]
    return [tip_reply(ctx, topic=strategy.id)]


def tip_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """tip:more | tip:topics | tip:t:<strategy>."""
    match parts:
        case ["more"]:
            return CallbackResult(send=[tip_reply(ctx, source="button")])
        case ["topics"]:
            return CallbackResult(send=[topics_reply(ctx)])
        case ["t", strategy_id] if ctx.content.strategy(strategy_id) is not None:
            return CallbackResult(send=[tip_reply(ctx, topic=strategy_id, source="button")])
    return expired()
