"""Which engine a setting names: a `postgresql://` URL, or else a SQLite file's path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

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


async def new_database(server_url: str, name: str, *, template: str | None = None) -> str:
    """Create database `name` on the PostgreSQL server `server_url` names (a copy of `template`,
    if given) and return its URL: for tests and benchmarks, one fresh database per run."""
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(server_url)
    try:  # the names come from our own code, never from input
        await conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    finally:
        await conn.close()
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
