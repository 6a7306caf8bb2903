"""/start, /help and the answers to anything the bot does not understand."""

from __future__ import annotations

from bot.domain.replies import Reply
from bot.domain.text import short
from bot.features.base import Command, Ctx, h
from bot.features.schedule import welcome_offer


def start_command(ctx: Ctx, args: str) -> list[Reply]:
    """/start [payload]: welcome, what is stored, and the daily tip offer."""
    # A deep-link payload is accepted and ignored: it never changes what is stored.
    welcome = Reply(h(ctx.content.message("welcome")))
    if ctx.user.nudges_enabled:
        return [welcome, Reply("Your daily tip is on. /settings shows when; /tip gives one now.")]
    return [welcome, welcome_offer(ctx)]


def help_text(commands: list[Command], *, admin: bool) -> str:
    lines = ["<b>What I can do</b>"]
    for command in commands:
        if command.in_menu and (admin or not command.admin_only):
            lines.append(f"/{command.name} — {h(command.description)}")
    lines.append("\nButtons under my messages work too.")
    return "\n".join(lines)


def unknown_command(name: str) -> Reply:
    return Reply(f"I don't know /{h(short(name, 32))}. Send /help to see what I can do.")


def free_text() -> Reply:
    return Reply("I work with commands and buttons. Try /tip for today's idea, or /help.")
