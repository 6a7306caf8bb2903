"""Replies within Telegram's flood limits: queued, and retried after a 429, never dropped.

Telegram allows a bot about 30 messages a second overall, about one a second in one
chat (short bursts pass) and 20 a minute in a group; beyond that it answers 429 with
``retry_after``. Without a limiter, 600 people sending /help at once meant hundreds of
429s, and each reply that met one was lost.

Replies go through :class:`ReplyLimiter`, PTB's own ``AIORateLimiter`` plus a limit per
private chat: every call that names a ``chat_id`` (sends, edits) waits for its turn, and a
429 holds every reply for the ``retry_after`` Telegram names, then the call is made again.
Calls without a chat (answering a button, the command menus) are not counted, as Telegram
does not count them; ``getUpdates`` never goes through a limiter.

Nudges do not come here: the scheduler paces them with its own limiter
(``NUDGE_RATE_PER_SECOND``, 25 by default, which leaves Telegram's remaining few a second
for replies) and sends them through a bot without this limiter (see
``bot.app.build_application``), so that a broadcast never queues a reply behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

#: Messages a second to all chats together (Telegram: "about 30").
OVERALL_PER_SECOND = 30
#: Messages a minute to one group (Telegram: 20).
GROUP_PER_MINUTE = 20
#: One private chat: this many messages go at once, then about one a second (Telegram:
#: "avoid more than one a second; short bursts are allowed"). Someone tapping through
#: onboarding and their settings is never slowed; only a chat kept busy for long is,
#: before Telegram would answer 429 and hold every chat's replies.
CHAT_BURST = 20
#: How often a call that met a 429 is made again before the reply is given up (and the
#: error handler apologises). Each retry waits Telegram's ``retry_after`` first.
MAX_RETRIES = 10
#: Per-chat limiters kept before idle ones (their whole burst available) are dropped.
_KEEP_CHATS = 1024


class ReplyLimiter(AIORateLimiter):
    """``AIORateLimiter`` (overall and per group, retries after a 429) with a limit per
    private chat, so that one busy chat meets no 429: with AIORateLimiter a 429 holds
    every chat's replies, not only that chat's.

    The overall limit lets one message go every 1/30 s rather than 30 at once and 30 more
    in the same second: a bucket of one, so that no one-second window holds more than
    about 30 and Telegram has no reason to answer 429.
    """

    __slots__ = ("_chat_burst", "_chats", "_prune_at")

    def __init__(
        self, *, overall_per_second: float = OVERALL_PER_SECOND, chat_burst: int = CHAT_BURST
    ) -> None:
        super().__init__(
            overall_max_rate=1,
            overall_time_period=1 / overall_per_second,
            group_max_rate=GROUP_PER_MINUTE,
            group_time_period=60,
            max_retries=MAX_RETRIES,
        )
        self._chat_burst = chat_burst
        self._chats: dict[int, AsyncLimiter] = {}
        self._prune_at = _KEEP_CHATS

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        if len(self._chats) > self._prune_at:  # forget chats whose burst is whole again
            for key, limiter in list(self._chats.items()):
                if key != chat_id and limiter.has_capacity(limiter.max_rate):
                    del self._chats[key]
            # Many chats still busy: look again only once there are twice as many, so
            # that a burst from thousands of chats costs no scan per message.
            self._prune_at = max(_KEEP_CHATS, 2 * len(self._chats))
        if chat_id not in self._chats:
            burst = self._chat_burst  # a bucket of ``burst``, refilled one a second
            self._chats[chat_id] = AsyncLimiter(burst, burst)
        return self._chats[chat_id]

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """The chat's own turn first (private chats: positive ids), then PTB's limits."""
        chat_id = data.get("chat_id")
        if isinstance(chat_id, int) and chat_id > 0:
            async with self._chat_limiter(chat_id):
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )
