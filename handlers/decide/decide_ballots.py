"""Dots and rankings, built with buttons on the card and sent with "Send my answers": each tap
changes the ballot on screen only (the rule is domain/ballots.py), so a member can change their
mind freely until they send it, and again after, until the decision closes."""

from __future__ import annotations

import json

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import _
from decide import work
from decide.answering import option_ids, sent_ballot
from decide.buttons import DotButton, RankButton, SendBallotButton
from domain.ballots import Refusal, changed
from handlers.decide.decide_card import ballot_key, closed, closed_text, pressed, refresh, unsent_ballot
from handlers.kit.common import acknowledge
from storage.decisions import Decision


async def _current_ballot(context: BotContext, decision: Decision) -> dict[int, int]:
    draft = unsent_ballot(context, decision.id)
    if draft is not None:
        return draft
    assert context.participant is not None
    return await sent_ballot(context.services, decision.id, context.participant.id)


async def on_ballot_change(update: Update, context: BotContext) -> None:
    """One tap changes the draft on screen; nothing counts until "Send my answers"."""
    button = context.button
    assert isinstance(button, DotButton | RankButton)
    found = await pressed(context, button.decision)
    if found is None or await closed(update, found.decision, context):
        return
    decision = found.decision
    ballot = changed(
        decision.kind,
        await _current_ballot(context, decision),
        button.option,
        button.change if isinstance(button, DotButton) else None,
        decision.dots or 1,
        await option_ids(context.services, decision.id),
    )
    if isinstance(ballot, Refusal):
        await acknowledge(
            update,
            _("You have used all your dots. Take one away first.")
            if ballot is Refusal.NO_DOTS_LEFT
            else _("There is no dot there to take away."),
            alert=True,
        )
        return
    context.drafts[ballot_key(decision.id)] = json.dumps(ballot)
    await acknowledge(update)
    await refresh(update, context, decision, leads=found.leads, ballot=ballot)


async def on_send_ballot(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, SendBallotButton)
    found = await pressed(context, button.decision)
    if found is None or await closed(update, found.decision, context):
        return
    decision = found.decision
    ballot = await _current_ballot(context, decision)
    if not ballot:
        await acknowledge(update, _("Please choose first, then tap Send."), alert=True)
        return
    if not await work.send_ballot(context.services, decision, found.member, ballot):
        await acknowledge(update, closed_text(), alert=True)
        return
    context.drafts.pop(ballot_key(decision.id), None)
    await acknowledge(update, _("Thank you. Your answers are sent."))
    await refresh(update, context, decision, leads=found.leads)


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_ballot_change, pattern=DotButton.pattern()),
        CallbackQueryHandler(on_ballot_change, pattern=RankButton.pattern()),
        CallbackQueryHandler(on_send_ballot, pattern=SendBallotButton.pattern()),
    ]
