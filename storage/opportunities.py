"""Opportunities, who they reach, residents' answers, and what happened next."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.participation import Level
from domain.profile import QuietHours
from domain.targeting import Target
from storage.db import Database
from storage.dialects import SqliteSql, placeholders
from storage.outbox import Outbox, Outgoing
from storage.times import from_db, to_db

_REACHABLE = (
    "p.registered_at IS NOT NULL AND p.telegram_id IS NOT NULL AND p.unreachable_at IS NULL"
    " AND p.opportunities_paused = 0"
)
_BY_TOPICS = " AND EXISTS (SELECT 1 FROM participant_topics t WHERE t.participant_id = p.id AND t.topic_slug IN ({}))"
_BY_AREA = " AND lower(p.area) = lower(?)"
_BY_LANGUAGE = " AND p.language = ?"
# Only people who agreed we may use what they know about are matched on it.
_BY_SKILLS = (
    " AND EXISTS (SELECT 1 FROM lived_experience x WHERE x.participant_id = p.id AND x.agreed_at IS NOT NULL AND {})"
)
# Worked with us on a group: a member of it, or came to one of its meetings.
_BY_GROUP = (
    " AND (EXISTS (SELECT 1 FROM project_members g WHERE g.participant_id = p.id AND g.project_id = ?)"
    " OR EXISTS (SELECT 1 FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id"
    " WHERE i.participant_id = p.id AND i.attended = 1 AND m.project_id = ?))"
)


@dataclass(frozen=True)
class Opportunity:
    id: int
    title: str
    about: str
    level: Level
    can_change: str
    cannot_change: str
    time_needed: str
    dates: str
    pays: str
    access_info: str
    closes_at: datetime
    target: Target
    created_by: int
    batch_id: int | None
    outcome: str | None = None  # what happened next, once the organiser has said (domain.questions.Outcome)

    @classmethod
    def from_row(cls, row: Any) -> Opportunity:
        return cls(
            id=row["id"],
            title=row["title"],
            about=row["about"],
            level=Level(row["level"]),
            can_change=row["can_change"],
            cannot_change=row["cannot_change"],
            time_needed=row["time_needed"],
            dates=row["dates"],
            pays=row["pays"],
            access_info=row["access_info"],
            closes_at=from_db(row["closes_at"]),
            target=Target(
                frozenset(json.loads(row["target_topics"])),
                row["target_area"],
                row["target_language"],
                frozenset(json.loads(row["target_skills"])),
                row["target_group"],
            ),
            created_by=row["created_by"],
            batch_id=row["batch_id"],
            outcome=row["outcome"],
        )


@dataclass(frozen=True)
class Recipient:
    participant_id: int
    telegram_id: int
    language: str
    quiet_hours: QuietHours | None


def _where(target: Target, dialect: SqliteSql) -> tuple[str, list[Any]]:
    """Fixed SQL fragments chosen by the target; every value is a bound parameter."""
    sql = _REACHABLE
    params: list[Any] = []
    if target.topics:
        topics = sorted(target.topics)
        sql += _BY_TOPICS.format(placeholders(topics))
        params += topics
    if target.area is not None:
        sql += _BY_AREA
        params.append(target.area)
    if target.language is not None:
        sql += _BY_LANGUAGE
        params.append(target.language)
    if target.skills:
        skills = sorted(target.skills)
        sql += _BY_SKILLS.format(dialect.json_list_has_any("x.skills", skills))
        params += skills
    if target.worked_on is not None:
        sql += _BY_GROUP
        params += [target.worked_on, target.worked_on]
    return sql, params


class Opportunities:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def count_reach(self, target: Target) -> int:
        where, params = _where(target, self.db.sql)
        return int(await self.db.fetchval("SELECT COUNT(*) FROM participants p WHERE " + where, params) or 0)

    async def recipients(self, target: Target) -> list[Recipient]:
        where, params = _where(target, self.db.sql)
        rows = await self.db.fetchall(
            "SELECT p.id, p.telegram_id, p.language, p.quiet_start, p.quiet_end FROM participants p WHERE "
            + where
            + " ORDER BY p.id",
            params,
        )
        return [
            Recipient(
                row["id"],
                row["telegram_id"],
                row["language"],
                QuietHours(row["quiet_start"], row["quiet_end"])
                if row["quiet_start"] is not None and row["quiet_end"] is not None
                else None,
            )
            for row in rows
        ]

    async def create(
        self, draft: dict[str, Any], target: Target, created_by: int, now: datetime, key: str | None = None
    ) -> tuple[int, bool]:
        """(id, created now?): a draft sent twice gives back the first opportunity."""
        async with self.db.transaction() as conn:
            if key is not None:
                row = await conn.fetchone("SELECT id FROM opportunities WHERE submission_key = ?", (key,))
                if row is not None:
                    return row["id"], False
            inserted = await conn.insert(
                "INSERT INTO opportunities (title, about, level, can_change, cannot_change, time_needed, dates, pays,"
                " access_info, closes_at, target_topics, target_area, target_language, target_skills, target_group,"
                " created_by, created_at, submission_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft["title"],
                    draft["about"],
                    draft["level"],
                    draft["can_change"],
                    draft["cannot_change"],
                    draft["time_needed"],
                    draft["dates"],
                    draft["pays"],
                    draft["access_info"],
                    draft["closes_at"],
                    json.dumps(sorted(target.topics)),
                    target.area,
                    target.language,
                    json.dumps(sorted(target.skills)),
                    target.worked_on,
                    created_by,
                    to_db(now),
                    key,
                ),
            )
            return inserted, True

    async def queue(
        self, opportunity_id: int, kind: str, created_by: int, now: datetime, messages: list[Outgoing]
    ) -> int:
        """Queue the broadcast and tie it to the opportunity in one transaction, so an opportunity
        either has its whole batch or none (and a repeated Send can tell which)."""
        async with self.db.transaction() as conn:
            batch_id, _added = await Outbox(self.db).create_batch(kind, str(opportunity_id), created_by, now, messages)
            await conn.execute("UPDATE opportunities SET batch_id = ? WHERE id = ?", (batch_id, opportunity_id))
        return batch_id

    async def by_id(self, opportunity_id: int) -> Opportunity | None:
        row = await self.db.fetchone("SELECT * FROM opportunities WHERE id = ?", (opportunity_id,))
        return Opportunity.from_row(row) if row else None

    async def by_batch(self, batch_id: int) -> Opportunity | None:
        row = await self.db.fetchone("SELECT * FROM opportunities WHERE batch_id = ?", (batch_id,))
        return Opportunity.from_row(row) if row else None

    async def created_by(self, participant_id: int, limit: int = 10) -> list[Opportunity]:
        rows = await self.db.fetchall(
            "SELECT * FROM opportunities WHERE created_by = ? ORDER BY id DESC LIMIT ?", (participant_id, limit)
        )
        return [Opportunity.from_row(row) for row in rows]

    async def was_sent_to(self, opportunity: Opportunity, participant_id: int) -> bool:
        if opportunity.batch_id is None:
            return False
        return bool(
            await self.db.fetchval(
                "SELECT 1 FROM outbox WHERE participant_id = ? AND batch_id = ? AND status = 'sent'",
                (participant_id, opportunity.batch_id),
            )
        )

    async def respond(self, opportunity_id: int, participant_id: int, response: str, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO opportunity_responses (opportunity_id, participant_id, response, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (opportunity_id, participant_id) DO UPDATE SET response = excluded.response,"
            " at = excluded.at",
            (opportunity_id, participant_id, response, to_db(now)),
        )

    async def interested(self, opportunity_id: int) -> list[tuple[int, str | None]]:
        rows = await self.db.fetchall(
            "SELECT p.id, p.display_name FROM opportunity_responses r JOIN participants p ON p.id = r.participant_id"
            " WHERE r.opportunity_id = ? AND r.response = 'interested' AND p.erased_at IS NULL ORDER BY r.at",
            (opportunity_id,),
        )
        return [(row["id"], row["display_name"]) for row in rows]

    async def response_counts(self, opportunity_id: int) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT response, COUNT(*) AS n FROM opportunity_responses WHERE opportunity_id = ? GROUP BY response",
            (opportunity_id,),
        )
        return {row["response"]: row["n"] for row in rows}

    async def mark_invited(self, opportunity_id: int, participant_ids: list[int], project_id: int) -> None:
        """Remember who was invited to which group, so each can be told when it is decided."""
        await self.db.executemany(
            "UPDATE opportunity_responses SET invited_to = ? WHERE opportunity_id = ? AND participant_id = ?",
            [(project_id, opportunity_id, participant_id) for participant_id in participant_ids],
        )

    async def invited(self, opportunity_id: int) -> dict[int, int]:
        """Interested person -> the group they were invited to."""
        rows = await self.db.fetchall(
            "SELECT participant_id, invited_to FROM opportunity_responses WHERE opportunity_id = ?"
            " AND invited_to IS NOT NULL",
            (opportunity_id,),
        )
        return {row["participant_id"]: row["invited_to"] for row in rows}

    async def record_outcome(self, opportunity_id: int, outcome: str, text: str, now: datetime) -> bool:
        """Close with what happened next; False if it was already closed, so people hear it once."""
        return bool(
            await self.db.execute(
                "UPDATE opportunities SET outcome = ?, outcome_text = ?, outcome_at = ?"
                " WHERE id = ? AND outcome IS NULL",
                (outcome, text, to_db(now), opportunity_id),
            )
        )

    async def set_paused(self, participant_id: int, paused: bool) -> None:
        await self.db.execute(
            "UPDATE participants SET opportunities_paused = ? WHERE id = ?", (1 if paused else 0, participant_id)
        )

    async def is_paused(self, participant_id: int) -> bool:
        return bool(
            await self.db.fetchval("SELECT opportunities_paused FROM participants WHERE id = ?", (participant_id,))
        )

    async def export(self, participant_id: int) -> dict[str, list[dict[str, Any]]]:
        """What /mydata shows of a person's answers (their questions are threads: storage.questions)."""
        answers = await self.db.fetchall(
            "SELECT o.title, r.response, r.at FROM opportunity_responses r JOIN opportunities o"
            " ON o.id = r.opportunity_id WHERE r.participant_id = ? ORDER BY r.at",
            (participant_id,),
        )
        return {"opportunity_answers": [dict(row) for row in answers]}
