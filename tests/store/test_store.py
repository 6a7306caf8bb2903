"""The store on migrated SQLite and PostgreSQL databases."""

from __future__ import annotations

import inspect
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, event, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store import (
    accounts,
    checkins,
    deliveries,
    flood,
    instances,
    pairings,
    privacy,
    stats,
    tips,
    updates,
)
from bot.store.db import (
    MIGRATIONS,
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    make_session_factory,
    migrate,
)
from bot.store.deliveries import DeliveryKind, DeliveryStatus
from bot.store.models import Base, Checkin, CheckinStatus, NudgeDelivery, TipSource, User

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
# Every module of repository functions, one per aggregate (and the operator's counts).
REPOSITORIES = (
    accounts,
    checkins,
    tips,
    deliveries,
    privacy,
    stats,
    pairings,
    instances,
    updates,
    flood,
)


@pytest.fixture
def engine(any_db_url: str) -> Engine:
    engine = make_engine(any_db_url)
    migrate(engine)
    return engine


def test_migrations_build_exactly_the_models_and_go_down_and_up(engine: Engine) -> None:
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    command.downgrade(alembic_config(engine), "base")
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/wal.sqlite3")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def _user(session: Session, platform_id: int, platform: str = "telegram") -> int:
    return accounts.add_user(
        session=session,
        platform=platform,
        platform_user_id=platform_id,
        chat_id=platform_id,
        language="en",
        timezone="UTC",
        nudge_time="09:00",
        now=NOW,
    ).id


