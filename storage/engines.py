"""Which engine a setting names: a `postgresql://` URL, or else a SQLite file's path."""

from __future__ import annotations

from pathlib import Path

from storage.db import Database
from storage.sqlite import SqliteDatabase

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def database_for(target: str | Path) -> Database:
    """An unopened database for `target`; asyncpg loads only when PostgreSQL is asked for."""
    text = str(target)
    if text.startswith(POSTGRES_SCHEMES):
        from storage.postgres import PostgresDatabase

        return PostgresDatabase(text)
    return SqliteDatabase(target)
