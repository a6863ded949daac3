"""The last word on an update: a command nobody knows, a message outside any conversation,
and an error, each answered kindly in the person's language (never a stack trace, never
silence), and logged with who it was for."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError

from bot.context import BotContext
from bot.i18n import _
from handlers.kit.common import acknowledge, say

log = logging.getLogger(__name__)


async def unknown_command(update: Update, context: BotContext) -> None:
    await say(update, context, _("I don't know that command. Send /help to see what I can do."))


async def out_of_context(update: Update, context: BotContext) -> None:
    if context.participant is None or not context.participant.registered:
        await say(update, context, _("Hello! To take part, send /start."))
    else:
        await say(update, context, _("I'm not sure what you mean. Send /help to see what I can do."))


async def on_error(update: object, context: BotContext) -> None:
    """Log with the update and user; tell the user kindly; keep running."""
    user_id = update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    log.error("Error while handling an update from user %s: %r", user_id, update, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != ChatType.PRIVATE:
        return
    try:
        await acknowledge(update)
        await context.bot.send_message(
            update.effective_chat.id,
            _("Sorry, something went wrong on our side. Please try again in a moment, or send /help."),
        )
    except (Forbidden, TelegramError) as exc:
        log.warning("Could not tell user %s about an error: %s", user_id, exc)
