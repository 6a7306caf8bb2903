"""The real bot process, driven as a user would, through the fake Bot API server."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from fake_bot_api import BotProcess, FakeTelegramServer
from tests.e2e.conftest import User, bot_clock_before_a_minute, bot_minute, utc_now


def test_a_new_user_goes_through_every_command(server: FakeTelegramServer, bot: BotProcess) -> None:
    server.wait_for(lambda c: c.method == "setMyCommands", 15)  # set while updates are taken
    assert [c["command"] for c in server.commands()][:3] == ["tip", "nudges", "timezone"]
    ana = User(server, agreed=False)
    since = ana.send("/start")
    welcome = ana.wait_reply(since, "/privacy")
    assert [label for label, _ in welcome.buttons()] == ["Sounds good"]
    zone_step = ana.press_and_wait(welcome, "ob:ok", contains="1/4")
    time_step = ana.wait_reply(ana.send("são paulo"), "2/4")  # a typed city
    assert "America/Sao_Paulo" in (time_step.text or "")
    at_0730 = next(d for label, d in time_step.buttons() if label == "07:30")
    chosen = ana.press_and_wait(time_step, at_0730, contains="Daily tip on, at 07:30")
    they = next(d for label, d in chosen.buttons() if label.removeprefix("• ").startswith("they"))
    last = ana.press_and_wait(chosen, they, contains="4/4")
    ana.press_and_wait(last, "ob:r:no", contains="All set")
    assert zone_step is not None

    tip = ana.ask("/tip", "Today's tip")
    another = ana.press(int(tip.result["message_id"]), "tip:more")
    second = ana.wait_reply(another, "Today's tip")
    assert second.text != tip.text
    boundaries = ana.reply_to("/tip boundaries")
    assert "Today's tip" in boundaries and "Set kind, clear boundaries" in boundaries
    assert "I don't know the topic" in ana.reply_to("/tip nonsense")
    assert "Daily tip on, at 08:30" in ana.reply_to("/nudges 8:30")
    assert "Time zone: Berlin (Europe/Berlin)" in ana.reply_to("/timezone Europe/Berlin")
    settings = ana.ask("/settings", "Your settings")
    assert "08:30" in (settings.text or "") and "Europe/Berlin" in (settings.text or "")
    zones = ana.press_and_wait(settings, "st:zone", contains="Your time zone is")
    tokyo = next(d for label, d in zones.buttons() if label == "Tokyo")
    ana.press_and_wait(zones, tokyo, contains="Time zone: Tokyo (Asia/Tokyo)")
    assert "/checkin" in ana.reply_to("/help")
    assert "I don't know /bogus" in ana.reply_to("/bogus")
    kind = ana.ask("my partner ignored me today", "/help")
    assert [d for _, d in kind.buttons()] == ["go:tip", "go:checkin", "go:safety"]
    assert "Berlin (Europe/Berlin)" in ana.reply_to("/timezone berlin")
    assert "Moscow (Europe/Moscow)" in ana.reply_to("/timezone москва")
    assert "abbreviation, not a place" in ana.reply_to("/timezone EST")
    assert "Daily tip on, at 20:00" in ana.reply_to("/nudges 8pm")
    assert "I won't message you again" in ana.reply_to("/stop")
    assert server.internal_errors() == []


@pytest.mark.slow
def test_a_nudge_arrives_at_its_minute_exactly_once_even_across_a_restart(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    offset = bot_clock_before_a_minute(20)
    first = make_bot()
    first.extra_env["CLOCK_OFFSET_SECONDS"] = str(offset)
    first.start()
    minute = bot_minute(offset)
    ana = User(server)
    ana.ask(f"/nudges {minute:%H:%M}", f"Daily tip on, at {minute:%H:%M}")

    def nudges() -> list[str]:
        return [
            c.text or ""
            for c in server.delivered("sendMessage", 42)
            if "Your daily tip" in (c.text or "")
        ]

    nudge = server.wait_for(
        lambda c: c.method == "sendMessage" and "Your daily tip" in (c.text or ""), 120
    )
    arrived = utc_now() + timedelta(seconds=offset)
    assert minute <= arrived < minute + timedelta(seconds=30)
    assert [label for label, _ in nudge.buttons()] == [
        "Another tip",
        "Later (in 1 hour)",
        "Stop daily tips",
    ]
    time.sleep(3)  # three more ticks
    first.stop()
    second = make_bot()
    second.extra_env["CLOCK_OFFSET_SECONDS"] = str(offset)
    second.start()
    time.sleep(3)
    assert len(nudges()) == 1


def test_killed_in_the_middle_of_a_checkin_the_user_can_finish_it(
    server: FakeTelegramServer, make_bot: Callable[[], BotProcess]
) -> None:
    first = make_bot()
    first.start()
    ana = User(server)
    message = ana.ask("/checkin", "Check-in · 1/10")
    message_id = int(message.result["message_id"])
    for step in range(1, 4):
        data = next(d for _, d in message.buttons() if d.endswith(":4"))
        message = ana.press_and_wait(message, data, contains=f"Check-in · {step + 1}/10")
    first.kill()  # SIGKILL: no chance to clean up
    second = make_bot()
    second.start()
    for step in range(4, 11):
        value = ":4" if step == 10 else ":2"  # "mostly" safe and respected
        data = next(d for _, d in message.buttons() if d.endswith(value))
        contains = "Check-in saved" if step == 10 else f"Check-in · {step + 1}/10"
        message = ana.press_and_wait(message, data, contains=contains)
    assert int(message.params["message_id"]) == message_id  # the same message all along
    # Balance answers 4, 4, 4, 2, 2: +60, +60, +60, -60, -60 -> +12, about even.
    assert "Give and take: <b>+12</b>, about even" in (message.text or "")
    history = ana.ask("/history", "Your last check-ins")
    assert (history.text or "").count("give and take +12") == 1
