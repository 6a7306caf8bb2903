"""/help, and the answers to anything the bot does not understand."""

from __future__ import annotations

from bot.domain.replies import Button, Reply
from bot.domain.text import short
from bot.features.base import Command, Ctx
from bot.i18n import Locale


def next_steps_buttons(ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
    """A tip, the check-in and where to find support: what someone may want next."""
    return ctx.platform.rows(
        Button(ctx.t("go-tip"), "go:tip"),
        Button(ctx.t("go-checkin"), "go:checkin"),
        Button(ctx.t("go-safety"), "go:safety"),
    )


def help_text(locale: Locale, commands: list[Command], *, admin: bool) -> str:
    lines = [locale.t("help-title")]
    for command in commands:
        if command.in_menu and (admin or not command.admin_only):
            description = command.description(locale)
            lines.append(locale.t("help-line", command=command.name, description=description))
    lines.append("\n" + locale.t("help-buttons"))
    return "\n".join(lines)


def unknown_command(locale: Locale, name: str) -> Reply:
    return Reply(locale.t("unknown-command", name=short(name, 32)))


def free_text(ctx: Ctx) -> Reply:
    """A kind word for whatever was typed (never read further, never kept), and buttons."""
    return Reply(ctx.t("free-text-kind"), next_steps_buttons(ctx))
