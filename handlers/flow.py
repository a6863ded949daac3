"""Helpers for multi-step conversations: every state answers anything, and /cancel works.

PTB's ConversationHandler only reacts to what a state lists; a sticker or a stray command
would otherwise vanish in silence. `step()` adds a catch-all that asks the question again.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import callback_parts
from domain.words import clean_typed
from handlers.common import Handler, acknowledge, clear_buttons, say


CANCEL = filters.Regex(r"^/cancel(@\w+)?$")


def ask_again(ask: Handler) -> Handler:
    async def again(update: Update, context: BotContext) -> Any:
        if update.callback_query:
            await acknowledge(update, _("That button is from an earlier step."))
        else:
            message = update.effective_message
            text = message.text if message else None
            if text and text.startswith("/") and not text.startswith("/start"):
                await say(update, context, _("You are in the middle of something. Answer the question below, "
                                             "or send /cancel to stop."))
        return await ask(update, context)

    return again


def step(ask: Handler, *handlers: BaseHandler[Any, Any, Any]) -> list[BaseHandler[Any, Any, Any]]:
    """A state's handlers, followed by catch-alls that repeat the question.

    /cancel is left alone so the conversation's fallback can end the flow.
    """
    again = ask_again(ask)
    return [*handlers, MessageHandler(~CANCEL, again), CallbackQueryHandler(again)]


def typed_text() -> filters.BaseFilter:
    """Words a person typed, not a command."""
    return filters.TEXT & ~filters.COMMAND


def typed(update: Update, *, one_line: bool = True) -> str:
    """The words of a message (or a photo's caption), cleaned for storing: the one way free text
    comes in, so nothing invisible reaches whoever reads it later."""
    message = update.effective_message
    raw = (message.text or message.caption) if message else None
    return clean_typed(raw, one_line=one_line)


async def read_text(update: Update, context: BotContext, limit: int, *, one_line: bool = True) -> str | None:
    """What the person typed, cleaned; None (after saying why) if it is empty or too long."""
    text = typed(update, one_line=one_line)
    if not text or len(text) > limit:
        await say(update, context, _("Please answer in up to {limit} characters.").format(limit=limit))
        return None
    return text


async def picked(update: Update, options: Collection[str]) -> str | None:
    """The option a button `area:what:<option>` chose, if it is one on offer.

    Stops the spinner either way; takes the buttons away only for a valid choice, so a
    stale or forged button leaves the question standing.
    """
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    if parts is None or parts[2] not in options:
        return None
    await clear_buttons(update)
    return parts[2]


async def ask_for_text(update: Update, context: BotContext) -> None:
    """The re-prompt for a state that waits for typed words (returns None: same state)."""
    await say(update, context, _("Please type your answer, or send /cancel to stop."))


def cancel_clearing(*keys: str) -> Handler:
    """A /cancel that forgets the flow's drafts and says nothing was changed."""

    async def cancel(update: Update, context: BotContext) -> Any:
        for key in keys:
            context.drafts.pop(key, None)
        await say(update, context, _("Stopped. Nothing was changed."))
        return ConversationHandler.END

    return cancel
