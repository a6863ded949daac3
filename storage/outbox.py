"""The outbox: queued bulk messages and their batches. Rows are written before any send,
claimed atomically (status 'sending'), marked as their request to Telegram starts, and settled
one by one, so a restart resumes and knows which rows may already have arrived."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.delivery import behind_schedule, interleave, one_per_chat
from storage.db import Database, Tx
from storage.dialects import placeholders
from storage.times import from_db, to_db

# The chat of someone who takes part through staff (no Telegram): their messages become letters.
LETTER = 0


def chat_for(telegram_id: int | None, takes_part: str | None) -> int | None:
    """Where messages to a person go: their Telegram chat, a letter staff post (LETTER), or
    nowhere (they erased their data)."""
    if telegram_id is not None:
        return telegram_id
    return LETTER if takes_part else None


@dataclass(frozen=True)
class Outgoing:
    """One message for one person, already rendered in their language."""

    chat_id: int
    text: str
    dedupe_key: str
    not_before: datetime
    participant_id: int | None = None
    markup: str | None = None
    file_name: str | None = None
    file_data: bytes | None = None
    expires_at: datetime | None = None
    send_from: datetime | None = None  # may go this early if a rush would otherwise make it late
    quotes: tuple[int, ...] = ()  # participants whose own words the text carries (erased with them)
    file_id: str | None = None  # a file Telegram already holds (a meeting's papers); text becomes its caption
    file_kind: str | None = None  # how to send it: 'document' or 'photo'


@dataclass(frozen=True)
class QueuedMessage:
    id: int
    batch_id: int
    participant_id: int | None
    chat_id: int
    text: str
    markup: str | None
    file_name: str | None
    file_data: bytes | None
    attempts: int
    maybe_sent: bool = False
    file_id: str | None = None
    file_kind: str | None = None


@dataclass(frozen=True)
class Claim:
    """One round of messages to send, and when to look again for those held back (seconds;
    None when nothing due was held back)."""

    rows: list[QueuedMessage]
    held: float | None


@dataclass(frozen=True)
class BatchProgress:
    batch_id: int
    kind: str
    ref: str | None
    sent: int
    unreachable: int
    failed: int
    waiting: int
    cancelled: int
    stopped: bool
    progress_chat_id: int | None
    progress_message_id: int | None
    created_by: int | None

    @property
    def done(self) -> bool:
        return self.waiting == 0


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create_batch(
        self, kind: str, ref: str | None, created_by: int | None, now: datetime, messages: list[Outgoing]
    ) -> tuple[int, int]:
        """Create a batch and queue its messages in one transaction (the caller's, if it has one
        open, so a decision and its messages commit together); returns (batch id, rows added)."""
        async with self.db.transaction() as conn:
            return await _add_batch(conn, kind, ref, created_by, now, messages)

    async def set_progress_message(self, batch_id: int, chat_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE outbox_batches SET progress_chat_id = ?, progress_message_id = ? WHERE id = ?",
            (chat_id, message_id, batch_id),
        )

    async def recover_in_flight(self) -> int:
        """Messages claimed by a process that is no longer running (this one before a crash, or
        another instance) are queued again (at-least-once); only those whose request had
        started may have arrived, so only those go again silently."""
        live = sorted(await self.db.live_instances())
        return await self.db.execute(
            "UPDATE outbox SET status = 'pending',"
            " maybe_sent = CASE WHEN requested_at IS NULL THEN maybe_sent ELSE 1 END,"
            f" requested_at = NULL, claimed_by = NULL WHERE status = 'sending'"
            f" AND (claimed_by IS NULL OR claimed_by NOT IN ({placeholders(live)}))",
            live,
        )

    async def mark_requested(self, message_id: int, now: datetime) -> None:
        """The request is about to leave: from here on Telegram may have it, answer or not."""
        await self.db.execute(
            "UPDATE outbox SET requested_at = ? WHERE id = ?", (to_db(now), message_id), exclusive=False
        )

    async def claim_due(
        self, now: datetime, per_batch: int, rate: float, busy_for: Callable[[int], float] = lambda _chat: 0.0
    ) -> Claim:
        """Take due messages from every active batch in turn, marking them 'sending' by this
        process; and, when sending at `rate` could not get them all out on time, the next ones
        that may go early. At most one to each chat, and none to a chat `busy_for` says must
        wait (see `one_per_chat`). Rows another process is claiming at the same moment are skipped."""
        lock = self.db.sql.skip_locked
        async with self.db.transaction(exclusive=False) as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'expired' WHERE status = 'pending' AND expires_at <= ?", (to_db(now),)
            )
            batches = await conn.fetchall(
                "SELECT DISTINCT batch_id FROM outbox WHERE status = 'pending' AND not_before <= ?", (to_db(now),)
            )
            groups = []
            for batch in batches:
                rows = await conn.fetchall(
                    "SELECT id, chat_id FROM outbox WHERE batch_id = ? AND status = 'pending' AND not_before <= ?"
                    f" ORDER BY id LIMIT ?{lock}",
                    (batch["batch_id"], to_db(now), per_batch),
                )
                groups.append([(row["id"], row["chat_id"]) for row in rows])
            groups.append(await _early(conn, now, per_batch, rate))
            ids, held = one_per_chat(interleave(groups), busy_for)
            if not ids:
                return Claim([], held)
            # Still pending: a row another process took meanwhile (one that may go early is not
            # locked above) is left to it.
            taken = {
                row["id"]: row
                for row in await conn.fetchall(
                    "UPDATE outbox SET status = 'sending', claimed_at = ?, claimed_by = ?"
                    f" WHERE id IN ({placeholders(ids)}) AND status = 'pending' RETURNING *",
                    (to_db(now), self.db.instance, *ids),
                )
            }
        return Claim([_queued(taken[message_id]) for message_id in ids if message_id in taken], held)

    async def mark_sent(self, message_id: int, telegram_message_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1,"
            " file_data = NULL WHERE id = ?",
            (to_db(now), telegram_message_id, message_id),
            exclusive=False,
        )

    async def mark_unreachable(self, message_id: int, participant_id: int | None, now: datetime) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET status = 'unreachable', attempts = attempts + 1, file_data = NULL WHERE id = ?",
                (message_id,),
            )
            if participant_id is not None:
                await conn.execute(
                    "UPDATE participants SET unreachable_at = ? WHERE id = ?", (to_db(now), participant_id)
                )

    async def retry_later(self, message_id: int, at: datetime, error: str, *, count_attempt: bool = True) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, error = ?, attempts = attempts + ?,"
            " requested_at = NULL WHERE id = ?",
            (to_db(at), error[:300], 1 if count_attempt else 0, message_id),
            exclusive=False,
        )

    async def mark_failed(self, message_id: int, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'failed', error = ?, attempts = attempts + 1 WHERE id = ?",
            (error[:300], message_id),
            exclusive=False,
        )

    async def stop_batch(self, batch_id: int, now: datetime) -> int:
        """Cancel what has not gone yet; returns how many were cancelled."""
        async with self.db.transaction() as conn:
            changed = await conn.execute(
                "UPDATE outbox SET status = 'cancelled' WHERE batch_id = ? AND status = 'pending'", (batch_id,)
            )
            await conn.execute(
                "UPDATE outbox_batches SET stopped_at = COALESCE(stopped_at, ?) WHERE id = ?", (to_db(now), batch_id)
            )
            return changed

    async def cancel_keys(self, prefix: str) -> int:
        """Cancel queued messages whose dedupe key starts with `prefix` (e.g. one person's
        reminders), inside the caller's transaction if it has one open."""
        return await self.db.execute(
            "UPDATE outbox SET status = 'cancelled' WHERE status = 'pending' AND dedupe_key >= ? AND dedupe_key < ?",
            (prefix, prefix + "\uffff"),
        )

    async def forget_keys(self, prefix: str) -> int:
        """Delete cancelled rows under `prefix`, so the same key can be queued afresh."""
        return await self.db.execute(
            "DELETE FROM outbox WHERE status = 'cancelled' AND dedupe_key >= ? AND dedupe_key < ?",
            (prefix, prefix + "\uffff"),
        )

    async def progress(self, batch_id: int) -> BatchProgress | None:
        batch = await self.db.fetchone("SELECT * FROM outbox_batches WHERE id = ?", (batch_id,))
        if batch is None:
            return None
        counts = {
            row["status"]: row["n"]
            for row in await self.db.fetchall(
                "SELECT status, COUNT(*) AS n FROM outbox WHERE batch_id = ? GROUP BY status", (batch_id,)
            )
        }
        return BatchProgress(
            batch_id=batch_id,
            kind=batch["kind"],
            ref=batch["ref"],
            sent=counts.get("sent", 0),
            unreachable=counts.get("unreachable", 0),
            failed=counts.get("failed", 0),
            waiting=counts.get("pending", 0) + counts.get("sending", 0),
            cancelled=counts.get("cancelled", 0),
            stopped=batch["stopped_at"] is not None,
            progress_chat_id=batch["progress_chat_id"],
            progress_message_id=batch["progress_message_id"],
            created_by=batch["created_by"],
        )

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        return {row["status"]: row["n"] for row in rows}


