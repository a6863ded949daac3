"""Question threads: one per resident and item, with every message both ways in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.questions import Kind
from storage.db import Database
from storage.times import from_db, to_db

_THREAD = "SELECT id, kind, item_id, project_id, participant_id, waiting_since FROM question_threads"


@dataclass(frozen=True)
class Thread:
    id: int
    kind: Kind
    item_id: int
    project_id: int | None  # the group whose leads answer, if any
    participant_id: int  # the resident
    waiting_since: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> Thread:
        return cls(
            row["id"],
            Kind(row["kind"]),
            row["item_id"],
            row["project_id"],
            row["participant_id"],
            from_db(row["waiting_since"]) if row["waiting_since"] else None,
        )


@dataclass(frozen=True)
class Said:
    """One message in a thread."""

    id: int
    from_resident: bool
    text: str
    voice_file_id: str | None
    at: datetime


class Questions:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def thread_for(
        self, kind: Kind, item_id: int, project_id: int | None, participant_id: int, now: datetime
    ) -> Thread:
        """The resident's thread about this item, started now if there is none."""
        await self.db.execute(
            "INSERT INTO question_threads (kind, item_id, project_id, participant_id, started_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, item_id, participant_id) DO NOTHING",
            (kind.value, item_id, project_id, participant_id, to_db(now)),
        )
        found = await self.find(kind, item_id, participant_id)
        assert found is not None
        return found

    async def find(self, kind: Kind, item_id: int, participant_id: int) -> Thread | None:
        row = await self.db.fetchone(
            f"{_THREAD} WHERE kind = ? AND item_id = ? AND participant_id = ?", (kind.value, item_id, participant_id)
        )
        return Thread.from_row(row) if row else None

    async def by_id(self, thread_id: int) -> Thread | None:
        row = await self.db.fetchone(f"{_THREAD} WHERE id = ?", (thread_id,))
        return Thread.from_row(row) if row else None

    async def add(
        self,
        thread: Thread,
        author_id: int,
        *,
        from_resident: bool,
        text: str,
        now: datetime,
        voice_file_id: str | None = None,
    ) -> int:
        """Add a message; the thread waits from the resident's first unanswered message until an
        organiser writes. Returns the message's id."""
        async with self.db.transaction() as conn:
            inserted = await conn.insert(
                "INSERT INTO question_messages (thread_id, author_id, from_resident, text, voice_file_id, at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (thread.id, author_id, int(from_resident), text, voice_file_id, to_db(now)),
            )
            message_id = inserted
            if from_resident:
                await conn.execute(
                    "UPDATE question_threads SET waiting_since = COALESCE(waiting_since, ?) WHERE id = ?",
                    (to_db(now), thread.id),
                )
            else:
                await conn.execute("UPDATE question_threads SET waiting_since = NULL WHERE id = ?", (thread.id,))
        return message_id

    async def messages(self, thread_id: int, limit: int = 10) -> list[Said]:
        """The last `limit` messages, oldest first."""
        rows = await self.db.fetchall(
            "SELECT id, from_resident, text, voice_file_id, at FROM (SELECT * FROM question_messages"
            " WHERE thread_id = ? ORDER BY id DESC LIMIT ?) AS recent ORDER BY id",
            (thread_id, limit),
        )
        return [
            Said(row["id"], bool(row["from_resident"]), row["text"], row["voice_file_id"], from_db(row["at"]))
            for row in rows
        ]

    async def voice(self, message_id: int) -> tuple[int, str] | None:
        """(thread id, voice file) of a voice note in a thread."""
        row = await self.db.fetchone(
            "SELECT thread_id, voice_file_id FROM question_messages WHERE id = ? AND voice_file_id IS NOT NULL",
            (message_id,),
        )
        return (row["thread_id"], row["voice_file_id"]) if row else None

    async def last_message_id(self, thread_id: int) -> int | None:
        value = await self.db.fetchval("SELECT MAX(id) FROM question_messages WHERE thread_id = ?", (thread_id,))
        return int(value) if value is not None else None

    async def waiting(self, before: datetime, limit: int = 30) -> list[Thread]:
        """Threads whose question has waited since before `before`, oldest first."""
        rows = await self.db.fetchall(
            f"{_THREAD} WHERE waiting_since IS NOT NULL AND waiting_since <= ? ORDER BY waiting_since LIMIT ?",
            (to_db(before), limit),
        )
        return [Thread.from_row(row) for row in rows]

    async def group_of(self, thread_id: int) -> int | None:
        value = await self.db.fetchval("SELECT project_id FROM question_threads WHERE id = ?", (thread_id,))
        return int(value) if value is not None else None

    async def export(self, participant_id: int) -> list[dict[str, Any]]:
        """What /mydata shows: every message of their own threads, and what they wrote in others'."""
        rows = await self.db.fetchall(
            "SELECT t.kind, t.item_id, m.from_resident, m.text, m.voice_file_id, m.at FROM question_messages m"
            " JOIN question_threads t ON t.id = m.thread_id"
            " WHERE t.participant_id = ? OR m.author_id = ? ORDER BY m.id",
            (participant_id, participant_id),
        )
        return [dict(row) for row in rows]
