"""Claims, their items (expenses and involvement kept apart), events, and pre-approvals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.claims import RESULT, TRANSITIONS, kind_of
from storage.db import Database, Tx
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Claim:
    id: int
    reference: str
    participant_id: int
    meeting_id: int | None
    activity: str | None
    payment_preference: str
    donate_to: str | None
    note: str | None
    status: str
    submitted_at: datetime
    decided_by: int | None
    reason: str | None

    @classmethod
    def from_row(cls, row: Any) -> Claim:
        return cls(
            id=row["id"],
            reference=row["reference"],
            participant_id=row["participant_id"],
            meeting_id=row["meeting_id"],
            activity=row["activity"],
            payment_preference=row["payment_preference"],
            donate_to=row["donate_to"],
            note=row["note"],
            status=row["status"],
            submitted_at=from_db(row["submitted_at"]),
            decided_by=row["decided_by"],
            reason=row["reason"],
        )


@dataclass(frozen=True)
class ClaimItem:
    kind: str
    category: str
    amount_pence: int
    miles: str | None
    vehicle: str | None
    passengers: int | None
    hours: str | None
    receipt_file_id: str | None
    receipt_type: str | None
    preapproval_id: int | None
    time_ask_id: int | None = None  # "something else I did", agreed by the meeting's organiser


class Claims:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def submit(
        self,
        *,
        participant_id: int,
        meeting_id: int | None,
        activity: str | None,
        preference: str,
        donate_to: str | None,
        note: str | None,
        items: list[dict[str, Any]],
        now: datetime,
        key: str | None = None,
    ) -> tuple[Claim, bool]:
        """Claim, items and the first event in one transaction: acknowledged only once committed.

        Returns (claim, created now?): a draft sent twice gives back the first claim.
        """
        async with self.db.transaction() as conn:
            existing = (
                None if key is None else await conn.fetchone("SELECT id FROM claims WHERE submission_key = ?", (key,))
            )
            if existing is not None:
                claim_id, created = int(existing["id"]), False
            else:
                claim_id, created = (
                    await self._insert(
                        conn, participant_id, meeting_id, activity, preference, donate_to, note, items, now, key
                    ),
                    True,
                )
        claim = await self.by_id(claim_id)
        assert claim is not None
        return claim, created

    @staticmethod
    async def _insert(
        conn: Tx,
        participant_id: int,
        meeting_id: int | None,
        activity: str | None,
        preference: str,
        donate_to: str | None,
        note: str | None,
        items: list[dict[str, Any]],
        now: datetime,
        key: str | None,
    ) -> int:
        year = now.year
        earlier = await conn.count("SELECT COUNT(*) FROM claims WHERE reference LIKE ?", (f"C-{year}-%",))
        claim_id = await conn.insert(
            "INSERT INTO claims (reference, participant_id, meeting_id, activity, payment_preference, donate_to,"
            " note, status, submitted_at, submission_key) VALUES (?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?)",
            (
                f"C-{year}-{earlier + 1:04d}",
                participant_id,
                meeting_id,
                activity,
                preference,
                donate_to,
                note,
                to_db(now),
                key,
            ),
        )
        await conn.executemany(
            "INSERT INTO claim_items (claim_id, kind, category, amount_pence, miles, vehicle, passengers, hours,"
            " receipt_file_id, receipt_type, preapproval_id, time_ask_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    claim_id,
                    kind_of(i["category"]).value,
                    i["category"],
                    i["amount"],
                    i.get("miles"),
                    i.get("vehicle"),
                    i.get("passengers"),
                    i.get("hours"),
                    i.get("receipt"),
                    i.get("receipt_type"),
                    i.get("preapproval_id"),
                    i.get("time_ask_id"),
                )
                for i in items
            ],
        )
        await conn.execute(
            "INSERT INTO claim_events (claim_id, at, actor_participant_id, action) VALUES (?, ?, ?, 'submitted')",
            (claim_id, to_db(now), participant_id),
        )
        return claim_id

    async def by_submission(self, participant_id: int, key: str) -> Claim | None:
        """The claim a person's draft became, found again from its Send button."""
        row = await self.db.fetchone(
            "SELECT * FROM claims WHERE submission_key = ? AND participant_id = ?", (key, participant_id)
        )
        return Claim.from_row(row) if row else None

    async def by_id(self, claim_id: int) -> Claim | None:
        row = await self.db.fetchone("SELECT * FROM claims WHERE id = ?", (claim_id,))
        return Claim.from_row(row) if row else None

    async def items(self, claim_id: int) -> list[ClaimItem]:
        rows = await self.db.fetchall("SELECT * FROM claim_items WHERE claim_id = ? ORDER BY id", (claim_id,))
        return [
            ClaimItem(
                kind=r["kind"],
                category=r["category"],
                amount_pence=r["amount_pence"],
                miles=r["miles"],
                vehicle=r["vehicle"],
                passengers=r["passengers"],
                hours=r["hours"],
                receipt_file_id=r["receipt_file_id"],
                receipt_type=r["receipt_type"],
                preapproval_id=r["preapproval_id"],
                time_ask_id=r["time_ask_id"],
            )
            for r in rows
        ]

    async def events(self, claim_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall("SELECT * FROM claim_events WHERE claim_id = ? ORDER BY id", (claim_id,))
        return [dict(row) for row in rows]

    async def mine(self, participant_id: int, limit: int = 20) -> list[Claim]:
        rows = await self.db.fetchall(
            "SELECT * FROM claims WHERE participant_id = ? ORDER BY id DESC LIMIT ?", (participant_id, limit)
        )
        return [Claim.from_row(row) for row in rows]

    async def queue(self, limit: int = 10) -> list[Claim]:
        rows = await self.db.fetchall(
            "SELECT * FROM claims WHERE status IN ('submitted', 'query') ORDER BY submitted_at, id LIMIT ?", (limit,)
        )
        return [Claim.from_row(row) for row in rows]

    async def approved_unpaid(self, limit: int = 10) -> list[Claim]:
        rows = await self.db.fetchall(
            "SELECT * FROM claims WHERE status = 'approved' ORDER BY decided_at, id LIMIT ?", (limit,)
        )
        return [Claim.from_row(row) for row in rows]

    async def transition(
        self, claim_id: int, action: str, actor: int | None, now: datetime, detail: str | None = None
    ) -> bool:
        """Apply one officer (or resident) action if the claim is in a state that allows it.

        The conditional UPDATE makes a second tap, or two officers at once, change nothing.
        """
        allowed = TRANSITIONS[action]
        placeholders = ",".join("?" for _ in allowed)
        new_status = RESULT[action]
        async with self.db.transaction() as conn:
            if action in ("approve", "reject"):
                sql = (
                    "UPDATE claims SET status = ?, decided_by = ?, decided_at = ?, reason = ? WHERE id = ?"
                    " AND status IN (" + placeholders + ")"
                )
                params: tuple[Any, ...] = (
                    new_status,
                    actor,
                    to_db(now),
                    detail if action == "reject" else None,
                    claim_id,
                    *allowed,
                )
            elif action == "paid":
                sql = "UPDATE claims SET status = ?, paid_at = ? WHERE id = ? AND status IN (" + placeholders + ")"
                params = (new_status, to_db(now), claim_id, *allowed)
            else:
                sql = "UPDATE claims SET status = ? WHERE id = ? AND status IN (" + placeholders + ")"
                params = (new_status, claim_id, *allowed)
            changed = await conn.execute(sql, params)
            if changed != 1:
                return False
            await conn.execute(
                "INSERT INTO claim_events (claim_id, at, actor_participant_id, action, detail) VALUES (?, ?, ?, ?, ?)",
                (claim_id, to_db(now), actor, action, detail),
            )
            return True

    async def categories_claimed(self, participant_id: int, meeting_id: int) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT i.category FROM claim_items i JOIN claims c ON c.id = i.claim_id WHERE c.participant_id = ?"
            " AND c.meeting_id = ? AND c.status != 'rejected'",
            (participant_id, meeting_id),
        )
        return [row["category"] for row in rows]

    async def car_miles(self, participant_id: int, start: date, end: date) -> Decimal:
        rows = await self.db.fetchall(
            "SELECT i.miles FROM claim_items i JOIN claims c ON c.id = i.claim_id WHERE c.participant_id = ?"
            " AND i.vehicle = 'car' AND c.status != 'rejected' AND substr(c.submitted_at, 1, 10) BETWEEN ? AND ?",
            (participant_id, start.isoformat(), end.isoformat()),
        )
        return sum((Decimal(row["miles"]) for row in rows), Decimal(0))

    async def year_items(
        self, participant_id: int, start: date, end: date, statuses: tuple[str, ...] = ("approved", "paid")
    ) -> list[dict[str, Any]]:
        placeholders = ",".join("?" for _ in statuses)
        rows = await self.db.fetchall(
            "SELECT c.reference, c.status, c.submitted_at, c.paid_at, c.activity, m.title AS meeting, i.kind,"
            " i.category, i.amount_pence FROM claim_items i JOIN claims c ON c.id = i.claim_id"
            " LEFT JOIN meetings m ON m.id = c.meeting_id WHERE c.participant_id = ?"
            " AND substr(c.submitted_at, 1, 10) BETWEEN ? AND ? AND c.status IN (" + placeholders + ")"
            " ORDER BY c.submitted_at, i.id",
            (participant_id, start.isoformat(), end.isoformat(), *statuses),
        )
        return [dict(row) for row in rows]

    async def export_rows(self, start: date, end: date) -> list[dict[str, Any]]:
        """Approved and paid claims decided in the range: one row per item, for finance."""
        rows = await self.db.fetchall(
            "SELECT c.reference, c.participant_id, m.title AS meeting, c.activity, i.kind, i.category,"
            " i.amount_pence, i.miles, i.vehicle, i.passengers, i.hours, c.payment_preference, c.donate_to,"
            " c.status, c.submitted_at, c.decided_at, c.paid_at, approver.display_name AS approver"
            " FROM claim_items i JOIN claims c ON c.id = i.claim_id LEFT JOIN meetings m ON m.id = c.meeting_id"
            " LEFT JOIN participants approver ON approver.id = c.decided_by"
            " WHERE c.status IN ('approved', 'paid') AND substr(c.decided_at, 1, 10) BETWEEN ? AND ?"
            " ORDER BY c.decided_at, c.id, i.id",
            (start.isoformat(), end.isoformat()),
        )
        return [dict(row) for row in rows]

    async def mark_nudged(self, claim_ids: list[int], now: datetime) -> None:
        await self.db.executemany("UPDATE claims SET nudged_at = ? WHERE id = ?", [(to_db(now), i) for i in claim_ids])

    async def export_personal(self, participant_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT c.reference, c.status, c.submitted_at, i.kind, i.category, i.amount_pence FROM claims c"
            " JOIN claim_items i ON i.claim_id = c.id WHERE c.participant_id = ? ORDER BY c.id, i.id",
            (participant_id,),
        )
        return [dict(row) for row in rows]

    # --- pre-approvals -------------------------------------------------------------------
    async def ask_preapproval(
        self, participant_id: int, meeting_id: int, category: str, amount: int, now: datetime
    ) -> int:
        return await self.db.insert(
            "INSERT INTO preapprovals (participant_id, meeting_id, category, amount_pence, status, asked_at)"
            " VALUES (?, ?, ?, ?, 'asked', ?)",
            (participant_id, meeting_id, category, amount, to_db(now)),
        )

    async def decide_preapproval(self, preapproval_id: int, approve: bool, officer: int, now: datetime) -> bool:
        return (
            await self.db.execute(
                "UPDATE preapprovals SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'asked'",
                ("approved" if approve else "declined", officer, to_db(now), preapproval_id),
            )
            > 0
        )

    async def preapproval(self, preapproval_id: int) -> dict[str, Any] | None:
        row = await self.db.fetchone("SELECT * FROM preapprovals WHERE id = ?", (preapproval_id,))
        return dict(row) if row else None

    async def pending_preapprovals(self, limit: int = 10) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT * FROM preapprovals WHERE status = 'asked' ORDER BY asked_at LIMIT ?", (limit,)
        )
        return [dict(row) for row in rows]

    async def approved_preapproval(self, participant_id: int, meeting_id: int, category: str) -> dict[str, Any] | None:
        row = await self.db.fetchone(
            "SELECT * FROM preapprovals WHERE participant_id = ? AND meeting_id = ? AND category = ?"
            " AND status = 'approved' ORDER BY id DESC LIMIT 1",
            (participant_id, meeting_id, category),
        )
        return dict(row) if row else None
