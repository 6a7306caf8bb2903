"""/start, /help and the answers to anything the bot does not understand."""

from __future__ import annotations

from bot.domain.replies import Reply
from bot.domain.text import short
from bot.features.base import Command, Ctx
from bot.features.schedule import welcome_offer
from bot.i18n import Locale


def start_command(ctx: Ctx, args: str) -> list[Reply]:
    """/start [payload]: welcome, what is stored, and the daily tip offer."""
    # A deep-link payload is accepted and ignored: it never changes what is stored.
    welcome = Reply(ctx.t("welcome"))
    if ctx.user.nudges_enabled:
        return [welcome, Reply(ctx.t("start-daily-on"))]
    return [welcome, welcome_offer(ctx)]


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


def free_text(locale: Locale) -> Reply:
    return Reply(locale.t("free-text"))
