"""Success statements of a group, the ratings members give them, and staff's 'We' answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database, Tx
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Statement:
    id: int
    project_id: int
    text: str
    view: str
    indicators: str | None
    proposed_by: int | None
    decision_id: int
    agreed_at: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> Statement:
        return cls(
            row["id"],
            row["project_id"],
            row["text"],
            row["view"],
            row["indicators"],
            row["proposed_by"],
            row["decision_id"],
            from_db(row["agreed_at"]) if row["agreed_at"] else None,
        )


class SuccessStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    async def propose(
        conn: Tx,
        project_id: int,
        text: str,
        view: str,
        indicators: str | None,
        by: int,
        decision_id: int,
        now: datetime,
    ) -> None:
        """Inside the transaction that opens its proposal, so neither exists without the other."""
        await conn.execute(
            "INSERT INTO success_statements (project_id, text, view, indicators, proposed_by, decision_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (project_id, text, view, indicators, by, decision_id, to_db(now)),
        )

    @staticmethod
    async def agree(conn: Tx, decision_id: int, now: datetime) -> bool:
        """Inside the outcome's transaction: the statement its adopted proposal put is agreed."""
        changed = await conn.execute(
            "UPDATE success_statements SET agreed_at = ? WHERE decision_id = ? AND agreed_at IS NULL",
            (to_db(now), decision_id),
        )
        return changed > 0

    async def by_id(self, statement_id: int) -> Statement | None:
        row = await self.db.fetchone("SELECT * FROM success_statements WHERE id = ?", (statement_id,))
        return Statement.from_row(row) if row else None

    async def by_decision(self, decision_id: int) -> Statement | None:
        row = await self.db.fetchone("SELECT * FROM success_statements WHERE decision_id = ?", (decision_id,))
        return Statement.from_row(row) if row else None

    async def agreed(self, project_id: int) -> list[Statement]:
        rows = await self.db.fetchall(
            "SELECT * FROM success_statements WHERE project_id = ? AND agreed_at IS NOT NULL ORDER BY id", (project_id,)
        )
        return [Statement.from_row(row) for row in rows]

    async def rate(self, statement_id: int, participant_id: int, meeting_id: int, score: int, now: datetime) -> None:
        """A changed rating replaces the first; a comment already given stays."""
        await self.db.execute(
            "INSERT INTO success_ratings (statement_id, participant_id, meeting_id, score, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (statement_id, participant_id, meeting_id) DO UPDATE SET score = excluded.score,"
            " at = excluded.at",
            (statement_id, participant_id, meeting_id, score, to_db(now)),
        )

    async def comment(
        self, statement_id: int, participant_id: int, meeting_id: int, text: str | None, voice: str | None
    ) -> None:
        await self.db.execute(
            "UPDATE success_ratings SET comment = ?, comment_voice = ?"
            " WHERE statement_id = ? AND participant_id = ? AND meeting_id = ?",
            (text, voice, statement_id, participant_id, meeting_id),
        )

    async def ratings(self, statement_id: int) -> list[tuple[int, int]]:
        rows = await self.db.fetchall(
            "SELECT meeting_id, score FROM success_ratings WHERE statement_id = ?", (statement_id,)
        )
        return [(row["meeting_id"], row["score"]) for row in rows]

    async def meetings(self, project_id: int) -> list[tuple[int, datetime | None]]:
        """The group's meetings and when each took place, oldest first: the order of the trend."""
        rows = await self.db.fetchall(
            "SELECT m.id, s.starts_at FROM meetings m LEFT JOIN meeting_slots s ON s.id = m.confirmed_slot_id"
            " WHERE m.project_id = ? ORDER BY COALESCE(s.starts_at, m.created_at), m.id",
            (project_id,),
        )
        return [(row["id"], from_db(row["starts_at"]) if row["starts_at"] else None) for row in rows]

    async def answer_we(self, project_id: int, statement: str, score: int, by: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO we_answers (project_id, statement, score, answered_by, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (project_id, statement) DO UPDATE SET score = excluded.score,"
            " answered_by = excluded.answered_by, at = excluded.at",
            (project_id, statement, score, by, to_db(now)),
        )

    async def we_answers(self, project_id: int) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT statement, score FROM we_answers WHERE project_id = ?", (project_id,))
        return {row["statement"]: row["score"] for row in rows}

    async def export_personal(self, participant_id: int) -> list[dict[str, Any]]:
        """For /mydata: every rating and comment they gave, with the statement it was about."""
        rows = await self.db.fetchall(
            "SELECT s.text AS statement, r.meeting_id, r.score, r.comment, r.comment_voice, r.at"
            " FROM success_ratings r JOIN success_statements s ON s.id = r.statement_id"
            " WHERE r.participant_id = ? ORDER BY r.at",
            (participant_id,),
        )
        return [dict(row) for row in rows]
