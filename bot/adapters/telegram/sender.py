"""Nudge delivery through the Telegram Bot API, with Telegram's errors translated."""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.adapters.telegram.render import send_reply
from bot.domain.replies import Reply
from scheduler import delivery


class TelegramSender:
    """Sends nudges; the scheduler's rate limiter, not PTB's, sets the pace.

    ``bot`` is a plain ``Bot`` without PTB's rate limiter (``build_application`` makes
    one on the Application's HTTP layer): the replies' limiter would otherwise queue
    nudges and replies together, and a broadcast would keep people waiting for answers.
    A 429 comes back to the scheduler as :class:`scheduler.delivery.RetryAfter`, and the
    scheduler waits and tries again.
    """

    def __init__(self, bot: Bot, *, paid: bool = False) -> None:
        self.bot = bot
        self.paid = paid

    async def send(self, chat_id: int, reply: Reply) -> None:
        try:
            await send_reply(self.bot, chat_id, reply, paid=self.paid)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise delivery.RetryAfter(seconds) from exc
        except Forbidden as exc:
            raise delivery.Unreachable(exc.message) from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower() or "deactivated" in exc.message.lower():
                raise delivery.Unreachable(exc.message) from exc
            raise delivery.Transient(exc.message) from exc
        except (TimedOut, NetworkError) as exc:
            raise delivery.Transient(exc.__class__.__name__) from exc
