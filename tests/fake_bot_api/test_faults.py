"""Fault injection: queued failures, random faults, the flood limit, blocked users."""

from __future__ import annotations

import datetime as dtm

import pytest
from telegram import Bot
from telegram.error import Forbidden, RetryAfter

from fake_bot_api import FakeTelegramServer
from tests.fake_bot_api.client import raw_call
from tests.fake_bot_api.conftest import USER


def seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_retry_after(bot: Bot, srv: FakeTelegramServer) -> None:
    srv.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "one")
    assert seconds(caught.value.retry_after) == 7
    await bot.send_message(USER, "two")
    assert [c.failed_status for c in srv.calls("sendMessage")] == [429, None]
    assert [c.text for c in srv.delivered()] == ["two"]
    assert srv.calls("sendMessage")[0].description == "Too Many Requests: retry after 7"


async def test_blocked_user_is_forbidden(bot: Bot, srv: FakeTelegramServer) -> None:
    srv.bot_blocked_by(USER)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(USER, "hello?")
    (update,) = await bot.get_updates(timeout=0)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    assert update.my_chat_member.old_chat_member.status == "member"
    srv.bot_unblocked_by(USER)
    assert (await bot.send_message(USER, "welcome back")).text == "welcome back"


def test_random_faults_rate_limit_and_failures_per_chat(srv: FakeTelegramServer) -> None:
    send = f"{srv.api_url}/sendMessage"
    srv.set_faults(rate_429=0.5, rate_5xx=0.3, seed=3)
    statuses = [raw_call(f"{send}?chat_id=5&text=x")[0] for _ in range(20)]
    assert {429, 200} <= set(statuses) and set(statuses) <= {200, 429, 500, 502}
    srv.set_faults()
    srv.set_rate_limit(3)
    statuses = [raw_call(f"{send}?chat_id=5&text=x")[0] for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    srv.set_rate_limit(None)
    srv.fail_next("sendMessage", status=502, chat_id=6)
    assert raw_call(f"{send}?chat_id=5&text=x")[0] == 200
    assert raw_call(f"{send}?chat_id=6&text=x") == (
        502,
        {"ok": False, "error_code": 502, "description": "Bad Gateway"},
    )
