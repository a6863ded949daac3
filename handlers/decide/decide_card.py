"""What every press on a decision's card needs, whether it answers a proposal
(handlers/decide/decide_answers.py) or builds dots or a ranking (handlers/decide/decide_ballots.py): who is
answering, refusing a closed decision, the ballot not yet sent, and showing the card again."""

from __future__ import annotations

import json

from telegram import Update
from telegram.error import BadRequest

from bot.context import BotContext
from bot.i18n import _
from decide import work
from decide.answering import Answering, answering
from decide.views import card
from handlers.kit.common import acknowledge, say
from storage.decisions import Decision


async def pressed(context: BotContext, decision_id: int) -> Answering | None:
    """The decision and the presser as a member; the gate worked out their rights when it checked
    the press, and after a typed reason they are worked out again."""
    assert context.participant is not None
    return await answering(context.services, decision_id, context.participant.id, context.role, context.group_rights)


def closed_text() -> str:
    return _("Sorry, this has closed. Answers given after it closed don't count.")


async def closed(update: Update, decision: Decision, context: BotContext) -> bool:
    """Refuse the press, and say so, if the decision no longer takes answers."""
    if decision.status == "open" and decision.closes_at > context.services.clock.now():
        return False
    await acknowledge(update, closed_text(), alert=True)
    return True


def ballot_key(decision_id: int) -> str:
    return f"ballot:{decision_id}"


def unsent_ballot(context: BotContext, decision_id: int) -> dict[int, int] | None:
    """The dots or ranking the member is building on screen, if any: kept with their drafts until
    "Send my answers"."""
    saved = context.drafts.get(ballot_key(decision_id))
    return {int(k): int(v) for k, v in json.loads(saved).items()} if saved else None


async def refresh(
    update: Update, context: BotContext, decision: Decision, *, leads: bool, ballot: dict[int, int] | None = None
) -> None:
    """Show the card again where it was tapped: the reader's answer and the counts now."""
    assert context.participant is not None
    fresh = await context.services.decisions.by_id(decision.id) or decision
    data = await work.card_data(context.services, fresh, context.participant.id, reader_leads=leads, ballot=ballot)
    text, markup = card(data, context.services.settings.timezone)
    query = update.callback_query
    try:
        if query is not None:
            await query.edit_message_text(text, reply_markup=markup)
            return
    except BadRequest as exc:
        if "not modified" in str(exc):
            return
    await say(update, context, text, markup)
