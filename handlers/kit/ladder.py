"""The participation-ladder question, asked the same way wherever something is created:
every level with its plain meaning, so people choose honestly. Its buttons are the asking
flow's own step buttons (a `StepChoice` kind) at the step LEVEL, so the flow owns them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from telegram import InlineKeyboardMarkup, Update

from bot.callbacks import StepChoice
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, Level
from handlers.kit.common import acknowledge, clear_buttons, say
from handlers.kit.glossary import explain_button

LEVEL = "level"  # the step the level buttons answer: `<prefix>:level:<level>`
LADDER_QUESTION = N_("Where does it sit on the ladder of participation? Be honest.")


class _Packs(Protocol):
    def pack(self) -> str: ...


Choices = Callable[[str, str], _Packs]  # a StepChoice kind, such as FormChoice


async def ask_level(update: Update, context: BotContext, choices: Choices, question: str) -> None:
    lines = [question, *(f"<b>{_(LEVEL_NAMES[level])}</b>: {_(LEVEL_MEANINGS[level])}" for level in Level)]
    markup: InlineKeyboardMarkup = column([
        *((_(LEVEL_NAMES[level]), choices(LEVEL, level.value).pack()) for level in Level), explain_button("ladder")])
    await say(update, context, "\n".join(lines), markup)


def chosen_level(pressed: object) -> Level | None:
    """The level of a press on one of `ask_level`'s buttons (the gate's `context.button`)."""
    if not isinstance(pressed, StepChoice) or pressed.step != LEVEL:
        return None
    try:
        return Level(pressed.value)
    except ValueError:
        return None


def level_step(choices: Choices, state: str,
               after: Callable[[Update, BotContext, Level], Awaitable[Any]]) -> tuple[Any, Any]:
    """The ask and answer handlers of a flow's ladder step; `after` stores the level and moves on."""

    async def ask(update: Update, context: BotContext) -> Any:
        await ask_level(update, context, choices, _(LADDER_QUESTION))
        return state

    async def chosen(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        level = chosen_level(context.button)
        if level is None:
            return await ask(update, context)
        await clear_buttons(update)
        return await after(update, context, level)

    return ask, chosen
