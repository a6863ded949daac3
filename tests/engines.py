"""Which database engine the tests run on, and engine-neutral ways to look inside it.

By default every test gets its own SQLite file. With `TEST_DATABASE_URL` naming a PostgreSQL
server (`.ci/run` starts a throwaway one), every test gets its own fresh PostgreSQL database
there instead, so the same tests prove both engines.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from storage.db import Database
from storage.engines import database_for, new_database

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRES = bool(SERVER_URL)


_template: str | None = None


async def fresh_database(tmp_path: Path, name: str = "bot", *, empty: bool = False) -> str | Path:
    """Where one test's data lives: a new database, created now on PostgreSQL, as a copy of
    one migrated once per test run (or `empty`, for tests that migrate an old schema)."""
    if not ON_POSTGRES:
        return tmp_path / f"{name}.sqlite3"
    global _template
    if _template is None and not empty:
        template = f"t_template_{uuid.uuid4().hex[:12]}"
        migrated = database_for(await new_database(SERVER_URL, template))
        await migrated.open()
        await migrated.close()
        _template = template
    return await new_database(SERVER_URL, f"t_{name}_{uuid.uuid4().hex[:12]}", template=None if empty else _template)


async def snapshot(db: Database, *, skip: frozenset[str] = frozenset()) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but `skip`), in a stable order, to compare before and after."""
    found = {}
    for table in await db.tables():
        if table not in skip:
            rows = await db.fetchall(f'SELECT * FROM "{table}"')  # names from the schema itself
            found[table] = sorted((tuple(row) for row in rows), key=repr)
    return found


async def text_columns(db: Database) -> dict[str, list[str]]:
    """Every table's columns that can hold words (text or bytes)."""
    if db.dialect == "sqlite":
        found = {}
        for table in await db.tables():
            found[table] = [
                column[1] for column in await db.fetchall(f'PRAGMA table_info("{table}")') if _holds_words(column[2])
            ]
        return found
    rows = await db.fetchall(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND data_type IN ('text', 'bytea', 'character varying', 'json', 'jsonb') ORDER BY ordinal_position"
    )
    found = {table: [] for table in await db.tables()}
    for row in rows:
        found[row["table_name"]].append(row["column_name"])
    return found


def _holds_words(declared_type: str) -> bool:
    kind = declared_type.upper()
    return not kind or any(word in kind for word in ("CHAR", "CLOB", "TEXT", "BLOB"))


async def leaks(db: Database, needles: tuple[str, ...]) -> list[str]:
    """`table.column = value` for every value, in any column, that contains a needle."""
    found = []
    for table, columns in (await db.tables()).items():
        for row in await db.fetchall(f'SELECT * FROM "{table}"'):  # names from the schema itself
            for column, value in zip(columns, row, strict=True):
                shown = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                if any(needle in shown.lower() for needle in needles):
                    found.append(f"{table}.{column} = {shown[:120]!r}")
    return sorted(found)
