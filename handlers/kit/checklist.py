"""Every multi-select ("tap all that apply") works the same way.

The ticks live in one place, a list in the flow's draft. Each tap edits the message on screen.
A re-prompt (after stray text, a sticker or carrying on) shows the same ticks on a new message,
and takes the buttons off the old one so only one list is live. Done saves exactly that list.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import Button, keyboard
from handlers.kit.common import Handler, acknowledge, ask, clear_buttons, say

log = logging.getLogger(__name__)

Options = Callable[[BotContext], Awaitable[list[tuple[str, str]]]]  # (key, label in the reader's language)
Rows = Callable[[BotContext], list[list[Button]]]
TICKED, UNTICKED = "✅ ", "▫️ "


def translated(options: Mapping[str, str]) -> Options:
    """Fixed options (labels marked with N_), in the reader's language."""

    async def labels(context: BotContext) -> list[tuple[str, str]]:
        return [(key, _(label)) for key, label in options.items()]

    return labels


@dataclass(frozen=True)
class Checklist:
    """`prefix` + ":" + key is each option's button; `field` of `store(context)` holds the ticks."""

    prefix: str
    store: Callable[[BotContext], dict[str, Any]]
    field: str
    question: Callable[[BotContext], str]  # in the reader's language, built from the draft when shown
    options: Options
    rows_after: Rows  # Done, Back and the like, under the options
    ticked: str = TICKED

    @property
    def _shown(self) -> str:
        return self.field + "_message"

    def selection(self, context: BotContext) -> list[str]:
        return [str(key) for key in self.store(context).get(self.field, [])]

    async def _markup(self, context: BotContext) -> Any:
        picked = set(self.selection(context))
        rows = [
            [((self.ticked if key in picked else UNTICKED) + label, f"{self.prefix}:{key}")]
            for key, label in await self.options(context)
        ]
        return keyboard([*rows, *self.rows_after(context)])

    async def show(self, update: Update, context: BotContext) -> int | None:
        """Send the list with its current ticks; the previous copy stops being live."""
        draft = self.store(context)
        earlier = draft.get(self._shown)
        chat = update.effective_chat
        query = update.callback_query
        pressed_on = query.message.message_id if query is not None and query.message is not None else None
        if earlier and chat is not None and earlier != pressed_on:  # `ask` edits or clears the one pressed on
            try:
                await context.bot.edit_message_reply_markup(chat.id, earlier, reply_markup=None)
            except BadRequest as exc:
                log.info("Could not retire an old checklist: %s", exc)
        shown = await ask(update, context, self.question(context), await self._markup(context))
        if shown is not None:
            draft[self._shown] = shown
        return shown

    async def on_tap(self, update: Update, context: BotContext) -> None:
        """Tick or untick, on the message on screen; a tap on an old copy changes nothing."""
        query = update.callback_query
        assert query is not None
        key = (query.data or "").removeprefix(self.prefix + ":")
        draft = self.store(context)
        live = query.message is not None and query.message.message_id == draft.get(self._shown)
        known = {option for option, _label in await self.options(context)}
        if not live or key not in known:
            await acknowledge(update, _("That list is out of date. Please use the newest one."))
            return
        await acknowledge(update)
        draft[self.field] = sorted(set(self.selection(context)) ^ {key})
        await query.edit_message_reply_markup(await self._markup(context))

    async def finish(self, update: Update, context: BotContext) -> list[str]:
        """What was last shown, to save; the list's buttons go."""
        await clear_buttons(update)
        self.store(context).pop(self._shown, None)
        return self.selection(context)

    def step(
        self,
        state: str,
        then: Handler,
        *,
        done: Callable[[BotContext], bool] | None = None,
        at_least_one: str | None = None,
    ) -> tuple[Handler, Handler]:
        """The ask and Done handlers of a flow step that is this list, at `state`; `then` asks what
        comes next. `done` tells the list's own Done press from another press the step's pattern
        lets in (that one shows the list again); `at_least_one`, N_-marked, is said, and the list
        shown again, when Done is pressed with nothing ticked."""

        async def ask_it(update: Update, context: BotContext) -> str:
            await self.show(update, context)
            return state

        async def on_done(update: Update, context: BotContext) -> Any:
            await acknowledge(update)
            if done is not None and not done(context):
                return await ask_it(update, context)
            if at_least_one is not None and not self.selection(context):
                await say(update, context, _(at_least_one))
                return await ask_it(update, context)
            await self.finish(update, context)
            return await then(update, context)

        return ask_it, on_done

    def tap_handler(self) -> CallbackQueryHandler[Any, Any]:
        return CallbackQueryHandler(self.on_tap, pattern=f"^{self.prefix}:")
