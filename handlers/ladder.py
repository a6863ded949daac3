"""The participation-ladder question, asked the same way wherever something is created:
every level with its plain meaning, so people choose honestly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import callback_parts, column
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, Level
from handlers.common import acknowledge, clear_buttons, say
from handlers.glossary import explain_button


async def ask_level(update: Update, context: BotContext, prefix: str, question: str) -> None:
    """Buttons carry `<prefix>:level:<level>`."""
    lines = [question, *(f"<b>{_(LEVEL_NAMES[level])}</b>: {_(LEVEL_MEANINGS[level])}" for level in Level)]
    markup: InlineKeyboardMarkup = column([
        *((_(LEVEL_NAMES[level]), f"{prefix}:level:{level.value}") for level in Level), explain_button("ladder")])
    await say(update, context, "\n".join(lines), markup)


def chosen_level(update: Update) -> Level | None:
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    try:
        return Level(parts[2]) if parts else None
    except ValueError:
        return None


LADDER_QUESTION = N_("Where does it sit on the ladder of participation? Be honest.")


def level_step(prefix: str, state: str,
               after: Callable[[Update, BotContext, Level], Awaitable[Any]]) -> tuple[Any, Any]:
    """The ask and answer handlers of a flow's ladder step; `after` stores the level and moves on."""

    async def ask(update: Update, context: BotContext) -> Any:
        await ask_level(update, context, prefix, _(LADDER_QUESTION))
        return state

    async def chosen(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        level = chosen_level(update)
        if level is None:
            return await ask(update, context)
        await clear_buttons(update)
        return await after(update, context, level)

    return ask, chosen
