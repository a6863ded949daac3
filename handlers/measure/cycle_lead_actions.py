"""A lead adds the cycle's actions (step 6), one at a time: what it is, which theme it answers,
who owns it and by when; then adds another or starts the actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from cycle import work
from cycle.buttons import LeadStepButton
from cycle.leading import possible_owners
from decide.buttons import DraftChoice
from handlers.kit.choose import choose_one
from handlers.kit.common import say
from handlers.kit.drafts import DraftLost
from handlers.kit.flow import ending
from handlers.kit.flow_steps import day_to_come
from handlers.kit.write_in import type_last, write_in
from handlers.measure.cycle_lead_draft import ACTION, ACTION_THEME, DRAFT, DUE, LEAD, LINE_MAX, OWNER, draft_cycle, gone


async def _themes(context: BotContext) -> dict[str, str] | None:
    """The cycle's themes, each title cut to fit its button; None once the cycle has gone."""
    cycle = await draft_cycle(context)
    if cycle is None:
        return None
    return {str(t.id): f"🧩 {t.title[:40]}" for t in await context.services.cycles.themes(cycle.id)}


async def _owners(context: BotContext) -> dict[str, str] | None:
    """Who may own the action, the first 30 by name, each name cut to fit its button; None once
    the cycle has gone."""
    cycle = await draft_cycle(context)
    if cycle is None:
        return None
    return {str(pid): name[:40] for pid, name in (await possible_owners(context.services, cycle))[:30]}


async def _add_action(update: Update, context: BotContext, due: datetime) -> Any:
    services = context.services
    cycle = await draft_cycle(context)
    if cycle is None:
        return await gone(update, context)
    draft = LEAD.pop(context)
    if draft.theme is None or draft.owner is None:  # both are asked before the date
        raise DraftLost(DRAFT)
    assert context.participant is not None
    await work.add_action(
        services,
        cycle,
        draft.theme,
        draft.text,
        draft.owner,
        due.astimezone(services.settings.timezone).date().isoformat(),
        context.participant.id,
    )
    await ending(update, context)
    await say(
        update,
        context,
        _("Action saved. Add another, or start the actions when the plan is ready."),
        column(
            [
                (_("➕ Add an action"), LeadStepButton(cycle.project_id, cycle.id, "action").pack()),
                (_("▶️ Start the actions"), LeadStepButton(cycle.project_id, cycle.id, "next").pack()),
            ]
        ),
    )
    return ConversationHandler.END


# Declared from the last step back, as each names the step that follows it.
ask_due, on_due = type_last(
    DUE,
    lambda _context: _("By when? Type a date like 15/12."),
    day_to_come(N_("Please type a date still to come, like 15/12.")),
    _add_action,
)
ask_owner, on_owner = choose_one(
    DraftChoice, OWNER, OWNER, N_("Who owns it?"), _owners, LEAD.keeper("owner"), ask_due, gone=gone
)
ask_action_theme, on_action_theme = choose_one(
    DraftChoice,
    ACTION_THEME,
    ACTION_THEME,
    N_("Which theme does it answer?"),
    _themes,
    LEAD.keeper("theme"),
    ask_owner,
    gone=gone,
)
ask_action, on_action = write_in(
    ACTION,
    lambda _context: _("What is the action? Type it in one line."),
    LINE_MAX,
    LEAD.keeper("text"),
    ask_action_theme,
)
