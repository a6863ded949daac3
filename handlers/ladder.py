"""The participation-ladder question, asked the same way wherever something is created:
every level with its plain meaning, so people choose honestly."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import callback_parts, column
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, Level
from handlers.common import say


async def ask_level(update: Update, context: BotContext, prefix: str, question: str) -> None:
    """Buttons carry `<prefix>:level:<level>`."""
    lines = [question, *(f"<b>{_(LEVEL_NAMES[level])}</b>: {_(LEVEL_MEANINGS[level])}" for level in Level)]
    markup: InlineKeyboardMarkup = column((_(LEVEL_NAMES[level]), f"{prefix}:level:{level.value}") for level in Level)
    await say(update, context, "\n".join(lines), markup)


def chosen_level(update: Update) -> Level | None:
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    try:
        return Level(parts[2]) if parts else None
    except ValueError:
        return None
