"""Start-up as an operator sees it: one clear line and exit status 2 on bad config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ROOT


def run_bot(
    *args: str, env: dict[str, str], stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "DEFAULT_", "WEBHOOK_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
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
