"""Asking in advance, from /claim, for a cost someone can't pay upfront: which upcoming
meeting, which cost, about how much. An officer agrees it before the meeting."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import N_, _
from claims.buttons import ClaimChoice
from domain.claims import CATEGORIES, PREAPPROVABLE
from handlers.claims.claim_steps import CLAIM, PRE_AMOUNT, PRE_CATEGORY, PRE_MEETING
from handlers.kit.choose import choose_one
from handlers.kit.common import ask, say
from handlers.kit.drafts import DraftLost
from handlers.kit.flow import ending
from handlers.kit.flow_steps import read_money
from handlers.kit.write_in import type_last

# What the steps' buttons carry after "cl:".
PRE, PRE_CAT = "pre", "precat"


async def _upcoming(context: BotContext) -> dict[str, str] | None:
    """Meetings they are invited to and going to; None when there is none coming up."""
    assert context.participant is not None
    upcoming = await context.services.meetings.upcoming_for(context.participant.id, context.services.clock.now())
    return {str(m.id): f"🗓 {m.title[:40]}" for m in upcoming} or None


async def _none_coming(update: Update, context: BotContext) -> Any:
    await say(
        update,
        context,
        _("You can ask in advance for a meeting you are invited to and going to. There is none coming up yet."),
    )
    CLAIM.drop(context)
    return ConversationHandler.END


async def _ask_in_advance(update: Update, context: BotContext, pence: int) -> Any:
    services = context.services
    draft = CLAIM.pop(context)
    if draft.meeting_id is None or draft.category is None:
        raise DraftLost(CLAIM.key)
    assert context.participant is not None
    await services.claims.ask_preapproval(
        context.participant.id, draft.meeting_id, draft.category, pence, services.clock.now()
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


ask_pre_amount, on_pre_amount = type_last(
    PRE_AMOUNT,
    lambda _context: _("About how much will it be? Type the amount in pounds, like 18.00."),
    read_money,
    _ask_in_advance,
    put=ask,
)
ask_pre_category, on_pre_category = choose_one(
    ClaimChoice,
    PRE_CAT,
    PRE_CATEGORY,
    N_("What cost can't you pay upfront?"),
    {key: CATEGORIES[key] for key in PREAPPROVABLE},
    CLAIM.keeper("category"),
    ask_pre_amount,
)
ask_pre_meeting, on_pre_meeting = choose_one(
    ClaimChoice,
    PRE,
    PRE_MEETING,
    N_("Which meeting is it for?"),
    _upcoming,
    CLAIM.keeper("meeting_id"),
    ask_pre_category,
    gone=_none_coming,
)
