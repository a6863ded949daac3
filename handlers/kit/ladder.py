"""The participation-ladder question, asked the same way wherever something is created:
every level with its plain meaning, so people choose honestly. Its buttons are the asking
flow's own step buttons (a `StepChoice` kind) at the step LEVEL, so the flow owns them."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update

from bot.callbacks import StepChoice
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import Button, column
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES, Level
from handlers.kit.choose import StepKind, choose_one
from handlers.kit.common import Handler, ask
from handlers.kit.glossary import explain_button

LEVEL = "level"  # the step the level buttons answer: `<prefix>:level:<level>`
LADDER_QUESTION = N_("Where does it sit on the ladder of participation? Be honest.")


LEVELS = {level.value: LEVEL_NAMES[level] for level in Level}


def _explained(question: str) -> str:
    return "\n".join([question, *(f"<b>{_(LEVEL_NAMES[level])}</b>: {_(LEVEL_MEANINGS[level])}" for level in Level)])


def _explain_rows(context: BotContext) -> list[list[Button]]:
    return [[explain_button("ladder")]]


async def ask_level(update: Update, context: BotContext, choices: StepKind, question: str) -> None:
    markup: InlineKeyboardMarkup = column(
        [*((_(LEVEL_NAMES[level]), choices(LEVEL, level.value).pack()) for level in Level), explain_button("ladder")]
    )
    await ask(update, context, _explained(question), markup)


def chosen_level(pressed: object) -> Level | None:
    """The level of a press on one of `ask_level`'s buttons (the gate's `context.button`)."""
    if not isinstance(pressed, StepChoice) or pressed.step != LEVEL:
        return None
    try:
        return Level(pressed.value)
    except ValueError:
        return None


def level_step(
    choices: StepKind, state: str, keep: Callable[[BotContext, str], None], then: Handler
) -> tuple[Handler, Handler]:
    """The ask and answer handlers of a flow's ladder step; `keep` stores the level (a `Level`
    value), `then` moves on."""
    return choose_one(
        choices,
        LEVEL,
        state,
        lambda context: _explained(_(LADDER_QUESTION)),
        LEVELS,
        keep,
        then,
        rows_after=_explain_rows,
    )
