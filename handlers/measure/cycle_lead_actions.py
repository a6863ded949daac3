"""A lead adds the cycle's actions (step 6), one at a time: what it is, which theme it answers,
who owns it and by when; then adds another or starts the actions."""

from __future__ import annotations

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
from handlers.kit.common import acknowledge, clear_buttons, say
from handlers.kit.drafts import DraftLost
from handlers.kit.flow import ending, read_day
from handlers.kit.write_in import write_in
from handlers.measure.cycle_lead_draft import ACTION, ACTION_THEME, DRAFT, DUE, LEAD, LINE_MAX, OWNER, draft_cycle, gone


async def ask_action_theme(update: Update, context: BotContext) -> Any:
    cycle = await draft_cycle(context)
    if cycle is None:
        return await gone(update, context)
    themes = await context.services.cycles.themes(cycle.id)
    await say(
        update,
        context,
        _("Which theme does it answer?"),
        column((f"🧩 {t.title[:40]}", DraftChoice(ACTION_THEME, str(t.id)).pack()) for t in themes),
    )
    return ACTION_THEME


ask_action, on_action = write_in(
    ACTION, lambda: _("What is the action? Type it in one line."), LINE_MAX, LEAD.keeper("text"), ask_action_theme
)


async def on_action_theme(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    cycle = await draft_cycle(context)
    chosen = DraftChoice.chosen(context.button, ACTION_THEME)
    themes = {str(t.id) for t in await context.services.cycles.themes(cycle.id)} if cycle else set()
    if chosen not in themes:
        return await ask_action_theme(update, context)
    await clear_buttons(update)
    with LEAD.editing(context) as draft:
        draft.theme = int(chosen)
    return await ask_owner(update, context)


async def ask_owner(update: Update, context: BotContext) -> Any:
    cycle = await draft_cycle(context)
    if cycle is None:
        return await gone(update, context)
    owners = await possible_owners(context.services, cycle)
    await say(
        update,
        context,
        _("Who owns it?"),
        column((name[:40], DraftChoice(OWNER, str(pid)).pack()) for pid, name in owners[:30]),
    )
    return OWNER


async def on_owner(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    cycle = await draft_cycle(context)
    chosen = DraftChoice.chosen(context.button, OWNER)
    if cycle is None or chosen not in {str(pid) for pid, _name in await possible_owners(context.services, cycle)}:
        return await ask_owner(update, context)
    await clear_buttons(update)
    with LEAD.editing(context) as draft:
        draft.owner = int(chosen)
    return await ask_due(update, context)


async def ask_due(update: Update, context: BotContext) -> Any:
    await say(update, context, _("By when? Type a date like 15/12."))
    return DUE


async def on_due(update: Update, context: BotContext) -> Any:
    due = await read_day(
        update, context, lambda day, now: day > now, N_("Please type a date still to come, like 15/12.")
    )
    if due is None:
        return DUE
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
