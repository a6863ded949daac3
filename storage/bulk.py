"""Bulk loading for benchmarks and demos: many registered residents in one transaction."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database
from storage.times import to_db


async def add_residents(
    db: Database, telegram_ids: list[int], now: datetime, language: str = "en", topic: str | None = "carers"
) -> list[int]:
    """Registered, consenting residents (with one topic); returns their participant ids in order."""
    stamp = to_db(now)
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO participants (telegram_id, language, display_name, acting_for, created_at, registered_at)"
            " VALUES (?, ?, ?, 'self', ?, ?)",
            [(telegram_id, language, f"Resident {telegram_id}", stamp, stamp) for telegram_id in telegram_ids],
        )
        rows = await conn.fetchall(
            "SELECT id FROM participants WHERE telegram_id >= ? AND telegram_id <= ? ORDER BY telegram_id",
            (min(telegram_ids), max(telegram_ids)),
        )
        ids = [row["id"] for row in rows]
        await conn.executemany(
            "INSERT INTO consents (participant_id, notice_version, given_at) VALUES (?, ?, ?)",
            [(pid, "2026-11", stamp) for pid in ids],
        )
        if topic:
            await conn.executemany(
                "INSERT INTO participant_topics (participant_id, topic_slug) VALUES (?, ?)",
                [(pid, topic) for pid in ids],
            )
    return ids
