"""A group's charter (terms of reference): drafts by its leads, the version members agreed,
and each member's agreement to it before taking part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.decisions import DecidesBy
from storage.db import Database, Tx
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Charter:
    id: int
    project_id: int
    purpose: str
    can_change: str
    cannot_change: str
    decides_by: DecidesBy
    quorum_percent: int
    meets: str
    paid: str
    ground_rules: str
    easy_read: str | None
    who_proposes: str
    names_to_leads: bool
    anonymous_allowed: bool
    agreed_at: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> Charter:
        return cls(
            id=row["id"],
            project_id=row["project_id"],
            purpose=row["purpose"],
            can_change=row["can_change"],
            cannot_change=row["cannot_change"],
            decides_by=DecidesBy(row["decides_by"]),
            quorum_percent=row["quorum_percent"],
            meets=row["meets"],
            paid=row["paid"],
            ground_rules=row["ground_rules"],
            easy_read=row["easy_read"],
            who_proposes=row["who_proposes"],
            names_to_leads=bool(row["names_to_leads"]),
            anonymous_allowed=bool(row["anonymous_allowed"]),
            agreed_at=from_db(row["agreed_at"]) if row["agreed_at"] else None,
        )


FIELDS = (
    "purpose",
    "can_change",
    "cannot_change",
    "decides_by",
    "quorum_percent",
    "meets",
    "paid",
    "ground_rules",
    "easy_read",
    "who_proposes",
    "names_to_leads",
    "anonymous_allowed",
)


class Charters:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def draft(self, project_id: int, fields: dict[str, Any], drafted_by: int, now: datetime) -> int:
        values = [fields.get(name) for name in FIELDS]
        return await self.db.insert(
            "INSERT INTO charters (project_id, " + ", ".join(FIELDS) + ", drafted_by, drafted_at)"
            " VALUES (" + ", ".join("?" * (len(FIELDS) + 3)) + ")",
            (project_id, *values, drafted_by, to_db(now)),
        )

    async def by_id(self, charter_id: int) -> Charter | None:
        row = await self.db.fetchone("SELECT * FROM charters WHERE id = ?", (charter_id,))
        return Charter.from_row(row) if row else None

    async def agreed(self, project_id: int) -> Charter | None:
        """The charter members agreed most recently, if any."""
        row = await self.db.fetchone(
            "SELECT * FROM charters WHERE project_id = ? AND agreed_at IS NOT NULL ORDER BY agreed_at DESC, id DESC"
            " LIMIT 1",
            (project_id,),
        )
        return Charter.from_row(row) if row else None

    async def agreed_for(self, project_ids: list[int]) -> set[int]:
        if not project_ids:
            return set()
        marks = ",".join("?" * len(project_ids))
        rows = await self.db.fetchall(
            f"SELECT DISTINCT project_id FROM charters WHERE agreed_at IS NOT NULL AND project_id IN ({marks})",
            project_ids,
        )
        return {row["project_id"] for row in rows}

    @staticmethod
    async def adopt(conn: Tx, charter_id: int, agreed_by: list[int], now: datetime) -> None:
        """Members agreed it by a proposal: those who answered Agree have agreed to it already;
        everyone else is asked before they next take part."""
        await conn.execute(
            "UPDATE charters SET agreed_at = ? WHERE id = ? AND agreed_at IS NULL", (to_db(now), charter_id)
        )
        await conn.executemany(
            "INSERT OR IGNORE INTO charter_agreements (charter_id, participant_id, agreed_at) VALUES (?, ?, ?)",
            [(charter_id, participant_id, to_db(now)) for participant_id in agreed_by],
        )

    async def has_agreed(self, charter_id: int, participant_id: int) -> bool:
        return bool(
            await self.db.fetchval(
                "SELECT 1 FROM charter_agreements WHERE charter_id = ? AND participant_id = ?",
                (charter_id, participant_id),
            )
        )

    async def agree(self, charter_id: int, participant_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO charter_agreements (charter_id, participant_id, agreed_at) VALUES (?, ?, ?)",
            (charter_id, participant_id, to_db(now)),
        )
