"""The database the repositories share: one interface, two engines, one unit of work.

SQLite (storage/sqlite.py) is the embedded default; PostgreSQL (storage/postgres.py) is for
councils whose IT runs it. Repositories write plain, portable SQL with `?` placeholders and
see only this interface:

- `transaction()` opens the unit of work and yields a `Tx`. Write transactions run one at a
  time (SQLite's single writer; across PostgreSQL instances an advisory lock), so a rule that
  reads and then writes (the next reference number, a quorum) cannot race another writer.
- `execute`, `insert` and the `fetch*` methods on the database itself run inside the caller's
  transaction when the calling task has one open, and on their own otherwise. So there is no
  "inside a transaction" twin of any method, calling one inside a transaction cannot deadlock,
  and a read never sees another coroutine's uncommitted rows.
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from storage.dialects import SqliteSql

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

Params = Sequence[Any] | dict[str, Any]


class Row(Protocol):
    """A result row: by column name or position (Row and asyncpg.Record both are)."""

    def __getitem__(self, key: str | int, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


class Tx(ABC):
    """One open transaction. Every statement of a unit of work goes through it."""

    dialect: ClassVar[str]
    sql: ClassVar[SqliteSql]  # the spellings that differ between engines

    def __init__(self) -> None:
        self.task = asyncio.current_task()

    @abstractmethod
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns how many rows it changed."""

    @abstractmethod
    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT into a table with an `id` column; returns the new row's id (0 if none)."""

    @abstractmethod
    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for each of many rows."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def count(self, sql: str, params: Params = ()) -> int:
        """A `SELECT COUNT(*) …`; such a query always returns one row."""
        return int(await self.fetchval(sql, params) or 0)


_current: ContextVar[Tx | None] = ContextVar("current_transaction", default=None)


class Database(ABC):
    """The process's handle on its database, opened at start and closed at shutdown."""

    dialect: ClassVar[str]
    sql: ClassVar[SqliteSql]
    # Whether a lone write statement must queue with the write transactions (SQLite's file lock
    # does that by itself; PostgreSQL's row locks would let it pass).
    writes_take_turns: ClassVar[bool] = False

    def __init__(self) -> None:
        self._write_lock = asyncio.Lock()
        # Which process this is, among those sharing the database: what its claims are marked with.
        self.instance = secrets.randbelow(2**31 - 1) + 1

    # --- engine-specific ---------------------------------------------------------------------
    @abstractmethod
    async def connect(self) -> None:
        """Open connections and tune them; `open` then migrates."""

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    def _begin(self, *, exclusive: bool) -> AbstractAsyncContextManager[Tx]:
        """BEGIN … COMMIT on one connection, rolled back on error, serialised with other writers."""

    @abstractmethod
    def _autocommit(self) -> AbstractAsyncContextManager[Tx]:
        """A connection for one statement outside any transaction."""

    def migration_statements(self, script: str) -> list[str]:
        """A migration's statements (written for SQLite) as this engine runs them."""
        return split_statements(script)

    @abstractmethod
    async def live_instances(self) -> set[int]:
        """The processes using the database now (always including this one)."""

    def on_instance_started(self, callback: Callable[[], None]) -> None:  # noqa: B027 - most engines have none
        """Call `callback` when another process starts on this database (only PostgreSQL has others)."""

    @abstractmethod
    async def tables(self) -> dict[str, list[str]]:
        """Every table of ours and its columns, in order (for the schema and erasure checks)."""

    # --- the unit of work -------------------------------------------------------------------
    def _open_tx(self) -> Tx | None:
        tx = _current.get()
        return tx if tx is not None and tx.task is asyncio.current_task() else None

    @asynccontextmanager
    async def transaction(self, *, exclusive: bool = True) -> AsyncIterator[Tx]:
        """The caller's writes commit together or not at all. Nested, it joins the open one.

        `exclusive=False` is for work that locks its own rows (the outbox's claims), so it need
        not wait for other writers; SQLite has one writer whatever is asked.
        """
        open_tx = self._open_tx()
        if open_tx is not None:
            yield open_tx
            return
        async with self._write_lock, self._begin(exclusive=exclusive) as tx:
            token = _current.set(tx)
            try:
                yield tx
            finally:
                _current.reset(token)

    @asynccontextmanager
    async def _statement(self, *, write: bool = False, take_turn: bool = True) -> AsyncIterator[Tx]:
        open_tx = self._open_tx()
        if open_tx is not None:
            yield open_tx
        elif write and take_turn and self.writes_take_turns:
            async with self.transaction() as tx:
                yield tx
        else:
            async with self._autocommit() as tx:
                yield tx

    async def execute(self, sql: str, params: Params = (), *, exclusive: bool = True) -> int:
        """Run one write statement; returns how many rows it changed. `exclusive=False` is for a
        statement that only settles a row this process holds (an outbox row it is sending), so
        it need not take its turn with the other writers."""
        async with self._statement(write=True, take_turn=exclusive) as tx:
            return await tx.execute(sql, params)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; returns the new row's id."""
        async with self._statement(write=True) as tx:
            return await tx.insert(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as tx:
            await tx.executemany(sql, rows)

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None:
        async with self._statement() as tx:
            return await tx.fetchone(sql, params)

    async def fetchall(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._statement() as tx:
            return await tx.fetchall(sql, params)

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        async with self._statement() as tx:
            return await tx.fetchval(sql, params)

    # --- migrations -------------------------------------------------------------------------
    async def open(self, *, up_to: int | None = None) -> None:
        """Connect and migrate. `up_to` stops at an older schema (used by upgrade tests)."""
        await self.connect()
        await self.migrate(up_to=up_to)

    async def schema_version(self) -> int:
        return int(await self.fetchval("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations") or 0)

    async def migrate(self, *, up_to: int | None = None) -> list[int]:
        """Apply every migration not yet in the ledger, in order, each in its own transaction.

        Writers take turns (see transaction), so of two instances starting at once each
        migration is applied by one: the other finds it in the ledger. A database already up to
        date is only read, so opening it never waits for another process's writes.
        """
        if "schema_migrations" not in await self.tables():
            async with self.transaction() as tx:
                await tx.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
        done = {row["version"] for row in await self.fetchall("SELECT version FROM schema_migrations")}
        applied = []
        for number, name, path in migration_files():
            if number in done or (up_to is not None and number > up_to):
                continue
            async with self.transaction() as tx:
                if await tx.fetchone("SELECT 1 FROM schema_migrations WHERE version = ?", (number,)):
                    continue
                for statement in self.migration_statements(path.read_text(encoding="utf-8")):
                    await tx.execute(statement)
                await tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (number, name, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            applied.append(number)
        return applied


def split_statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(part.strip().startswith("--") for part in buffer.splitlines() if part.strip()):
        raise ValueError(f"Unterminated SQL statement in migration: {buffer.strip()[:80]}")
    return statements


def migration_files(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, str, Path]]:
    """Numbered migrations `0001_name.sql` in order."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        number, _, name = path.stem.partition("_")
        found.append((int(number), name, path))
    return found
