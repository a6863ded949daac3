"""Closing a group: the change itself and what members said about it afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.projects import Project
from storage.times import to_db


@dataclass(frozen=True)
class Reflections:
    """What the members of a closed group said, without who said it."""

    learned: tuple[str, ...]
    voices: int
    felt: tuple[int, ...]


class Closings:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def close(self, project_id: int, by: int, outcomes: str, what_changed: str, now: datetime) -> bool:
        """False if the group was already closed: a group closes once."""
        changed = await self.db.execute(
            "UPDATE projects SET closed_at = ?, closed_by = ?, outcomes = ?, what_changed = ?"
            " WHERE id = ? AND closed_at IS NULL",
            (to_db(now), by, outcomes, what_changed, project_id),
        )
        return changed == 1

    async def closed(self, limit: int = 20) -> list[Project]:
        rows = await self.db.fetchall(
            "SELECT * FROM projects WHERE closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT ?", (limit,)
        )
        return [Project.from_row(row) for row in rows]

    async def closed_of(self, participant_id: int) -> list[Project]:
        """Closed groups the person was a member of, newest first."""
        rows = await self.db.fetchall(
            "SELECT p.* FROM projects p JOIN project_members m ON m.project_id = p.id"
            " WHERE m.participant_id = ? AND p.closed_at IS NOT NULL ORDER BY p.closed_at DESC",
            (participant_id,),
        )
        return [Project.from_row(row) for row in rows]

    async def felt(self, project_id: int, participant_id: int, felt: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO group_reflections (project_id, participant_id, felt, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (project_id, participant_id) DO UPDATE SET felt = excluded.felt, at = excluded.at",
            (project_id, participant_id, felt, to_db(now)),
        )

    async def learned(
        self, project_id: int, participant_id: int, text: str | None, voice: str | None, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO group_reflections (project_id, participant_id, learned, learned_voice, at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, participant_id) DO UPDATE SET"
            " learned = excluded.learned, learned_voice = excluded.learned_voice, at = excluded.at",
            (project_id, participant_id, text, voice, to_db(now)),
        )

    async def reflections(self, project_id: int) -> Reflections:
        rows = await self.db.fetchall(
            "SELECT learned, learned_voice, felt FROM group_reflections WHERE project_id = ? ORDER BY at", (project_id,)
        )
        return Reflections(
            learned=tuple(r["learned"] for r in rows if r["learned"]),
            voices=sum(1 for r in rows if r["learned_voice"]),
            felt=tuple(r["felt"] for r in rows if r["felt"]),
        )

    async def export(self, participant_id: int) -> list[dict[str, Any]]:
        """What /mydata shows: each group they reflected on, with what they said."""
        rows = await self.db.fetchall(
            "SELECT p.name AS group_name, r.learned, r.learned_voice, r.felt, r.at FROM group_reflections r"
            " JOIN projects p ON p.id = r.project_id WHERE r.participant_id = ? ORDER BY r.at",
            (participant_id,),
        )
        return [dict(row) for row in rows]
