"""A group's Working Together for Change cycle: its step and dates, statements, themes,
placements, who answered each step, actions and their updates.

Moving a step on and queuing its messages happen in one transaction, so the writes that go
with messages take the caller's connection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.cycles import Kind, Step
from storage.db import Database, Tx
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Cycle:
    id: int
    project_id: int
    question: str
    lead_id: int | None
    step: Step
    step_days: int
    step_opened_at: datetime
    step_closes_at: datetime
    step_closed: bool
    decision_id: int | None
    finished: bool
    picked: bool = False  # the lead picked who takes part, rather than every member
    measured: bool = False  # the lead asked "where are we now?" again, for the review

    @classmethod
    def from_row(cls, row: Any) -> Cycle:
        return cls(
            row["id"],
            row["project_id"],
            row["question"],
            row["lead_id"],
            Step(row["step"]),
            row["step_days"],
            from_db(row["step_opened_at"]),
            from_db(row["step_closes_at"]),
            row["step_closed_at"] is not None,
            row["decision_id"],
            row["finished_at"] is not None,
            bool(row["picked"]),
            row["measured_at"] is not None,
        )


@dataclass(frozen=True)
class Theme:
    id: int
    position: int
    title: str
    i_statement: str | None
    success: str | None
    baseline: str | None


@dataclass(frozen=True)
class Statement:
    id: int
    participant_id: int | None
    kind: Kind
    text: str | None
    voice_file_id: str | None
    on_behalf: bool
    theme_id: int | None


@dataclass(frozen=True)
class SuccessLine:
    """What success looks like for a theme from one point of view, as the lead wrote it."""

    theme_id: int
    view: str  # a key of domain.success.VIEWS
    text: str
    indicators: str | None
    id: int = 0  # 0 until saved


@dataclass(frozen=True)
class Action:
    id: int
    theme_id: int | None
    text: str
    owner_id: int | None
    owner_name: str
    due_on: str | None
    updates: tuple[str, ...]
    proposed: bool  # a member's proposal, not yet given an owner


class Cycles:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- the cycle -----------------------------------------------------------------------
    @staticmethod
    async def create(
        conn: Tx,
        *,
        project_id: int,
        question: str,
        lead_id: int,
        days: int,
        now: datetime,
        dates: Mapping[Step, datetime],
        chosen: Sequence[int] | None,
        key: str,
    ) -> tuple[int, bool]:
        """(id, created now?): the same submission gives back the first cycle. `dates`: each step's
        agreed closing; `chosen`: who takes part, or None for every member."""
        row = await conn.fetchone("SELECT id FROM cycles WHERE submission_key = ?", (key,))
        if row is not None:
            return int(row["id"]), False
        inserted = await conn.insert(
            "INSERT INTO cycles (project_id, question, lead_id, step, step_days, step_opened_at, step_closes_at,"
            " started_at, submission_key, picked) VALUES (?, ?, ?, 'collect', ?, ?, ?, ?, ?, ?)",
            (
                project_id,
                question,
                lead_id,
                days,
                to_db(now),
                to_db(dates[Step.COLLECT]),
                to_db(now),
                key,
                int(chosen is not None),
            ),
        )
        cycle_id = inserted
        await conn.executemany(
            "INSERT INTO cycle_step_dates (cycle_id, step, closes_at) VALUES (?, ?, ?)",
            [(cycle_id, step.value, to_db(when)) for step, when in dates.items()],
        )
        await conn.executemany(
            "INSERT INTO cycle_participants (cycle_id, participant_id) VALUES (?, ?)",
            [(cycle_id, pid) for pid in sorted(set(chosen or ()))],
        )
        return cycle_id, True

    async def step_dates(self, cycle_id: int) -> dict[Step, datetime]:
        """Each step's closing date as the lead agreed it."""
        rows = await self.db.fetchall("SELECT step, closes_at FROM cycle_step_dates WHERE cycle_id = ?", (cycle_id,))
        return {Step(r["step"]): from_db(r["closes_at"]) for r in rows}

    async def chosen(self, cycle_id: int) -> set[int]:
        """Who the lead picked to take part."""
        rows = await self.db.fetchall("SELECT participant_id FROM cycle_participants WHERE cycle_id = ?", (cycle_id,))
        return {r["participant_id"] for r in rows}

    async def by_id(self, cycle_id: int) -> Cycle | None:
        row = await self.db.fetchone("SELECT * FROM cycles WHERE id = ?", (cycle_id,))
        return Cycle.from_row(row) if row else None

    async def current(self, project_id: int) -> Cycle | None:
        """The cycle under way, or else the group's latest."""
        row = await self.db.fetchone(
            "SELECT * FROM cycles WHERE project_id = ? ORDER BY finished_at IS NULL DESC, id DESC LIMIT 1",
            (project_id,),
        )
        return Cycle.from_row(row) if row else None

    @staticmethod
    async def move(
        conn: Tx,
        cycle_id: int,
        from_step: Step,
        to_step: Step,
        now: datetime,
        closes: datetime,
        *,
        decision_id: int | None = None,
    ) -> bool:
        """Move on once: False if another press moved it first."""
        changed = await conn.execute(
            "UPDATE cycles SET step = ?, step_opened_at = ?, step_closes_at = ?, step_closed_at = NULL,"
            " decision_id = COALESCE(?, decision_id),"
            " finished_at = CASE WHEN ? = 'review' THEN ? ELSE NULL END WHERE id = ? AND step = ?"
            " AND finished_at IS NULL",
            (
                to_step.value,
                to_db(now),
                to_db(closes),
                decision_id,
                to_step.value,
                to_db(now),
                cycle_id,
                from_step.value,
            ),
        )
        return changed == 1

    @staticmethod
    async def close_step(conn: Tx, cycle_id: int, step: Step, now: datetime) -> bool:
        changed = await conn.execute(
            "UPDATE cycles SET step_closed_at = ? WHERE id = ? AND step = ? AND step_closed_at IS NULL",
            (to_db(now), cycle_id, step.value),
        )
        return changed == 1

    # --- statements --------------------------------------------------------------------
    async def add_statements(
        self,
        cycle_id: int,
        participant_id: int,
        answers: list[tuple[Kind, str | None, str | None]],
        on_behalf: bool,
        now: datetime,
    ) -> bool:
        """A participant's answers to Collect, all at once; answering again replaces them."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM cycle_statements WHERE cycle_id = ? AND participant_id = ?", (cycle_id, participant_id)
            )
            await conn.executemany(
                "INSERT INTO cycle_statements (cycle_id, participant_id, kind, text, voice_file_id, on_behalf,"
                " written_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (cycle_id, participant_id, kind.value, text, voice, int(on_behalf), to_db(now))
                    for kind, text, voice in answers
                ],
            )
            await conn.execute(
                "INSERT OR IGNORE INTO cycle_responses (cycle_id, step, participant_id, answered_at)"
                " VALUES (?, 'collect', ?, ?)",
                (cycle_id, participant_id, to_db(now)),
            )
        return True

    async def statements(self, cycle_id: int) -> list[Statement]:
        rows = await self.db.fetchall("SELECT * FROM cycle_statements WHERE cycle_id = ? ORDER BY id", (cycle_id,))
        return [
            Statement(
                r["id"],
                r["participant_id"],
                Kind(r["kind"]),
                r["text"],
                r["voice_file_id"],
                bool(r["on_behalf"]),
                r["theme_id"],
            )
            for r in rows
        ]

    async def place_draft(self, statement_id: int, theme_id: int) -> None:
        await self.db.execute("UPDATE cycle_statements SET theme_id = ? WHERE id = ?", (theme_id, statement_id))

    async def place(self, statement_id: int, participant_id: int, theme_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO cycle_placements (statement_id, participant_id, theme_id, placed_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (statement_id, participant_id) DO UPDATE SET theme_id = excluded.theme_id,"
            " placed_at = excluded.placed_at",
            (statement_id, participant_id, theme_id, to_db(now)),
        )

    async def placements(self, cycle_id: int) -> dict[int, list[int]]:
        """Statement id → the themes participants placed it in."""
        rows = await self.db.fetchall(
            "SELECT p.statement_id, p.theme_id FROM cycle_placements p JOIN cycle_statements s"
            " ON s.id = p.statement_id WHERE s.cycle_id = ? ORDER BY p.placed_at",
            (cycle_id,),
        )
        found: dict[int, list[int]] = {}
        for row in rows:
            found.setdefault(row["statement_id"], []).append(row["theme_id"])
        return found

    # --- themes ------------------------------------------------------------------------
    async def set_themes(self, cycle_id: int, themes: list[tuple[str, str]]) -> None:
        """The lead's draft themes, replacing an earlier draft (and where statements were put)."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE cycle_statements SET theme_id = NULL WHERE cycle_id = ?", (cycle_id,))
            await conn.execute("DELETE FROM cycle_themes WHERE cycle_id = ?", (cycle_id,))
            await conn.executemany(
                "INSERT INTO cycle_themes (cycle_id, position, title, i_statement) VALUES (?, ?, ?, ?)",
                [
                    (cycle_id, position, title, statement or None)
                    for position, (title, statement) in enumerate(themes, 1)
                ],
            )

    async def themes(self, cycle_id: int) -> list[Theme]:
        rows = await self.db.fetchall("SELECT * FROM cycle_themes WHERE cycle_id = ? ORDER BY position", (cycle_id,))
        return [Theme(r["id"], r["position"], r["title"], r["i_statement"], r["success"], r["baseline"]) for r in rows]

    async def save_success(
        self, cycle_id: int, statements: Sequence[SuccessLine], baselines: Mapping[int, str], now: datetime
    ) -> None:
        """Step 5: the success statements, replacing an earlier go, and where each theme stands now."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM cycle_success WHERE cycle_id = ?", (cycle_id,))
            await conn.executemany(
                "INSERT INTO cycle_success (cycle_id, theme_id, view, text, indicators, written_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(cycle_id, s.theme_id, s.view, s.text, s.indicators, to_db(now)) for s in statements],
            )
            await conn.executemany(
                "UPDATE cycle_themes SET baseline = ? WHERE id = ? AND cycle_id = ?",
                [(text, theme_id, cycle_id) for theme_id, text in baselines.items()],
            )

    async def measure(self, cycle_id: int, now: datetime) -> bool:
        """The lead asks again, once: False if they already did."""
        return (
            await self.db.execute(
                "UPDATE cycles SET measured_at = ? WHERE id = ? AND measured_at IS NULL AND finished_at IS NULL",
                (to_db(now), cycle_id),
            )
            == 1
        )

    async def rate(self, success_id: int, participant_id: int, moment: str, score: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO cycle_ratings (success_id, participant_id, moment, score, rated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (success_id, participant_id, moment) DO UPDATE SET score = excluded.score,"
            " rated_at = excluded.rated_at",
            (success_id, participant_id, moment, score, to_db(now)),
        )

    async def ratings(self, cycle_id: int) -> dict[tuple[int, str], list[int]]:
        """(success id, 'baseline' or 'review') → the scores given."""
        rows = await self.db.fetchall(
            "SELECT r.success_id, r.moment, r.score FROM cycle_ratings r JOIN cycle_success s ON s.id = r.success_id"
            " WHERE s.cycle_id = ?",
            (cycle_id,),
        )
        found: dict[tuple[int, str], list[int]] = {}
        for row in rows:
            found.setdefault((row["success_id"], row["moment"]), []).append(row["score"])
        return found

    async def success_line(self, success_id: int) -> tuple[int, SuccessLine] | None:
        """(cycle id, the statement)."""
        row = await self.db.fetchone("SELECT * FROM cycle_success WHERE id = ?", (success_id,))
        return (
            (row["cycle_id"], SuccessLine(row["theme_id"], row["view"], row["text"], row["indicators"], row["id"]))
            if row
            else None
        )

    async def success(self, cycle_id: int) -> list[SuccessLine]:
        rows = await self.db.fetchall(
            "SELECT s.* FROM cycle_success s JOIN cycle_themes t ON t.id = s.theme_id WHERE s.cycle_id = ?"
            " ORDER BY t.position, s.id",
            (cycle_id,),
        )
        return [SuccessLine(r["theme_id"], r["view"], r["text"], r["indicators"], r["id"]) for r in rows]

    # --- who answered --------------------------------------------------------------------
    async def respond(self, cycle_id: int, step: Step, participant_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO cycle_responses (cycle_id, step, participant_id, answered_at) VALUES (?, ?, ?, ?)",
            (cycle_id, step.value, participant_id, to_db(now)),
        )

    async def answered(self, cycle_id: int, step: Step) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT participant_id FROM cycle_responses WHERE cycle_id = ? AND step = ?", (cycle_id, step.value)
        )
        return {row["participant_id"] for row in rows}

    # --- the plan ------------------------------------------------------------------------
    async def add_action(
        self,
        cycle_id: int,
        theme_id: int | None,
        text: str,
        owner_id: int | None,
        due_on: str | None,
        by: int,
        now: datetime,
        *,
        proposed: bool = False,
    ) -> int:
        return await self.db.insert(
            "INSERT INTO cycle_actions (cycle_id, theme_id, text, owner_id, due_on, created_by, proposed, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (cycle_id, theme_id, text, owner_id, due_on, by, int(proposed), to_db(now)),
        )

    async def actions(self, cycle_id: int) -> list[Action]:
        rows = await self.db.fetchall(
            "SELECT a.*, p.display_name FROM cycle_actions a LEFT JOIN participants p ON p.id = a.owner_id"
            " WHERE a.cycle_id = ? ORDER BY a.id",
            (cycle_id,),
        )
        updates = await self.db.fetchall(
            "SELECT u.action_id, u.text FROM cycle_updates u JOIN cycle_actions a ON a.id = u.action_id"
            " WHERE a.cycle_id = ? AND u.text IS NOT NULL ORDER BY u.id",
            (cycle_id,),
        )
        by_action: dict[int, list[str]] = {}
        for row in updates:
            by_action.setdefault(row["action_id"], []).append(row["text"])
        return [
            Action(
                r["id"],
                r["theme_id"],
                r["text"],
                r["owner_id"],
                r["display_name"] or "—",
                r["due_on"],
                tuple(by_action.get(r["id"], ())),
                bool(r["proposed"]),
            )
            for r in rows
        ]

    async def action(self, action_id: int) -> tuple[int, int | None] | None:
        """(cycle id, owner id) of an action."""
        row = await self.db.fetchone("SELECT cycle_id, owner_id FROM cycle_actions WHERE id = ?", (action_id,))
        return (row["cycle_id"], row["owner_id"]) if row else None

    async def add_update(self, action_id: int, author_id: int, text: str, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO cycle_updates (action_id, author_id, text, posted_at) VALUES (?, ?, ?, ?)",
            (action_id, author_id, text, to_db(now)),
        )

    async def named(self, cycle_id: int) -> list[int]:
        """Everyone whose words or name a cycle's report carries: who wrote a statement, proposed
        an action or posted an update, and who owns an action."""
        rows = await self.db.fetchall(
            "SELECT participant_id AS pid FROM cycle_statements WHERE cycle_id = ?"
            " UNION SELECT created_by FROM cycle_actions WHERE cycle_id = ? AND proposed = 1"
            " UNION SELECT owner_id FROM cycle_actions WHERE cycle_id = ?"
            " UNION SELECT u.author_id FROM cycle_updates u JOIN cycle_actions a ON a.id = u.action_id"
            " WHERE a.cycle_id = ?",
            (cycle_id, cycle_id, cycle_id, cycle_id),
        )
        return sorted(row["pid"] for row in rows if row["pid"] is not None)

    # --- anyone interested ---------------------------------------------------------------
    async def add_interested(self, cycle_id: int, participant_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT OR IGNORE INTO cycle_interested (cycle_id, participant_id, asked_at) VALUES (?, ?, ?)",
            (cycle_id, participant_id, to_db(now)),
        )

    async def interested(self, cycle_id: int) -> set[int]:
        rows = await self.db.fetchall("SELECT participant_id FROM cycle_interested WHERE cycle_id = ?", (cycle_id,))
        return {r["participant_id"] for r in rows}

    # --- a person's own data ---------------------------------------------------------------
    async def export_personal(self, participant_id: int) -> dict[str, list[dict[str, Any]]]:
        statements = await self.db.fetchall(
            "SELECT c.question, s.kind, s.text, s.voice_file_id IS NOT NULL AS voice, s.on_behalf, s.written_at"
            " FROM cycle_statements s JOIN cycles c ON c.id = s.cycle_id WHERE s.participant_id = ? ORDER BY s.id",
            (participant_id,),
        )
        updates = await self.db.fetchall(
            "SELECT a.text AS action, u.text, u.posted_at FROM cycle_updates u JOIN cycle_actions a"
            " ON a.id = u.action_id WHERE u.author_id = ? ORDER BY u.id",
            (participant_id,),
        )
        proposals = await self.db.fetchall(
            "SELECT text, created_at FROM cycle_actions WHERE created_by = ? AND proposed = 1 ORDER BY id",
            (participant_id,),
        )
        picked = await self.db.fetchall(
            "SELECT c.question, c.started_at FROM cycle_participants p JOIN cycles c ON c.id = p.cycle_id"
            " WHERE p.participant_id = ? ORDER BY c.id",
            (participant_id,),
        )
        rated = await self.db.fetchall(
            "SELECT s.text AS success, r.moment, r.score, r.rated_at FROM cycle_ratings r JOIN cycle_success s"
            " ON s.id = r.success_id WHERE r.participant_id = ? ORDER BY r.rated_at",
            (participant_id,),
        )
        interested = await self.db.fetchall(
            "SELECT c.question, i.asked_at FROM cycle_interested i JOIN cycles c ON c.id = i.cycle_id"
            " WHERE i.participant_id = ? ORDER BY c.id",
            (participant_id,),
        )
        return {
            "cycle_interested": [dict(r) for r in interested],
            "cycle_statements": [dict(r) for r in statements],
            "cycle_updates": [dict(r) for r in updates],
            "cycle_proposals": [dict(r) for r in proposals],
            "cycle_participants": [dict(r) for r in picked],
            "cycle_ratings": [dict(r) for r in rated],
        }
