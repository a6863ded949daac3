"""Proposals and votes, members' answers, outcomes and the decision log.

Writes that must land together with their messages (opening, closing, an outcome) take the
caller's connection, so a use case wraps them and the outbox rows in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.decisions import Answer, Kind, Outcome
from domain.profile import QuietHours
from storage.db import Database, Tx
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Decision:
    id: int
    project_id: int
    kind: Kind
    title: str
    body: str | None
    body_voice: str | None
    proposer_id: int | None
    dots: int | None
    quorum_percent: int
    charter_id: int | None
    opened_at: datetime
    closes_at: datetime
    status: str
    members_at_close: int | None
    outcome: Outcome | None
    outcome_text: str | None
    block_answer: str | None
    outcome_at: datetime | None
    review_on: str | None

    @classmethod
    def from_row(cls, row: Any) -> Decision:
        return cls(
            id=row["id"],
            project_id=row["project_id"],
            kind=Kind(row["kind"]),
            title=row["title"],
            body=row["body"],
            body_voice=row["body_voice"],
            proposer_id=row["proposer_id"],
            dots=row["dots"],
            quorum_percent=row["quorum_percent"],
            charter_id=row["charter_id"],
            opened_at=from_db(row["opened_at"]),
            closes_at=from_db(row["closes_at"]),
            status=row["status"],
            members_at_close=row["members_at_close"],
            outcome=Outcome(row["outcome"]) if row["outcome"] else None,
            outcome_text=row["outcome_text"],
            block_answer=row["block_answer"],
            outcome_at=from_db(row["outcome_at"]) if row["outcome_at"] else None,
            review_on=row["review_on"],
        )


@dataclass(frozen=True)
class Option:
    id: int
    position: int
    label: str
    candidate_id: int | None


@dataclass(frozen=True)
class GivenAnswer:
    participant_id: int
    name: str
    answer: Answer | None
    reason: str | None
    reason_voice: str | None
    on_behalf: bool
    anonymous: bool


@dataclass(frozen=True)
class Member:
    participant_id: int
    telegram_id: int | None
    language: str
    name: str
    quiet_hours: QuietHours | None
    acting_for_someone: bool


# Who a group's decisions go to and whose answers its quorum counts. People who take part through
# staff are left out until staff can answer a proposal for them (staff record their polls, RSVPs,
# feedback, check-ins and claims), so a quorum never counts someone who could not have answered.
_ELECTORATE = (
    " FROM project_members m JOIN participants p ON p.id = m.participant_id"
    " WHERE m.project_id = ? AND p.registered_at IS NOT NULL AND p.takes_part IS NULL"
)
_MEMBERS = (
    "SELECT p.id, p.telegram_id, p.language, p.display_name, p.quiet_start, p.quiet_end, p.acting_for"
    + _ELECTORATE
    + " ORDER BY p.id"
)


def _member(row: Any) -> Member:
    quiet = (
        QuietHours(row["quiet_start"], row["quiet_end"])
        if row["quiet_start"] is not None and row["quiet_end"] is not None
        else None
    )
    return Member(
        row["id"],
        row["telegram_id"],
        row["language"],
        row["display_name"] or "—",
        quiet,
        row["acting_for"] in ("cared_for", "advocated_for"),
    )


def _given(row: Any) -> GivenAnswer:
    return GivenAnswer(
        row["participant_id"],
        row["display_name"] or "—",
        Answer(row["answer"]) if row["answer"] else None,
        row["reason"],
        row["reason_voice"],
        bool(row["on_behalf"]),
        bool(row["anonymous"]),
    )


class Decisions:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- opening ------------------------------------------------------------------------
    @staticmethod
    async def create(
        conn: Tx,
        *,
        project_id: int,
        kind: Kind,
        title: str,
        body: str | None,
        body_voice: str | None,
        proposer_id: int | None,
        dots: int | None,
        quorum_percent: int,
        charter_id: int | None,
        options: list[tuple[str, int | None]],
        opened: datetime,
        closes: datetime,
        key: str,
    ) -> tuple[int, bool]:
        """(id, created now?): the same submission key gives back the first decision."""
        row = await conn.fetchone("SELECT id FROM decisions WHERE submission_key = ?", (key,))
        if row is not None:
            return int(row["id"]), False
        inserted = await conn.insert(
            "INSERT INTO decisions (project_id, kind, title, body, body_voice, proposer_id, dots, quorum_percent,"
            " charter_id, opened_at, closes_at, submission_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                project_id,
                kind.value,
                title,
                body,
                body_voice,
                proposer_id,
                dots,
                quorum_percent,
                charter_id,
                to_db(opened),
                to_db(closes),
                key,
            ),
        )
        decision_id = inserted
        await conn.executemany(
            "INSERT INTO decision_options (decision_id, position, label, candidate_id) VALUES (?, ?, ?, ?)",
            [(decision_id, position, label, candidate) for position, (label, candidate) in enumerate(options, 1)],
        )
        return decision_id, True

    # --- reading ------------------------------------------------------------------------
    async def by_id(self, decision_id: int) -> Decision | None:
        row = await self.db.fetchone("SELECT * FROM decisions WHERE id = ?", (decision_id,))
        return Decision.from_row(row) if row else None

    async def by_key(self, key: str) -> Decision | None:
        row = await self.db.fetchone("SELECT * FROM decisions WHERE submission_key = ?", (key,))
        return Decision.from_row(row) if row else None

    async def options(self, decision_id: int) -> list[Option]:
        rows = await self.db.fetchall(
            "SELECT id, position, label, candidate_id FROM decision_options WHERE decision_id = ? ORDER BY position",
            (decision_id,),
        )
        return [Option(row["id"], row["position"], row["label"], row["candidate_id"]) for row in rows]

    async def of_project(
        self, project_id: int, *, open_only: bool = False, limit: int = 200, offset: int = 0
    ) -> list[Decision]:
        """Newest first: the group's decision log, or what is open now (from `offset`, a page's start)."""
        sql = (
            "SELECT * FROM decisions WHERE project_id = ? AND status = 'open'"
            " ORDER BY opened_at DESC, id DESC LIMIT ? OFFSET ?"
            if open_only
            else "SELECT * FROM decisions WHERE project_id = ? ORDER BY opened_at DESC, id DESC LIMIT ? OFFSET ?"
        )
        return [Decision.from_row(row) for row in await self.db.fetchall(sql, (project_id, limit, offset))]

    async def open_counts(self, project_ids: list[int]) -> dict[int, int]:
        """Open decisions per group, in one query."""
        if not project_ids:
            return {}
        marks = ",".join("?" * len(project_ids))
        rows = await self.db.fetchall(
            f"SELECT project_id, COUNT(*) AS n FROM decisions WHERE status = 'open' AND project_id IN ({marks})"
            " GROUP BY project_id",
            project_ids,
        )
        return {row["project_id"]: row["n"] for row in rows}

    async def members(self, project_id: int) -> list[Member]:
        return [_member(row) for row in await self.db.fetchall(_MEMBERS, (project_id,))]

    async def electorate_size(self, project_id: int) -> int:
        """How many members a decision of the group counts, while it is open."""
        return int(await self.db.fetchval("SELECT COUNT(*)" + _ELECTORATE, (project_id,)) or 0)

    async def answers(self, decision_id: int) -> list[GivenAnswer]:
        rows = await self.db.fetchall(
            "SELECT a.*, p.display_name FROM decision_answers a JOIN participants p ON p.id = a.participant_id"
            " WHERE a.decision_id = ? ORDER BY a.answered_at",
            (decision_id,),
        )
        return [_given(row) for row in rows]

    async def my_answer(self, decision_id: int, participant_id: int) -> GivenAnswer | None:
        row = await self.db.fetchone(
            "SELECT a.*, p.display_name FROM decision_answers a JOIN participants p ON p.id = a.participant_id"
            " WHERE a.decision_id = ? AND a.participant_id = ?",
            (decision_id, participant_id),
        )
        return _given(row) if row else None

    async def ballots(self, decision_id: int) -> dict[int, dict[int, int]]:
        """Sent votes: participant → option → value (dots given, or place in the ranking)."""
        rows = await self.db.fetchall(
            "SELECT participant_id, option_id, value FROM decision_votes WHERE decision_id = ?", (decision_id,)
        )
        ballots: dict[int, dict[int, int]] = {}
        for row in rows:
            ballots.setdefault(row["participant_id"], {})[row["option_id"]] = row["value"]
        return ballots

    async def taking_part(self, project_ids: list[int]) -> dict[int, tuple[int, int]]:
        """Per group: (decisions closed with an outcome, average share of members answering in %)."""
        if not project_ids:
            return {}
        marks = ",".join("?" * len(project_ids))
        rows = await self.db.fetchall(
            "SELECT d.project_id, COUNT(*) AS decided,"
            " AVG(CASE WHEN d.members_at_close > 0 THEN (SELECT COUNT(*) FROM decision_answers a"
            "     WHERE a.decision_id = d.id) * 100.0 / d.members_at_close END) AS share"
            f" FROM decisions d WHERE d.status = 'decided' AND d.project_id IN ({marks}) GROUP BY d.project_id",
            project_ids,
        )
        return {row["project_id"]: (row["decided"], round(row["share"] or 0)) for row in rows}

    # --- answering ----------------------------------------------------------------------
    async def set_answer(
        self,
        decision_id: int,
        participant_id: int,
        answer: Answer,
        *,
        reason: str | None,
        reason_voice: str | None,
        on_behalf: bool,
        anonymous: bool,
        now: datetime,
    ) -> bool:
        """Record or change an answer while the decision is open; False once it has closed."""
        changed = await self.db.execute(
            "INSERT INTO decision_answers (decision_id, participant_id, answer, reason, reason_voice, on_behalf,"
            " anonymous, answered_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? FROM decisions"
            " WHERE id = ? AND status = 'open' AND closes_at > ?"
            " ON CONFLICT (decision_id, participant_id) DO UPDATE SET answer = excluded.answer,"
            " reason = excluded.reason, reason_voice = excluded.reason_voice, on_behalf = excluded.on_behalf,"
            " anonymous = excluded.anonymous, answered_at = excluded.answered_at",
            (
                decision_id,
                participant_id,
                answer.value,
                reason,
                reason_voice,
                int(on_behalf),
                int(anonymous),
                to_db(now),
                decision_id,
                to_db(now),
            ),
        )
        return changed > 0

    async def set_ballot(
        self, decision_id: int, participant_id: int, ballot: dict[int, int], *, on_behalf: bool, now: datetime
    ) -> bool:
        """Replace a member's votes while the decision is open; False once it has closed."""
        async with self.db.transaction() as conn:
            still_open = await conn.fetchone(
                "SELECT 1 FROM decisions WHERE id = ? AND status = 'open' AND closes_at > ?", (decision_id, to_db(now))
            )
            if still_open is None:
                return False
            await conn.execute(
                "DELETE FROM decision_votes WHERE decision_id = ? AND participant_id = ?", (decision_id, participant_id)
            )
            await conn.executemany(
                "INSERT INTO decision_votes (decision_id, participant_id, option_id, value) SELECT ?, ?, id, ?"
                " FROM decision_options WHERE id = ? AND decision_id = ?",
                [
                    (decision_id, participant_id, value, option, decision_id)
                    for option, value in ballot.items()
                    if value > 0
                ],
            )
            await conn.execute(
                "INSERT INTO decision_answers (decision_id, participant_id, on_behalf, answered_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (decision_id, participant_id) DO UPDATE SET"
                " on_behalf = excluded.on_behalf, answered_at = excluded.answered_at",
                (decision_id, participant_id, int(on_behalf), to_db(now)),
            )
        return True

    async def set_anonymous(self, decision_id: int, participant_id: int, hidden: bool) -> bool:
        """Hide (or show) a member's name from the leads on an answer they gave; False if none."""
        return (
            await self.db.execute(
                "UPDATE decision_answers SET anonymous = ? WHERE decision_id = ? AND participant_id = ?",
                (int(hidden), decision_id, participant_id),
            )
            > 0
        )

    # --- closing and outcomes -------------------------------------------------------------
    @staticmethod
    async def close(conn: Tx, decision_id: int, members: int, now: datetime) -> bool:
        """Close once: False if it was already closed (a second close does nothing)."""
        changed = await conn.execute(
            "UPDATE decisions SET status = 'closed', closed_at = ?, members_at_close = ?"
            " WHERE id = ? AND status = 'open'",
            (to_db(now), members, decision_id),
        )
        return changed == 1

    @staticmethod
    async def record_outcome(
        conn: Tx,
        decision_id: int,
        *,
        outcome: Outcome | None,
        text: str | None,
        block_answer: str | None,
        review_on: str | None,
        by: int | None,
        now: datetime,
    ) -> bool:
        """Record the outcome once, after it closed; False if one is already recorded."""
        changed = await conn.execute(
            "UPDATE decisions SET status = 'decided', outcome = ?, outcome_text = ?, block_answer = ?,"
            " review_on = ?, outcome_by = ?, outcome_at = ? WHERE id = ? AND status = 'closed'",
            (outcome.value if outcome else None, text, block_answer, review_on, by, to_db(now), decision_id),
        )
        return changed == 1

    async def due_reviews(self, today: str) -> list[Decision]:
        rows = await self.db.fetchall(
            "SELECT * FROM decisions WHERE status = 'decided' AND review_on <= ? AND review_prompted_at IS NULL",
            (today,),
        )
        return [Decision.from_row(row) for row in rows]

    async def mark_review_prompted(self, decision_id: int, now: datetime) -> None:
        await self.db.execute("UPDATE decisions SET review_prompted_at = ? WHERE id = ?", (to_db(now), decision_id))

    async def export_rows(self, participant_id: int) -> list[dict[str, Any]]:
        """What /mydata shows: the proposals they put, with the versions they added in other
        languages, and their answers (with their reasons)."""
        rows = await self.db.fetchall(
            "SELECT 'proposed' AS what, title, body AS words, opened_at AS at,"
            f" (SELECT {self.db.sql.json_object_agg('v.language', 'v.fields')} FROM text_versions v"
            "  WHERE v.item_kind = 'decision' AND v.item_id = decisions.id AND v.fields != '{}') AS versions"
            " FROM decisions WHERE proposer_id = ?"
            " UNION ALL SELECT 'answered', d.title, COALESCE(a.answer, 'votes sent') || COALESCE(': ' || a.reason, ''),"
            " a.answered_at, NULL FROM decision_answers a JOIN decisions d ON d.id = a.decision_id"
            " WHERE a.participant_id = ? ORDER BY at",
            (participant_id, participant_id),
        )
        return [{**dict(row), "versions": json.loads(row["versions"]) if row["versions"] else None} for row in rows]

    # --- inside a caller's transaction ---------------------------------------------------
    @staticmethod
    async def read(conn: Tx, decision_id: int) -> Decision:
        row = await conn.fetchone("SELECT * FROM decisions WHERE id = ?", (decision_id,))
        return Decision.from_row(row)

    @staticmethod
    async def read_options(conn: Tx, decision_id: int) -> list[Option]:
        rows = await conn.fetchall(
            "SELECT id, position, label, candidate_id FROM decision_options WHERE decision_id = ? ORDER BY position",
            (decision_id,),
        )
        return [Option(row["id"], row["position"], row["label"], row["candidate_id"]) for row in rows]

    async def people(self, participant_ids: list[int]) -> list[Member]:
        """Leads and members by id, in one query."""
        if not participant_ids:
            return []
        marks = ",".join("?" * len(participant_ids))
        rows = await self.db.fetchall(
            "SELECT id, telegram_id, language, display_name, quiet_start, quiet_end, acting_for FROM participants"
            f" WHERE id IN ({marks}) ORDER BY id",
            participant_ids,
        )
        return [_member(row) for row in rows]

    async def answer_counts(self, project_id: int) -> dict[int, dict[tuple[str | None, bool], int]]:
        """Per decision of a group: how many gave each answer, on their own behalf or not."""
        rows = await self.db.fetchall(
            "SELECT a.decision_id, a.answer, a.on_behalf, COUNT(*) AS n FROM decision_answers a"
            " JOIN decisions d ON d.id = a.decision_id WHERE d.project_id = ?"
            " GROUP BY a.decision_id, a.answer, a.on_behalf",
            (project_id,),
        )
        counts: dict[int, dict[tuple[str | None, bool], int]] = {}
        for row in rows:
            counts.setdefault(row["decision_id"], {})[(row["answer"], bool(row["on_behalf"]))] = row["n"]
        return counts
