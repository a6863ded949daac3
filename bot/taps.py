"""Every button press is answered within a moment of arriving, whatever else the bot is doing.

Telegram shows a spinner on a pressed button until the bot answers the callback query, and
marks the press as failed after about ten seconds. In a rush the handler behind a tap can
wait on the database, on the person's previous tap and on the message budget, so the answer
cannot wait for the handler. Each tap gets a `Tap` the moment it arrives, before any
database work: the handler may still answer it with a toast or an alert in the first
`grace` seconds (a refusal, "this poll has closed"), and if it has not by then the tap is
answered with nothing, which stops the spinner. Answers to taps are not messages, so no
message budget or 429 pause ever delays them (see `bot/pacing.py`).

Taking the buttons off the pressed message waits until the update is handled: the handler
very often edits that message next (its next question, in place), and that edit replaces
the buttons anyway. So a step costs one edit, not two, of the chat's one or so a second.
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
        self.retire = False  # take the pressed message's buttons off once the update is handled
        self.retired = False  # they are off already: asking again would be refused as "not modified"
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

    def saw_edit(self, chat_id: object, message_id: object) -> None:
        """The pressed message was edited, so it has the buttons the edit gave it."""
        message = self.query.message
        if message is not None and str(message_id) == str(message.message_id) and str(chat_id) == str(message.chat.id):
            self.retire = self.retired = False

    async def settle(self) -> None:
        """The handler is done: the buttons it asked to take off, unless it replaced them."""
        if not self.retire:
            return
        self.retire = False
        try:
            await self.query.edit_message_reply_markup(reply_markup=None)
        except TelegramError as exc:  # gone, too old, or already without buttons
            log.info("Could not clear buttons: %s", exc)
        self.retired = True


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


def retire_buttons(query: CallbackQuery) -> bool:
    """Take the pressed message's buttons off when its update is handled; False outside one."""
    tap = _current.get()
    if tap is None or tap.query.id != query.id:
        return False
    tap.retire = not tap.retired
    return True


def edited(chat_id: object, message_id: object) -> None:
    """A message was edited while handling this update (bot/pacing.py tells every edit)."""
    tap = _current.get()
    if tap is not None and (tap.retire or tap.retired):
        tap.saw_edit(chat_id, message_id)


async def settle() -> None:
    """Take off the buttons waiting to go: the handler is done (bot/updates.py), or is about to
    say something new below them (handlers.kit.common.say)."""
    tap = _current.get()
    if tap is not None:
        await tap.settle()


def track(query: CallbackQuery, grace: float) -> Tap:
    """Start the clock on a press; `answer` then finds it."""
    tap = Tap(query, grace)
    _current.set(tap)
    return tap
