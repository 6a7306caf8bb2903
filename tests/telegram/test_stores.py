"""The same conversations through PTB on both stores. On PostgreSQL the adapter hands
each update's store work to a thread (every statement is a network round trip); on
SQLite it runs inline. Either way the user sees the same bot."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.features.base import Services
from bot.store.models import Checkin, CheckinStatus, TipShown
from tests.telegram.conftest import GIVING_HEAVY, Chat, run_checkin


@pytest.fixture
def db_url(any_db_url: str) -> str:
    return any_db_url


async def test_tips_settings_and_a_checkin_work_on_either_store(
    chat: Chat, services: Services
) -> None:
    assert services.local_store == services.settings.database_url.startswith("sqlite")
    await chat.send("/tip")
    assert "Today's tip" in chat.last_reply()
    await chat.send("/tip boundaries")
    assert "Set kind, clear boundaries" in chat.last_reply()
    await chat.press("tip:more")
    await chat.send("/nudges 08:30")
    assert "Daily tip on, at 08:30" in chat.last_reply()
    await run_checkin(chat, GIVING_HEAVY)
    assert "Check-in saved" in chat.request.last("editMessageText").params["text"]
    with services.session_factory() as session:
        assert session.scalar(select(func.count(TipShown.id))) == 4  # 3 asked, 1 in the summary
        assert session.scalar(select(Checkin.status)) == CheckinStatus.DONE
