"""The webhook's inbox: updates Telegram posted, stored before they were answered, until handled.

A row is written before Telegram hears 200 and deleted once its update is handled, so only
updates still being handled, or left by a process that died, are ever here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database
from storage.dialects import placeholders
from storage.times import to_db

# A stored update that this many processes took and none finished is dropped, not tried again:
# it may be what stopped them.
MOST_ATTEMPTS = 3


@dataclass(frozen=True)
class Stored:
    update_id: int
    body: str  # the update as Telegram posted it (JSON)


@dataclass(frozen=True)
class Adopted:
    """What a process that is no longer running left: to handle now, oldest first, and how many
    were dropped after MOST_ATTEMPTS."""

    updates: list[Stored]
    dropped: int


class Inbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def keep(self, update_id: int, person: int | None, body: str, now: datetime) -> bool:
        """Store an update for this process to handle; False when it is here already (Telegram
        posted it again because an answer was lost), so it is not handled twice."""
        changed = await self.db.execute(
            "INSERT INTO inbox (update_id, person, body, taken_by, received_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (update_id) DO NOTHING",
            (update_id, person, body, self.db.instance, to_db(now)),
            exclusive=False,
        )
        return changed == 1

    async def done(self, update_id: int) -> None:
        await self.db.execute("DELETE FROM inbox WHERE update_id = ?", (update_id,), exclusive=False)

    async def earlier_elsewhere(self, person: int, update_id: int) -> bool:
        """Whether another process still holds one of this person's earlier updates."""
        return (
            await self.db.fetchval(
                "SELECT 1 FROM inbox WHERE person = ? AND update_id < ? AND taken_by <> ? LIMIT 1",
                (person, update_id, self.db.instance),
            )
            is not None
        )

    async def adopt(self) -> Adopted:
        """Take over the updates a process that is no longer running stored but did not finish
        (this one before a restart, or another instance)."""
        live = sorted(await self.db.live_instances())
        gone = f"taken_by NOT IN ({placeholders(live)})"
        # Asked every few seconds (bot/peers.py) and nearly always empty: only take the writers'
        # lock when there is something to take over.
        if await self.db.fetchval(f"SELECT 1 FROM inbox WHERE {gone} LIMIT 1", live) is None:
            return Adopted([], 0)
        async with self.db.transaction() as tx:
            dropped = await tx.execute(f"DELETE FROM inbox WHERE {gone} AND attempts >= ?", (*live, MOST_ATTEMPTS))
            rows = await tx.fetchall(f"SELECT update_id, body FROM inbox WHERE {gone} ORDER BY update_id", live)
            if rows:
                ids = [row["update_id"] for row in rows]
                await tx.execute(
                    f"UPDATE inbox SET taken_by = ?, attempts = attempts + 1 WHERE update_id IN ({placeholders(ids)})",
                    (self.db.instance, *ids),
                )
        return Adopted([Stored(row["update_id"], row["body"]) for row in rows], dropped)
