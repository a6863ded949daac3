"""Access needs, one row per person."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from domain.access import AccessProfile
from storage.db import Database
from storage.dialects import placeholders
from storage.times import to_db


def _profile(row: Any) -> AccessProfile:
    return AccessProfile(
        needs=frozenset(json.loads(row["needs"])),
        prefers=row["prefers"],
        times=frozenset(json.loads(row["times"])),
        longest=row["longest"],
        other=row["other"],
    )


class AccessNeeds:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, participant_id: int) -> AccessProfile:
        row = await self.db.fetchone("SELECT * FROM access_needs WHERE participant_id = ?", (participant_id,))
        return _profile(row) if row else AccessProfile()

    async def save(self, participant_id: int, profile: AccessProfile, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO access_needs (participant_id, needs, prefers, times, longest, other, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (participant_id) DO UPDATE SET needs = excluded.needs,"
            " prefers = excluded.prefers, times = excluded.times, longest = excluded.longest,"
            " other = excluded.other, updated_at = excluded.updated_at",
            (
                participant_id,
                json.dumps(sorted(profile.needs)),
                profile.prefers,
                json.dumps(sorted(profile.times)),
                profile.longest,
                profile.other,
                to_db(now),
            ),
        )

    async def for_participants(self, participant_ids: list[int]) -> dict[int, AccessProfile]:
        """Everyone's needs in one query (for an organiser's meeting view)."""
        if not participant_ids:
            return {}
        rows = await self.db.fetchall(
            f"SELECT * FROM access_needs WHERE participant_id IN ({placeholders(participant_ids)})", participant_ids
        )
        return {row["participant_id"]: _profile(row) for row in rows}
