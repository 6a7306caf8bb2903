"""The Telegram adapter under Telegram's faults, end to end: the real ``python -m bot run``.

Replies within Telegram's flood limit (none dropped), the token in no line of output
whatever fails at start-up, and a second process polling with the same token refusing
to start.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.adapters.telegram.polling import START_WINDOW
from fake_bot_api import BotProcess, Call, FakeTelegramServer
from fake_bot_api.process import ROOT
from tests.e2e.conftest import User, wait_until

FIRST_USER = 5_000_000


def test_every_one_of_200_people_sending_help_at_once_is_answered_within_30_a_second(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    server.wait_for(lambda c: c.method == "setMyCommands", 15)
    server.set_rate_limit(30)  # Telegram's flood limit: a 429 beyond 30 sends a second
    people = range(FIRST_USER, FIRST_USER + 200)
    since = server.call_count()
    started = time.monotonic()
    for user_id in people:
        server.user_sends(user_id, "/help")

    def sends() -> list[Call]:
        return [c for c in server.calls("sendMessage") if c.index >= since]

    def answered() -> set[int]:
        return {c.chat_id for c in sends() if c.ok and isinstance(c.chat_id, int)}

    assert wait_until(lambda: len(answered()) == len(people), 25), (
        f"{len(people) - len(answered())} of {len(people)} never answered"
    )
    took = time.monotonic() - started
    sent = sends()
    refused = sum(1 for c in sent if c.failed_status == 429)
    assert all("/checkin" in (c.text or "") for c in sent if c.ok)
    assert len([c for c in sent if c.ok]) == len(people)  # each once: no reply twice
    assert took >= (len(people) - 30) / 30 * 0.9  # the limit was kept, not got around
    # Spaced 1/30 s apart, almost none should meet a 429; on a loaded machine the event
    # loop lets a few out together. Each of those waited and went again (above).
    assert refused <= len(people) // 4, f"{refused} sends met a 429: the limiter kept none"
    assert server.internal_errors() == []


# --- the token is in no line of output -----------------------------------------------------

REAL_SHAPED = "7712345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawX"
SHORT = "123456:TESTTOKEN"  # accepted by the settings, yet shaped like no real token


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_bot(
    token: str, base_url: str, tmp_path: Path, level: str
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "WEBHOOK_", "NUDGE_"))
        and k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
    }
    env.update(
        NO_PROXY="127.0.0.1,localhost",
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=base_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        LOG_LEVEL=level,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("token", [REAL_SHAPED, SHORT])
@pytest.mark.parametrize(
    ("fault", "says", "status"),
    [
        ("closed port", "cannot reach the Bot API at http://127.0.0.1:", 1),
        ("404: a wrong API URL", "rejected the bot token (Not Found)", 2),
        ("401: another bot's server", "rejected the bot token (Unauthorized)", 2),
    ],
)
@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_a_failed_start_names_what_failed_in_one_line_and_never_the_token(
    token: str, fault: str, says: str, status: int, level: str, tmp_path: Path
) -> None:
    with FakeTelegramServer(token="999:SOMEBODY-ELSES-TOKEN") as other:
        base_url = {
            "closed port": f"http://127.0.0.1:{closed_port()}",
            "404: a wrong API URL": f"{other.base_url}/wrong/path",
            "401: another bot's server": other.base_url,
        }[fault]
        result = run_bot(token, base_url, tmp_path, level)
    output = result.stdout + result.stderr
    secret = token.split(":", 1)[1]
    assert token not in output and secret not in output, output
    assert result.returncode == status, output
    lines = [line for line in result.stderr.splitlines() if line.startswith("coachbot: ")]
    assert len(lines) == 1 and says in lines[0], output
    assert "Traceback" not in output
    if level == "INFO":
        assert result.stderr.strip().splitlines() == lines  # nothing else at all


# --- one poller per token --------------------------------------------------------------------


@pytest.mark.slow
def test_a_second_poller_on_the_same_token_refuses_to_start_and_the_first_goes_on(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    first = make_bot()
    first.start()
    time.sleep(max(0.0, first.ready_at + START_WINDOW + 0.5 - time.monotonic()))
    second = make_bot()
    second.start()
    process = second.process
    assert process is not None
    assert process.wait(timeout=20) == 2
    said = [
        line
        for line in second.log.read_text().splitlines()
        if line.startswith("coachbot: ") or "Conflict" in line
    ]
    assert len(said) == 1 and said[0].startswith(
        "coachbot: another process is polling with this token; stopping"
    ), said
    assert "Traceback" not in second.log.read_text()
    assert first.alive()
    ana = User(server, 77, agreed=False)
    assert "/checkin" in ana.reply_to("/help")  # the first still answers
    conflicts = [line for line in first.log.read_text().splitlines() if "Conflict" in line]
    assert len(conflicts) <= 1 and all("still polling" in line for line in conflicts), conflicts
