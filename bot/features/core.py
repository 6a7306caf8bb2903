"""The neutral core every adapter calls: one entry point per kind of update.

An adapter turns what its platform sends into an :class:`~bot.features.base.Identity`
and one of these calls, then shows what comes back. Everything that is the same on
every platform happens here, so a second adapter does not write it again: the
per-user flood limit, the group rules (another bot's command, chatter), how a
feature's transaction meets the store, and the platform's capabilities
(:class:`~bot.domain.platform.Capabilities`), given by the adapter and passed on to
every update as ``ctx.platform``.

The store holds under every fault. Each update's store work runs in a thread, on
SQLite as on PostgreSQL, so a locked, slow or hung store never freezes the event loop
(other users, the nudges); work that meets a locked or unreachable store is retried
with backoff for up to RETRY_FOR; its user hears back within ANSWER_WITHIN, with the
answer or a short apology (the work goes on meanwhile, and stands if it succeeds);
and a stall is logged once as it begins and once as it ends
(:class:`~bot.store.db.StallReporter`), never once per attempt.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import lru_cache, partial
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from bot.domain.flood import FloodGuard, Verdict, user_key
from bot.domain.platform import Capabilities
from bot.domain.replies import CallbackResult, Reply
from bot.features import dispatch
from bot.features.base import Identity, Services
from bot.i18n import Locale
from bot.store import flood as stored_flood
from bot.store.db import StallReporter, describe, lock_wait, transient

log = logging.getLogger(__name__)

FLOOD_WINDOW = 60.0
# Seconds a user waits for the store before the apology: a store that does not answer
# (a hung server, a lock held for long) never leaves them in silence. The work goes on
# after that, and what it does stands if it succeeds.
ANSWER_WITHIN = 5.0
# The commands that draw a chart, build a file or count the whole store may take longer
# than that with the store answering well (a first chart loads matplotlib): they get
# this long. A location too (the zone finder loads its map on first use).
SLOW_COMMANDS = frozenset({"trend", "export", "stats"})
SLOW_ANSWER_WITHIN = 30.0
# Seconds a piece of work is retried (locked, busy, connection lost) before it gives
# up: long enough for a backup's or another process's write lock on SQLite to clear.
RETRY_FOR = 60.0
FIRST_RETRY = 0.05  # seconds before the first retry, doubled after each one ...
LONGEST_RETRY = 2.0  # ... up to this
# Pieces of work waiting to retry at once, at most: beyond, a failed attempt is not
# retried (its user hears the apology), so that an outage under heavy traffic does
# not pile up retries against a store that is coming back.
RETRYING_AT_MOST = 100
# Seconds the flood counter waits for SQLite's write lock: then this process counts
# the update in memory instead, and a read (/help) is not held up by another's lock.
FLOOD_LOCK_WAIT = 0.1
# How often (per process) the flood windows that have passed are deleted.
PRUNE_FLOOD_EVERY = timedelta(minutes=10)

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
    """The bot, as every platform sees it. One per process; several processes on one
    store count the flood limit together."""

    def __init__(
        self,
        services: Services,
        platform: Capabilities,
        *,
        clock: Callable[[], float] = time.monotonic,
        answer_within: float = ANSWER_WITHIN,
        slow_answer_within: float = SLOW_ANSWER_WITHIN,
    ) -> None:
        self.services = services
        self.platform = platform  # an adapter may refine it once it knows more (getMe)
        # The limit the store counts (USER_COMMANDS_PER_MINUTE; a test may set another),
        # and this process's own count of it, for when the store cannot count in time
        # and for people not stored (nothing of theirs is kept).
        self.flood = FloodGuard(services.settings.user_commands_per_minute, FLOOD_WINDOW)
        self.stalls = StallReporter(clock=clock)
        self.answer_within = answer_within
        self.slow_answer_within = slow_answer_within
        self._clock = clock
        self._retrying = 0
        self._late: set[asyncio.Future[Any]] = set()  # work whose user got the apology
        self._flood_pruned_at: datetime | None = None

    # --- entry points ---------------------------------------------------------------

    async def command(
        self, who: Identity, name: str, args: str, *, addressed: bool = False
    ) -> list[Reply]:
        """``/name args``; ``addressed``: to this bot by name (``/tip@CoachBot``). In a
        group, a command neither known nor addressed to us is another bot's: ignored."""
        if not who.private and not addressed and dispatch.find_command(name.lower()) is None:
            return await self._replies(who, None)
        run = partial(
            dispatch.handle_command, self.services, who, name, args, platform=self.platform
        )
        # /start trend: a deep link (from a group's "Continue in private") opens it
        slow = name.lower() in SLOW_COMMANDS or (
            name.lower() == "start" and args.strip().lower() in SLOW_COMMANDS
        )
        return await self._replies(who, run, slow=slow)

    async def not_for_us(self, who: Identity) -> list[Reply]:
        """A message meant for another bot (``/tip@OtherBot``): counted, not answered."""
        return await self._replies(who, None)

    async def text(self, who: Identity, text: str | None = None) -> list[Reply]:
        """Free text (``None``: a sticker, a photo and the like): in a private chat the
        answer to a step that waits for it, else a kind word with buttons, never
        silence; in a group nothing (the chatter is not for the bot)."""
        if not who.private:
            return await self._replies(who, None)
        return await self._replies(
            who, partial(dispatch.handle_text, self.services, who, text, platform=self.platform)
        )

    async def location(self, who: Identity, latitude: float, longitude: float) -> list[Reply]:
        """A shared location sets the time zone; only the zone name is kept."""

        def set_zone() -> list[Reply]:
            name = zone_at(latitude, longitude)
            return dispatch.handle_zone_name(self.services, who, name, platform=self.platform)

        return await self._replies(who, set_zone, slow=True)

    async def button(self, who: Identity, data: str) -> CallbackResult:
        """A button press: what to say in answer, what to edit, what to send."""
        return await self._update(
            who,
            partial(dispatch.handle_button, self.services, who, data, platform=self.platform),
            refused=lambda _: CallbackResult(notice=self._slow_down(who).text),
            apology=lambda working: CallbackResult(notice=self._apology(who, working).text),
        )

    async def locale(self, who: Identity) -> Locale:
        """The texts this person reads (an adapter's own words, like a greeting)."""
        return await self._in_store(
            partial(dispatch.locale_of, self.services, who),
            apology=lambda _: self.services.locale(who.language),
        )

    async def blocked(self, who: Identity, reason: str) -> None:
        """The user blocked the bot (or left its chat): no more messages, and why."""
        await self._in_store(
            partial(dispatch.handle_blocked, self.services, who, reason), apology=lambda _: None
        )

    async def settle(self) -> None:
        """Wait until the work whose users already heard the apology has finished or
        given up (tests; a shutdown that wants it done)."""
        while self._late:
            await asyncio.gather(*self._late, return_exceptions=True)

    # --- the rules every platform shares --------------------------------------------

    async def _replies(
        self, who: Identity, work: Callable[[], list[Reply]] | None, *, slow: bool = False
    ) -> list[Reply]:
        """An update answered with messages: counted, then ``work`` (``None``: nothing
        to do, and nothing said even when the store fails: chatter in a group)."""
        return await self._update(
            who,
            work or list,
            refused=lambda verdict: [self._slow_down(who)] if verdict is Verdict.WARN else [],
            apology=(lambda working: [self._apology(who, working)])
            if work is not None
            else (lambda _: []),
            slow=slow,
        )

    async def _update(
        self,
        who: Identity,
        work: Callable[[], T],
        *,
        refused: Callable[[Verdict], T],
        apology: Callable[[bool], T],
        slow: bool = False,
    ) -> T:
        """One update from ``who``: counted against USER_COMMANDS_PER_MINUTE, then
        ``work`` if within it (else ``refused``: once "slow down", then nothing until
        the minute frees up), in one thread hop. A retry runs the work alone: the
        update was counted once."""

        def counted() -> T:
            verdict = self._count(who)
            return work() if verdict is Verdict.ALLOW else refused(verdict)

        return await self._in_store(counted, then=work, apology=apology, slow=slow)

    def _count(self, who: Identity) -> Verdict:
        """Count the update in the store, for every instance alike (one upsert, in a
        short transaction of its own, in the update's thread). This process counts it
        instead for someone not stored, and when the store cannot count it at once
        (locked, away): the limit holds then per process."""
        guard, now = self.flood, self.services.now()
        window = timedelta(seconds=guard.window)
        try:
            with (
                self.services.session_factory.begin() as session,
                lock_wait(session, FLOOD_LOCK_WAIT),
            ):
                verdict = stored_flood.hit(
                    session=session,
                    platform=who.platform,
                    user_id=who.user_id,
                    now=now,
                    limit=guard.limit,
                    window=window,
                )
        except SQLAlchemyError as error:
            if not transient(error):
                raise
            log.debug("flood counted in memory: %s", describe(error))
            verdict = None
        if verdict is None:
            return guard.check(user_key(who.platform, who.user_id), self._clock())
        self._prune_flood(now, window)
        return verdict

    def _prune_flood(self, now: datetime, window: timedelta) -> None:
        """Every PRUNE_FLOOD_EVERY, delete the flood windows that have passed: a
        counter outlives its user's last update by minutes, not for good."""
        last = self._flood_pruned_at
        if last is not None and now - last < PRUNE_FLOOD_EVERY:
            return
        self._flood_pruned_at = now
        try:
            with (
                self.services.session_factory.begin() as session,
                lock_wait(session, FLOOD_LOCK_WAIT),
            ):
                stored_flood.prune(session=session, before=now - window, after=now + window)
        except SQLAlchemyError as error:
            if not transient(error):
                raise
            self._flood_pruned_at = last  # the next update tries again

    def _slow_down(self, who: Identity) -> Reply:
        return Reply(self.services.locale(who.language).t("slow-down"))

    def _apology(self, who: Identity, working: bool) -> Reply:
        """Sorry: the work failed (try again), or is still going on (no need to)."""
        return Reply(
            self.services.locale(who.language).t("still-working" if working else "apology")
        )

    # --- the store ------------------------------------------------------------------

    async def _in_store(
        self,
        work: Callable[[], T],
        *,
        then: Callable[[], T] | None = None,
        apology: Callable[[bool], T],
        slow: bool = False,
    ) -> T:
        """Run ``work`` (a feature's transaction) in a thread, retried while the store
        is locked or away (``then``: what a retry runs instead). Its user waits for it
        ``answer_within`` seconds at most (``slow`` work: ``slow_answer_within``): then
        ``apology(True)`` is the answer (it is still working on it), and the work goes on
        by itself, to success or to giving up (within RETRY_FOR); ``apology(False)``
        when it has given up (try again)."""
        job = _Job(self.stalls)
        attempts = asyncio.ensure_future(self._attempts(work, then or work, job))
        within = self.slow_answer_within if slow else self.answer_within
        try:
            return await asyncio.wait_for(asyncio.shield(attempts), within)
        except TimeoutError:
            if attempts.done():  # it finished as the wait ran out
                return _or_apology(attempts, apology)
            job.trouble(f"no answer within {within:g} s")
            return apology(True)
        except SQLAlchemyError as error:  # given up before the wait ran out
            if not transient(error):
                raise
            return apology(False)
        finally:
            if not attempts.done():  # its user is answered (or gone): it goes on alone
                self._late.add(attempts)
                attempts.add_done_callback(self._finished_late)

    async def _attempts(self, work: Callable[[], T], then: Callable[[], T], job: _Job) -> T:
        """``work`` in a thread, then ``then`` after each transient failure, with
        backoff, until one succeeds, a failure is not transient, RETRY_FOR has passed
        or RETRYING_AT_MOST others wait already."""
        give_up_at = self._clock() + RETRY_FOR
        delay = FIRST_RETRY
        try:
            while True:
                try:
                    result = await asyncio.to_thread(work)
                except SQLAlchemyError as error:
                    if not transient(error):
                        raise
                    job.trouble(describe(error))
                    if self._clock() + delay > give_up_at or self._retrying >= RETRYING_AT_MOST:
                        raise
                else:
                    job.answered = True
                    return result
                work = then
                self._retrying += 1
                try:
                    await asyncio.sleep(delay)
                finally:
                    self._retrying -= 1
                delay = min(delay * 2, LONGEST_RETRY)
        finally:
            job.done()

    def _finished_late(self, attempts: asyncio.Future[Any]) -> None:
        """Work whose user was answered already has ended: a failure that is not the
        store's state (that one the stall reporter tells) is logged, with its class."""
        self._late.discard(attempts)
        error = None if attempts.cancelled() else attempts.exception()
        if error is not None and not transient(error):
            log.error("store work failed after its user was answered: %s", type(error).__name__)


def _or_apology(attempts: asyncio.Future[T], apology: Callable[[bool], T]) -> T:
    error = attempts.exception()
    if error is None:
        return attempts.result()
    if transient(error):
        return apology(False)
    raise error


class _Job:
    """One piece of store work, as the stall reporter counts it: troubled from its
    first failure (or from keeping its user waiting) until it ends."""

    __slots__ = ("answered", "ended", "stalls", "troubled")

    def __init__(self, stalls: StallReporter) -> None:
        self.stalls = stalls
        self.troubled = False
        self.answered = False
        self.ended = False

    def trouble(self, why: str) -> None:
        if not (self.troubled or self.ended):
            self.troubled = True
            self.stalls.trouble(why)

    def done(self) -> None:
        self.ended = True
        self.stalls.done(troubled=self.troubled, answered=self.answered)
