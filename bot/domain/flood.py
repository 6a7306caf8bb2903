"""A per-user flood limit: at most ``limit`` actions in a window of ``window`` seconds.

A user's window begins with their first action and holds ``window`` seconds; the
first action past the limit is told to slow down (WARN), later ones are dropped
quietly (DROP) until the window has passed and a new one begins. The store counts it
for every instance alike (:mod:`bot.store.flood`, one upsert that follows the rules
below); :class:`FloodGuard` counts the same way in a process's memory, for when the
store cannot count in time.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Hashable
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first refused action of a burst: say so once
    DROP = "drop"  # later ones: stay quiet until the window frees up


def passed(start: float, now: float, window: float) -> bool:
    """Whether a window that began at ``start`` is over at ``now``: the next action
    begins a new one."""
    return now - start >= window


def next_count(count: int, limit: int) -> int:
    """The actions a window holds after one more, given ``count`` before it. Counted
    up to ``limit + 2`` only (the first refused one, then any later one), so a flood
    never grows the number."""
    return min(count + 1, limit + 2)


def verdict(count: int, limit: int) -> Verdict:
    """The verdict on the action that made its window hold ``count`` actions."""
    if count <= limit:
        return Verdict.ALLOW
    return Verdict.WARN if count == limit + 1 else Verdict.DROP


class FloodGuard:
    """The limit, and a count of it in this process's memory (the store's fallback);
    memory is bounded to the ``max_users`` most recent users."""

    def __init__(self, limit: int, window: float = 60.0, max_users: int = 50_000) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        # each user's window: when it began, and the actions in it (most recent last)
        self._events: OrderedDict[Hashable, tuple[float, int]] = OrderedDict()

    def check(self, user: Hashable, now: float) -> Verdict:
        start, count = self._events.pop(user, (now, 0))
        if passed(start, now, self.window):
            start, count = now, 0
        count = next_count(count, self.limit)
        self._events[user] = (start, count)
        if len(self._events) > self.max_users:
            self._events.popitem(last=False)
        return verdict(count, self.limit)


def user_key(platform: str, user_id: int) -> str:
    """How the store knows a user for the flood limit: a SHA-256 of the platform and
    the platform's user id (counted before anyone agreed to be stored: no id is kept)."""
    return hashlib.sha256(f"{platform}:{user_id}".encode()).hexdigest()
