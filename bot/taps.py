"""Every button press is answered within a moment of arriving, whatever else the bot is doing.

Telegram shows a spinner on a pressed button until the bot answers the callback query, and
marks the press as failed after about ten seconds. In a rush the handler behind a tap can
wait on the database, on the person's previous tap and on the message budget, so the answer
cannot wait for the handler. Each tap gets a `Tap` the moment it arrives, before any
database work: the handler may still answer it with a toast or an alert in the first
`grace` seconds (a refusal, "this poll has closed"), and if it has not by then the tap is
answered with nothing, which stops the spinner. Answers to taps are not messages, so no
message budget or 429 pause ever delays them (see `bot/pacing.py`).
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar

from telegram import CallbackQuery
from telegram.error import TelegramError

log = logging.getLogger(__name__)

_current: ContextVar[Tap | None] = ContextVar("tap", default=None)


class Tap:
    """One button press: answered once, by its handler in time or else blank after `grace`."""

    def __init__(self, query: CallbackQuery, grace: float) -> None:
        self.query = query
        self.answered = False
        self._timer = asyncio.create_task(self._answer_after(grace))

    async def _answer_after(self, grace: float) -> None:
        await asyncio.sleep(grace)
        await self.answer()

    async def answer(self, text: str | None = None, *, alert: bool = False) -> bool:
        """Answer now; False when the spinner was already stopped, so `text` was not shown."""
        if self.answered:
            return False
        self.answered = True  # before awaiting, so a second answer never races this one
        if asyncio.current_task() is not self._timer:
            self._timer.cancel()
        await _send(self.query, text, alert)
        return True

    async def close(self) -> None:
        """The update is handled: a tap nobody answered is answered now."""
        await self.answer()


async def _send(query: CallbackQuery, text: str | None, alert: bool) -> None:
    try:
        await query.answer(text[:200] if text else None, show_alert=alert)
    except TelegramError as exc:  # an expired query is not worth failing the update for
        log.info("Could not answer callback query: %s", exc)


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> bool:
    """Answer a press; False when it was answered already, so `text` was not shown."""
    tap = _current.get()
    if tap is not None and tap.query.id == query.id:
        return await tap.answer(text, alert=alert)
    await _send(query, text, alert)  # handled outside the update processor
    return True


def track(query: CallbackQuery, grace: float) -> Tap:
    """Start the clock on a press; `answer` then finds it."""
    tap = Tap(query, grace)
    _current.set(tap)
    return tap
