"""Updates posted by webhook: stored, answered, then handled.

Telegram posts at most 100 updates to a webhook at a time. An update used to be answered only
once handled, so while a crowd's first answers waited for the 30 new messages a second, they
held every connection and the next taps were not even posted yet (p99 3.2 s in
`bench.rush --webhook`). Now an update is answered as soon as it is stored (storage/inbox.py),
handled from here, and deleted once handled. What a process that died had stored is handled by
its restart, or by another instance sharing the database (bot/peers.py), so nothing is lost.

One person's updates are still handled in order (bot/updates.py). Telegram posts a person's
next update as soon as the last was answered, maybe to another instance, which then waits
until the one holding the earlier update has handled it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.clock import Clock
from bot.updates import person_of
from storage.inbox import Inbox

log = logging.getLogger(__name__)

ORDER_POLL = 0.05  # seconds between looks at whether another instance finished a person's earlier update
ORDER_WAIT_MOST = 30.0  # far longer than any update takes: a person is not held up for ever
STOP_GRACE = 5.0  # seconds a stopping process gives updates it is handling to finish


class Arrivals:
    def __init__(
        self, application: Application[Any, Any, Any, Any, Any, Any], inbox: Inbox, clock: Clock, *, shared: bool
    ) -> None:
        self.application = application
        self.inbox = inbox
        self.clock = clock
        self.shared = shared  # other instances may hold this person's earlier updates
        self._handling: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    async def receive(self, update: Update, body: str) -> None:
        """Store the update and start handling it; returns once it is stored, when Telegram may
        be answered. An update stored already (posted again) is not handled twice."""
        if await self.inbox.keep(update.update_id, person_of(update), body, self.clock.now()):
            self._handle_soon(update)

    async def resume(self) -> int:
        """Handle what a process that is no longer running stored and did not finish; returns how many."""
        adopted = await self.inbox.adopt()
        if adopted.dropped:
            log.error("Dropped %d stored update(s) that several processes took and none finished", adopted.dropped)
        for stored in adopted.updates:
            update = Update.de_json(json.loads(stored.body), self.application.bot)
            if update is not None:
                self._handle_soon(update)
        if adopted.updates:
            log.warning("Handling %d update(s) a process that stopped had stored", len(adopted.updates))
        return len(adopted.updates)

    async def idle(self) -> None:
        """Return once every update received so far is handled."""
        await self._idle.wait()

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Give the updates being handled a moment to finish. Those that do not stay stored,
        and the restart handles them again from the start."""
        if not self._handling:
            return
        _finished, unfinished = await asyncio.wait(set(self._handling), timeout=grace)
        for task in unfinished:
            task.cancel()
        await asyncio.gather(*unfinished, return_exceptions=True)

    def _handle_soon(self, update: Update) -> None:
        task = asyncio.create_task(self._handle(update), name=f"update-{update.update_id}")
        self._handling.add(task)
        self._idle.clear()
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._handling.discard(task)
        if not self._handling:
            self._idle.set()

    async def _handle(self, update: Update) -> None:
        try:
            await self.application.update_processor.process_update(update, self._in_turn(update))
        except Exception:  # PTB reports handlers' errors itself; this is anything around them
            log.exception("Handling update %d failed", update.update_id)
        try:
            await self.inbox.done(update.update_id)
        except Exception:
            log.exception("Could not mark update %d handled; the next start handles it again", update.update_id)

    async def _in_turn(self, update: Update) -> None:
        person = person_of(update)
        if self.shared and person is not None:
            loop = asyncio.get_running_loop()
            give_up = loop.time() + ORDER_WAIT_MOST
            while await self.inbox.earlier_elsewhere(person, update.update_id) and loop.time() < give_up:
                await asyncio.sleep(ORDER_POLL)
        await self.application.process_update(update)
