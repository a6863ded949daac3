"""Asking in advance, from /claim, for a cost someone can't pay upfront: which upcoming
meeting, which cost, about how much. An officer agrees it before the meeting."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import column
from claims.buttons import ClaimChoice
from domain.claims import CATEGORIES, PREAPPROVABLE
from handlers.claims.claim_steps import CLAIM, PRE_AMOUNT, PRE_CATEGORY, PRE_MEETING, typed_amount
from handlers.kit.common import acknowledge, ask, clear_buttons, say
from handlers.kit.drafts import DraftLost
from handlers.kit.flow import ending, picked

# What the steps' buttons carry after "cl:".
PRE, PRE_CAT = "pre", "precat"


async def ask_pre_meeting(update: Update, context: BotContext) -> Any:
    assert context.participant is not None
    upcoming = await context.services.meetings.upcoming_for(context.participant.id, context.services.clock.now())
    if not upcoming:
        await say(
            update,
            context,
            _("You can ask in advance for a meeting you are invited to and going to. There is none coming up yet."),
        )
        CLAIM.drop(context)
        return ConversationHandler.END
    await ask(
        update,
        context,
        _("Which meeting is it for?"),
        column((f"🗓 {m.title[:40]}", ClaimChoice(PRE, str(m.id)).pack()) for m in upcoming),
    )
    return PRE_MEETING


async def on_pre_meeting(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = ClaimChoice.chosen(context.button, PRE) or ""
    assert context.participant is not None
    upcoming = {
        m.id for m in await context.services.meetings.upcoming_for(context.participant.id, context.services.clock.now())
    }
    if not chosen.isdigit() or int(chosen) not in upcoming:
        return PRE_MEETING
    await clear_buttons(update)
    with CLAIM.editing(context) as draft:
        draft.meeting_id = int(chosen)
    await ask(
        update,
        context,
        _("What cost can't you pay upfront?"),
        column((_(CATEGORIES[key]), ClaimChoice(PRE_CAT, key).pack()) for key in PREAPPROVABLE),
    )
    return PRE_CATEGORY


async def on_pre_category(update: Update, context: BotContext) -> Any:
    choice = await picked(update, PREAPPROVABLE)
    if choice is None:
        return PRE_CATEGORY
    with CLAIM.editing(context) as draft:
        draft.category = choice
    await ask(update, context, _("About how much will it be? Type the amount in pounds, like 18.00."))
    return PRE_AMOUNT


async def on_pre_amount(update: Update, context: BotContext) -> Any:
    services = context.services
    amount = await typed_amount(update, context)
    if amount is None:
        return PRE_AMOUNT
    draft = CLAIM.pop(context)
    if draft.meeting_id is None or draft.category is None:
        raise DraftLost(CLAIM.key)
    assert context.participant is not None
    await services.claims.ask_preapproval(
        context.participant.id, draft.meeting_id, draft.category, amount, services.clock.now()
    )
    await ending(update, context)
    await say(
        update,
        context,
        _(
            "Sent. An officer will check it and tell you here before the meeting. Keep the "
            "receipt: you claim it afterwards with /claim."
        ),
    )
    return ConversationHandler.END
