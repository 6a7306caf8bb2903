"""The real process while its PostgreSQL hangs: a user hears an apology within
seconds instead of silence, the stall is logged once, and SIGTERM still ends the
process within 10 seconds (its threads stuck in calls that never return)."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest

from bot.i18n import default_catalogue
from fake_bot_api import BotProcess, FakeTelegramServer
from tests.e2e.conftest import User
from tests.features.test_store_faults import frozen
from tests.pg import TempPostgres

STILL_WORKING = default_catalogue().locale("en").t("still-working")


@pytest.mark.slow
def test_with_postgresql_hung_users_hear_an_apology_and_sigterm_still_ends_it(
    server: FakeTelegramServer, postgres: TempPostgres, tmp_path: Path
) -> None:
    log = tmp_path / "bot.log"
    bot = BotProcess(server, postgres.create_database(), log)
    bot.start()
    try:
        ana = User(server)
        assert "/checkin" in ana.reply_to("/help")
        with frozen(postgres):
            since = ana.send("/help")
            ana.wait_reply(since, STILL_WORKING, timeout=9)  # ANSWER_WITHIN, and the way there
            process = bot.process
            assert process is not None
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                raise AssertionError("SIGTERM did not end the process") from None
            assert time.monotonic() - started < 10
    finally:
        bot.stop()
    said = log.read_text(errors="replace")
    assert said.count("store not answering") == 1, said[-3000:]
    assert "the stop took longer than 8 s: exiting now" in said
