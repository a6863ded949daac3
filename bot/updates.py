"""Different people's updates are handled at the same time; one person's, strictly in order.

PTB's default handles every update one after another, so a resident's reply waits behind
everyone else's database writes and API calls. Its concurrent mode would let one person's
quick double tap race with itself. This processor keeps a lock per person (or chat).
A button press starts its `Tap` on arrival, before it waits for a slot or for the person's
earlier updates, so its spinner stops in time however long those take (see `bot/taps.py`).

Up to `CONCURRENT_UPDATES` are handled at once. A handler waiting for a place in the 30 new
messages a second holds its place here, so with PTB's usual 64, a crowd's first answers
queued for that budget filled every place, and a tap answered by an edit (which that budget
does not limit) waited seconds behind them. A waiting handler costs a coroutine, not a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.taps import settle, track

CONCURRENT_UPDATES = 1024  # a crowd far bigger than a poster draws, all waiting for the budget at once


def person_of(update: object) -> int | None:
    """Whose updates must be handled in order with this one: its person's, else its chat's."""
    if not isinstance(update, Update):
        return None
    if update.effective_user:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat else None


class PerPersonUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES, tap_grace: float = 0.3) -> None:
        super().__init__(max_concurrent_updates)
        self.tap_grace = tap_grace
        self._locks: dict[int, asyncio.Lock] = {}

    # PTB marks process_update final so subclasses only override do_process_update, which runs
    # inside its semaphore; a tap's spinner must start before that wait, so we wrap it here.
    async def process_update(self, update: object, coroutine: Awaitable[Any]) -> None:  # type: ignore[misc]
        query = update.callback_query if isinstance(update, Update) else None
        if query is None:
            await super().process_update(update, coroutine)
            return
        tap = track(query, self.tap_grace)
        try:
            await super().process_update(update, coroutine)
        finally:
            await tap.close()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = person_of(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                try:
                    await coroutine
                finally:
                    await settle()  # before the person's next update: their buttons as handled
        finally:
            if not lock.locked() and not getattr(lock, "_waiters", None):
                self._locks.pop(key, None)  # nobody else is queued for this person

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