async def _add_batch(
    conn: Tx, kind: str, ref: str | None, created_by: int | None, now: datetime, messages: list[Outgoing]
) -> tuple[int, int]:
    batch_id = await conn.insert(
        "INSERT INTO outbox_batches (kind, ref, created_by, created_at) VALUES (?, ?, ?, ?)",
        (kind, ref, created_by, to_db(now)),
    )
    letters = [m for m in messages if m.chat_id == LETTER]
    messages = [m for m in messages if m.chat_id != LETTER]
    # What would be messaged to someone without Telegram waits as a letter for staff to post.
    added = 0
    for m in letters:
        added += await conn.execute(
            "INSERT OR IGNORE INTO letters (participant_id, text, options, quotes, dedupe_key, written_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                m.participant_id,
                m.text,
                _labels(m.markup),
                json.dumps(sorted(set(m.quotes))) if m.quotes else None,
                m.dedupe_key,
                to_db(now),
            ),
        )
    await conn.executemany(
        "INSERT OR IGNORE INTO outbox (batch_id, participant_id, chat_id, text, markup, file_name, file_data,"
        " not_before, send_from, expires_at, dedupe_key, quotes, file_id, file_kind)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                batch_id,
                m.participant_id,
                m.chat_id,
                m.text,
                m.markup,
                m.file_name,
                m.file_data,
                to_db(m.not_before),
                to_db(m.send_from) if m.send_from else None,
                to_db(m.expires_at) if m.expires_at else None,
                m.dedupe_key,
                json.dumps(sorted(set(m.quotes))) if m.quotes else None,
                m.file_id,
                m.file_kind,
            )
            for m in messages
        ],
    )
    # The batch is new, so its rows are the ones just added (a dedupe key already queued is skipped).
    added += await conn.count("SELECT COUNT(*) FROM outbox WHERE batch_id = ?", (batch_id,))
    return batch_id, added


