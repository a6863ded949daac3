"""A meeting's papers: one row per version, the file kept as Telegram's file_id."""

from __future__ import annotations

from datetime import datetime

from domain.papers import Paper, PaperKind, Version
from storage.db import Database
from storage.times import to_db


class Papers:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def attach(self, meeting_id: int, paper: Paper, added_by: int, now: datetime) -> None:
        """A new version replaces the one before it."""
        await self.db.execute(
            "INSERT INTO meeting_papers (meeting_id, version, kind, body, file_id, added_by, added_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, version) DO UPDATE SET kind = excluded.kind,"
            " body = excluded.body, file_id = excluded.file_id, added_by = excluded.added_by,"
            " added_at = excluded.added_at",
            (meeting_id, paper.version.value, paper.kind.value, paper.body, paper.file_id, added_by, to_db(now)),
        )

    async def for_meeting(self, meeting_id: int) -> dict[Version, Paper]:
        rows = await self.db.fetchall("SELECT * FROM meeting_papers WHERE meeting_id = ?", (meeting_id,))
        return {
            Version(row["version"]): Paper(Version(row["version"]), PaperKind(row["kind"]), row["body"], row["file_id"])
            for row in rows
        }
