"""The real bot, ``python -m bot run``, as a subprocess against a fake server.

The end-to-end tests and the benchmarks both start it through :class:`BotProcess`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from fake_bot_api.server import FakeTelegramServer

#: The repository the bot runs from (this package sits next to ``bot/``).
ROOT = Path(__file__).resolve().parent.parent

#: Inherited variables that would point the bot elsewhere or change how it sends.
_DROPPED_PREFIXES = ("TELEGRAM_", "DATABASE_", "DEFAULT_", "WEBHOOK_", "NUDGE_")
_PROXIES = ("http_proxy", "https_proxy", "all_proxy")


class BotProcess:
    """``python -m bot <args>`` started and stopped like an operator would, against ``server``.

    ``extra_env`` (also changeable before :meth:`start`) overrides the environment, ``args``
    the command line (``["run", "--webhook"]``), and :meth:`start` waits until the fake has
    answered a ``ready_method`` call (polling: ``deleteWebhook`` comes right before it starts;
    a webhook: ``setWebhook``). The bot's output goes to ``log``.
    """

    def __init__(
        self,
        server: FakeTelegramServer,
        db_url: str,
        log: Path,
        *,
        extra_env: Mapping[str, str] | None = None,
        args: Sequence[str] = ("run",),
        ready_method: str = "deleteWebhook",
        log_level: str = "INFO",
    ) -> None:
        self.server = server
        self.db_url = db_url
        self.log = log
        self.extra_env: dict[str, str] = dict(extra_env or {})
        self.args = list(args)
        self.ready_method = ready_method
        self.log_level = log_level
        self.process: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0
        self.ready_at = 0.0

    def env(self) -> dict[str, str]:
        """The bot's environment: against the fake server, no proxies, ticks every second."""
        base = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(_DROPPED_PREFIXES) and k.lower() not in _PROXIES
        }
        return {
            **base,
            "NO_PROXY": "127.0.0.1,localhost",
            "TELEGRAM_BOT_TOKEN": self.server.token,
            "TELEGRAM_API_BASE_URL": self.server.base_url,
            "DATABASE_URL": self.db_url,
            "TICK_SECONDS": "1",
            "LOG_LEVEL": self.log_level,
            **self.extra_env,
        }

    def start(self, timeout: float = 60.0) -> float:
        """Start it and wait until it is ready; the seconds from start to ready.

        The fake records a call when it answers it, so a long poll shows up late; polling
        starts right after deleteWebhook, and updates queued meanwhile are not lost. The time
        of readiness (``ready_at``) is when the ready call arrived.
        """
        since = self.server.call_count()
        with self.log.open("ab") as log:
            self.started_at = time.monotonic()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args],
                cwd=ROOT,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            call = self.server.wait_for(
                lambda c: c.method == self.ready_method, timeout, since=since
            )
        except TimeoutError:
            self.stop()
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the bot did not start:\n{tail}") from None
        self.ready_at = call.at
        return call.at - self.started_at

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def rss_mb(self) -> float:
        return proc_status_mb(self.pid, "VmRSS")

    def hwm_mb(self) -> float:
        return proc_status_mb(self.pid, "VmHWM")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Send ``sig`` (SIGTERM: a clean stop) and wait; killed after 15 s."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def kill(self) -> None:
        """SIGKILL: no chance to clean up."""
        self.stop(signal.SIGKILL)


def proc_status_mb(pid: int, key: str = "VmRSS") -> float:
    """A ``/proc/<pid>/status`` memory figure in MiB (kB in the file)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise KeyError(key)
