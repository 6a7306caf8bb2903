"""Start-up as an operator sees it: one clear line and exit status 2 on bad config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ROOT


def run_bot(
    *args: str,
    env: dict[str, str],
    stdin: str = "",
    timeout: float = 60,
    cwd: Path = ROOT,
    python: tuple[str, ...] = ("-m", "bot"),
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "DEFAULT_", "WEBHOOK_"))
    }
    return subprocess.run(
        [sys.executable, *python, *args],
        cwd=cwd,
        env={**base, **env},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "mysql://nope"}, "DATABASE_URL"),
        ({"DATABASE_URL": "::not a url::"}, "DATABASE_URL"),
        ({"DEFAULT_TIMEZONE": "Mars/Base"}, "DEFAULT_TIMEZONE"),
        ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"ADMIN_USER_IDS": "alice"}, "ADMIN_USER_IDS"),
        ({"NUDGE_GRACE_HOURS": "-1"}, "NUDGE_GRACE_HOURS"),
        ({"NUDGE_MAX_IN_FLIGHT": "0"}, "NUDGE_MAX_IN_FLIGHT"),
        ({"WEBHOOK_SECRET": "has spaces!"}, "WEBHOOK_SECRET"),
        ({"TELEGRAM_API_BASE_URL": "http://127.0.0.1:99999"}, "TELEGRAM_API_BASE_URL"),
        ({"CLOCK_OFFSET_SECONDS": "soon"}, "CLOCK_OFFSET_SECONDS"),
        ({"CLOCK_OFFSET_SECONDS": "nan"}, "CLOCK_OFFSET_SECONDS"),
        ({"CLOCK_OFFSET_SECONDS": "inf"}, "CLOCK_OFFSET_SECONDS"),
        ({"CLOCK_OFFSET_SECONDS": "-inf"}, "CLOCK_OFFSET_SECONDS"),
        ({"CLOCK_OFFSET_SECONDS": "1e12"}, "CLOCK_OFFSET_SECONDS"),
    ],
)
def test_an_invalid_setting_stops_with_one_line_naming_it(
    env: dict[str, str], variable: str, tmp_path: Path
) -> None:
    result = run_bot("migrate", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", **env})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_cannot_be_opened_gives_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run_bot("migrate", env={"DATABASE_URL": f"sqlite:///{blocker}/sub/x.db"})
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_missing_content_file_gives_one_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = run_bot(
        "migrate",
        env={
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
            "CONTENT_DIR": str(tmp_path / "content"),
        },
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"coachbot: content error: {tmp_path / 'content' / 'strategies.yaml'}: content file missing"
    ]


def test_without_a_token_run_opens_the_terminal_chat(tmp_path: Path) -> None:
    result = run_bot(
        "run",
        env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "TELEGRAM_BOT_TOKEN": ""},
        stdin="1\n/tip\n1\n/tip boundaries\n/nudges 7:45\n/settings\n3\n/foo\nhello\n",
    )
    assert result.returncode == 0, result.stderr
    assert "To connect Telegram" in result.stderr
    out = result.stdout
    assert out.count("Today's tip") == 3  # /tip, the "Another tip" button, /tip boundaries
    assert "Set kind, clear boundaries" in out
    assert "[1.1] Sounds good" in out and "1/4" in out  # the welcome, agreed to: onboarding
    assert "Daily tip on, at 07:45" in out
    assert "Your time zone is" in out  # button 3 of /settings: change time zone
    assert "I don't know /foo" in out
    assert out.rstrip().endswith("Bye. Your settings are saved.")
    # The same store remembers the chat user across runs.
    again = run_bot("chat", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}, stdin="/settings\n")
    assert "on</b>" not in again.stdout and "Daily tip: on at 07:45" in again.stdout


def test_stats_from_the_command_line(tmp_path: Path) -> None:
    db = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    run_bot("chat", env=db, stdin="1\n/nudges 08:00\n/tip\n")  # "Sounds good" first
    result = run_bot("stats", env=db)
    assert result.returncode == 0, result.stderr
    assert "Users: 1" in result.stdout and "Daily tip on: 1" in result.stdout
    assert "Users who blocked the bot: 0" in result.stdout


def test_env_example_and_readme_list_every_setting() -> None:
    from bot.config import Settings

    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"\n{name.upper()}=" in example, f"{name.upper()} missing from .env.example"
        assert f"`{name.upper()}`" in readme, f"{name.upper()} missing from the README"


def test_a_clock_offset_within_ten_years_is_taken() -> None:
    from bot.config import load_settings

    assert load_settings(clock_offset_seconds="-86400.5").clock_offset_seconds == -86400.5
    assert load_settings(clock_offset_seconds="").clock_offset_seconds == 0.0


def test_relative_paths_mean_the_project_wherever_the_bot_is_started(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    store = tmp_path / "data" / "x.db"
    relative = os.path.relpath(store, ROOT)  # ../../tmp/.../data/x.db, from the project
    result = run_bot(
        "migrate",
        env={"DATABASE_URL": f"sqlite:///{relative}", "CONTENT_DIR": "content"},
        cwd=elsewhere,
    )
    assert result.returncode == 0, result.stderr
    assert store.exists()  # under the project's path, not the current directory's
    assert list(elsewhere.iterdir()) == []  # no ./var, no store here
    assert (store.parent.stat().st_mode & 0o777) == 0o700  # made for its owner only


def test_the_default_store_lives_in_the_projects_var(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import DATA_DIR, Settings

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("CONTENT_DIR", raising=False)
    monkeypatch.chdir("/")
    settings = Settings(_env_file=None)
    assert settings.database_url == f"sqlite:///{ROOT / 'var' / 'coachbot.sqlite3'}"
    assert DATA_DIR == ROOT / "var"
    assert settings.content_dir == ROOT / "content"
    absolute = Settings(_env_file=None, database_url="sqlite:////srv/coach.db")
    assert absolute.database_url == "sqlite:////srv/coach.db"
    assert Settings(_env_file=None, content_dir="/srv/content").content_dir == Path("/srv/content")


def test_the_data_folder_is_its_owners_only(tmp_path: Path) -> None:
    from bot.config import load_settings, prepare_data_dir

    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    var.chmod(0o755)
    prepare_data_dir(load_settings(database_url=f"sqlite:///{var}/x.db"), data_dir=var)
    assert var.stat().st_mode & 0o777 == 0o700  # the project's own var/: tightened
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    chosen.chmod(0o755)
    prepare_data_dir(load_settings(database_url=f"sqlite:///{chosen}/x.db"), data_dir=var)
    assert chosen.stat().st_mode & 0o777 == 0o755  # one the operator made: left alone
    new = tmp_path / "new" / "deeper"
    prepare_data_dir(load_settings(database_url=f"sqlite:///{new}/x.db"), data_dir=var)
    assert new.stat().st_mode & 0o777 == 0o700
    prepare_data_dir(load_settings(database_url="postgresql+psycopg://u@h/db"), data_dir=var)


def test_a_world_readable_env_file_brings_one_warning(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=INFO\n")
    env_file.chmod(0o644)
    patched = (
        "-c",
        "import pathlib, sys; import bot.config as c; c.ENV_FILE = pathlib.Path(sys.argv[1]); "
        "from bot.__main__ import main; sys.exit(main(sys.argv[2:]))",
        str(env_file),
    )
    db = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = run_bot("migrate", env=db, python=patched)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "WARNING" in lines[0] and "chmod 600" in lines[0], lines
    env_file.chmod(0o600)
    result = run_bot("migrate", env=db, python=patched)
    assert result.returncode == 0 and result.stderr == "", result.stderr
