"""What a lead types to move a cycle on, one flow for every step that needs typing: the draft
themes with their "I" statements (step 3) and the causes to vote on (step 4) are here; what
success looks like and the baseline (steps 5 and 7) are in handlers/measure/cycle_lead_success.py, the
actions (step 6) in handlers/measure/cycle_lead_actions.py. Once the themes are saved, the lead places
the statements in them with the buttons of handlers/measure/cycle.py: this flow leads there, and
nothing there leads back."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from cycle import work
from cycle.buttons import LeadStepButton
from cycle.themes import draft_themes
from decide.buttons import DraftChoice
from domain.cycles import parse_theme_line
from domain.decisions import MAX_OPTIONS, MIN_OPTIONS
from handlers.kit.common import acknowledge, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.write_in import type_last
from handlers.measure.cycle import show_next_unplaced
from handlers.measure.cycle_lead_actions import (
    ask_action,
    ask_action_theme,
    ask_due,
    ask_owner,
    on_action,
    on_action_theme,
    on_due,
    on_owner,
)
from handlers.measure.cycle_lead_draft import (
    ACTION,
    ACTION_THEME,
    BASELINE,
    CAUSES,
    DRAFT,
    DUE,
    INDICATORS,
    LEAD,
    LINE_MAX,
    MORE,
    OWNER,
    SUCCESS,
    THEMES,
    VIEW,
    LeadDraft,
    draft_cycle,
    gone,
    lines,
    said,
)
from handlers.measure.cycle_lead_success import (
    ask_baseline,
    ask_indicators,
    ask_more,
    ask_success,
    ask_view,
    on_baseline,
    on_indicators,
    on_more,
    on_success,
    on_view,
)


async def start(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    button = context.button
    if not isinstance(button, LeadStepButton) or button.action not in STARTS:
        return ConversationHandler.END
    LEAD.begin(context, LeadDraft(cycle=button.cycle))
    return await STARTS[button.action](update, context)


# --- themes ---------------------------------------------------------------------------------


async def _read_themes(update: Update, context: BotContext) -> list[tuple[str, str]] | None:
    themes = [parsed for parsed in (parse_theme_line(line) for line in lines(update)) if parsed]
    if not 1 <= len(themes) <= MAX_OPTIONS or any(len(t) + len(s) > LINE_MAX for t, s in themes):
        await say(update, context, _("Please type 1 to {most} themes, one on each line.").format(most=MAX_OPTIONS))
        return None
    return themes


async def _draft_themes(update: Update, context: BotContext, themes: list[tuple[str, str]]) -> Any:
    cycle = await draft_cycle(context)
    if cycle is None:
        return await gone(update, context)
    await draft_themes(context.services, cycle, themes)
    LEAD.drop(context)
    await ending(update, context)
    await show_next_unplaced(update, context, cycle)
    return ConversationHandler.END


ask_themes, on_themes = type_last(
    THEMES,
    lambda _context: _(
        "Type the themes, one on each line. After each one you can add a colon and its "
        "“I” statement, like this:\nBuses: I need a bus I can rely on.\nSend /cancel to "
        "stop."
    ),
    _read_themes,
    _draft_themes,
)


# --- causes ----------------------------------------------------------------------------------


def _causes_question(_context: BotContext) -> str:
    return _(
        "What could be causing the problems? Type {least} to {most} causes, one on each "
        "line. Everyone will vote on which matter most."
    ).format(least=MIN_OPTIONS, most=MAX_OPTIONS)


async def _read_causes(update: Update, context: BotContext) -> list[str] | None:
    """Different causes, one on each line; too few or too many and the question comes again."""
    causes = list(dict.fromkeys(line[:60] for line in lines(update)))
    if not MIN_OPTIONS <= len(causes) <= MAX_OPTIONS:
        await say(update, context, _causes_question(context))
        return None
    return causes


async def _ask_causes(update: Update, context: BotContext, causes: list[str]) -> Any:
    cycle = await draft_cycle(context)
    if cycle is None:
        return await gone(update, context)
    assert context.participant is not None
    moved = await work.ask_causes(context.services, cycle, causes, context.participant.id)
    LEAD.drop(context)
    await ending(update, context)
    return await said(update, context, cycle.id, _("Sent. Everyone can vote now.") if moved else None)


ask_causes, on_causes = type_last(CAUSES, _causes_question, _read_causes, _ask_causes)


# The lead's step buttons that open this flow, and the question each starts with.
STARTS = {"themes": ask_themes, "causes": ask_causes, "success": ask_view, "action": ask_action}


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    return Flow(
        name="cycle_lead",
        noun=N_("your cycle step"),
        states=restarting(
            {
                THEMES: step(ask_themes, MessageHandler(typed_text(), on_themes)),
                CAUSES: step(ask_causes, MessageHandler(typed_text(), on_causes)),
                VIEW: step(ask_view, CallbackQueryHandler(on_view, pattern=choice)),
                SUCCESS: step(ask_success, MessageHandler(typed_text(), on_success)),
                INDICATORS: step(
                    ask_indicators,
                    CallbackQueryHandler(on_indicators, pattern=choice),
                    MessageHandler(typed_text(), on_indicators),
                ),
                MORE: step(ask_more, CallbackQueryHandler(on_more, pattern=choice)),
                BASELINE: step(ask_baseline, MessageHandler(typed_text(), on_baseline)),
                ACTION: step(ask_action, MessageHandler(typed_text(), on_action)),
                ACTION_THEME: step(ask_action_theme, CallbackQueryHandler(on_action_theme, pattern=choice)),
                OWNER: step(ask_owner, CallbackQueryHandler(on_owner, pattern=choice)),
                DUE: step(ask_due, MessageHandler(typed_text(), on_due)),
            },
            None,
        ),
        entry_points=[CallbackQueryHandler(start, pattern=LeadStepButton.pattern_where(action=tuple(STARTS)))],
        cancel=stopped(),
        prefixes=(DraftChoice.prefix,),
        drafts=(DRAFT,),
        command="cycle",
    )
