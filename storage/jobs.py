"""Durable scheduled jobs (close a poll, remind the people who have not answered).

PTB's JobQueue keeps nothing across restarts; these rows do. Running a job twice must be
harmless, so job handlers are written to be idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.clock import to_db
from storage.db import Database

_SCHEDULE = ("INSERT INTO jobs (kind, ref, due_at) VALUES (?, ?, ?)"
             " ON CONFLICT (kind, ref) DO UPDATE SET due_at = excluded.due_at, done_at = NULL")


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    ref: str


class Jobs:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def schedule(self, kind: str, ref: str, due: datetime) -> None:
        """Create or move a job; a job already done is scheduled again."""
        await self.db.execute(_SCHEDULE, (kind, ref, to_db(due)))

    @staticmethod
    async def schedule_in(conn: aiosqlite.Connection, kind: str, ref: str, due: datetime) -> None:
        """The same, inside a caller's transaction."""
        await conn.execute(_SCHEDULE, (kind, ref, to_db(due)))

    async def cancel(self, kind: str, ref: str) -> None:
        await self.db.execute("DELETE FROM jobs WHERE kind = ? AND ref = ? AND done_at IS NULL", (kind, ref))

    async def due(self, now: datetime, limit: int = 100) -> list[Job]:
        rows = await self.db.fetchall(
            "SELECT id, kind, ref FROM jobs WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at LIMIT ?",
            (to_db(now), limit))
        return [Job(row["id"], row["kind"], row["ref"]) for row in rows]

    async def pending(self, kind: str, due_before: datetime) -> list[Job]:
        rows = await self.db.fetchall(
            "SELECT id, kind, ref FROM jobs WHERE kind = ? AND done_at IS NULL AND due_at <= ? ORDER BY due_at",
            (kind, to_db(due_before)))
        return [Job(row["id"], row["kind"], row["ref"]) for row in rows]

    async def mark_done(self, job_id: int, now: datetime) -> None:
        await self.db.execute("UPDATE jobs SET done_at = ? WHERE id = ?", (to_db(now), job_id))
