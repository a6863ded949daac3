"""The middle steps of /propose and /vote: the words (a title, and a proposal's text or voice note
or a vote's options and dots), when it closes, and how many members must answer for a proposal
to count. Each step leads on to the next and the last to the preview in handlers/decide/decide_draft.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.i18n import N_, _
from decide import work
from decide.buttons import DraftChoice
from domain.decisions import DEFAULT_DOTS, MAX_OPTIONS, MIN_OPTIONS, Kind
from domain.profile import clean_text
from handlers.decide.decide_draft import (
    BODY,
    BODY_MAX,
    CLOSES,
    DECISION,
    DOTS,
    OPTIONS,
    QUORUM,
    TITLE,
    TITLE_MAX,
    ask_confirm,
)
from handlers.kit.choose import MARK, choose_one
from handlers.kit.common import say
from handlers.kit.flow_steps import read_day, words_or_voice
from handlers.kit.write_in import type_in, write_in

OPTION_MAX = 60
# The closing times offered: how far off, and the button's words.
CLOSING = {
    "3d": (timedelta(days=3), N_("In 3 days")),
    "1w": (timedelta(weeks=1), N_("In a week")),
    "2w": (timedelta(weeks=2), N_("In 2 weeks")),
}


# --- when it closes, how many must answer ------------------------------------------------------


def _keep_closing(context: BotContext, chosen: str) -> None:
    with DECISION.editing(context) as draft:
        draft.closes = (context.services.clock.now() + CLOSING[chosen][0]).isoformat()


async def _after_closes(update: Update, context: BotContext) -> Any:
    """A proposal asks how many must answer; a vote goes to its preview."""
    if DECISION.of(context).kind is Kind.PROPOSAL:
        return await ask_quorum(update, context)
    return await ask_confirm(update, context)


ask_closes, on_closes = choose_one(
    DraftChoice,
    CLOSES,
    CLOSES,
    N_("When should it close? Tap one, or type a date like 15/12."),
    {key: label for key, (_delay, label) in CLOSING.items()},
    _keep_closing,
    _after_closes,
)


async def on_closes_typed(update: Update, context: BotContext) -> Any:
    """A date typed instead of a tap: within the next 90 days, at least an hour from now."""
    closes = await read_day(
        update,
        context,
        lambda day, now: now + timedelta(hours=1) < day <= now + timedelta(days=90),
        N_("Please type a date in the next 90 days, like 15/12, or tap a button."),
    )
    if closes is None:
        return CLOSES
    with DECISION.editing(context) as draft:
        draft.closes = closes.isoformat()
    return await _after_closes(update, context)


QUORUM_NAMES = {
    "0": N_("No minimum"),
    "25": N_("A quarter of members"),
    "50": N_("Half of members"),
    "75": N_("Three quarters of members"),
}


async def _quorums(context: BotContext) -> dict[str, str]:
    """Each share of members, the group's own rule marked."""
    rule = str((await work.rules_of(context.services, DECISION.of(context).group_id)).quorum_percent)
    return {value: (MARK if value == rule else "") + _(name) for value, name in QUORUM_NAMES.items()}


ask_quorum, on_quorum = choose_one(
    DraftChoice,
    QUORUM,
    QUORUM,
    N_("How many members must answer for it to count?"),
    _quorums,
    DECISION.keeper("quorum"),
    ask_confirm,
)


# --- the words ------------------------------------------------------------------------------


def _title_question(context: BotContext) -> str:
    if DECISION.of(context).kind is Kind.PROPOSAL:
        text = _("What do you propose? Say it in one short line, for example “Meet in the evening, not the afternoon”.")
    else:
        text = _("What is the question? For example “What should we work on first?”")
    return text + "\n" + _("Send /cancel to stop.")


def _keep_title(context: BotContext, title: str) -> None:
    with DECISION.editing(context) as draft:
        draft.title = clean_text(title, TITLE_MAX) or title


async def _after_title(update: Update, context: BotContext) -> Any:
    """A proposal is explained next; a vote's options come instead."""
    if DECISION.of(context).kind is Kind.PROPOSAL:
        return await ask_body(update, context)
    return await ask_options(update, context)


ask_title, on_title = write_in(TITLE, _title_question, TITLE_MAX, _keep_title, _after_title)


async def _read_options(update: Update, context: BotContext) -> list[str] | None:
    """Two to ten different options, one on each line; None after saying what is wanted."""
    typed_lines = (update.effective_message.text or "").splitlines()
    lines = [clean_text(line, OPTION_MAX) for line in typed_lines]
    options = list(dict.fromkeys(line for line in lines if line))
    too_long = any(line.strip() and clean is None for line, clean in zip(typed_lines, lines, strict=True))
    if too_long or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        await say(
            update,
            context,
            _(
                "Please type {least} to {most} different options, one on each line, each up to {limit} characters."
            ).format(least=MIN_OPTIONS, most=MAX_OPTIONS, limit=OPTION_MAX),
        )
        return None
    return options


def _keep_options(context: BotContext, options: list[str]) -> None:
    with DECISION.editing(context) as draft:
        draft.options = options


async def _after_options(update: Update, context: BotContext) -> Any:
    """A dot vote asks how many dots; a ranked vote goes on to when it closes."""
    if DECISION.of(context).kind is Kind.DOTS:
        return await ask_dots(update, context)
    return await ask_closes(update, context)


async def _dot_counts(context: BotContext) -> dict[str, str]:
    return {str(n): str(n) for n in (3, DEFAULT_DOTS, 10)}


ask_dots, on_dots = choose_one(
    DraftChoice,
    DOTS,
    DOTS,
    N_("How many dots should each member have?"),
    _dot_counts,
    DECISION.keeper("dots"),
    ask_closes,
    across=3,
)


def _keep_body(context: BotContext, said: tuple[str | None, str | None]) -> None:
    with DECISION.editing(context) as draft:
        draft.body, draft.voice = said


async def _read_body(update: Update, context: BotContext) -> tuple[str | None, str | None] | None:
    return await words_or_voice(update, context, BODY_MAX)


ask_body, on_body = type_in(
    BODY,
    lambda _context: _("What would it mean in practice? Type it in plain words, or send a voice note."),
    _read_body,
    _keep_body,
    ask_closes,
)
ask_options, on_options = type_in(
    OPTIONS,
    lambda _context: _("Type the options, one on each line. You need {least} to {most}.").format(
        least=MIN_OPTIONS, most=MAX_OPTIONS
    ),
    _read_options,
    _keep_options,
    _after_options,
)
