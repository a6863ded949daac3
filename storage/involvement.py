"""A person's own record of involvement, and what they know about from their own life."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from domain.experience import EMPTY_RECORD, NO_EXPERIENCE, Attended, Experience, Record
from storage.db import Database
from storage.times import from_db, to_db

_GROUPS = (
    "SELECT p.name, m.joined_at FROM project_members m JOIN projects p ON p.id = m.project_id"
    " WHERE m.participant_id = ? ORDER BY m.joined_at"
)
# A claim for time counts once an officer approved it; the meeting's length counts otherwise.
_MEETINGS = (
    "SELECT m.title, s.starts_at, m.duration_minutes,"
    " (SELECT SUM(CAST(ci.hours AS REAL)) FROM claims c JOIN claim_items ci ON ci.claim_id = c.id"
    "  WHERE c.participant_id = i.participant_id AND c.meeting_id = m.id AND ci.kind = 'involvement'"
    "  AND c.status IN ('approved', 'paid')) AS claimed_hours"
    " FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id"
    " LEFT JOIN meeting_slots s ON s.id = m.confirmed_slot_id"
    " WHERE i.participant_id = ? AND i.attended = 1 ORDER BY s.starts_at"
)
_DECISIONS = (
    "SELECT d.title, p.name FROM decision_answers a JOIN decisions d ON d.id = a.decision_id"
    " JOIN projects p ON p.id = d.project_id WHERE a.participant_id = ? ORDER BY a.answered_at"
)
_WE_DID = (
    "SELECT t.title, t.we_did FROM themes t WHERE t.outcome = 'done' AND t.published_at IS NOT NULL"
    " AND EXISTS (SELECT 1 FROM feedback f WHERE f.theme_id = t.id AND f.participant_id = ?)"
    " ORDER BY t.published_at"
)


class Involvement:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, participant_id: int) -> Record:
        """One query per measure; someone who erased their data has no record at all."""
        since = await self.db.fetchval(
            "SELECT registered_at FROM participants WHERE id = ? AND erased_at IS NULL", (participant_id,)
        )
        if since is None:
            return EMPTY_RECORD
        groups = await self.db.fetchall(_GROUPS, (participant_id,))
        meetings = await self.db.fetchall(_MEETINGS, (participant_id,))
        decisions = await self.db.fetchall(_DECISIONS, (participant_id,))
        we_did = await self.db.fetchall(_WE_DID, (participant_id,))
        return Record(
            since=from_db(since),
            groups=tuple((row["name"], from_db(row["joined_at"])) for row in groups),
            meetings=tuple(
                Attended(
                    row["title"],
                    from_db(row["starts_at"]) if row["starts_at"] else None,
                    row["duration_minutes"],
                    _hours(row["claimed_hours"]),
                )
                for row in meetings
            ),
            decisions=tuple((row["title"], row["name"]) for row in decisions),
            we_did=tuple((row["title"], row["we_did"] or "") for row in we_did),
        )

    async def experience(self, participant_id: int) -> Experience:
        row = await self.db.fetchone("SELECT * FROM lived_experience WHERE participant_id = ?", (participant_id,))
        if row is None:
            return NO_EXPERIENCE
        return Experience(
            frozenset(json.loads(row["skills"])),
            row["own_words"],
            from_db(row["agreed_at"]) if row["agreed_at"] else None,
        )

    async def save_experience(self, participant_id: int, experience: Experience, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO lived_experience (participant_id, skills, own_words, agreed_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (participant_id) DO UPDATE SET skills = excluded.skills,"
            " own_words = excluded.own_words, agreed_at = excluded.agreed_at, updated_at = excluded.updated_at",
            (
                participant_id,
                json.dumps(sorted(experience.skills)),
                experience.own_words,
                to_db(experience.agreed_at) if experience.agreed_at else None,
                to_db(now),
            ),
        )

    async def export(self, participant_id: int) -> dict[str, Any] | None:
        """What /mydata shows: the list keys, their own words and when they agreed."""
        row = await self.db.fetchone(
            "SELECT skills, own_words, agreed_at, updated_at FROM lived_experience WHERE participant_id = ?",
            (participant_id,),
        )
        return {**dict(row), "skills": json.loads(row["skills"])} if row else None

    async def groups_worked_on(self, limit: int = 20) -> list[tuple[int, str]]:
        """Groups someone could be invited back from: those with members or attended meetings."""
        rows = await self.db.fetchall(
            "SELECT p.id, p.name FROM projects p WHERE EXISTS (SELECT 1 FROM project_members m"
            " WHERE m.project_id = p.id) OR EXISTS (SELECT 1 FROM meetings mt JOIN meeting_invitees i"
            " ON i.meeting_id = mt.id WHERE mt.project_id = p.id AND i.attended = 1) ORDER BY p.id DESC LIMIT ?",
            (limit,),
        )
        return [(row["id"], row["name"]) for row in rows]


def _hours(value: float | None) -> str | None:
    """SQLite adds the hours as a float; the record keeps them as the claim wrote them."""
    return None if value is None else format(value, "g")
