"""The "choose one" step, declared instead of hand-written: a question, one button per option,
and an answer that keeps the choice and asks what comes next.

A press that is not one of the options on offer now (stale, forged, or from another step)
asks the question again, so the flow never moves on with an answer nobody could have given.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from telegram import Update

from bot.context import BotContext
from bot.i18n import _, available_languages, language_name
from bot.keyboards import Button, keyboard
from handlers.kit.common import Handler, Put, acknowledge, ask, clear_buttons

# N_-marked text, or the question in the reader's language (worked out, or looked up, when asked)
Question = str | Callable[[BotContext], str] | Callable[[BotContext], Awaitable[str]]
# Fixed options map each key to an N_-marked label; options worked out for the reader (their
# groups, the dates in their draft) are a callable giving labels already in their language, or
# None once what they are worked out from has gone (the step's `gone` then ends the flow).
Options = Mapping[str, str] | Callable[[BotContext], Awaitable[Mapping[str, str] | None]]
Keep = Callable[[BotContext, str], Awaitable[None] | None]  # stores the chosen key in the draft, or saves it
Rows = Callable[[BotContext], list[list[Button]]]
MARK = "● "  # before the option chosen last time, when the step shows it


class Packs(Protocol):
    """A button's value: what it sends, and equal to the press it parses back into."""

    def pack(self) -> str: ...


class StepKind(Protocol):
    """A `StepChoice` button kind, such as `DraftChoice`: built from a step and a value."""

    def __call__(self, step: str, value: str) -> Packs: ...

    def chosen(self, pressed: object, step: str) -> str | None: ...


async def languages(_context: BotContext) -> dict[str, str]:
    """The options of a "which language?" step: every language the bot speaks, named in itself."""
    return {code: language_name(code) for code in available_languages()}


async def _offered(options: Options, context: BotContext) -> dict[str, str] | None:
    if callable(options):
        offered = await options(context)
        return None if offered is None else dict(offered)
    return {key: _(label) for key, label in options.items()}


def stoppable(question: str) -> Callable[[BotContext], str]:
    """A flow's first question (N_-marked), in the reader's language, with how to stop."""
    return lambda _context: _(question) + "\n" + _("Send /cancel to stop.")


async def worded(question: Question, context: BotContext) -> str:
    """A step's question in the reader's language, worked out or looked up now."""
    if not callable(question):
        return _(question)
    text = question(context)
    return await text if inspect.isawaitable(text) else text


def choose_one(
    kind: StepKind,
    step: str,
    state: Any,
    question: Question,
    options: Options,
    keep: Keep,
    then: Handler,
    *,
    put: Put = ask,
    clears: bool = True,
    across: int = 1,
    marked: Callable[[BotContext], str | None] | None = None,
    rows_after: Rows | None = None,
    gone: Handler | None = None,
) -> tuple[Handler, Handler]:
    """The ask and answer handlers of a one-answer step at `state`, whose buttons are `kind(step, key)`.

    `across` options share a row; `marked` names the current answer, shown with a dot;
    `rows_after` adds buttons (Back, Next) under the options. `clears` takes the buttons off
    the answered question; when `ask` edits it in place, that is the same single edit.
    `gone` ends the flow, instead of asking or answering, when `options` gives None.
    """

    async def ask_it(update: Update, context: BotContext) -> Any:
        offered = await _offered(options, context)
        if offered is None:
            assert gone is not None, "options that can be gone need a `gone` step"
            return await gone(update, context)
        current = marked(context) if marked else None
        buttons = [((MARK if key == current else "") + label, kind(step, key).pack()) for key, label in offered.items()]
        rows = [buttons[i : i + across] for i in range(0, len(buttons), across)]
        text = await worded(question, context)
        await put(update, context, text, keyboard([*rows, *(rows_after(context) if rows_after else [])]))
        return state

    async def answer(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        chosen = kind.chosen(context.button, step)
        if chosen is None or chosen not in (await _offered(options, context) or {}):
            return await ask_it(update, context)  # which ends the flow if the options have gone
        if clears:
            await clear_buttons(update)
        kept = keep(context, chosen)
        if inspect.isawaitable(kept):
            await kept
        return await then(update, context)

    return ask_it, answer


def choose_way(
    kind: StepKind,
    step: str,
    state: Any,
    question: Question,
    ways: Mapping[str, tuple[str, Handler]],
    *,
    put: Put = ask,
    across: int = 1,
    rows_after: Rows | None = None,
) -> tuple[Handler, Handler]:
    """The ask and answer handlers of a step whose options lead different ways, such as "Send"
    or "Don't send" under a summary: `ways` maps each key to its N_-marked label and the
    handler that goes that way. Nothing is kept; the way taken is the answer. `rows_after` adds
    buttons (Back, an explanation) under the ways."""

    async def go(update: Update, context: BotContext) -> Any:
        return await ways[kind.chosen(context.button, step) or ""][1](update, context)  # offered: checked

    options = {key: label for key, (label, _way) in ways.items()}
    return choose_one(
        kind,
        step,
        state,
        question,
        options,
        lambda _context, _key: None,
        go,
        put=put,
        across=across,
        rows_after=rows_after,
    )
