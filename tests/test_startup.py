"""Start-up: settings, catalogs and the schema."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from storage.db import migration_files
from storage.engines import database_for
from storage.sqlite import SqliteDatabase
from tests.engines import fresh_database

pytestmark = pytest.mark.slow  # a real bot process or browser: left out of the quick set

ROOT = Path(__file__).resolve().parent.parent


def _run_bot(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"BOT_TOKEN", "ADMIN_IDS", "TIMEZONE", "DATABASE_PATH"}}
    clean.update(env)
    clean["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=clean, capture_output=True, text=True, timeout=60
    )


def test_missing_token_stops_with_one_clear_line(tmp_path):
    result = _run_bot({}, tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BOT_TOKEN" in lines[0] and "Traceback" not in result.stderr
    assert "python -m bot --playground" in lines[0]


def test_malformed_settings_stop_with_one_clear_line(tmp_path):
    result = _run_bot({"BOT_TOKEN": "123:abc", "ADMIN_IDS": "12,bob"}, tmp_path)
    assert result.returncode == 2 and "ADMIN_IDS" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("env", "word"),
    [
        ({"BOT_TOKEN": "not a token"}, "BOT_TOKEN"),
        ({"BOT_TOKEN": "1:a", "TIMEZONE": "Mars/Base"}, "TIMEZONE"),
        ({"BOT_TOKEN": "1:a", "DEFAULT_LANGUAGE": "xx"}, "DEFAULT_LANGUAGE"),
        ({"BOT_TOKEN": "1:a", "TELEGRAM_API_URL": "ftp://x"}, "TELEGRAM_API_URL"),
        ({"BOT_TOKEN": "1:a", "INVITE_DAYS": "0"}, "INVITE_DAYS"),
        ({"BOT_TOKEN": "1:a", "EDITS_PER_SECOND": "fast"}, "EDITS_PER_SECOND"),
        ({"BOT_TOKEN": "1:a", "CHAT_INTERVAL_SECONDS": "-1"}, "CHAT_INTERVAL_SECONDS"),
    ],
)
def test_each_bad_setting_names_itself(env, word):
    with pytest.raises(ConfigError, match=word):
        load_settings(env, env_file=None, supported_languages=("en", "pl"))


def test_env_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("BOT_TOKEN='1:fromfile'\nADMIN_IDS=5, 6\n# comment\nTIMEZONE=Europe/London\n")
    settings = load_settings({"ADMIN_IDS": "7"}, env_file=env_file)
    assert settings.bot_token == "1:fromfile" and settings.admin_ids == frozenset({7})
    assert settings.bot_base_url == "https://api.telegram.org/bot"


async def test_old_database_file_is_migrated_to_latest(tmp_path):
    path = await fresh_database(tmp_path, empty=True)
    old = database_for(path)
    await old.open(up_to=1)
    assert await old.schema_version() == 1
    await old.execute("INSERT INTO participants (telegram_id, language, created_at) VALUES (1, 'en', 'x')")
    await old.close()
    db = database_for(path)
    await db.open()
    latest = migration_files()[-1][0]
    assert await db.schema_version() == latest
    assert await db.fetchval("SELECT COUNT(*) FROM participants") == 1
    if db.dialect == "sqlite":
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
    await db.close()


async def test_every_lookup_column_has_an_index(tmp_path):
    """Handlers look people up by these columns; each must be served by an index."""
    # The indexes are the same migrations on both engines; SQLite's planner shows their use plainly.
    db = SqliteDatabase(tmp_path / "x.sqlite3")
    await db.open()
    lookups = [
        "SELECT * FROM participants WHERE telegram_id = 1",
        "SELECT * FROM project_members WHERE participant_id = 1",
        "SELECT * FROM projects WHERE join_code = 'x'",
        "SELECT * FROM audit_log WHERE actor_telegram_id = 1",
        "SELECT * FROM participant_topics WHERE participant_id = 1",
        "SELECT * FROM consents WHERE participant_id = 1",
        "SELECT * FROM roles WHERE telegram_id = 1",
        "SELECT * FROM invite_codes WHERE code = 'x'",
        "SELECT * FROM projects WHERE lead_coordinator_id = 1",
    ]
    for sql in lookups:
        plan = " ".join(str(tuple(row)) for row in await db.fetchall("EXPLAIN QUERY PLAN " + sql))
        assert "USING" in plan and "SCAN" not in plan, (sql, plan)
    await db.close()
