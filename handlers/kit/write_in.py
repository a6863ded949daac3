"""The "type your answer" step, declared instead of hand-written: a question, then typed words
checked for length (one line or several), kept in the flow's draft, and the next question.

Words that are empty or too long get a kind explanation and the same step again (`read_text`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.context import BotContext
from handlers.kit.common import Handler, ask
from handlers.kit.flow_steps import read_text

Question = Callable[[], str]  # the question in the reader's language, built when it is asked
Keep = Callable[[BotContext, str], None]  # stores the words in the flow's draft
Put = Callable[[Update, BotContext, str], Awaitable[Any]]  # `ask` (edits in place) or `say`


def write_in(
    state: str, question: Question, limit: int, keep: Keep, then: Handler, *, one_line: bool = True, put: Put = ask
) -> tuple[Handler, Handler]:
    """The ask and answer handlers of a typed step at `state`; `then` asks what comes next."""

    async def ask_it(update: Update, context: BotContext) -> str:
        await put(update, context, question())
        return state

    async def answer(update: Update, context: BotContext) -> object:
        words = await read_text(update, context, limit, one_line=one_line)
        if words is None:
            return state
        keep(context, words)
        return await then(update, context)

    return ask_it, answer
