"""The other bot processes sharing this one's PostgreSQL database (webhook mode, two or more).

Every few seconds, and at once when another process starts (PostgreSQL's NOTIFY), each
process looks at who is live (storage: an advisory lock each holds):
it takes the equal part of Telegram's overall budget that is its own, for its replies and its
bulk sends alike, so together they stay within the limit; it queues again what a process that
died left claimed but unsent, and handles the updates it had stored but not handled. With
SQLite there is only ever this process.
"""

from __future__ import annotations

import asyncio
import logging

from bot.arrivals import Arrivals
from bot.pacing import Pacer
from bot.sender import OutboxSender
from bot.tasks import cancel_and_wait
from storage.db import Database

log = logging.getLogger(__name__)
PEERS_EVERY = 5.0  # seconds between looks


class Peers:
    def __init__(
        self,
        db: Database,
        pacer: Pacer,
        sender: OutboxSender,
        arrivals: Arrivals | None = None,
        *,
        every: float = PEERS_EVERY,
    ) -> None:
        self.db = db
        self.pacer = pacer
        self.sender = sender
        self.arrivals = arrivals  # webhook mode: the updates this process stores
        self.base_rate = sender.rate
        self.every = every
        self.live = 1
        self._task: asyncio.Task[None] | None = None
        self._look_now = asyncio.Event()

    async def check(self) -> int:
        """Share the budget among the live processes; returns how many orphaned rows were queued again."""
        self.live = len(await self.db.live_instances())
        self.pacer.share(self.live)
        self.sender.rate = self.base_rate / self.live
        orphans = await self.sender.outbox.recover_in_flight()
        if orphans:
            log.warning("Re-queued %d message(s) another instance left in flight", orphans)
            self.sender.wake()
        if self.arrivals is not None:
            await self.arrivals.resume()
        return orphans

    async def start(self) -> None:
        """Before this process sends anything: take its share, and hear of the next to start.
        Listening comes first: a process starting while the first look is under way would
        otherwise go unheard, and this one send at the whole rate until its next look."""
        self.db.on_instance_started(self._look_now.set)
        await self.check()
        self._task = asyncio.create_task(self._run(), name="peers")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._look_now.wait(), self.every)
            except TimeoutError:
                pass
            self._look_now.clear()
            try:
                await self.check()
            except Exception:  # a database hiccup must not stop the watch
                log.exception("Could not look at the other instances; trying again shortly")
