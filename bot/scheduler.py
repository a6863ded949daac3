"""Runs due jobs from the database on the bot's clock; restarts lose nothing.

Reminders themselves are outbox rows with a future `not_before`, so only decisions
(close a poll, work out who still has to answer) are jobs.

The rows in `jobs` are the source of truth. APScheduler only wakes the bot at the next due
time (one date-triggered wake-up, moved whenever a job is scheduled sooner), so nothing polls.
After downtime the first wake-up is at once, and each job missed runs once. Tests move a
`FakeClock` and call `run_due()`; the wake-up is only the trigger for it.

A job whose handler raises is logged, its attempt and error are recorded in its row and it is
tried again after a growing wait; after `max_attempts` failures it is parked until an admin
retries it from `/jobs`. Either way the jobs due after it run in the same pass.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import Clock
from bot.tasks import cancel_and_wait
from domain.jobs import retry_delay
from storage.jobs import Job, Jobs

log = logging.getLogger(__name__)

JobHandler = Callable[[str], Awaitable[None]]

_WAKE = "wake"
# If a pass itself fails (the database is locked, say), look again after this long.
_AFTER_BROKEN_PASS = timedelta(minutes=1)
# Enough of an error to recognise it in /jobs; the whole traceback is in the log.
_ERROR_KEPT = 1000


class Scheduler:
    def __init__(self, jobs: Jobs, clock: Clock, *, max_attempts: int = 5) -> None:
        self.jobs = jobs
        self.clock = clock
        self.max_attempts = max_attempts
        self.handlers: dict[str, JobHandler] = {}
        # The bot-clock time the wake-up is set for; None when no job is waiting.
        self.next_wake: datetime | None = None
        # A wake-up that runs late (a busy loop, a suspended machine) still runs, once.
        self._aps = AsyncIOScheduler(
            timezone=UTC, job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
        )
        # One pass at a time: a test's run_due, a wake-up and an admin's retry never run a job twice.
        self._lock = asyncio.Lock()
        self._pass: asyncio.Task[None] | None = None

    def register(self, kind: str, handler: JobHandler) -> None:
        self.handlers[kind] = handler

    async def start(self) -> None:
        self._aps.start()
        self.jobs.on_schedule = self._scheduled
        await self._arm()

    async def stop(self) -> None:
        self.jobs.on_schedule = None
        if self._aps.running:
            self._aps.remove_all_jobs()
            self._aps.shutdown(wait=False)
        await cancel_and_wait(self._pass)
        self._pass = None

    @property
    def alive(self) -> bool:
        """Started and not stopped, so due jobs get a wake-up (the health endpoint reports this)."""
        return bool(self._aps.running)

    async def run_due(self) -> int:
        """Run every job that is due now, each on its own; returns how many succeeded.

        Tests call this after moving the clock; in production the wake-up calls it.
        """
        async with self._lock:
            succeeded = 0
            for job in await self.jobs.due(self.clock.now()):
                succeeded += await self._run(job)
        await self._arm()
        return succeeded

    async def retry_now(self, job_id: int) -> bool | None:
        """Run one failing or parked job at once (an admin asked): True if it succeeded,
        False if it failed again (recorded as usual), None if it has already run or is gone."""
        async with self._lock:
            job = await self.jobs.get(job_id)
            succeeded = None if job is None else await self._run(job)
        await self._arm()
        return succeeded

    async def _run(self, job: Job) -> bool:
        if not await self.jobs.lease(job):
            return False  # another instance sharing the database is running it
        handler = self.handlers.get(job.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for job kind {job.kind}")
            await handler(job.ref)
        except Exception as exc:  # any failure is this job's alone: record it and go on
            await self._failed(job, exc)
            return False
        await self.jobs.mark_done(job, self.clock.now())
        return True

    async def _failed(self, job: Job, exc: Exception) -> None:
        failures = job.attempts + 1
        delay = retry_delay(failures, self.max_attempts)
        now = self.clock.now()
        log.error(
            "Job %s %s failed (attempt %d of %d): %r%s",
            job.kind,
            job.ref,
            failures,
            self.max_attempts,
            exc,
            "; parked until an admin retries it" if delay is None else f"; next try in {delay}",
            exc_info=exc,
        )
        error = f"{type(exc).__name__}: {exc}"[:_ERROR_KEPT]
        await self.jobs.record_failure(job, error, now + delay if delay else None, now)

    # --- the wake-up ---------------------------------------------------------------------

    def _scheduled(self, due: datetime) -> None:
        """A job was scheduled: wake sooner if it is due before the current wake-up."""
        if self.next_wake is None or due < self.next_wake:
            self._wake_at(due)

    async def _arm(self) -> None:
        due = await self.jobs.next_due()
        if due is None:
            self.next_wake = None
            self._aps.remove_all_jobs()
        else:
            self._wake_at(due)

    def _wake_at(self, due: datetime) -> None:
        if not self._aps.running:
            return
        self.next_wake = due
        # APScheduler sleeps in real time while `due` is on the bot's clock: convert via the delay.
        delay = max(due - self.clock.now(), timedelta(0))
        self._aps.add_job(self._wake, "date", run_date=datetime.now(UTC) + delay, id=_WAKE, replace_existing=True)

    async def _wake(self) -> None:
        """APScheduler's callback: start a pass in a task of ours, so stop() can wait for it."""
        if self._pass is None or self._pass.done():
            self._pass = asyncio.create_task(self._run_pass(), name="scheduler")

    async def _run_pass(self) -> None:
        try:
            await self.run_due()
        except Exception:  # a broken pass must not stop all jobs: look again shortly
            log.exception("Scheduler pass failed; trying again in %s", _AFTER_BROKEN_PASS)
            self._wake_at(self.clock.now() + _AFTER_BROKEN_PASS)