def test_a_user_is_known_by_platform_and_platform_id(engine: Engine) -> None:
    """The same number on two platforms is two people; on one platform, one."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        on_telegram = _user(session, 7)
        on_console = _user(session, 7, platform="console")
        assert on_telegram != on_console
        found = accounts.find_user(session=session, platform="console", platform_user_id=7)
        assert found is not None and found.id == on_console
        assert accounts.find_user(session=session, platform="other", platform_user_id=7) is None
        new = session.get(User, on_telegram)
        assert new is not None
        assert (new.nudges_enabled, new.reminder_enabled, new.settings_version) == (False, False, 0)
    with factory.begin() as session, pytest.raises(IntegrityError):
        _user(session, 7, platform="console")


def test_a_second_delivery_for_one_local_day_cannot_be_recorded(engine: Engine) -> None:
    factory = make_session_factory(engine)
    day = date(2026, 11, 24)

    def add(user_id: int, kind: DeliveryKind = DeliveryKind.NUDGE) -> int:
        new = [deliveries.NewDelivery(user_id, kind, day, NOW)]
        return deliveries.add_deliveries(session=session, deliveries=new, now=NOW)

    with factory.begin() as session:
        user_id = _user(session, 1)
        assert add(user_id) == 1
        assert add(user_id) == 0
        # A weekly reminder is another kind: it may fall on the same day.
        assert add(user_id, DeliveryKind.REMINDER) == 1
        # In one batch, only the rows that are new count (and are stored).
        others = [_user(session, platform_id) for platform_id in (2, 3, 4)]
        nudge = DeliveryKind.NUDGE
        batch = [deliveries.NewDelivery(u, nudge, day, NOW) for u in [user_id, *others]]
        assert deliveries.add_deliveries(session=session, deliveries=batch, now=NOW) == 3
        stored = session.scalars(
            select(NudgeDelivery.user_id).where(NudgeDelivery.kind == DeliveryKind.NUDGE)
        )
        assert sorted(stored) == sorted([user_id, *others])
    with factory.begin() as session, pytest.raises(IntegrityError):
        session.add(
            NudgeDelivery(
                user_id=user_id,
                kind=DeliveryKind.NUDGE,
                local_date=day,
                due_at=NOW,
                status=DeliveryStatus.SENT,
                attempts=1,
                next_attempt_at=NOW,
            )
        )
        session.flush()


# --- repository functions never commit -----------------------------------------------


def _public_functions(module: ModuleType) -> dict[str, Callable[..., Any]]:
    return {
        f"{module.__name__.rsplit('.', 1)[-1]}.{name}": function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and function.__module__ == module.__name__
    }


def _every_repository_call(session: Session) -> Iterator[tuple[str, Callable[[], object]]]:
    """Each public repository function, called once on rows it can act on: the name it
    is known by, and the call. Built step by step, as the calls depend on each other."""
    user_id = _user(session, 1)
    yield "accounts.add_user", lambda: _user(session, 2)
    user = session.get(User, user_id)
    assert user is not None
    yield (
        "accounts.find_user",
        lambda: accounts.find_user(session=session, platform="telegram", platform_user_id=1),
    )
    yield (
        "accounts.update_user",
        lambda: accounts.update_user(session=session, user=user, chat_id=11, unblock=True),
    )

    done = checkins.start_checkin(session=session, user_id=user_id, now=NOW, format=2)
    yield "checkins.start_checkin", lambda: done
    yield (
        "checkins.save_answer",
        lambda: checkins.save_answer(
            session=session, checkin_id=done.id, question_id="q1", value=3, now=NOW
        ),
    )
    done.status, done.finished_at = CheckinStatus.DONE, NOW
    draft = checkins.start_checkin(
        session=session, user_id=user_id, now=NOW, format=2, revises=done
    )
    yield "checkins.open_checkin", lambda: checkins.open_checkin(session=session, user_id=user_id)
    yield (
        "checkins.get_checkin",
        lambda: checkins.get_checkin(session=session, checkin_id=done.id, user_id=user_id),
    )
    yield (
        "checkins.answers_of",
        lambda: checkins.answers_of(session=session, checkin_id=draft.id),
    )
    yield (
        "checkins.replace_answers",
        lambda: checkins.replace_answers(session=session, draft=draft, target=done),
    )
    left = checkins.start_checkin(session=session, user_id=user_id, now=NOW, format=2)
    yield (
        "checkins.discard_checkin",
        lambda: checkins.discard_checkin(session=session, checkin=left),
    )
    yield (
        "checkins.finished_checkins",
        lambda: checkins.finished_checkins(session=session, user_id=user_id, limit=5),
    )

    yield (
        "tips.record_tip_shown",
        lambda: tips.record_tip_shown(
            session=session, user_id=user_id, tip_id="t1", source=TipSource.COMMAND, now=NOW
        ),
    )
    yield "tips.tip_history", lambda: tips.tip_history(session=session, user_id=user_id)
    yield "tips.tip_histories", lambda: tips.tip_histories(session=session, user_ids=[user_id])
    yield (
        "tips.fold_tip_history",
        lambda: tips.fold_tip_history(session=session, user_ids=[user_id]),
    )

    user.nudges_enabled, user.next_nudge_at = True, NOW
    kind, day = DeliveryKind.NUDGE, NOW.date()
    yield (
        "deliveries.due_query",
        lambda: deliveries.due_query(session=session, now=NOW, limit=5, kind=kind),
    )
    yield (
        "deliveries.due_slots",
        lambda: deliveries.due_slots(session=session, now=NOW, limit=5, kind=kind),
    )
    yield (
        "deliveries.add_deliveries",
        lambda: deliveries.add_deliveries(
            session=session, deliveries=[deliveries.NewDelivery(user_id, kind, day, NOW)], now=NOW
        ),
    )
    yield (
        "deliveries.set_next_instants",
        lambda: deliveries.set_next_instants(
            session=session, kind=kind, upcoming=[deliveries.NextInstant(user_id, None)]
        ),
    )
    claimed: list[deliveries.Claimed] = []
    yield (
        "deliveries.claim",
        lambda: claimed.extend(
            deliveries.claim(session=session, now=NOW, lease=timedelta(minutes=5), limit=5)
        ),
    )
    assert len(claimed) == 1, "the call above claims the delivery added before it"
    # what routing and wording the nudge need: the user's platform, chat and language
    assert (claimed[0].platform, claimed[0].chat_id, claimed[0].language) == ("telegram", 11, "en")
    delivery_id = claimed[0].delivery_id
    yield (
        "deliveries.mark_sent",
        lambda: deliveries.mark_sent(
            session=session, sent=[deliveries.Sent(delivery_id, user_id, "t2", False)], now=NOW
        ),
    )
    yield (
        "deliveries.mark_unsent",
        lambda: deliveries.mark_unsent(
            session=session,
            unsent=[deliveries.Unsent(delivery_id, DeliveryStatus.PENDING, "502", NOW)],
        ),
    )
    yield (
        "deliveries.still_claimed",
        lambda: deliveries.still_claimed(session=session, claims={delivery_id: 1}, now=NOW),
    )
    yield (
        "deliveries.far_instants",
        lambda: deliveries.far_instants(session=session, kind=kind, beyond=NOW, limit=5),
    )
    yield (
        "deliveries.release",
        lambda: deliveries.release(session=session, delivery_ids=[delivery_id], now=NOW),
    )
    yield (
        "deliveries.withdraw",
        lambda: deliveries.withdraw(
            session=session, user_id=user_id, kinds=[kind], reason="stopped"
        ),
    )
    yield (
        "deliveries.delivery_for",
        lambda: deliveries.delivery_for(session=session, delivery_id=delivery_id, user_id=user_id),
    )
    yield (
        "deliveries.daily_tip_days",
        lambda: deliveries.daily_tip_days(session=session, user_id=user_id, since=day),
    )
    yield (
        "deliveries.prune",
        lambda: deliveries.prune(session=session, before=day + timedelta(days=1), limit=10),
    )

    yield (
        "deliveries.queue",
        lambda: deliveries.queue(
            session=session,
            user_id=user_id,
            kind=DeliveryKind.UNPAIRED,
            local_date=day,
            due_at=NOW,
            ref=7,
        ),
    )

    partner_id = _user(session, 3)
    code = "c" * 64
    invitation = pairings.invite(
        session=session,
        inviter_id=user_id,
        code_hash=code,
        first_name="A",
        now=NOW,
        expires_at=NOW + timedelta(days=1),
    )
    yield "pairings.invite", lambda: invitation
    yield (
        "pairings.find_invitation",
        lambda: pairings.find_invitation(session=session, code_hash=code, now=NOW),
    )
    yield (
        "pairings.accept",
        lambda: pairings.accept(
            session=session,
            pairing=invitation,
            code_hash=code,
            partner_id=partner_id,
            first_name="B",
            now=NOW,
        ),
    )
    yield (
        "pairings.pairing_of",
        lambda: pairings.pairing_of(session=session, user_id=partner_id, lock=True),
    )
    mirror = pairings.add_mirror(
        session=session,
        pairing_id=invitation.id,
        reader_id=user_id,
        week=day,
        reader_checkin_id=done.id,
        partner_checkin_id=done.id,
        areas="initiative:each-gives",
        answers_shown=False,
        now=NOW,
    )
    yield "pairings.add_mirror", lambda: mirror
    yield (
        "pairings.mirror_of",
        lambda: pairings.mirror_of(
            session=session, pairing_id=invitation.id, reader_id=user_id, week=day
        ),
    )
    yield (
        "pairings.latest_mirror",
        lambda: pairings.latest_mirror(
            session=session, pairing_id=invitation.id, reader_id=user_id
        ),
    )
    yield (
        "pairings.mirrors_of_pairing",
        lambda: pairings.mirrors_of_pairing(session=session, pairing_id=invitation.id),
    )
    yield (
        "pairings.mirrored_checkins",
        lambda: pairings.mirrored_checkins(session=session, reader_id=user_id),
    )
    yield (
        "pairings.prune_invitations",
        lambda: pairings.prune_invitations(session=session, now=NOW + timedelta(days=2)),
    )
    yield "privacy.export_user", lambda: privacy.export_user(session=session, user=user)
    yield "pairings.end", lambda: pairings.end(session=session, pairing=invitation)

    yield (
        "flood.hit",
        lambda: flood.hit(
            session=session,
            platform="telegram",
            user_id=1,
            now=NOW,
            limit=5,
            window=timedelta(minutes=1),
        ),
    )
    yield "flood.prune", lambda: flood.prune(session=session, before=NOW)
    yield (
        "instances.beat",
        lambda: instances.beat(
            session=session, instance_id="one", now=NOW, sees=1, holds="0,2", left=True
        ),
    )
    yield (
        "instances.live",
        lambda: instances.live(
            session=session,
            since=NOW - timedelta(seconds=5),
            left_since=NOW - timedelta(seconds=3),
        ),
    )
    yield (
        "updates.limit_statement_time",
        lambda: updates.limit_statement_time(session=session, seconds=2),
    )
    yield "updates.first_time", lambda: updates.first_time(session=session, update_id=9, now=NOW)
    yield (
        "updates.prune",
        lambda: updates.prune(session=session, before=NOW + timedelta(days=1)),
    )

    yield (
        "accounts.join",
        lambda: accounts.join(
            session=session,
            user=User(
                platform="telegram",
                platform_user_id=990,
                chat_id=990,
                timezone="UTC",
                nudge_time="09:00",
            ),
            language="es",
            now=NOW,
        ),
    )
    yield (
        "accounts.mark_unreachable",
        lambda: accounts.mark_unreachable(session=session, user=user, reason="blocked", now=NOW),
    )
    yield (
        "stats.operator_stats",
        lambda: stats.operator_stats(session=session, day_start=NOW, week_start=NOW),
    )
    yield "privacy.delete_user", lambda: privacy.delete_user(session=session, user_id=user_id)


@contextmanager
def _commits_recorded(engine: Engine) -> Iterator[list[str]]:
    """Every COMMIT on the engine's connections while the block runs (the session's
    ``commit``, a connection's, or a nested transaction's)."""
    commits: list[str] = []

    def on_commit(connection: Connection) -> None:
        commits.append("commit")

    event.listen(engine, "commit", on_commit)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", on_commit)


def test_repository_functions_never_commit(engine: Engine) -> None:
    """Every public function of every repository module, called in one transaction that
    is then rolled back: none commits, so nothing of it is left."""
    functions = {n: f for module in REPOSITORIES for n, f in _public_functions(module).items()}
    for name, function in functions.items():  # and every one takes the session by keyword
        parameters = inspect.signature(function).parameters.values()
        assert "session" in inspect.signature(function).parameters, name
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), name
    expected = set(functions)
    called: list[str] = []
    factory = make_session_factory(engine)
    with _commits_recorded(engine) as commits, factory() as session:
        for name, call in _every_repository_call(session):
            call()
            called.append(name)
            assert commits == [], f"{name} committed"
        session.rollback()
    assert set(called) == expected, "every repository function must be called here"
    with factory() as session:
        assert session.scalar(select(func.count(User.id))) == 0


def test_concurrent_claims_never_hand_out_the_same_delivery(engine: Engine) -> None:
    factory = make_session_factory(engine)
    with factory.begin() as session:
        for n in range(60):
            user_id = _user(session, 100 + n)
            new = [deliveries.NewDelivery(user_id, DeliveryKind.NUDGE, date(2026, 11, 24), NOW)]
            deliveries.add_deliveries(session=session, deliveries=new, now=NOW)
        # Every fifth user has turned the daily tip off since it was planned: not handed out.
        session.execute(update(User).values(nudges_enabled=User.platform_user_id % 5 != 0))
    claimed: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        while True:
            with factory.begin() as session:
                batch = deliveries.claim(
                    session=session, now=NOW, lease=timedelta(minutes=5), limit=7
                )
                ids = [d.delivery_id for d in batch]
            if not ids:
                return
            with lock:
                claimed.extend(ids)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 48
    with factory() as session:
        statuses = session.execute(select(NudgeDelivery.status, NudgeDelivery.error)).all()
    assert sorted(set(statuses)) == [
        (DeliveryStatus.SENDING, None),
        (DeliveryStatus.SKIPPED, "daily tip off"),
    ]
    assert sum(1 for status, _ in statuses if status == DeliveryStatus.SKIPPED) == 12


# --- migrations --------------------------------------------------------------------------


def test_the_fast_start_up_check_agrees_with_alembic(engine: Engine) -> None:
    assert current_revision(engine) == head_revision()
    command.downgrade(alembic_config(engine), "0002")
    assert current_revision(engine) == "0002"
    migrate(engine)  # not at head: the real upgrade runs
    assert current_revision(engine) == head_revision()


def test_a_migration_written_by_the_projects_template_is_found(tmp_path: Path, db_url: str) -> None:
    """The template writes ``revision = '0099'`` (``repr``: single quotes); the head is
    whatever Alembic reads, however the file spells it."""
    location = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, location, ignore=shutil.ignore_patterns("__pycache__"))
    script = command.revision(
        alembic_config(script_location=location), message="next", rev_id="0099"
    )
    assert script is not None and not isinstance(script, list)
    assert "revision = '0099'" in Path(script.path).read_text()
    assert head_revision(location) == "0099"

    engine = make_engine(db_url)
    migrate(engine, script_location=location)
    assert current_revision(engine) == "0099"
    migrate(engine, script_location=location)  # at head: recognised, nothing runs
    assert current_revision(engine) == "0099"


def _rows(connection: Connection) -> dict[str, list[dict[str, object]]]:
    """Every row of every table of the models, as the database holds it now."""
    tables = MetaData()
    tables.reflect(bind=connection, only=lambda name, _: name in Base.metadata.tables)
    return {
        name: [
            dict(row._mapping)
            for row in connection.execute(table.select().order_by(*table.primary_key.columns))
        ]
        for name, table in tables.tables.items()
    }


def test_every_users_data_survives_the_platform_migration(any_db_url: str) -> None:
    """0006 copies the users table on SQLite (batch mode). With foreign keys on, dropping
    the old copy would cascade into every table that refers to users; ``env.py`` turns
    them off meanwhile. Every check-in, answer, tip shown and delivery is still there,
    unchanged, and every user is a Telegram user."""
    engine = make_engine(any_db_url)
    migrate(engine, "0005")
    at = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
    with engine.begin() as connection:
        tables = MetaData()
        tables.reflect(bind=connection)
        t = tables.tables
        for user_id in (1, 2):
            connection.execute(
                t["users"].insert(),
                {
                    "id": user_id,
                    "platform_user_id": 40 + user_id,
                    "chat_id": 40 + user_id,
                    "language": "en",
                    "timezone": "Europe/Berlin",
                    "nudge_time": "08:30",
                    "nudges_enabled": True,
                    "next_nudge_at": at,
                    "created_at": at,
                    "reminder_enabled": user_id == 1,
                    "reminder_weekday": 6,
                    "reminder_time": "18:00",
                    "safety_flag": False,
                    "settings_version": 3,
                },
            )
        checkin = {
            "position": 10,
            "started_at": at,
            "finished_at": at,
            "balance": -20,
            "weakest_area": "initiative",
            "weakest_strategy": "reciprocity",
            "reassess": False,
            "partner_carrying": False,
            "safety_shown": False,
            "format": 2,
        }
        connection.execute(
            t["checkins"].insert(),
            [
                {**checkin, "id": 1, "user_id": 1, "status": "done", "revises_id": None},
                {**checkin, "id": 2, "user_id": 1, "status": "open", "revises_id": 1},
                {**checkin, "id": 3, "user_id": 2, "status": "done", "revises_id": None},
            ],
        )
        connection.execute(
            t["checkin_answers"].insert(),
            [
                {"checkin_id": c, "question_id": q, "value": v, "answered_at": at}
                for c in (1, 2, 3)
                for q, v in (("initiative", 2), ("appreciation", None), ("safe", 5))
            ],
        )
        connection.execute(
            t["tips_shown"].insert(),
            [
                {"user_id": u, "tip_id": f"tip-{n}", "shown_at": at, "source": "command"}
                for u in (1, 2)
                for n in range(3)
            ],
        )
        connection.execute(
            t["nudge_deliveries"].insert(),
            [
                {
                    "user_id": u,
                    "kind": kind,
                    "local_date": date(2026, 11, 20),
                    "due_at": at,
                    "status": "sent",
                    "attempts": 1,
                    "next_attempt_at": at,
                    "tip_id": "tip-0",
                    "sent_at": at,
                }
                for u in (1, 2)
                for kind in ("nudge", "reminder")
            ],
        )
    with engine.connect() as connection:
        before = _rows(connection)
    assert {name: len(rows) for name, rows in before.items()} == {
        "users": 2,
        "checkins": 3,
        "checkin_answers": 9,
        "tips_shown": 6,
        "nudge_deliveries": 4,
    }

    migrate(engine)

    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        after = _rows(connection)
    added = ("platform", "partner", "partner_name", "chosen_language", "consented_at", "awaiting")
    for user, was in zip(after["users"], before["users"], strict=True):
        new = {column: user.pop(column) for column in added}
        # 0006: a Telegram user; 0007: "your partner", no language chosen, nothing awaited,
        # and consent from their first contact (when /start said what is stored).
        assert new == {
            "platform": "telegram",
            "partner": "they",
            "partner_name": None,
            "chosen_language": None,
            "consented_at": was["created_at"],
            "awaiting": None,
        }
    # 0008: every delivery so far is a daily tip or a reminder (ref 0); no pairing yet.
    assert [delivery.pop("ref") for delivery in after["nudge_deliveries"]] == [0, 0, 0, 0]
    assert after.pop("pairings") == [] and after.pop("mirrors") == []
    # 0009: nothing seen, counted or running yet.
    for table in ("updates_seen", "flood_windows", "sender_instances"):
        assert after.pop(table) == []
    # 0010: each row one show (too few to fold).
    assert [shown.pop("times") for shown in after["tips_shown"]] == [1] * 6
    assert after == before
    with make_session_factory(engine)() as session:
        found = accounts.find_user(session=session, platform="telegram", platform_user_id=41)
        assert found is not None and found.id == 1


def test_tip_history_is_how_often_each_tip_was_shown_and_the_latest_finished_checkin(
    engine: Engine,
) -> None:
    """What a user's next tip depends on, read for one user (an update) and for many (the
    tick), alike: how many times each tip was shown (this transaction's shows too) and
    the leaning of the check-in finished last."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        user_id = _user(session, 21)
        quiet_id = _user(session, 22)
        for tip_id in ("mystery-1", "needed-2", "mystery-1"):
            tips.record_tip_shown(
                session=session, user_id=user_id, tip_id=tip_id, source=TipSource.COMMAND, now=NOW
            )
        session.add_all(
            [
                Checkin(
                    user_id=user_id,
                    status=CheckinStatus.DONE,
                    started_at=NOW,
                    finished_at=NOW,
                    weakest_strategy="own-life",
                    reassess=False,
                ),
                Checkin(
                    user_id=user_id,
                    status=CheckinStatus.DONE,
                    started_at=NOW,
                    finished_at=NOW + timedelta(days=7),
                    weakest_strategy="boundaries",
                    reassess=True,
                ),
                Checkin(
                    user_id=user_id,
                    status=CheckinStatus.OPEN,
                    started_at=NOW + timedelta(days=8),
                    weakest_strategy="mystery",
                ),
            ]
        )
        history = tips.tip_history(session=session, user_id=user_id)  # not committed yet
        assert history.shown == {"mystery-1": 2, "needed-2": 1}
        assert (history.weakest_strategy, history.reassess) == ("boundaries", True)
    with factory() as session:
        many = tips.tip_histories(session=session, user_ids=[user_id, quiet_id])
        assert many[user_id].history == tips.tip_history(session=session, user_id=user_id)
        assert many[quiet_id].history == tips.TipHistory()
        assert tips.tip_history(session=session, user_id=quiet_id) == tips.TipHistory()
        assert not many[user_id].safety_flag


def test_a_new_sqlite_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """It holds check-in answers: no other account on the machine may read it, nor its
    write-ahead log."""
    path = tmp_path / "var" / "coachbot.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    for file in path.parent.iterdir():
        assert file.stat().st_mode & 0o077 == 0, (file.name, oct(file.stat().st_mode))


def test_heartbeats_say_who_sends_and_who_left_and_are_forgotten_once_stale(
    engine: Engine,
) -> None:
    """Each instance reads the others' last word in id order; a gone instance's row
    (unheard for the stale time) and a leaver's (once its sends left the window) are
    deleted."""
    factory = make_session_factory(engine)
    with factory.begin() as session:
        instances.beat(session=session, instance_id="b", now=NOW, sees=2, holds="0,3")
        instances.beat(
            session=session, instance_id="a", now=NOW - timedelta(seconds=2), sees=1, holds=""
        )
        instances.beat(session=session, instance_id="c", now=NOW, sees=2, holds="1", left=True)
        instances.beat(session=session, instance_id="b", now=NOW, sees=3, holds="0,4")
    with factory.begin() as session:
        rows = instances.live(
            session=session,
            since=NOW - timedelta(seconds=5),
            left_since=NOW - timedelta(seconds=3),
        )
    assert [(r.instance_id, r.sees, r.holds, r.left) for r in rows] == [
        ("a", 1, "", False),
        ("b", 3, "0,4", False),  # the newest beat replaces the one before
        ("c", 2, "1", True),
    ]
    later = NOW + timedelta(seconds=4)
    with factory.begin() as session:
        rows = instances.live(
            session=session,
            since=later - timedelta(seconds=5),
            left_since=later - timedelta(seconds=3),
        )
    assert [r.instance_id for r in rows] == ["b"]  # a unheard for 6 s, c left 4 s ago
