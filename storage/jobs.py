"""Durable scheduled jobs (close a poll, remind the people who have not answered).

These rows are the source of truth, so a restart loses nothing; the scheduler only decides
when to look at them. Running a job twice must be harmless, so job handlers are written to
be idempotent. A job that fails keeps its attempts and last error here, with the time of its
next try, until it succeeds or is parked for an admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, Row
from storage.dialects import placeholders
from storage.times import from_db, to_db

# Scheduling again (a moved poll, a job already done) starts afresh: no failures counted.
_SCHEDULE = (
    "INSERT INTO jobs (kind, ref, due_at) VALUES (?, ?, ?)"
    " ON CONFLICT (kind, ref) DO UPDATE SET due_at = excluded.due_at, done_at = NULL,"
    " attempts = 0, last_error = NULL, retry_at = NULL, parked_at = NULL"
)
_COLUMNS = "id, kind, ref, due_at, attempts, last_error, retry_at, parked_at"
# When a job next runs: its retry time after a failure, else its due time. Only jobs not done
# are ever searched, and the jobs_due index (done_at, due_at) narrows to those.
_NEXT = "COALESCE(retry_at, due_at)"
_WAITING = "done_at IS NULL AND parked_at IS NULL"

Listener = Callable[[datetime], None]


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    ref: str
    due_at: datetime
    attempts: int = 0
    last_error: str | None = None
    retry_at: datetime | None = None
    parked_at: datetime | None = None


def _job(row: Row) -> Job:
    return Job(
        row["id"],
        row["kind"],
        row["ref"],
        from_db(row["due_at"]),
        row["attempts"],
        row["last_error"],
        from_db(row["retry_at"]) if row["retry_at"] else None,
        from_db(row["parked_at"]) if row["parked_at"] else None,
    )


class Jobs:
    def __init__(self, db: Database) -> None:
        self.db = db
        # The scheduler listens, so a job due sooner than its next wake-up moves the wake-up.
        self.on_schedule: Listener | None = None

    async def schedule(self, kind: str, ref: str, due: datetime) -> None:
        """Create or move a job (inside the caller's transaction if it has one open); a job
        already done is scheduled again."""
        await self.db.execute(_SCHEDULE, (kind, ref, to_db(due)))
        self._notify(due)

    def _notify(self, due: datetime) -> None:
        if self.on_schedule is not None:
            self.on_schedule(due)

    async def cancel(self, kind: str, ref: str) -> None:
        await self.db.execute("DELETE FROM jobs WHERE kind = ? AND ref = ? AND done_at IS NULL", (kind, ref))

    async def due(self, now: datetime, limit: int = 100) -> list[Job]:
        """Jobs to run now, soonest first; a failed job waits for its retry time, a parked one for an admin."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM jobs WHERE {_WAITING} AND {_NEXT} <= ? ORDER BY {_NEXT} LIMIT ?",
            (to_db(now), limit),
        )
        return [_job(row) for row in rows]

    async def next_due(self) -> datetime | None:
        """When the next job should run, so the scheduler can sleep until exactly then."""
        value = await self.db.fetchval(f"SELECT MIN({_NEXT}) FROM jobs WHERE {_WAITING}")
        return from_db(value) if value else None

    async def pending(self, kind: str, due_before: datetime) -> list[Job]:
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM jobs WHERE kind = ? AND done_at IS NULL AND due_at <= ? ORDER BY due_at",
            (kind, to_db(due_before)),
        )
        return [_job(row) for row in rows]

    async def get(self, job_id: int) -> Job | None:
        """A job that has not run yet (None once it is done or cancelled)."""
        row = await self.db.fetchone(f"SELECT {_COLUMNS} FROM jobs WHERE id = ? AND done_at IS NULL", (job_id,))
        return _job(row) if row else None

    async def failing(self, limit: int = 20) -> list[Job]:
        """Jobs that have failed and not yet succeeded: parked ones first, then by next try."""
        rows = await self.db.fetchall(
            f"SELECT {_COLUMNS} FROM jobs WHERE done_at IS NULL AND attempts > 0"
            " ORDER BY parked_at IS NULL, parked_at, retry_at LIMIT ?",
            (limit,),
        )
        return [_job(row) for row in rows]

    async def lease(self, job: Job) -> bool:
        """Take the job to run it here; False if a live process (another instance) has it."""
        live = sorted(await self.db.live_instances())
        return (
            await self.db.execute(
                "UPDATE jobs SET leased_by = ? WHERE id = ? AND due_at = ? AND done_at IS NULL"
                f" AND (leased_by IS NULL OR leased_by = ? OR leased_by NOT IN ({placeholders(live)}))",
                (self.db.instance, job.id, to_db(job.due_at), self.db.instance, *live),
            )
            == 1
        )

    async def mark_done(self, job: Job, now: datetime) -> None:
        """Done, unless the handler moved its own job to a new time while it ran."""
        await self.db.execute(
            "UPDATE jobs SET done_at = CASE WHEN due_at = ? THEN ? ELSE done_at END, leased_by = NULL WHERE id = ?",
            (to_db(job.due_at), to_db(now), job.id),
        )

    async def record_failure(self, job: Job, error: str, retry_at: datetime | None, now: datetime) -> None:
        """One more failed attempt; `retry_at` None parks the job until an admin retries it."""
        await self.db.execute(
            "UPDATE jobs SET attempts = attempts + 1, last_error = ?, retry_at = ?, parked_at = ?, leased_by = NULL"
            " WHERE id = ? AND due_at = ? AND done_at IS NULL",
            (error, to_db(retry_at) if retry_at else None, None if retry_at else to_db(now), job.id, to_db(job.due_at)),
        )
