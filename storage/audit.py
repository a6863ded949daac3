"""The audit log: who did what, when, and whether it was allowed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.db import Database
from storage.times import to_db


class Audit:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self,
        *,
        at: datetime,
        actor_telegram_id: int | None,
        actor_participant_id: int | None,
        action: str,
        outcome: str,
        subject: str | None = None,
        detail: str | None = None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO audit_log (at, actor_telegram_id, actor_participant_id, action, subject, outcome, detail)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (to_db(at), actor_telegram_id, actor_participant_id, action, subject, outcome, detail),
        )

    async def entries(self, limit: int = 20, *, actor_telegram_id: int | None = None) -> list[dict[str, Any]]:
        if actor_telegram_id is None:
            rows = await self.db.fetchall("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
        else:
            rows = await self.db.fetchall(
                "SELECT * FROM audit_log WHERE actor_telegram_id = ? ORDER BY id DESC LIMIT ?",
                (actor_telegram_id, limit),
            )
        return [dict(row) for row in rows]
