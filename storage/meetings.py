"""Meetings, their candidate slots, invitees, votes, RSVPs and attendance."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.meetings import Answer
from domain.participation import Level
from domain.profile import QuietHours
from storage.db import Database
from storage.outbox import Outbox, Outgoing, chat_for
from storage.times import from_db, to_db


@dataclass(frozen=True)
class Meeting:
    id: int
    title: str
    purpose: str
    level: Level
    format: str
    venue: str | None
    venue_features: frozenset[str]
    online_link: str | None
    duration_minutes: int
    poll_closes_at: datetime
    open_poll: bool
    status: str
    confirmed_slot_id: int | None
    project_id: int | None
    created_by: int
    sequence: int  # the calendar file's SEQUENCE, so each change outranks the event people already have

    @property
    def next_sequence(self) -> int:
        """The first confirmation is 0; every change or cancellation after it counts one more."""
        return self.sequence + 1 if self.status == "confirmed" else self.sequence

    @classmethod
    def from_row(cls, row: Any) -> Meeting:
        return cls(
            id=row["id"],
            title=row["title"],
            purpose=row["purpose"],
            level=Level(row["level"]),
            format=row["format"],
            venue=row["venue"],
            venue_features=frozenset(json.loads(row["venue_features"])),
            online_link=row["online_link"],
            duration_minutes=row["duration_minutes"],
            poll_closes_at=from_db(row["poll_closes_at"]),
            open_poll=bool(row["open_poll"]),
            status=row["status"],
            confirmed_slot_id=row["confirmed_slot_id"],
            project_id=row["project_id"],
            created_by=row["created_by"],
            sequence=row["sequence"],
        )


@dataclass(frozen=True)
class Invitee:
    participant_id: int
    telegram_id: int | None
    language: str
    display_name: str | None
    required: bool
    answered: bool
    rsvp: str | None
    attended: bool | None
    quiet_hours: QuietHours | None
    takes_part: str | None = None  # through staff: their messages become letters

    @property
    def chat(self) -> int | None:
        return chat_for(self.telegram_id, self.takes_part)


class Meetings:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        fields: dict[str, Any],
        slots: list[datetime],
        invitees: list[int],
        created_by: int,
        now: datetime,
        required: Sequence[int] = (),
    ) -> tuple[int, bool]:
        """(id, created now?): a draft sent twice gives back the first meeting."""
        async with self.db.transaction() as conn:
            if fields.get("key"):
                row = await conn.fetchone("SELECT id FROM meetings WHERE submission_key = ?", (fields["key"],))
                if row is not None:
                    return row["id"], False
            inserted = await conn.insert(
                "INSERT INTO meetings (title, purpose, level, format, venue, venue_features, online_link,"
                " duration_minutes, poll_closes_at, open_poll, project_id, created_by, created_at, submission_key)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    fields["title"],
                    fields["purpose"],
                    fields["level"],
                    fields["format"],
                    fields.get("venue"),
                    json.dumps(sorted(fields.get("features", []))),
                    fields.get("link"),
                    fields["minutes"],
                    fields["closes_at"],
                    1 if fields.get("open_poll") else 0,
                    fields.get("project_id"),
                    created_by,
                    to_db(now),
                    fields.get("key"),
                ),
            )
            meeting_id = inserted
            await conn.executemany(
                "INSERT INTO meeting_slots (meeting_id, starts_at) VALUES (?, ?)",
                [(meeting_id, to_db(start)) for start in sorted(slots)],
            )
            await conn.executemany(
                "INSERT OR IGNORE INTO meeting_invitees (meeting_id, participant_id, required) VALUES (?, ?, ?)",
                [(meeting_id, pid, 1 if pid in required else 0) for pid in invitees],
            )
        return meeting_id, True

    async def by_id(self, meeting_id: int) -> Meeting | None:
        row = await self.db.fetchone("SELECT * FROM meetings WHERE id = ?", (meeting_id,))
        return Meeting.from_row(row) if row else None

    async def slots(self, meeting_id: int) -> dict[int, datetime]:
        rows = await self.db.fetchall(
            "SELECT id, starts_at FROM meeting_slots WHERE meeting_id = ? ORDER BY starts_at", (meeting_id,)
        )
        return {row["id"]: from_db(row["starts_at"]) for row in rows}

    async def invitees(self, meeting_id: int) -> list[Invitee]:
        rows = await self.db.fetchall(_INVITEES + " ORDER BY p.display_name", (meeting_id,))
        return [_invitee(row) for row in rows]

    async def invitee(self, meeting_id: int, participant_id: int) -> Invitee | None:
        """One person's invitation: asked on every vote, so it must not read the whole list."""
        row = await self.db.fetchone(_INVITEES + " AND i.participant_id = ?", (meeting_id, participant_id))
        return _invitee(row) if row else None

    async def votes(self, meeting_id: int) -> dict[int, dict[int, Answer]]:
        rows = await self.db.fetchall(
            "SELECT v.slot_id, v.participant_id, v.answer FROM meeting_votes v JOIN meeting_slots s ON s.id = v.slot_id"
            " JOIN meeting_invitees i ON i.meeting_id = s.meeting_id AND i.participant_id = v.participant_id"
            " WHERE s.meeting_id = ? AND i.answered_at IS NOT NULL",
            (meeting_id,),
        )
        result: dict[int, dict[int, Answer]] = {}
        for row in rows:
            result.setdefault(row["slot_id"], {})[row["participant_id"]] = Answer(row["answer"])
        return result

    async def reasons(self, meeting_id: int) -> list[tuple[int, int, str]]:
        rows = await self.db.fetchall(
            "SELECT v.slot_id, v.participant_id, v.reason FROM meeting_votes v JOIN meeting_slots s"
            " ON s.id = v.slot_id WHERE s.meeting_id = ? AND v.reason IS NOT NULL",
            (meeting_id,),
        )
        return [(row["slot_id"], row["participant_id"], row["reason"]) for row in rows]

    async def my_votes(self, meeting_id: int, participant_id: int) -> dict[int, tuple[Answer, str | None]]:
        rows = await self.db.fetchall(
            "SELECT v.slot_id, v.answer, v.reason FROM meeting_votes v JOIN meeting_slots s ON s.id = v.slot_id"
            " WHERE s.meeting_id = ? AND v.participant_id = ?",
            (meeting_id, participant_id),
        )
        return {row["slot_id"]: (Answer(row["answer"]), row["reason"]) for row in rows}

    async def set_vote(
        self, slot_id: int, participant_id: int, answer: Answer, reason: str | None, now: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO meeting_votes (slot_id, participant_id, answer, reason, at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (slot_id, participant_id) DO UPDATE SET answer = excluded.answer,"
            " reason = excluded.reason, at = excluded.at",
            (slot_id, participant_id, answer.value, reason, to_db(now)),
        )

    async def prefill(self, votes: list[tuple[int, int, Answer]], now: datetime) -> None:
        """Suggested answers; they only count once the person sends them."""
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT OR IGNORE INTO meeting_votes (slot_id, participant_id, answer, at) VALUES (?, ?, ?, ?)",
                [(slot_id, pid, answer.value, to_db(now)) for slot_id, pid, answer in votes],
            )

    async def mark_answered(self, meeting_id: int, participant_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE meeting_invitees SET answered_at = ? WHERE meeting_id = ? AND participant_id = ?",
            (to_db(now), meeting_id, participant_id),
        )

    async def set_status(self, meeting_id: int, new: str, *, only_from: tuple[str, ...]) -> bool:
        """Move a meeting on; False if it was not in one of `only_from` (so a double tap does nothing)."""
        placeholders = ",".join("?" for _ in only_from)
        return (
            await self.db.execute(
                "UPDATE meetings SET status = ? WHERE id = ? AND status IN (" + placeholders + ")",
                (new, meeting_id, *only_from),
            )
            > 0
        )

    async def decide(
        self,
        meeting: Meeting,
        status: str,
        slot_id: int | None,
        now: datetime,
        kind: str,
        notices: list[Outgoing],
        papers: Sequence[Outgoing] = (),
    ) -> int | None:
        """Confirm, move or cancel the meeting as it was read, and queue everyone's notice in the same
        transaction; None, and nothing queued, if it changed meanwhile (a double tap) or was cancelled.
        Returns how many notices were queued; the meeting's papers, if any, go with them as a batch of their own.

        Notices still waiting about the old time are cancelled; a move clears Going/Maybe answers,
        which were for the old time, so people are asked again rather than assumed to come."""
        async with self.db.transaction() as conn:
            changed = await conn.execute(
                "UPDATE meetings SET status = ?, confirmed_slot_id = COALESCE(?, confirmed_slot_id), sequence = ?"
                " WHERE id = ? AND status = ? AND sequence = ? AND status != 'cancelled'",
                (status, slot_id, meeting.next_sequence, meeting.id, meeting.status, meeting.sequence),
            )
            if changed == 0:
                return None
            if meeting.status == status == "confirmed":
                await conn.execute(
                    "UPDATE meeting_invitees SET rsvp = NULL, rsvp_at = NULL WHERE meeting_id = ?", (meeting.id,)
                )
            for kind_of_notice in ("poll", "pollrem", "inv", "rem"):
                await Outbox(self.db).cancel_keys(f"{kind_of_notice}:{meeting.id}:")
            outbox = Outbox(self.db)  # in this transaction: the new time and its notices commit together
            _batch, added = await outbox.create_batch(kind, str(meeting.id), meeting.created_by, now, notices)
            if papers:
                await outbox.create_batch("meeting_papers", str(meeting.id), meeting.created_by, now, list(papers))
        return added

    async def set_rsvp(self, meeting_id: int, participant_id: int, rsvp: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE meeting_invitees SET rsvp = ?, rsvp_at = ? WHERE meeting_id = ? AND participant_id = ?",
            (rsvp, to_db(now), meeting_id, participant_id),
        )

    async def set_attended(self, meeting_id: int, participant_id: int, attended: bool) -> None:
        await self.db.execute(
            "UPDATE meeting_invitees SET attended = ? WHERE meeting_id = ? AND participant_id = ?",
            (1 if attended else 0, meeting_id, participant_id),
        )

    async def created_by(self, participant_id: int, limit: int = 10) -> list[Meeting]:
        rows = await self.db.fetchall(
            "SELECT * FROM meetings WHERE created_by = ? ORDER BY id DESC LIMIT ?", (participant_id, limit)
        )
        return [Meeting.from_row(row) for row in rows]

    async def invited_to(self, participant_id: int, limit: int = 10) -> list[Meeting]:
        rows = await self.db.fetchall(
            "SELECT m.* FROM meetings m JOIN meeting_invitees i ON i.meeting_id = m.id"
            " WHERE i.participant_id = ? AND m.status != 'cancelled' ORDER BY m.id DESC LIMIT ?",
            (participant_id, limit),
        )
        return [Meeting.from_row(row) for row in rows]

    async def export(self, participant_id: int) -> list[dict[str, Any]]:
        rows = await self.db.fetchall(
            "SELECT m.title, i.rsvp, i.attended, i.answered_at FROM meeting_invitees i JOIN meetings m"
            " ON m.id = i.meeting_id WHERE i.participant_id = ? ORDER BY m.id",
            (participant_id,),
        )
        return [dict(row) for row in rows]

    async def meeting_of_slot(self, slot_id: int) -> int | None:
        value = await self.db.fetchval("SELECT meeting_id FROM meeting_slots WHERE id = ?", (slot_id,))
        return int(value) if value is not None else None

    async def attended_by(self, participant_id: int, limit: int = 10) -> list[Meeting]:
        """Meetings the organiser marked this person as having attended: what a claim can be for."""
        rows = await self.db.fetchall(
            "SELECT m.* FROM meetings m JOIN meeting_invitees i ON i.meeting_id = m.id"
            " WHERE i.participant_id = ? AND i.attended = 1 ORDER BY m.id DESC LIMIT ?",
            (participant_id, limit),
        )
        return [Meeting.from_row(row) for row in rows]

    async def upcoming_for(self, participant_id: int, now: datetime, limit: int = 10) -> list[Meeting]:
        rows = await self.db.fetchall(
            "SELECT m.* FROM meetings m JOIN meeting_invitees i ON i.meeting_id = m.id"
            " JOIN meeting_slots s ON s.id = m.confirmed_slot_id WHERE i.participant_id = ?"
            " AND m.status = 'confirmed' AND s.starts_at > ? ORDER BY s.starts_at LIMIT ?",
            (participant_id, to_db(now), limit),
        )
        return [Meeting.from_row(row) for row in rows]


_INVITEES = (
    "SELECT i.*, p.telegram_id, p.language, p.display_name, p.quiet_start, p.quiet_end, p.takes_part"
    " FROM meeting_invitees i JOIN participants p ON p.id = i.participant_id"
    " WHERE i.meeting_id = ? AND p.erased_at IS NULL"
)


def _invitee(row: Any) -> Invitee:
    return Invitee(
        participant_id=row["participant_id"],
        telegram_id=row["telegram_id"],
        language=row["language"],
        display_name=row["display_name"],
        required=bool(row["required"]),
        answered=row["answered_at"] is not None,
        rsvp=row["rsvp"],
        attended=None if row["attended"] is None else bool(row["attended"]),
        quiet_hours=QuietHours(row["quiet_start"], row["quiet_end"])
        if row["quiet_start"] is not None and row["quiet_end"] is not None
        else None,
        takes_part=row["takes_part"],
    )
