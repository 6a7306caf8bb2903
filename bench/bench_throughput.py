"""Throughput: /tip and check-in answers per second through PTB's Application.

In process, as tests/telegram/conftest.py drives it: ``build_application(services,
RecordingRequest())`` on a migrated SQLite store, ``async with app:``, then
``await app.process_update(Update.de_json(raw, app.bot))`` in a loop, one update
after another, over many distinct users. Next to it, in the same run, PTB's bare
ceiling: an Application with a single CommandHandler that only replies
(``await update.message.reply_text("hi")``) through the same RecordingRequest,
and, for buttons, a single CallbackQueryHandler that answers and edits.

* /tip from new users (each one's first message creates their row) and from
  returning users, in rounds: each round times a block of updates through the
  bare Application and through ours (new users, then the same users again), the
  order alternating between rounds. This machine's speed swings by tens of
  percent from one second to the next, so each round's share is taken within the
  round, and the median over the rounds is reported;
* check-in answers: /checkin for many users, then the answer buttons
  (``ci:<checkin>:<question>:<1-5>``, read from the recorded replies), question
  by question, until every check-in is done.

No throughput target: the figures are information (the /tip target is latency, in
``bench_responsiveness.py``). The one check is that every check-in completes through
its buttons.

    .venv/bin/python bench/bench_throughput.py [--quick] [--tips N] [--rounds N]
        [--checkins N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from statistics import median
from typing import Any

import _common as common
from _common import TOKEN, line
from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.app import build_application, build_services
from bot.config import load_settings
from bot.features.base import Services
from bot.store.models import Checkin, CheckinStatus
from tests.fakes.recording import RecordingRequest

FIRST_ID = 2_000_000
_ids = count(1)

Raw = dict[str, Any]


def message_update(user_id: int, text: str) -> Raw:
    message: Raw = {
        "message_id": next(_ids),
        "date": int(datetime.now(UTC).timestamp()),
        "chat": {"id": user_id, "type": "private", "first_name": "Ana"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "en"},
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split(" ", 1)[0].encode("utf-16-le")) // 2
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": next(_ids), "message": message}


def button_update(user_id: int, message_id: int, data: str) -> Raw:
    message = {
        "message_id": message_id,
        "date": int(datetime.now(UTC).timestamp()),
        "chat": {"id": user_id, "type": "private", "first_name": "Ana"},
        "from": {"id": 123456, "is_bot": True, "first_name": "Coach", "username": "CoachTestBot"},
        "text": "Check-in",
    }
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": str(next(_ids)),
            "from": {"id": user_id, "is_bot": False, "first_name": "Ana", "language_code": "en"},
            "chat_instance": "ci",
            "message": message,
            "data": data,
        },
    }


async def rate_of(app: Application[Any, Any, Any, Any, Any, Any], raws: Iterator[Raw]) -> float:
    """Updates per second: ``de_json`` and ``process_update``, one after another."""
    processed = 0
    started = time.perf_counter()
    for raw in raws:
        await app.process_update(Update.de_json(raw, app.bot))
        processed += 1
    return processed / (time.perf_counter() - started)


def markup_of(call: Any) -> Raw:
    markup = call.params.get("reply_markup") or {}
    return json.loads(markup) if isinstance(markup, str) else dict(markup)


def callback_datas(call: Any) -> list[str]:
    return [
        str(button.get("callback_data"))
        for row in markup_of(call).get("inline_keyboard", [])
        for button in row
        if button.get("callback_data")
    ]


# --- PTB's bare ceiling -------------------------------------------------------------------


async def _reply_hi(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    await update.message.reply_text("hi")


async def _answer_and_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Saved")
    await query.edit_message_text("hi")


def bare_application() -> Application[Any, Any, Any, Any, Any, Any]:
    request = RecordingRequest()
    app = Application.builder().token(TOKEN).request(request).get_updates_request(request).build()
    app.add_handler(CommandHandler("tip", _reply_hi))
    app.add_handler(CallbackQueryHandler(_answer_and_edit))
    return app


# --- /tip, ours against bare, interleaved ---------------------------------------------------


async def tip_rounds(services: Services, tips: int, rounds: int) -> dict[str, list[float]]:
    """``rounds`` rounds of ``tips // rounds`` updates each: the bare ceiling, our /tip
    from new users, then from the same users again (returning); ours first in every
    other round. Comparing within a round keeps the machine's drift out of the ratio."""
    per_round = max(50, tips // rounds)
    bare, ours = bare_application(), build_application(services, RecordingRequest())
    rates: dict[str, list[float]] = {"bare": [], "tip_new": [], "tip_returning": []}
    async with bare, ours:
        # warm-up: caches, compiled statements, first rows
        await rate_of(bare, (message_update(FIRST_ID + i, "/tip") for i in range(200)))
        await rate_of(ours, (message_update(FIRST_ID - 1 - i, "/tip") for i in range(200)))
        first = FIRST_ID

        async def timed(app: Application[Any, Any, Any, Any, Any, Any], users: range) -> float:
            return await rate_of(app, (message_update(u, "/tip") for u in users))

        for index in range(rounds):
            users = range(first, first + per_round)
            if index % 2:  # every other round, ours first
                new, returning = await timed(ours, users), await timed(ours, users)
                rates["bare"].append(await timed(bare, users))
            else:
                rates["bare"].append(await timed(bare, users))
                new, returning = await timed(ours, users), await timed(ours, users)
            rates["tip_new"].append(new)
            rates["tip_returning"].append(returning)
            first += per_round
    return rates


def shares(rates: dict[str, list[float]], key: str) -> list[float]:
    return [ours / bare for ours, bare in zip(rates[key], rates["bare"], strict=True)]


# --- check-ins --------------------------------------------------------------------------


async def bare_button_rate(presses: int) -> float:
    async with bare_application() as app:
        return await rate_of(
            app, (button_update(FIRST_ID + i, 7, f"ci:1:0:{i % 5 + 1}") for i in range(presses))
        )


async def checkin_rates(services: Services, checkins: int, seed: int = 7) -> dict[str, float]:
    request = RecordingRequest()
    app = build_application(services, request)
    questions = len(services.content.questions)
    rng = random.Random(seed)
    figures: dict[str, float] = {}
    async with app:
        # check-ins: open them (timed apart), then answer question by question
        users = [FIRST_ID + 5_000_000 + i for i in range(checkins)]
        start = len(request.calls)
        figures["checkin_start"] = await rate_of(
            app, (message_update(u, "/checkin") for u in users)
        )
        opened: dict[int, int] = {}  # user -> check-in id, from the first question's buttons
        for call in request.calls[start:]:
            datas = [d for d in callback_datas(call) if d.count(":") == 3]
            if call.method == "sendMessage" and datas:
                opened[int(call.params["chat_id"])] = int(datas[0].split(":")[1])
        assert len(opened) == len(users), f"{len(opened)} check-ins opened of {len(users)}"
        presses: list[tuple[int, str]] = []

        def rounds() -> Iterator[Raw]:
            for question in range(questions):
                for user in users:
                    data = f"ci:{opened[user]}:{question}:{rng.randint(3, 5)}"
                    presses.append((user, data))
                    yield button_update(user, 7, data)

        figures["answers"] = await rate_of(app, rounds())
        figures["answer_count"] = len(presses)
        # every press was of a button the user had been shown, and every check-in is done
        shown: dict[int, set[str]] = {}
        for call in request.calls[start:]:
            if call.method in ("sendMessage", "editMessageText") and "chat_id" in call.params:
                shown.setdefault(int(call.params["chat_id"]), set()).update(callback_datas(call))
        unseen = sum(1 for user, data in presses if data not in shown.get(user, set()))
        figures["unseen_buttons"] = unseen
    with services.session_factory() as session:
        done = session.scalar(
            select(func.count(Checkin.id)).where(
                Checkin.status == CheckinStatus.DONE, Checkin.id.in_(list(opened.values()))
            )
        )
    figures["checkins_done"] = float(done or 0)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 /tip, 100 check-ins")
    parser.add_argument("--tips", type=int, help="/tip updates per series (default 3000)")
    parser.add_argument("--rounds", type=int, help="rounds the series are split into (default 20)")
    parser.add_argument("--checkins", type=int, help="check-ins to answer (default 500)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args()
    tips = args.tips or (500 if args.quick else 3000)
    rounds = args.rounds or (5 if args.quick else 20)
    checkins = args.checkins or (100 if args.quick else 500)

    tmp = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
    line(f"machine: {common.machine()}; temp dir {tmp}")
    try:
        db = tmp / "store.sqlite3"
        common.new_store(db).dispose()
        settings = load_settings(database_url=common.sqlite_url(db), telegram_bot_token=TOKEN)
        services = build_services(settings)
        questions = len(services.content.questions)
        rates = asyncio.run(tip_rounds(services, tips, rounds))
        new, returning = shares(rates, "tip_new"), shares(rates, "tip_returning")
        for index, (bare_rate, s_new, s_ret) in enumerate(
            zip(rates["bare"], new, returning, strict=True), start=1
        ):
            line(
                f"  round {index:2}: bare {bare_rate:5.0f}/s  /tip new "
                f"{rates['tip_new'][index - 1]:5.0f}/s ({s_new:.0%})  returning "
                f"{rates['tip_returning'][index - 1]:5.0f}/s ({s_ret:.0%})"
            )
        share, share_returning = median(new), median(returning)
        bare = median(rates["bare"])
        line(
            f"PTB bare ceiling: median {bare:.0f} /tip per second over {rounds} rounds "
            f"({min(rates['bare']):.0f}-{max(rates['bare']):.0f}/s)"
        )
        line(
            f"our /tip, as a share of the bare ceiling in the same round: new users median "
            f"{share:.0%} ({min(new):.0%}-{max(new):.0%}), returning users median "
            f"{share_returning:.0%} ({min(returning):.0%}-{max(returning):.0%})"
        )
        bare_button = asyncio.run(bare_button_rate(checkins * questions))
        ours = asyncio.run(checkin_rates(services, checkins))
        line(
            f"our check-ins: /checkin {ours['checkin_start']:.0f}/s; "
            f"{int(ours['answer_count'])} answers at {ours['answers']:.0f}/s "
            f"({ours['answers'] / bare_button:.0%} of the bare button, answer + edit, "
            f"{bare_button:.0f}/s); {int(ours['checkins_done'])}/{checkins} check-ins done, "
            f"{int(ours['unseen_buttons'])} presses of a button not shown"
        )
        checks = {  # the shares above are information, not a target
            "every check-in completed through its buttons": ours["checkins_done"] == checkins
            and ours["unseen_buttons"] == 0,
        }
        ok = common.report(checks)
        line(
            f"SUMMARY throughput: bare={bare:.0f}/s tip_new={median(rates['tip_new']):.0f}/s "
            f"({share:.0%}) tip_returning={median(rates['tip_returning']):.0f}/s "
            f"({share_returning:.0%}) rounds={rounds} checkin_answers={ours['answers']:.0f}/s "
            f"bare_button={bare_button:.0f}/s {'PASS' if ok else 'FAIL'}"
        )
        services.engine.dispose()
        return 1 if args.strict and not ok else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
