"""The bot keeps its word, end to end: the real bot process and the fake Bot API server."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from fake_bot_api import BotProcess, Call, FakeTelegramServer
from tests.e2e.conftest import User, bot_clock_before_a_minute, bot_minute

SNOOZED = "Your tip, an hour later as asked"


def _daily_tip(server: FakeTelegramServer, user_id: int) -> Call:
    def matches(call: Call) -> bool:
        return (
            call.method == "sendMessage"
            and call.ok
            and call.chat_id == user_id
            and "Your daily tip" in (call.text or "")
        )

    return server.wait_for(matches, 120)


def _snooze(server: FakeTelegramServer, user: User, nudge: Call) -> None:
    later = next(d for _, d in nudge.buttons() if d.startswith("nd:later:"))
    since = user.press(int(nudge.result["message_id"]), later)
    server.wait_for(
        lambda c: (
            c.method == "answerCallbackQuery" and "send it again" in str(c.params.get("text", ""))
        ),
        15,
        since=since,
    )


@pytest.mark.slow
def test_after_later_and_stop_nothing_arrives_past_the_snooze(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    """Two users get the daily tip and press "Later"; one then sends /stop. The bot
    comes back with its clock past the snooze: only the other one gets the tip again."""
    offset = bot_clock_before_a_minute(20)
    first = make_bot()
    first.extra_env["CLOCK_OFFSET_SECONDS"] = str(offset)
    first.start()
    minute = bot_minute(offset)
    ana, ben = User(server, 42), User(server, 43)
    for user in (ana, ben):
        user.ask(f"/nudges {minute:%H:%M}", f"Daily tip on, at {minute:%H:%M}")
    tips = [_daily_tip(server, user.user_id) for user in (ana, ben)]
    time.sleep(0.5)  # as a person would: the sends are marked sent within 50 ms
    for user, tip in zip((ana, ben), tips, strict=True):
        _snooze(server, user, tip)
    stopped = ana.ask("/stop", "I won't message you again")
    first.stop()

    # The same store, the clock an hour and two minutes on: past both snoozes.
    second = make_bot()
    second.extra_env["CLOCK_OFFSET_SECONDS"] = str(offset + 62 * 60)
    since = server.call_count()
    second.start()
    again = ben.wait_reply(since, SNOOZED, timeout=30)
    time.sleep(3)  # three more ticks after the one that sent Ben's
    after_stop = [c for c in server.delivered("sendMessage", 42) if c.index > stopped.index]
    assert after_stop == [], [c.summary() for c in after_stop]
    assert again.chat_id == 43
    assert server.internal_errors() == []


def test_a_time_from_an_older_onboarding_step_leaves_the_newer_time(
    server: FakeTelegramServer, bot: BotProcess
) -> None:
    """Onboarding's "09:00" pressed after /nudges 20:15: 20:15 stays, the press is told
    it came from an older message, which now shows the settings."""
    ana = User(server, agreed=False)
    offer = ana.join()  # the zone step, on the welcome message
    offer = ana.press_and_wait(offer, "ob:z", contains="2/4")
    assert "Daily tip on, at 20:15" in ana.reply_to("/nudges 20:15")
    yes = next(d for label, d in offer.buttons() if label == "09:00")
    since = ana.press(int(offer.result["message_id"]), yes)
    answer = server.wait_for(lambda c: c.method == "answerCallbackQuery" and c.ok, 15, since=since)
    assert "older message" in str(answer.params.get("text", ""))
    edited = ana.wait_reply(since, "Your settings", method="editMessageText")
    assert int(edited.params["message_id"]) == int(offer.result["message_id"])
    assert "on</b> at <b>20:15" in (edited.text or "")
    settings = ana.ask("/settings", "Your settings")
    assert "on</b> at <b>20:15" in (settings.text or "")
    assert server.internal_errors() == []
