"""Residents (and staff, who are participants too): profile, consent, topics, erasure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.profile import QuietHours
from storage.db import Database
from storage.dialects import placeholders
from storage.erasure import erase_person
from storage.outbox import chat_for
from storage.times import from_db, to_db

_FIELDS = ("display_name", "acting_for", "other_consent_at", "area", "quiet_start", "quiet_end", "language")


@dataclass(frozen=True)
class Participant:
    id: int
    telegram_id: int | None
    language: str
    display_name: str | None
    acting_for: str | None
    other_consent_at: datetime | None
    area: str | None
    quiet_hours: QuietHours | None
    registered: bool
    unreachable: bool = False
    active_on: date | None = None
    takes_part: str | None = None  # 'phone', 'paper' or 'partner' for someone who takes part through staff

    @property
    def chat(self) -> int | None:
        return chat_for(self.telegram_id, self.takes_part)

    @classmethod
    def from_row(cls, row: Any) -> Participant:
        quiet = None
        if row["quiet_start"] is not None and row["quiet_end"] is not None:
            quiet = QuietHours(row["quiet_start"], row["quiet_end"])
        return cls(
            id=row["id"],
            telegram_id=row["telegram_id"],
            language=row["language"],
            display_name=row["display_name"],
            acting_for=row["acting_for"],
            other_consent_at=from_db(row["other_consent_at"]) if row["other_consent_at"] else None,
            area=row["area"],
            quiet_hours=quiet,
            registered=row["registered_at"] is not None,
            unreachable=row["unreachable_at"] is not None,
            active_on=date.fromisoformat(row["active_on"]) if row["active_on"] else None,
            takes_part=row["takes_part"],
        )


class Participants:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def by_telegram_id(self, telegram_id: int) -> Participant | None:
        row = await self.db.fetchone("SELECT * FROM participants WHERE telegram_id = ?", (telegram_id,))
        return Participant.from_row(row) if row else None

    async def with_role(self, telegram_id: int) -> tuple[Participant | None, str | None]:
        """Who is talking and their stored staff role, in the one query every update makes."""
        row = await self.db.fetchone(
            "SELECT r.role AS stored_role, p.* FROM (SELECT 1 AS one) AS q"
            " LEFT JOIN participants p ON p.telegram_id = ? LEFT JOIN roles r ON r.telegram_id = ?",
            (telegram_id, telegram_id),
        )
        if row is None:
            return None, None
        role = None if row["stored_role"] is None else str(row["stored_role"])
        return (Participant.from_row(row) if row["id"] is not None else None), role

    async def by_id(self, participant_id: int) -> Participant | None:
        row = await self.db.fetchone("SELECT * FROM participants WHERE id = ?", (participant_id,))
        return Participant.from_row(row) if row else None

    async def names(self, participant_ids: list[int]) -> dict[int, str | None]:
        """The names people gave, in one query (a list of invitees to mark)."""
        if not participant_ids:
            return {}
        rows = await self.db.fetchall(
            f"SELECT id, display_name FROM participants WHERE id IN ({placeholders(participant_ids)})", participant_ids
        )
        return {row["id"]: row["display_name"] for row in rows}

    async def create_with_consent(
        self, telegram_id: int, language: str, notice_version: str, now: datetime
    ) -> Participant:
        """Consent and the record it permits are written together, or not at all.

        Saying yes twice (a replayed button after a crash) keeps the first record.
        """
        async with self.db.transaction() as conn:
            existing = await conn.fetchone("SELECT id FROM participants WHERE telegram_id = ?", (telegram_id,))
            if existing is None:
                inserted = await conn.insert(
                    "INSERT INTO participants (telegram_id, language, created_at, active_on) VALUES (?, ?, ?, ?)",
                    (telegram_id, language, to_db(now), now.date().isoformat()),
                )
                await conn.execute(
                    "INSERT INTO consents (participant_id, notice_version, given_at) VALUES (?, ?, ?)",
                    (inserted, notice_version, to_db(now)),
                )
        found = await self.by_telegram_id(telegram_id)
        assert found is not None
        return found

    async def update(self, participant_id: int, **fields: Any) -> None:
        """Update named profile fields; names are checked against a fixed list, values bound."""
        unknown = set(fields) - set(_FIELDS)
        if unknown:
            raise ValueError(f"Unknown participant fields: {sorted(unknown)}")
        for name, value in fields.items():
            if isinstance(value, datetime):
                value = to_db(value)
            await self.db.execute(_UPDATE_SQL[name], (value, participant_id))

    async def mark_reachable(self, participant_id: int) -> None:
        """They wrote to us, so they have not blocked the bot (any more)."""
        await self.db.execute("UPDATE participants SET unreachable_at = NULL WHERE id = ?", (participant_id,))

    async def mark_unreachable(self, participant_id: int, now: datetime) -> None:
        """They blocked the bot: counted out of reach until they come back."""
        await self.db.execute("UPDATE participants SET unreachable_at = ? WHERE id = ?", (to_db(now), participant_id))

    async def set_payment_preference(self, participant_id: int, preference: str, donate_to: str | None) -> None:
        await self.db.execute(
            "UPDATE participants SET payment_preference = ?, donate_to = ? WHERE id = ?",
            (preference, donate_to, participant_id),
        )

    async def mark_registered(self, participant_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE participants SET registered_at = COALESCE(registered_at, ?) WHERE id = ?",
            (to_db(now), participant_id),
        )

    async def topics(self, participant_id: int) -> list[str]:
        rows = await self.db.fetchall(
            "SELECT pt.topic_slug FROM participant_topics pt JOIN topics t ON t.slug = pt.topic_slug"
            " WHERE pt.participant_id = ? ORDER BY t.position",
            (participant_id,),
        )
        return [row["topic_slug"] for row in rows]

    async def set_topics(self, participant_id: int, slugs: list[str]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM participant_topics WHERE participant_id = ?", (participant_id,))
            await conn.executemany(
                "INSERT INTO participant_topics (participant_id, topic_slug) VALUES (?, ?)",
                [(participant_id, slug) for slug in slugs],
            )

    async def all_topics(self) -> list[tuple[str, str]]:
        rows = await self.db.fetchall("SELECT slug, name FROM topics WHERE active = 1 ORDER BY position")
        return [(row["slug"], row["name"]) for row in rows]

    async def consents(self, participant_id: int) -> list[dict[str, str]]:
        rows = await self.db.fetchall(
            "SELECT notice_version, given_at FROM consents WHERE participant_id = ? ORDER BY id", (participant_id,)
        )
        return [dict(row) for row in rows]

    async def raw(self, participant_id: int) -> dict[str, Any]:
        row = await self.db.fetchone("SELECT * FROM participants WHERE id = ?", (participant_id,))
        return dict(row) if row else {}

    async def erase(self, participant_id: int, now: datetime) -> None:
        """Remove personal data everywhere it is declared; keep a bare row that kept records point to."""
        async with self.db.transaction() as conn:
            await erase_person(conn, participant_id, now)

    async def mark_active(self, participant_id: int, today: date) -> None:
        """They used the bot today: retention counts from here, and any warning is void."""
        await self.db.execute(
            "UPDATE participants SET active_on = ?, retention_warned_on = NULL WHERE id = ?",
            (today.isoformat(), participant_id),
        )

    async def to_warn(self, last_day: date) -> list[int]:
        """People not seen after `last_day` who have not been told their data will go."""
        rows = await self.db.fetchall(
            _INACTIVE + " AND retention_warned_on IS NULL ORDER BY id", (last_day.isoformat(),)
        )
        return [row["id"] for row in rows]

    async def to_expire(self, last_day: date, warned_by: date) -> list[int]:
        """People not seen after `last_day` who were told on or before `warned_by`."""
        rows = await self.db.fetchall(
            _INACTIVE + " AND retention_warned_on <= ? ORDER BY id", (last_day.isoformat(), warned_by.isoformat())
        )
        return [row["id"] for row in rows]

    async def mark_warned(self, participant_id: int, today: date) -> None:
        await self.db.execute(
            "UPDATE participants SET retention_warned_on = ? WHERE id = ?", (today.isoformat(), participant_id)
        )


# Rows without a last-use day (loaded in bulk) count from when they joined.
_INACTIVE = (
    "SELECT id FROM participants WHERE telegram_id IS NOT NULL AND COALESCE(active_on, substr(created_at, 1, 10)) <= ?"
)

# One fixed statement per updatable column, so no SQL is ever assembled from input.
_UPDATE_SQL = {name: f"UPDATE participants SET {name} = ? WHERE id = ?" for name in _FIELDS}
