"""Arranged support: each person's consent to be named to organisers, and each meeting's
support tasks, so a ticked task stays ticked across restarts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.dialects import placeholders
from storage.times import from_db, to_db


@dataclass(frozen=True)
class StoredTask:
    id: int
    meeting_id: int
    need: str
    participant_id: int
    done_at: datetime | None
    note: str | None


def _task(row: Any) -> StoredTask:
    return StoredTask(
        id=row["id"],
        meeting_id=row["meeting_id"],
        need=row["need"],
        participant_id=row["participant_id"],
        done_at=from_db(row["done_at"]) if row["done_at"] else None,
        note=row["note"],
    )


class Support:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def consent(self, participant_id: int) -> bool | None:
        """True or False once asked; None if the person was never asked."""
        value = await self.db.fetchval("SELECT share FROM support_consents WHERE participant_id = ?", (participant_id,))
        return None if value is None else bool(value)

    async def set_consent(self, participant_id: int, share: bool, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO support_consents (participant_id, share, decided_at) VALUES (?, ?, ?)"
            " ON CONFLICT (participant_id) DO UPDATE SET share = excluded.share, decided_at = excluded.decided_at",
            (participant_id, 1 if share else 0, to_db(now)),
        )

    async def consenting(self, participant_ids: list[int]) -> set[int]:
        """Who among these agreed to be named, in one query."""
        rows = await self.db.fetchall(
            "SELECT participant_id FROM support_consents WHERE share = 1"
            f" AND participant_id IN ({placeholders(participant_ids)})",
            participant_ids,
        )
        return {row["participant_id"] for row in rows}

    async def tasks(self, meeting_id: int, keys: list[tuple[str, int]]) -> dict[tuple[str, int], StoredTask]:
        """The stored task for each (need, participant) of the list, created if new."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO support_tasks (meeting_id, need, participant_id) VALUES (?, ?, ?)",
                [(meeting_id, need, pid) for need, pid in keys],
            )
        rows = await self.db.fetchall("SELECT * FROM support_tasks WHERE meeting_id = ?", (meeting_id,))
        return {(row["need"], row["participant_id"]): _task(row) for row in rows}

    async def task(self, task_id: int) -> StoredTask | None:
        row = await self.db.fetchone("SELECT * FROM support_tasks WHERE id = ?", (task_id,))
        return _task(row) if row else None

    async def mark_done(self, task_id: int, done_by: int, note: str | None, now: datetime) -> bool:
        """Tick once: False if it was already done (a double tap tells nobody twice)."""
        return (
            await self.db.execute(
                "UPDATE support_tasks SET done_at = ?, done_by = ?, note = ? WHERE id = ? AND done_at IS NULL",
                (to_db(now), done_by, note, task_id),
            )
            > 0
        )

    async def export(self, participant_id: int) -> dict[str, Any]:
        row = await self.db.fetchone(
            "SELECT share, decided_at FROM support_consents WHERE participant_id = ?", (participant_id,)
        )
        tasks = await self.db.fetchall(
            "SELECT m.title, t.need, t.done_at, t.note FROM support_tasks t JOIN meetings m ON m.id = t.meeting_id"
            " WHERE t.participant_id = ? ORDER BY t.id",
            (participant_id,),
        )
        return {
            "share_needs_with_name": None if row is None else bool(row["share"]),
            "decided_at": row["decided_at"] if row else None,
            "tasks": [dict(task) for task in tasks],
        }
