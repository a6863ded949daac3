"""The "type your answer" step, declared instead of hand-written: a question, then what was
typed, read and checked (`type_in`: an amount, a number of miles, a date; `write_in`: words
checked for length, one line or several), kept in the flow's draft, and the next question.
An optional step has a Skip button, which keeps nothing and goes on. A flow's last typed step
(`type_last`, `write_last`) hands what was typed to the flow's use case instead of keeping it.

An answer that does not read gets a kind explanation and the same step again (the reader says
it, as `read_text` does); a press that is not this step's Skip asks the question again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Update

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import column
from handlers.kit.choose import Packs, Question, worded
from handlers.kit.common import Handler, Put, acknowledge, ask, clear_buttons, say
from handlers.kit.flow_steps import read_text

T = TypeVar("T")
Read = Callable[[Update, BotContext], Awaitable[T | None]]  # the typed answer, or None once told why not
Keep = Callable[[BotContext, str], None]  # stores the words in the flow's draft
Act = Callable[[Update, BotContext, T], Awaitable[Any]]  # what the answer does: the use case, `ending`, the reply
SKIP = "skip"  # the value of a step's Skip button


def _typed_step(
    state: str,
    question: Question,
    read: Read[T],
    act: Act[T],
    put: Put,
    skip: tuple[Packs, Handler] | None = None,
) -> tuple[Handler, Handler]:
    """The ask and answer handlers of a step at `state` that reads what was typed and gives it
    to `act`; with `skip` (the Skip button's value, and what comes next) the question has a Skip
    button, and the answer handler also answers its press."""

    async def ask_it(update: Update, context: BotContext) -> str:
        markup = column([(_("Skip »"), skip[0].pack())]) if skip else None
        await put(update, context, await worded(question, context), markup)
        return state

    async def answer(update: Update, context: BotContext) -> object:
        if update.callback_query is not None:
            await acknowledge(update)
            if skip is None or context.button != skip[0]:
                return await ask_it(update, context)
            await clear_buttons(update)
            return await skip[1](update, context)
        value = await read(update, context)
        if value is None:
            return state
        return await act(update, context, value)

    return ask_it, answer


def _words(limit: int, one_line: bool) -> Read[str]:
    async def words(update: Update, context: BotContext) -> str | None:
        return await read_text(update, context, limit, one_line=one_line)

    return words


def type_in(
    state: str,
    question: Question,
    read: Read[T],
    keep: Callable[[BotContext, T], None],
    then: Handler,
    *,
    put: Put = ask,
    skip: Packs | None = None,
) -> tuple[Handler, Handler]:
    """The ask and answer handlers of a typed step at `state`; `then` asks what comes next (and
    may choose it from the draft). With `skip` (its button's value, such as
    `DraftChoice(step, SKIP)`) the question has a Skip button, and the answer handler also
    answers its press: nothing is kept, and `then` goes on."""

    async def kept(update: Update, context: BotContext, value: T) -> object:
        keep(context, value)
        return await then(update, context)

    return _typed_step(state, question, read, kept, put, (skip, then) if skip else None)


def write_in(
    state: str,
    question: Question,
    limit: int,
    keep: Keep,
    then: Handler,
    *,
    one_line: bool = True,
    put: Put = ask,
    skip: Packs | None = None,
) -> tuple[Handler, Handler]:
    """`type_in` for words: empty or over `limit` characters gets a kind explanation."""
    return type_in(state, question, _words(limit, one_line), keep, then, put=put, skip=skip)


def type_last(
    state: str,
    question: Question,
    read: Read[T],
    act: Act[T],
    *,
    put: Put = say,
    skip: tuple[Packs, Handler] | None = None,
) -> tuple[Handler, Handler]:
    """A typed step whose answer goes to `act`, not into the draft: a flow's last step above all,
    where `act` calls the use case, ends the flow and replies; or a step whose answer is kept
    against something `act` looks up first (the theme a baseline is for). With `skip` (its
    button's value, and what a press does instead) the question has a Skip button."""
    return _typed_step(state, question, read, act, put, skip)


def write_last(
    state: str,
    question: Question,
    limit: int,
    act: Act[str],
    *,
    one_line: bool = False,
    put: Put = say,
    skip: tuple[Packs, Handler] | None = None,
) -> tuple[Handler, Handler]:
    """`type_last` for words, with the same checks as `write_in`."""
    return type_last(state, question, _words(limit, one_line), act, put=put, skip=skip)
