"""What a group or a meeting pays, and asks to be paid for "something else I did"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.pay import PayChoices, WhatIsPaid, settle
from storage.db import Database
from storage.times import from_db, to_db

# The settings an organiser may change, by name: the column each is stored in.
CHOICE_COLUMNS = {
    "meeting_pence": "meeting_pence",
    "preparation_pence": "preparation_pence",
    "other_pence": "other_pence",
    "travel": "travel",
    "carer_cover": "carer_cover",
}


@dataclass(frozen=True)
class TimeAsk:
    id: int
    participant_id: int
    meeting_id: int
    description: str
    hours: str
    status: str
    asked_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> TimeAsk:
        return cls(
            id=row["id"],
            participant_id=row["participant_id"],
            meeting_id=row["meeting_id"],
            description=row["description"],
            hours=row["hours"],
            status=row["status"],
            asked_at=from_db(row["asked_at"]),
        )


class PayStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def choices(self, scope: str, ref: int | None) -> PayChoices | None:
        if ref is None:
            return None
        row = await self.db.fetchone("SELECT * FROM pay_settings WHERE scope = ? AND ref = ?", (scope, ref))
        if row is None:
            return None
        return PayChoices(
            meeting_pence=row["meeting_pence"],
            preparation_pence=row["preparation_pence"],
            other_pence=row["other_pence"],
            travel=_flag(row["travel"]),
            carer_cover=_flag(row["carer_cover"]),
        )

    async def settled(self, default_pence: int, project_id: int | None, meeting_id: int | None = None) -> WhatIsPaid:
        """What is paid for a meeting (or, without one, in a group): its own choices over its group's."""
        return settle(
            default_pence, await self.choices("project", project_id), await self.choices("meeting", meeting_id)
        )

    async def choose(self, scope: str, ref: int, name: str, value: int) -> None:
        """Set one setting; the column name comes from the fixed table above, never from input."""
        column = CHOICE_COLUMNS[name]
        await self.db.execute(
            "INSERT INTO pay_settings (scope, ref, " + column + ") VALUES (?, ?, ?)"
            " ON CONFLICT (scope, ref) DO UPDATE SET " + column + " = excluded." + column,
            (scope, ref, value),
        )

    # --- "something else I did" ----------------------------------------------------------
    async def ask(self, participant_id: int, meeting_id: int, description: str, hours: str, now: datetime) -> int:
        return await self.db.insert(
            "INSERT INTO time_asks (participant_id, meeting_id, description, hours, asked_at) VALUES (?, ?, ?, ?, ?)",
            (participant_id, meeting_id, description, hours, to_db(now)),
        )

    async def time_ask(self, ask_id: int) -> TimeAsk | None:
        row = await self.db.fetchone("SELECT * FROM time_asks WHERE id = ?", (ask_id,))
        return TimeAsk.from_row(row) if row else None

    async def decide(self, ask_id: int, agree: bool, by: int, now: datetime) -> bool:
        """Once only: a second tap, or a second organiser, changes nothing."""
        return (
            await self.db.execute(
                "UPDATE time_asks SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'asked'",
                ("agreed" if agree else "declined", by, to_db(now), ask_id),
            )
            > 0
        )

    async def agreed_unclaimed(self, participant_id: int) -> list[TimeAsk]:
        """Agreed asks not yet in a claim that still stands."""
        rows = await self.db.fetchall(
            "SELECT * FROM time_asks t WHERE t.participant_id = ? AND t.status = 'agreed' AND NOT EXISTS ("
            "SELECT 1 FROM claim_items i JOIN claims c ON c.id = i.claim_id WHERE i.time_ask_id = t.id"
            " AND c.status != 'rejected') ORDER BY t.id",
            (participant_id,),
        )
        return [TimeAsk.from_row(row) for row in rows]

    async def export(self, participant_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT description, hours, status, asked_at, decided_at FROM time_asks WHERE participant_id = ?"
            " ORDER BY id",
            (participant_id,),
        )
        return [dict(row) for row in rows]


def _flag(value: int | None) -> bool | None:
    """A yes/no column: NULL says "as the level below"."""
    return None if value is None else bool(value)