async def _early(conn: Tx, now: datetime, limit: int, rate: float) -> list[tuple[int, int]]:
    """The messages (id, chat) to send ahead of time now, soonest due first; none unless we are behind."""
    # Left to itself SQLite reads this through outbox_due, i.e. every future message (100,000
    # pending reminders) on every round; the partial index holds only those that may go early.
    upcoming = list(
        await conn.fetchall(
            "SELECT id, chat_id, not_before FROM outbox INDEXED BY outbox_early"
            " WHERE status = 'pending' AND send_from <= ? AND not_before > ? ORDER BY not_before",
            (to_db(now), to_db(now)),
        )
    )
    if not upcoming:
        return []
    backlog = await conn.count(
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND not_before <= ?", (to_db(now),)
    )
    if not behind_schedule(now, backlog, (from_db(row["not_before"]) for row in upcoming), rate):
        return []
    return [(row["id"], row["chat_id"]) for row in upcoming[:limit]]


def _labels(markup: str | None) -> str | None:
    """The labels of a message's buttons, which a letter shows as boxes to tick."""
    if not markup:
        return None
    rows = json.loads(markup).get("inline_keyboard", [])
    return json.dumps(
        [button["text"] for row in rows for button in row if "callback_data" in button], ensure_ascii=False
    )


def _queued(row: Any) -> QueuedMessage:
    return QueuedMessage(
        id=row["id"],
        batch_id=row["batch_id"],
        participant_id=row["participant_id"],
        chat_id=row["chat_id"],
        text=row["text"],
        markup=row["markup"],
        file_name=row["file_name"],
        file_data=row["file_data"],
        attempts=row["attempts"],
        maybe_sent=bool(row["maybe_sent"]),
        file_id=row["file_id"],
        file_kind=row["file_kind"],
    )
