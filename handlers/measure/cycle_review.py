"""Step 5, "where are we now?": participants rate each success statement with one tap, and
anyone may ask for the cycle's report at the review."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import _
from cycle import work
from cycle.buttons import InterestedButton, RateSuccessButton
from handlers.kit.common import acknowledge, clear_buttons, say


async def on_rate(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, RateSuccessButton) and context.participant is not None
    if button.score == 0:
        await acknowledge(update)
        await clear_buttons(update)
        return
    if not await work.rate(context.services, button.success, context.participant.id, button.score):
        await acknowledge(update, _("This can't be rated now. Send /cycle to see where the cycle is."), alert=True)
        return
    await acknowledge(update, _("Thank you. You said {score}.").format(score=button.score))
    await clear_buttons(update)


async def on_interested(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, InterestedButton)
    if context.participant is None:
        await acknowledge(update, _("Please send /start to join first."), alert=True)
        return
    cycle = await context.services.cycles.by_id(button.cycle)
    if (
        cycle is None
        or cycle.project_id != button.group
        or not await work.want_report(context.services, cycle, context.participant.id)
    ):
        await acknowledge(
            update,
            _("You will get the report anyway, or it has already gone. Send /cycle to see where the cycle is."),
            alert=True,
        )
        return
    await acknowledge(update)
    await clear_buttons(update)
    await say(update, context, _("Thank you. We will send you the report at the review."))


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_rate, pattern=RateSuccessButton.pattern()),
        CallbackQueryHandler(on_interested, pattern=InterestedButton.pattern()),
    ]
