"""The draft a lead types a cycle step into, shared by its parts: the themes and causes
(handlers/measure/cycle_lead.py, which also declares the flow), what success looks like
(handlers/measure/cycle_lead_success.py) and the actions (handlers/measure/cycle_lead_actions.py)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import _
from cycle import views
from cycle.leading import led_cycle
from handlers.kit.common import say
from handlers.kit.drafts import dict_draft
from handlers.kit.flow import ending, typed
from storage.cycles import Cycle

THEMES, CAUSES, SUCCESS, BASELINE, ACTION, ACTION_THEME, OWNER, DUE = (
    "cycle_themes", "cycle_causes", "cycle_success", "cycle_baseline", "cycle_action", "cycle_action_theme",
    "cycle_owner", "cycle_due")
VIEW, INDICATORS, MORE = "cycle_view", "cycle_indicators", "cycle_more"
DRAFT = "cycle_lead"
LINE_MAX = 200


draft_of = dict_draft(DRAFT)


async def draft_cycle(context: BotContext) -> Cycle | None:
    """The draft's cycle, if the person still leads its group (checked again at every save)."""
    if context.participant is None:
        return None
    return await led_cycle(context.services, draft_of(context).get("cycle", 0), context.participant.id, context.role)


async def gone(update: Update, context: BotContext) -> Any:
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    await say(update, context, _("The cycle has moved on. Send /cycle to see where it is."))
    return ConversationHandler.END


async def said(update: Update, context: BotContext, cycle_id: int, text: str | None) -> Any:
    """What was done (None: someone moved the cycle first), with the lead's next button."""
    cycle = await context.services.cycles.by_id(cycle_id)
    assert cycle is not None
    await say(update, context, text or _("The cycle has moved on. Send /cycle to see where it is."),
              views.lead_markup(cycle))
    return ConversationHandler.END


def lines(update: Update) -> list[str]:
    return [line.strip() for line in typed(update, one_line=False).splitlines() if line.strip()]
