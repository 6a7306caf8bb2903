"""How the bot speaks to each user: their language (/language) and how it speaks of
their partner (he, she, or they / "your partner"), with an optional first name.

Buttons: ``lang:<code>:v<n>``; ``pw:menu``, ``pw:set:<wording>:v<n>``, ``pw:name``
(the next text typed is the name), ``pw:forget`` (the name removed).
"""

from __future__ import annotations

from bot.domain.replies import Button, CallbackResult, Reply
from bot.domain.text import clean_argument
from bot.features.base import Ctx, drawn_for, expired, is_current, setting_changed, versioned
from bot.i18n import PARTNER_WORDINGS

AWAIT_NAME = "partner-name"
NAME_LIMIT = 40


# --- language ----------------------------------------------------------------------------


def language_reply(ctx: Ctx, headline: str | None = None) -> Reply:
    catalogue = ctx.services.catalogue
    current = ctx.locale.language
    buttons = [
        Button(("• " if code == current else "") + name, versioned(ctx, f"lang:{code}"))
        for code, name in catalogue.names.items()
    ]
    lines = [headline, ""] if headline else []
    lines.append(ctx.t("language-choose", language=catalogue.names.get(current, current)))
    back = (Button(ctx.t("settings-back"), "st:home"),)
    return Reply("\n".join(lines), ctx.platform.keyboard(*ctx.platform.rows(*buttons), back))


def choose_language(ctx: Ctx, code: str) -> Reply:
    """Store the choice; the reply is in the new language, and the chat's command menu
    follows it (``chat_menu``)."""
    ctx.user.chosen_language = code
    setting_changed(ctx)
    reply = language_reply(ctx, ctx.t("language-set"))
    return Reply(reply.text, reply.buttons, chat_menu=code)


def language_command(ctx: Ctx, args: str) -> list[Reply]:
    """/language [code or name]: the buttons, or the language named."""
    wanted = args.strip().casefold()
    if wanted:
        for code, name in ctx.services.catalogue.names.items():
            if wanted in (code, name.casefold()):
                return [choose_language(ctx, code)]
    return [language_reply(ctx)]


def language_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """lang:menu | lang:<code>:v<n>."""
    parts, drawn = drawn_for(parts)
    match parts:
        case ["menu"]:
            return CallbackResult(edit=language_reply(ctx))
        case [code] if code in ctx.services.catalogue.names:
            if not is_current(ctx, drawn):
                return CallbackResult(ctx.t("button-older"), edit=language_reply(ctx))
            reply = choose_language(ctx, code)
            return CallbackResult(ctx.t("saved"), send=[reply])
    return expired(ctx)


# --- the partner -------------------------------------------------------------------------


def partner_buttons(ctx: Ctx, prefix: str) -> tuple[tuple[Button, ...], ...]:
    """One button per wording (``<prefix>:<wording>``), the current one marked."""
    buttons = [
        Button(
            ("• " if ctx.user.partner == wording and ctx.stored else "")
            + ctx.t(f"partner-{wording}"),
            f"{prefix}:{wording}",
        )
        for wording in PARTNER_WORDINGS
    ]
    return tuple((button,) for button in buttons)


def set_partner(ctx: Ctx, wording: str) -> None:
    ctx.user.partner = wording
    setting_changed(ctx)


def partner_reply(ctx: Ctx, headline: str | None = None) -> Reply:
    lines = [headline, ""] if headline else []
    lines.append(ctx.t("partner-menu", wording=ctx.t(f"partner-{ctx.user.partner}")))
    if ctx.user.partner_name:
        lines.append(ctx.t("partner-name-is", name=ctx.user.partner_name))
    rows = [
        tuple(Button(button.label, versioned(ctx, button.data or "")) for button in row)
        for row in partner_buttons(ctx, "pw:set")
    ]
    name = Button(ctx.t("partner-name-add"), "pw:name")
    extra = [name] + (
        [Button(ctx.t("partner-name-forget"), "pw:forget")] if ctx.user.partner_name else []
    )
    back = (Button(ctx.t("settings-back"), "st:home"),)
    return Reply("\n".join(lines), ctx.platform.keyboard(*rows, tuple(extra), back))


def partner_button(ctx: Ctx, parts: list[str]) -> CallbackResult:
    """pw:menu | pw:set:<wording>:v<n> | pw:name | pw:forget."""
    parts, drawn = drawn_for(parts)
    match parts:
        case ["menu"]:
            return CallbackResult(edit=partner_reply(ctx))
        case ["set", wording] if wording in PARTNER_WORDINGS:
            if not is_current(ctx, drawn):
                return CallbackResult(ctx.t("button-older"), edit=partner_reply(ctx))
            set_partner(ctx, wording)
            return CallbackResult(ctx.t("saved"), edit=partner_reply(ctx, ctx.t("partner-set")))
        case ["name"]:
            ctx.user.awaiting = AWAIT_NAME
            return CallbackResult(send=[Reply(ctx.t("partner-name-ask"))])
        case ["forget"]:
            ctx.user.partner_name = None
            ctx.user.awaiting = None
            return CallbackResult(ctx.t("saved"), edit=partner_reply(ctx))
    return expired(ctx)


def typed_name(ctx: Ctx, text: str) -> list[Reply] | None:
    """The partner's first name, when the bot asked for it (else ``None``)."""
    if ctx.user.awaiting != AWAIT_NAME:
        return None
    name = clean_argument(text, NAME_LIMIT).strip()
    ctx.user.awaiting = None
    if not name or name.startswith("/"):
        return [partner_reply(ctx)]
    ctx.user.partner_name = name
    return [partner_reply(ctx, ctx.t("partner-name-saved", name=name))]
