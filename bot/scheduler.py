"""Runs due jobs from the database on the bot's clock; restarts lose nothing.

Reminders themselves are outbox rows with a future `not_before`, so only decisions
(close a poll, work out who still has to answer) are jobs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from bot.clock import Clock
from bot.tasks import cancel_and_wait
from storage.jobs import Jobs

log = logging.getLogger(__name__)

JobHandler = Callable[[str], Awaitable[None]]


class Scheduler:
    def __init__(self, jobs: Jobs, clock: Clock, *, interval: float = 5.0) -> None:
        self.jobs = jobs
        self.clock = clock
        self.interval = interval
        self.handlers: dict[str, JobHandler] = {}
        self._task: asyncio.Task[None] | None = None

    def register(self, kind: str, handler: JobHandler) -> None:
        self.handlers[kind] = handler

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="scheduler")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # one failing job must not stop the others forever
                log.exception("Scheduler cycle failed")
            await asyncio.sleep(self.interval)

    async def run_due(self) -> int:
        """Run every job that is due now; tests call this after moving the clock."""
        ran = 0
        for job in await self.jobs.due(self.clock.now()):
            handler = self.handlers.get(job.kind)
            if handler is None:
                log.error("No handler for job kind %s", job.kind)
                continue
            await handler(job.ref)
            await self.jobs.mark_done(job.id, self.clock.now())
            ran += 1
        return ran
