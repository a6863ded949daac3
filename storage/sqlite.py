"""SQLite, the embedded default: one long-lived aiosqlite connection for the whole process.

`BEGIN IMMEDIATE` plus the database's write lock make it the single writer; reads outside a
transaction wait for an open one to finish, because on a shared connection they would
otherwise see its uncommitted rows.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import cast

import aiosqlite

from storage.db import Database, Params, Row, Tx
from storage.dialects import SqliteSql


def _countable(sql: str) -> bool:
    """One plain INSERT, UPDATE or DELETE, as the repositories write them, to which RETURNING can be added."""
    words = sql.upper()
    return words.lstrip()[:6] in {"INSERT", "UPDATE", "DELETE"} and not any(
        mark in words for mark in (";", "--", "RETURNING")
    )


class SqliteTx(Tx):
    dialect = "sqlite"
    sql = SqliteSql()

    def __init__(self, conn: aiosqlite.Connection) -> None:
        super().__init__()
        self.conn = conn

    async def execute(self, sql: str, params: Params = ()) -> int:
        # A write that says what it changed (RETURNING) takes one trip to aiosqlite's thread;
        # a cursor's rowcount takes two (execute, close). RETURNING leaves out rows changed by
        # foreign-key actions, as rowcount does. Anything else (schema, pragmas, a migration's
        # statements with their semicolons and comments) uses the cursor.
        if _countable(sql):
            return len(list(await self.conn.execute_fetchall(sql + " RETURNING 1", params)))
        async with self.conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        # One trip, and the id of the row written even when an upsert updated it, as on PostgreSQL.
        rows = list(await self.conn.execute_fetchall(sql + " RETURNING id", params))
        return int(rows[0][0] or 0) if rows else 0

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        await self.conn.executemany(sql, rows)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        # One trip to aiosqlite's thread, not three (execute, fetch, close): each trip is a
        # handover between threads, and reads are most of what an update asks of the database.
        return cast(list[Row], list(await self.conn.execute_fetchall(sql, params)))


class SqliteDatabase(Database):
    dialect = "sqlite"
    sql = SqliteSql()

    def __init__(self, path: Path | str) -> None:
        super().__init__()
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("Database is not open")
        return self._conn

    async def connect(self) -> None:
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await self._conn.execute("PRAGMA busy_timeout=5000")

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    @asynccontextmanager
    async def _begin(self, *, exclusive: bool) -> AsyncIterator[Tx]:
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield SqliteTx(self.conn)
        except BaseException:
            await self.conn.execute("ROLLBACK")
            raise
        else:
            await self.conn.execute("COMMIT")

    @asynccontextmanager
    async def _autocommit(self) -> AsyncIterator[Tx]:
        async with self._write_lock:
            yield SqliteTx(self.conn)

    async def live_instances(self) -> set[int]:
        """A SQLite file serves one bot process (README: Deploying), so only this one is live."""
        return {self.instance}

    async def tables(self) -> dict[str, list[str]]:
        names = [
            row[0]
            for row in await self.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {name: [column[1] for column in await self.fetchall(f'PRAGMA table_info("{name}")')] for name in names}
