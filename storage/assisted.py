"""People who take part through staff: adding them with their consent, what staff entered for
them, and the letters that stand in for the messages they cannot get."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Letter:
    id: int
    text: str  # Telegram HTML, in their language
    options: tuple[str, ...]  # the message's buttons, shown as boxes to tick
    written_at: datetime
    posted_at: datetime | None


@dataclass(frozen=True)
class NewPerson:
    """What a staff member records when adding someone."""

    name: str
    language: str
    takes_part: str  # phone, paper or partner
    partner_name: str | None
    consent_how: str  # phone, form or partner
    contact_note: str | None


class AssistedPeople:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, person: NewPerson, added_by: int, notice_version: str, now: datetime) -> int:
        """The person, their consent and the staff entry saying who added them, all or nothing."""
        async with self.db.transaction() as conn:
            inserted = await conn.insert(
                "INSERT INTO participants (language, display_name, acting_for, created_at, registered_at, active_on,"
                " takes_part, partner_name, consent_how, added_by, contact_note)"
                " VALUES (?, ?, 'self', ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    person.language,
                    person.name,
                    to_db(now),
                    to_db(now),
                    now.date().isoformat(),
                    person.takes_part,
                    person.partner_name,
                    person.consent_how,
                    added_by,
                    person.contact_note,
                ),
            )
            participant_id = inserted
            await conn.execute(
                "INSERT INTO consents (participant_id, notice_version, given_at) VALUES (?, ?, ?)",
                (participant_id, notice_version, to_db(now)),
            )
            await conn.execute(
                "INSERT INTO staff_entries (participant_id, staff_id, kind, at) VALUES (?, ?, ?, ?)",
                (participant_id, added_by, "joined", to_db(now)),
            )
        return participant_id

    async def everyone(self) -> list[tuple[int, str, int]]:
        """(id, name, letters waiting) for everyone taking part through staff, by name."""
        rows = await self.db.fetchall(
            "SELECT p.id, p.display_name, (SELECT COUNT(*) FROM letters l WHERE l.participant_id = p.id"
            " AND l.posted_at IS NULL) AS waiting FROM participants p"
            " WHERE p.takes_part IS NOT NULL AND p.erased_at IS NULL ORDER BY p.display_name, p.id"
        )
        return [(row["id"], row["display_name"] or "", row["waiting"]) for row in rows]

    async def details(self, participant_id: int) -> dict[str, Any] | None:
        """Their row, only if they take part through staff (so staff never act for a Telegram user)."""
        row = await self.db.fetchone(
            "SELECT p.*, s.display_name AS added_by_name FROM participants p"
            " LEFT JOIN participants s ON s.id = p.added_by"
            " WHERE p.id = ? AND p.takes_part IS NOT NULL AND p.erased_at IS NULL",
            (participant_id,),
        )
        return dict(row) if row else None

    async def record(self, participant_id: int, staff_id: int, kind: str, ref: str | None, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO staff_entries (participant_id, staff_id, kind, ref, at) VALUES (?, ?, ?, ?, ?)",
            (participant_id, staff_id, kind, ref, to_db(now)),
        )

    async def entries_export(self, participant_id: int) -> list[dict[str, Any]]:
        """What staff entered for them, and which member of staff."""
        rows = await self.db.fetchall(
            "SELECT e.kind, e.ref, e.at, s.display_name AS entered_by FROM staff_entries e"
            " LEFT JOIN participants s ON s.id = e.staff_id WHERE e.participant_id = ? ORDER BY e.id",
            (participant_id,),
        )
        return [dict(row) for row in rows]

    async def letters(self, participant_id: int, *, waiting: bool) -> list[Letter]:
        where = " AND posted_at IS NULL" if waiting else ""
        rows = await self.db.fetchall(
            "SELECT * FROM letters WHERE participant_id = ?" + where + " ORDER BY id", (participant_id,)
        )
        return [
            Letter(
                id=row["id"],
                text=row["text"],
                options=tuple(json.loads(row["options"] or "[]")),
                written_at=from_db(row["written_at"]),
                posted_at=from_db(row["posted_at"]) if row["posted_at"] else None,
            )
            for row in rows
        ]

    async def mark_posted(self, participant_id: int, up_to: int, staff_id: int, now: datetime) -> int:
        """The letters a staff member downloaded (up to letter `up_to`) were posted or read out;
        any written since stay waiting."""
        return await self.db.execute(
            "UPDATE letters SET posted_at = ?, posted_by = ? WHERE participant_id = ? AND id <= ?"
            " AND posted_at IS NULL",
            (to_db(now), staff_id, participant_id, up_to),
        )

    async def letters_export(self, participant_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT text, options, written_at, posted_at FROM letters WHERE participant_id = ? ORDER BY id",
            (participant_id,),
        )
        return [dict(row) for row in rows]
