"""Fault injection: how the fake server misbehaves when a test asks it to.

Queued failures (``fail_next``: the next calls of a method, optionally to one chat, answer an
error such as 429 with ``retry_after``, 403 or 5xx), seeded random faults (``set_faults``: 429,
500/502 and slow answers), a delay on every answer (``delay``), a flood limit on ``send*``
calls (``set_rate_limit``) and users who blocked the bot (403 on every send or edit to them).
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from fake_bot_api import wire
from fake_bot_api.wire import DEFAULT_DESCRIPTIONS, ApiError, ChatKey, Json


@dataclass
class _Failure:
    method: str
    status: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: ChatKey | None


@dataclass
class _RandomFaults:
    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_slow: float = 0.0
    slow_seconds: float = 0.0
    retry_after: int = 1
    methods: frozenset[str] = frozenset()
    rng: random.Random = field(default_factory=random.Random)


class Faults:
    """The faults to inject; thread-safe, checked on every call before its method runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: list[_Failure] = []
        self._random = _RandomFaults()
        self._delay = 0.0
        self._rate_limit: float | None = None
        self._send_times: deque[float] = deque()
        self._blocked: set[ChatKey] = set()

    # ---- setting them -----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: ChatKey | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (optionally to one chat) with an error."""
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")
        failure = _Failure(
            method=method.lower(),
            status=status,
            description=description,
            retry_after=retry_after,
            remaining=count,
            chat_id=None if chat_id is None else wire.chat_key(chat_id),
        )
        with self._lock:
            self._failures.append(failure)

    def set_faults(
        self,
        rate_429: float = 0.0,
        rate_5xx: float = 0.0,
        rate_slow: float = 0.0,
        slow_seconds: float = 0.0,
        retry_after: int = 1,
        seed: int = 0,
        methods: Iterable[str] = ("sendMessage",),
    ) -> None:
        """Random, seeded faults for ``methods``; ``set_faults()`` turns them off."""
        faults = _RandomFaults(
            rate_429=rate_429,
            rate_5xx=rate_5xx,
            rate_slow=rate_slow,
            slow_seconds=slow_seconds,
            retry_after=retry_after,
            methods=frozenset(m.lower() for m in methods),
            rng=random.Random(seed),
        )
        with self._lock:
            self._random = faults

    def delay(self, seconds: float) -> None:
        """Delay every answer by ``seconds`` (0 turns it off)."""
        with self._lock:
            self._delay = max(0.0, seconds)

    def set_rate_limit(self, per_second: float | None) -> None:
        """Answer 429 (retry_after 1) beyond ``per_second`` send* calls per sliding second."""
        with self._lock:
            self._rate_limit = per_second
            self._send_times.clear()

    def block(self, chat_id: ChatKey, blocked: bool = True) -> None:
        """Sends and edits to ``chat_id`` get 403 (``blocked=False``: not any more)."""
        with self._lock:
            if blocked:
                self._blocked.add(chat_id)
            else:
                self._blocked.discard(chat_id)

    # ---- applying them ----------------------------------------------------------------------

    def before_answer(self, method: str, params: Json) -> None:
        """Delay, queued failures and random faults (sleeps happen outside the lock)."""
        with self._lock:
            delay = self._delay
        if delay > 0:
            time.sleep(delay)
        slow = 0.0
        chat = wire.optional_chat(params)
        with self._lock:
            failure = self._take_failure(method, chat)
            if failure is not None:
                raise failure
            faults = self._random
            if method.lower() in faults.methods:
                slow_roll, fault_roll = faults.rng.random(), faults.rng.random()
                if slow_roll < faults.rate_slow:
                    slow = faults.slow_seconds
                if fault_roll < faults.rate_429:
                    raise ApiError.too_many_requests(faults.retry_after)
                if fault_roll < faults.rate_429 + faults.rate_5xx:
                    status = faults.rng.choice((500, 502))
                    raise ApiError(status, DEFAULT_DESCRIPTIONS[status])
        if slow > 0:
            time.sleep(slow)

    def check_limits(self, method: str, params: Json) -> None:
        """The flood limit on send* calls, then 403 for a chat that blocked the bot."""
        with self._lock:
            if self._rate_limit is not None and method.startswith("send"):
                now = time.monotonic()
                while self._send_times and now - self._send_times[0] >= 1.0:
                    self._send_times.popleft()
                if len(self._send_times) >= self._rate_limit:
                    raise ApiError.too_many_requests(1)
                self._send_times.append(now)
            writes = method.startswith(("send", "edit"))
            chat = params.get("chat_id")
            if writes and chat and wire.chat_key(chat) in self._blocked:
                raise ApiError(403, wire.BLOCKED)

    def _take_failure(self, method: str, chat: ChatKey | None) -> ApiError | None:
        for failure in self._failures:
            if failure.method != method.lower():
                continue
            if failure.chat_id is not None and failure.chat_id != chat:
                continue
            failure.remaining -= 1
            if failure.remaining <= 0:
                self._failures.remove(failure)
            return ApiError(failure.status, failure.description, retry_after=failure.retry_after)
        return None
