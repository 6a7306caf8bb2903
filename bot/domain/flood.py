"""A per-user flood limit: at most ``limit`` actions in any ``window`` seconds."""

from __future__ import annotations

import hashlib
from collections import OrderedDict, deque
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first refused action of a burst: say so once
    DROP = "drop"  # later ones: stay quiet until the window frees up


class FloodGuard:
    """Sliding windows per user; memory is bounded to the ``max_users`` most recent."""

    def __init__(self, limit: int, window: float = 60.0, max_users: int = 50_000) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._events: OrderedDict[int, deque[float]] = OrderedDict()
        self._warned: set[int] = set()

    def check(self, user_id: int, now: float) -> Verdict:
        events = self._events.pop(user_id, None) or deque()
        self._events[user_id] = events  # most recent last
        while events and now - events[0] >= self.window:
            events.popleft()
        if len(self._events) > self.max_users:
            oldest, _ = self._events.popitem(last=False)
            self._warned.discard(oldest)
        if len(events) < self.limit:
            events.append(now)
            self._warned.discard(user_id)
            return Verdict.ALLOW
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN


def user_key(platform: str, user_id: int) -> str:
    """How the store knows a user for the flood limit: a SHA-256 of the platform and
    the platform's user id (counted before anyone agreed to be stored: no id is kept)."""
    return hashlib.sha256(f"{platform}:{user_id}".encode()).hexdigest()
