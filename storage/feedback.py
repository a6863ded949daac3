"""Feedback, themes ("You said"), published answers ("We did"), difference answers, check-ins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Database, Tx
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Feedback:
    id: int
    reference: str
    participant_id: int
    about: str
    project_id: int | None
    meeting_id: int | None
    service: str | None
    text: str | None
    voice_file_id: str | None
    photo_file_id: str | None
    anonymous: bool  # their name is not shown to other residents
    may_quote: bool  # their words may be quoted to other residents
    status: str
    reason: str | None
    theme_id: int | None
    received_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Feedback:
        return cls(
            id=row["id"],
            reference=row["reference"],
            participant_id=row["participant_id"],
            about=row["about"],
            project_id=row["project_id"],
            meeting_id=row["meeting_id"],
            service=row["service"],
            text=row["text"],
            voice_file_id=row["voice_file_id"],
            photo_file_id=row["photo_file_id"],
            anonymous=bool(row["anonymous"]),
            may_quote=bool(row["may_quote"]),
            status=row["status"],
            reason=row["reason"],
            theme_id=row["theme_id"],
            received_at=from_db(row["received_at"]),
        )


@dataclass(frozen=True)
class Theme:
    id: int
    title: str
    project_id: int | None
    outcome: str | None
    we_did: str | None
    published_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: Any) -> Theme:
        return cls(
            id=row["id"],
            title=row["title"],
            project_id=row["project_id"],
            outcome=row["outcome"],
            we_did=row["we_did"],
            published_at=from_db(row["published_at"]) if row["published_at"] else None,
            created_at=from_db(row["created_at"]),
        )


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def submit(
        self,
        *,
        participant_id: int,
        about: str,
        project_id: int | None,
        meeting_id: int | None,
        service: str | None,
        text: str | None,
        voice: str | None,
        photo: str | None,
        anonymous: bool,
        may_quote: bool,
        now: datetime,
    ) -> Feedback:
        async with self.db.transaction() as conn:
            earlier = await conn.count("SELECT COUNT(*) FROM feedback WHERE reference LIKE ?", (f"F-{now.year}-%",))
            inserted = await conn.insert(
                "INSERT INTO feedback (reference, participant_id, about, project_id, meeting_id, service, text,"
                " voice_file_id, photo_file_id, anonymous, may_quote, received_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    f"F-{now.year}-{earlier + 1:04d}",
                    participant_id,
                    about,
                    project_id,
                    meeting_id,
                    service,
                    text,
                    voice,
                    photo,
                    1 if anonymous else 0,
                    1 if may_quote else 0,
                    to_db(now),
                ),
            )
            feedback_id = inserted
        found = await self.by_id(feedback_id)
        assert found is not None
        return found

    async def by_id(self, feedback_id: int) -> Feedback | None:
        row = await self.db.fetchone("SELECT * FROM feedback WHERE id = ?", (feedback_id,))
        return Feedback.from_row(row) if row else None

    async def inbox(
        self, *, newest_first: bool, project_id: int | None, start: int = 0, limit: int = 8
    ) -> tuple[list[Feedback], int]:
        """A page of open feedback (not done, not "can't do"), newest or oldest first, optionally
        one project's; and how many are open in all."""
        order = " ORDER BY received_at DESC, id DESC" if newest_first else " ORDER BY received_at, id"
        where = " WHERE status IN ('received', 'looking', 'planned')" + (" AND project_id = ?" if project_id else "")
        scope: tuple[int, ...] = (project_id,) if project_id else ()
        rows = await self.db.fetchall(
            "SELECT * FROM feedback" + where + order + " LIMIT ? OFFSET ?", (*scope, limit, start)
        )
        total = await self.db.fetchval("SELECT COUNT(*) FROM feedback" + where, scope)
        return [Feedback.from_row(row) for row in rows], int(total)

    async def set_status(self, feedback_id: int, status: str, reason: str | None, now: datetime) -> bool:
        return (
            await self.db.execute(
                "UPDATE feedback SET status = ?, reason = ?, responded_at = COALESCE(responded_at, ?) WHERE id = ?"
                " AND status != ?",
                (status, reason, to_db(now), feedback_id, status),
            )
            > 0
        )

    async def create_theme(self, title: str, project_id: int | None, created_by: int, now: datetime) -> int:
        return await self.db.insert(
            "INSERT INTO themes (title, project_id, created_by, created_at) VALUES (?, ?, ?, ?)",
            (title, project_id, created_by, to_db(now)),
        )

    async def theme(self, theme_id: int) -> Theme | None:
        row = await self.db.fetchone("SELECT * FROM themes WHERE id = ?", (theme_id,))
        return Theme.from_row(row) if row else None

    async def themes(self, *, published: bool | None = None, limit: int = 20) -> list[Theme]:
        if published is None:
            rows = await self.db.fetchall("SELECT * FROM themes ORDER BY id DESC LIMIT ?", (limit,))
        elif published:
            rows = await self.db.fetchall(
                "SELECT * FROM themes WHERE published_at IS NOT NULL ORDER BY published_at DESC LIMIT ?", (limit,)
            )
        else:
            rows = await self.db.fetchall(
                "SELECT * FROM themes WHERE published_at IS NULL ORDER BY id LIMIT ?", (limit,)
            )
        return [Theme.from_row(row) for row in rows]

    async def waiting_themes(self, start: int, limit: int) -> tuple[list[tuple[Theme, int]], int]:
        """A page of the themes waiting for their "we did", oldest first, each with how many
        people (not erased) said it; and how many are waiting in all. One query for the page."""
        rows = await self.db.fetchall(
            "SELECT t.*, (SELECT COUNT(DISTINCT f.participant_id) FROM feedback f JOIN participants p"
            " ON p.id = f.participant_id WHERE f.theme_id = t.id AND p.erased_at IS NULL) AS people"
            " FROM themes t WHERE t.published_at IS NULL ORDER BY t.id LIMIT ? OFFSET ?",
            (limit, start),
        )
        total = await self.db.fetchval("SELECT COUNT(*) FROM themes WHERE published_at IS NULL")
        return [(Theme.from_row(row), row["people"]) for row in rows], int(total or 0)

    async def add_to_theme(self, feedback_id: int, theme_id: int) -> None:
        await self.db.execute("UPDATE feedback SET theme_id = ? WHERE id = ?", (theme_id, feedback_id))

    async def contributors(self, theme_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT DISTINCT f.participant_id FROM feedback f JOIN participants p ON p.id = f.participant_id"
            " WHERE f.theme_id = ? AND p.erased_at IS NULL ORDER BY f.participant_id",
            (theme_id,),
        )
        return [row["participant_id"] for row in rows]

    async def quotes(self, theme_id: int, limit: int = 3) -> list[tuple[int, str | None, str]]:
        """(whose words, name or None when anonymous, text) for the public digest: only words their
        writer said may be quoted."""
        rows = await self.db.fetchall(
            "SELECT f.participant_id, f.text, f.anonymous, p.display_name FROM feedback f JOIN participants p"
            " ON p.id = f.participant_id WHERE f.theme_id = ? AND f.text IS NOT NULL AND f.may_quote = 1"
            " ORDER BY f.id LIMIT ?",
            (theme_id, limit),
        )
        return [
            (
                row["participant_id"],
                None if row["anonymous"] or not row["display_name"] else row["display_name"],
                row["text"],
            )
            for row in rows
        ]

    @staticmethod
    async def publish(conn: Tx, theme_id: int, outcome: str, we_did: str, now: datetime) -> bool:
        """Publish once, inside the caller's transaction (which also queues the messages that tell
        people); the theme's feedback takes the same outcome."""
        changed = await conn.execute(
            "UPDATE themes SET outcome = ?, we_did = ?, published_at = ? WHERE id = ? AND published_at IS NULL",
            (outcome, we_did, to_db(now), theme_id),
        )
        if changed != 1:
            return False
        await conn.execute(
            "UPDATE feedback SET status = ?, reason = CASE WHEN ? = 'cant' THEN ? ELSE reason END,"
            " responded_at = COALESCE(responded_at, ?) WHERE theme_id = ?",
            (outcome, outcome, we_did, to_db(now), theme_id),
        )
        return True

    async def record_difference(
        self, theme_id: int, participant_id: int, round_: int, answer: str, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO difference_answers (theme_id, participant_id, round, answer, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (theme_id, participant_id, round) DO UPDATE SET answer = excluded.answer, at = excluded.at",
            (theme_id, participant_id, round_, answer, to_db(now)),
        )

    async def add_comment(self, theme_id: int, participant_id: int, round_: int, comment: str) -> None:
        await self.db.execute(
            "UPDATE difference_answers SET comment = ? WHERE theme_id = ? AND participant_id = ? AND round = ?",
            (comment, theme_id, participant_id, round_),
        )

    async def answers(self, theme_id: int, round_: int) -> dict[int, str]:
        rows = await self.db.fetchall(
            "SELECT participant_id, answer FROM difference_answers WHERE theme_id = ? AND round = ?", (theme_id, round_)
        )
        return {row["participant_id"]: row["answer"] for row in rows}

    async def save_checkin(self, meeting_id: int, participant_id: int, field: str, value: int, now: datetime) -> None:
        """One answer at a time; the column name comes from a fixed list, never from input."""
        sql = _CHECKIN_SQL[field]
        await self.db.execute(sql, (meeting_id, participant_id, value, to_db(now)))

    async def overdue_feedback(self, before: datetime) -> list[Feedback]:
        rows = await self.db.fetchall(
            "SELECT * FROM feedback WHERE status = 'received' AND received_at <= ? ORDER BY received_at",
            (to_db(before),),
        )
        return [Feedback.from_row(row) for row in rows]

    async def overdue_themes(self, before: datetime) -> list[Theme]:
        rows = await self.db.fetchall(
            "SELECT * FROM themes WHERE published_at IS NULL AND created_at <= ? ORDER BY created_at", (to_db(before),)
        )
        return [Theme.from_row(row) for row in rows]

    async def measure_rows(self, project_id: int | None) -> dict[str, list[Any]]:
        """Raw material for the measures, overall (None) or for one project."""
        where, params = ("", ()) if project_id is None else (" WHERE project_id = ?", (project_id,))
        received = await self.db.fetchall("SELECT received_at, responded_at FROM feedback" + where, params)
        themes = await self.db.fetchall("SELECT published_at FROM themes" + where, params)
        theme_filter = "" if project_id is None else " AND t.project_id = ?"
        differences = await self.db.fetchall(
            "SELECT d.answer FROM difference_answers d JOIN themes t ON t.id = d.theme_id WHERE d.round ="
            " (SELECT MAX(round) FROM difference_answers x WHERE x.theme_id = d.theme_id"
            " AND x.participant_id = d.participant_id)" + theme_filter,
            params,
        )
        meeting_filter = "" if project_id is None else " WHERE m.project_id = ?"
        checkins = await self.db.fetchall(
            "SELECT c.* FROM checkins c JOIN meetings m ON m.id = c.meeting_id" + meeting_filter, params
        )
        return {
            "received": [
                (from_db(r["received_at"]), from_db(r["responded_at"]) if r["responded_at"] else None) for r in received
            ],
            "themes": [r["published_at"] is not None for r in themes],
            "differences": [r["answer"] for r in differences],
            "checkins": [dict(r) for r in checkins],
        }

    async def export_personal(self, participant_id: int) -> dict[str, list[dict[str, Any]]]:
        feedback = await self.db.fetchall(
            "SELECT reference, about, text, anonymous, may_quote, status, reason, received_at FROM feedback"
            " WHERE participant_id = ? ORDER BY id",
            (participant_id,),
        )
        answers = await self.db.fetchall(
            "SELECT t.title, d.round, d.answer, d.comment, d.at FROM difference_answers d JOIN themes t"
            " ON t.id = d.theme_id WHERE d.participant_id = ? ORDER BY d.at",
            (participant_id,),
        )
        checkins = await self.db.fetchall("SELECT * FROM checkins WHERE participant_id = ?", (participant_id,))
        return {
            "feedback": [dict(r) for r in feedback],
            "difference_answers": [dict(r) for r in answers],
            "checkins": [dict(r) for r in checkins],
        }


_CHECKIN_COLUMNS = ("mood_start", "mood_end", "valued", "strengths", "respect", "influence")
# One fixed statement per answerable column, so no SQL is assembled from input.
_CHECKIN_SQL = {
    column: f"INSERT INTO checkins (meeting_id, participant_id, {column}, at) VALUES (?, ?, ?, ?)"
    f" ON CONFLICT (meeting_id, participant_id) DO UPDATE SET {column} = excluded.{column}, at = excluded.at"
    for column in _CHECKIN_COLUMNS
}
