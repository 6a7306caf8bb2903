"""The neutral core every adapter calls: one entry point per kind of update.

An adapter turns what its platform sends into an :class:`~bot.features.base.Identity`
and one of these calls, then shows what comes back. Everything that is the same on
every platform happens here, so a second adapter does not write it again: the
per-user flood limit, the group rules (another bot's command, chatter), whether a
feature's transaction runs inline or in a thread, and the platform's capabilities
(:class:`~bot.domain.platform.Capabilities`), given by the adapter and passed on to
every update as ``ctx.platform``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any, TypeVar

from bot.domain.flood import FloodGuard, Verdict
from bot.domain.platform import Capabilities
from bot.domain.replies import CallbackResult, Reply
from bot.features import dispatch
from bot.features.base import Identity, Services
from bot.i18n import Locale

# Commands that draw a chart, build a file or count the whole store run in a thread,
# so that other users' replies (and the nudges) don't wait for them. /start is here
# because a deep link may open any private command.
SLOW_COMMANDS = frozenset({"trend", "export", "stats", "start"})
FLOOD_WINDOW = 60.0

T = TypeVar("T")


@lru_cache(maxsize=1)
def _zone_finder() -> Any:
    from timezonefinder import TimezoneFinder

    return TimezoneFinder()


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at a point (offline, with timezonefinder)."""
    try:
        return _zone_finder().timezone_at(lng=longitude, lat=latitude)  # type: ignore[no-any-return]
    except ValueError:
        return None


class Core:
    """The bot, as every platform sees it. One per process: the flood limit counts
    per process."""

    def __init__(
        self,
        services: Services,
        platform: Capabilities,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = services
        self.platform = platform  # an adapter may refine it once it knows more (getMe)
        self.flood = FloodGuard(services.settings.user_commands_per_minute, FLOOD_WINDOW)
        self._clock = clock

    # --- entry points ---------------------------------------------------------------

    async def command(
        self, who: Identity, name: str, args: str, *, addressed: bool = False
    ) -> list[Reply]:
        """``/name args``; ``addressed``: to this bot by name (``/tip@CoachBot``). In a
        group, a command neither known nor addressed to us is another bot's: ignored."""
        slowed = self._slowed(who)
        if slowed is not None:
            return slowed
        if not who.private and not addressed and dispatch.find_command(name.lower()) is None:
            return []
        run = partial(
            dispatch.handle_command, self.services, who, name, args, platform=self.platform
        )
        return await self._in_store(run, slow=name.lower() in SLOW_COMMANDS)

    async def not_for_us(self, who: Identity) -> list[Reply]:
        """A message meant for another bot (``/tip@OtherBot``): counted, not answered."""
        return self._slowed(who) or []

    async def text(self, who: Identity, text: str | None = None) -> list[Reply]:
        """Free text (``None``: a sticker, a photo and the like): in a private chat the
        answer to a step that waits for it, else a kind word with buttons, never
        silence; in a group nothing (the chatter is not for the bot)."""
        slowed = self._slowed(who)
        if slowed is not None:
            return slowed
        if not who.private:
            return []
        return await self._in_store(
            partial(dispatch.handle_text, self.services, who, text, platform=self.platform)
        )

    async def location(self, who: Identity, latitude: float, longitude: float) -> list[Reply]:
        """A shared location sets the time zone; only the zone name is kept."""
        slowed = self._slowed(who)
        if slowed is not None:
            return slowed
        name = await asyncio.to_thread(zone_at, latitude, longitude)
        return await self._in_store(
            partial(dispatch.handle_zone_name, self.services, who, name, platform=self.platform)
        )

    async def button(self, who: Identity, data: str) -> CallbackResult:
        """A button press: what to say in answer, what to edit, what to send."""
        if self._admit(who) is not Verdict.ALLOW:
            return CallbackResult(notice=self._slow_down(who).text)
        return await self._in_store(
            partial(dispatch.handle_button, self.services, who, data, platform=self.platform)
        )

    async def locale(self, who: Identity) -> Locale:
        """The texts this person reads (an adapter's own words, like a greeting)."""
        return await self._in_store(partial(dispatch.locale_of, self.services, who))

    async def blocked(self, who: Identity, reason: str) -> None:
        """The user blocked the bot (or left its chat): no more messages, and why."""
        await self._in_store(partial(dispatch.handle_blocked, self.services, who, reason))

    # --- the rules every platform shares --------------------------------------------

    def _admit(self, who: Identity) -> Verdict:
        return self.flood.check(who.user_id, self._clock())

    def _slowed(self, who: Identity) -> list[Reply] | None:
        """``None`` when the user is within USER_COMMANDS_PER_MINUTE; otherwise what to
        say: once "slow down", then nothing until the minute frees up."""
        verdict = self._admit(who)
        if verdict is Verdict.ALLOW:
            return None
        return [self._slow_down(who)] if verdict is Verdict.WARN else []

    def _slow_down(self, who: Identity) -> Reply:
        return Reply(self.services.locale(who.language).t("slow-down"))

    async def _in_store(self, work: Callable[[], T], *, slow: bool = False) -> T:
        """Run ``work`` (a feature's transaction). On SQLite, a few quick queries run
        inline: a thread hop would cost about as much as they do. On a database server
        each statement is a network round trip, so the work goes to a thread and the
        event loop (other users, the nudges) never waits for it; slow work always does."""
        if slow or not self.services.local_store:
            return await asyncio.to_thread(work)
        return work()
