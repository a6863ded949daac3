"""The draft a lead types a cycle step into, shared by its parts: the themes and causes
(handlers/measure/cycle_lead.py, which also declares the flow), what success looks like
(handlers/measure/cycle_lead_success.py) and the actions (handlers/measure/cycle_lead_actions.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import _
from cycle import views
from cycle.leading import led_cycle
from handlers.kit.common import say
from handlers.kit.drafts import DraftLost, DraftSlot
from handlers.kit.flow import ending, typed
from storage.cycles import Cycle, SuccessLine

THEMES, CAUSES, SUCCESS, BASELINE, ACTION, ACTION_THEME, OWNER, DUE = (
    "cycle_themes",
    "cycle_causes",
    "cycle_success",
    "cycle_baseline",
    "cycle_action",
    "cycle_action_theme",
    "cycle_owner",
    "cycle_due",
)
VIEW, INDICATORS, MORE = "cycle_view", "cycle_indicators", "cycle_more"
DRAFT = "cycle_lead"
LINE_MAX = 200


@dataclass
class LeadDraft:
    """The field names are the keys the draft had as a dict, so a step begun before drafts were
    typed carries on; a success line keeps its old shape too, a list (read by `success_lines`)."""

    cycle: int = 0
    success: list[list[int | str | None]] = field(default_factory=list)  # [theme id, view, words, signs or None]
    baselines: dict[str, str] = field(default_factory=dict)  # theme id -> where things are now
    view: str | None = None  # the point of view of the success line being written
    current: str = ""  # its words, until its signs are typed or skipped
    signs: str | None = None  # its signs of progress, until the line is added to `success`
    text: str = ""  # the action being added, then its theme and owner
    theme: int | None = None
    owner: int | None = None


LEAD = DraftSlot(DRAFT, LeadDraft)


def success_lines(draft: LeadDraft) -> list[SuccessLine]:
    """The success lines written so far; one of another shape means the draft is not this flow's."""
    written = []
    for line in draft.success:
        match line:
            case [int(theme), str(view), str(words), str() | None as signs]:
                written.append(SuccessLine(theme, view, words, signs))
            case _:
                raise DraftLost(DRAFT)
    return written


async def draft_cycle(context: BotContext) -> Cycle | None:
    """The draft's cycle, if the person still leads its group (checked again at every save)."""
    if context.participant is None:
        return None
    return await led_cycle(context.services, LEAD.of(context).cycle, context.participant.id, context.role)


async def gone(update: Update, context: BotContext) -> Any:
    LEAD.drop(context)
    await ending(update, context)
    await say(update, context, _("The cycle has moved on. Send /cycle to see where it is."))
    return ConversationHandler.END


async def said(update: Update, context: BotContext, cycle_id: int, text: str | None) -> Any:
    """What was done (None: someone moved the cycle first), with the lead's next button."""
    cycle = await context.services.cycles.by_id(cycle_id)
    assert cycle is not None
    await say(
        update, context, text or _("The cycle has moved on. Send /cycle to see where it is."), views.lead_markup(cycle)
    )
    return ConversationHandler.END


def lines(update: Update) -> list[str]:
    return [line.strip() for line in typed(update, one_line=False).splitlines() if line.strip()]
