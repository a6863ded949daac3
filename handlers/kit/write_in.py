"""The "type your answer" step, declared instead of hand-written: a question, then what was
typed, read and checked (`type_in`: an amount, a number of miles, a date; `write_in`: words
checked for length, one line or several), kept in the flow's draft, and the next question.
An optional step has a Skip button, which keeps nothing and goes on.

An answer that does not read gets a kind explanation and the same step again (the reader says
it, as `read_text` does); a press that is not this step's Skip asks the question again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import column
from handlers.kit.choose import Question, StepKind, worded
from handlers.kit.common import Handler, acknowledge, ask, clear_buttons
from handlers.kit.flow_steps import read_text

T = TypeVar("T")
Read = Callable[[Update, BotContext], Awaitable[T | None]]  # the typed answer, or None once told why not
Keep = Callable[[BotContext, str], None]  # stores the words in the flow's draft
Put = Callable[[Update, BotContext, str, InlineKeyboardMarkup | None], Awaitable[Any]]  # `ask` (in place) or `say`
SKIP = "skip"  # the value of a step's Skip button


def type_in(
    state: str,
    question: Question,
    read: Read[T],
    keep: Callable[[BotContext, T], None],
    then: Handler,
    *,
    put: Put = ask,
    skip: tuple[StepKind, str] | None = None,
) -> tuple[Handler, Handler]:
    """The ask and answer handlers of a typed step at `state`; `then` asks what comes next (and
    may choose it from the draft). With `skip` (a button kind and the step's name in it) the
    question has a Skip button, and the answer handler also answers its press: nothing is kept,
    and `then` goes on."""

    async def ask_it(update: Update, context: BotContext) -> str:
        markup = column([(_("Skip »"), skip[0](skip[1], SKIP).pack())]) if skip else None
        await put(update, context, await worded(question, context), markup)
        return state

    async def answer(update: Update, context: BotContext) -> object:
        if update.callback_query is not None:
            await acknowledge(update)
            if skip is None or skip[0].chosen(context.button, skip[1]) != SKIP:
                return await ask_it(update, context)
            await clear_buttons(update)
            return await then(update, context)
        value = await read(update, context)
        if value is None:
            return state
        keep(context, value)
        return await then(update, context)

    return ask_it, answer


def write_in(
    state: str,
    question: Question,
    limit: int,
    keep: Keep,
    then: Handler,
    *,
    one_line: bool = True,
    put: Put = ask,
    skip: tuple[StepKind, str] | None = None,
) -> tuple[Handler, Handler]:
    """`type_in` for words: empty or over `limit` characters gets a kind explanation."""

    async def words(update: Update, context: BotContext) -> str | None:
        return await read_text(update, context, limit, one_line=one_line)

    return type_in(state, question, words, keep, then, put=put, skip=skip)
