"""Projects (co-production groups) and their members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.participation import Level
from domain.roles import Role
from storage.db import Database, Tx
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    description: str
    level: Level
    lead_coordinator_id: int | None
    lead_officer_id: int | None
    join_code: str
    level_reason: str | None = None
    closed_at: datetime | None = None
    outcomes: str | None = None
    what_changed: str | None = None

    @classmethod
    def from_row(cls, row: Any) -> Project:
        return cls(
            id=row["id"],
            name=row["name"],
            description=row["description"],
            level=Level(row["level"]),
            lead_coordinator_id=row["lead_coordinator_id"],
            lead_officer_id=row["lead_officer_id"],
            join_code=row["join_code"],
            level_reason=row["level_reason"],
            closed_at=from_db(row["closed_at"]) if row["closed_at"] else None,
            outcomes=row["outcomes"],
            what_changed=row["what_changed"],
        )


class Projects:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        name: str,
        description: str,
        level: Level,
        lead_coordinator_id: int | None,
        lead_officer_id: int | None,
        join_code: str,
        now: datetime,
        startup_answers: str | None = None,
        level_reason: str | None = None,
    ) -> Project:
        project_id = await self.db.insert(
            "INSERT INTO projects (name, description, level, lead_coordinator_id, lead_officer_id, join_code,"
            " created_at, startup_answers, level_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                description,
                level.value,
                lead_coordinator_id,
                lead_officer_id,
                join_code,
                to_db(now),
                startup_answers,
                level_reason,
            ),
        )
        project = await self.by_id(project_id)
        assert project is not None
        return project

    async def by_id(self, project_id: int) -> Project | None:
        row = await self.db.fetchone("SELECT * FROM projects WHERE id = ?", (project_id,))
        return Project.from_row(row) if row else None

    async def by_join_code(self, code: str) -> Project | None:
        row = await self.db.fetchone("SELECT * FROM projects WHERE join_code = ?", (code,))
        return Project.from_row(row) if row else None

    async def join(self, project_id: int, participant_id: int, now: datetime) -> bool:
        """Add a member; False if they already were one."""
        async with self.db.transaction() as conn:
            changed = await conn.execute(
                "INSERT OR IGNORE INTO project_members (project_id, participant_id, joined_at) VALUES (?, ?, ?)",
                (project_id, participant_id, to_db(now)),
            )
            return changed == 1

    async def leave(self, project_id: int, participant_id: int) -> bool:
        removed = await self.db.execute(
            "DELETE FROM project_members WHERE project_id = ? AND participant_id = ?", (project_id, participant_id)
        )
        return removed > 0

    async def is_member(self, project_id: int, participant_id: int) -> bool:
        return bool(
            await self.db.fetchval(
                "SELECT 1 FROM project_members WHERE project_id = ? AND participant_id = ?",
                (project_id, participant_id),
            )
        )

    async def of_member(self, participant_id: int) -> list[Project]:
        rows = await self.db.fetchall(
            "SELECT p.* FROM projects p JOIN project_members m ON m.project_id = p.id"
            " WHERE m.participant_id = ? AND p.closed_at IS NULL ORDER BY p.name",
            (participant_id,),
        )
        return [Project.from_row(row) for row in rows]

    async def led_by(self, participant_id: int) -> list[Project]:
        rows = await self.db.fetchall(
            "SELECT * FROM projects WHERE (lead_coordinator_id = ? OR lead_officer_id = ?) AND closed_at IS NULL"
            " ORDER BY name",
            (participant_id, participant_id),
        )
        return [Project.from_row(row) for row in rows]

    async def set_lead(self, project_id: int, role: Role, participant_id: int) -> None:
        """Fixed statements per lead role; the role never becomes SQL text."""
        sql = (
            "UPDATE projects SET lead_officer_id = ? WHERE id = ?"
            if role is Role.OFFICER
            else "UPDATE projects SET lead_coordinator_id = ? WHERE id = ?"
        )
        await self.db.execute(sql, (participant_id, project_id))

    async def all_open(self) -> list[Project]:
        rows = await self.db.fetchall("SELECT * FROM projects WHERE closed_at IS NULL ORDER BY name")
        return [Project.from_row(row) for row in rows]

    async def member_ids(self, project_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT participant_id FROM project_members WHERE project_id = ? ORDER BY joined_at", (project_id,)
        )
        return [row["participant_id"] for row in rows]

    async def member_count(self, project_id: int) -> int:
        return int(
            await self.db.fetchval("SELECT COUNT(*) FROM project_members WHERE project_id = ?", (project_id,)) or 0
        )

    async def memberships_export(self, participant_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT p.name, m.joined_at FROM project_members m JOIN projects p ON p.id = m.project_id"
            " WHERE m.participant_id = ? ORDER BY m.joined_at",
            (participant_id,),
        )
        return [dict(row) for row in rows]

    # --- resident co-leads ----------------------------------------------------------------
    async def coleads(self, project_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT participant_id FROM project_coleads WHERE project_id = ? ORDER BY since", (project_id,)
        )
        return [row["participant_id"] for row in rows]

    async def coleads_of(self, project_ids: list[int]) -> dict[int, list[str]]:
        """Co-leads' names per group, in one query."""
        if not project_ids:
            return {}
        marks = ",".join("?" * len(project_ids))
        rows = await self.db.fetchall(
            "SELECT c.project_id, p.display_name FROM project_coleads c JOIN participants p ON p.id = c.participant_id"
            f" WHERE c.project_id IN ({marks}) ORDER BY c.since",
            project_ids,
        )
        found: dict[int, list[str]] = {}
        for row in rows:
            found.setdefault(row["project_id"], []).append(row["display_name"] or "—")
        return found

    async def is_colead(self, project_id: int, participant_id: int) -> bool:
        return bool(
            await self.db.fetchval(
                "SELECT 1 FROM project_coleads WHERE project_id = ? AND participant_id = ?",
                (project_id, participant_id),
            )
        )

    @staticmethod
    async def add_colead(conn: Tx, project_id: int, participant_id: int, chosen_by: str, now: datetime) -> bool:
        """Make a member a co-lead; False if they already were one."""
        changed = await conn.execute(
            "INSERT OR IGNORE INTO project_coleads (project_id, participant_id, chosen_by, since)"
            " SELECT ?, ?, ?, ? FROM project_members WHERE project_id = ? AND participant_id = ?",
            (project_id, participant_id, chosen_by, to_db(now), project_id, participant_id),
        )
        return changed == 1

    async def stand(self, project_id: int, participant_id: int, now: datetime) -> bool:
        return (
            await self.db.execute(
                "INSERT OR IGNORE INTO colead_candidates (project_id, participant_id, stood_at) VALUES (?, ?, ?)",
                (project_id, participant_id, to_db(now)),
            )
            > 0
        )

    async def candidates(self, project_id: int) -> list[tuple[int, str]]:
        """Members who stood to be co-lead and are still members, with their names."""
        rows = await self.db.fetchall(
            "SELECT c.participant_id, p.display_name FROM colead_candidates c"
            " JOIN participants p ON p.id = c.participant_id"
            " JOIN project_members m ON m.project_id = c.project_id AND m.participant_id = c.participant_id"
            " WHERE c.project_id = ? ORDER BY c.stood_at",
            (project_id,),
        )
        return [(row["participant_id"], row["display_name"] or "—") for row in rows]

    @staticmethod
    async def clear_candidates(conn: Tx, project_id: int) -> None:
        await conn.execute("DELETE FROM colead_candidates WHERE project_id = ?", (project_id,))

    async def coled_by(self, participant_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT c.project_id FROM project_coleads c JOIN projects p ON p.id = c.project_id"
            " WHERE c.participant_id = ? AND p.closed_at IS NULL",
            (participant_id,),
        )
        return [row["project_id"] for row in rows]
