"""Sending a previewed opportunity: the broadcast goes into the outbox at Telegram's pace, and
the coordinator gets a progress message with a Stop button (or the form is let go unsent)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import keyboard
from decide.work import wake_sender
from domain.roles import ORGANISERS
from handlers.kit.common import audit, require, say
from handlers.kit.flow import ending
from handlers.kit.text_versions import own_language
from handlers.opportunities.opportunities import resident_buttons, stop_markup
from handlers.opportunities.opportunity_target import OPPORTUNITY
from opportunities import work


@require(ORGANISERS, "opportunity.send")
async def send(update: Update, context: BotContext) -> Any:
    """Broadcast the draft, then show the coordinator its progress with a Stop button."""
    services = context.services
    draft = OPPORTUNITY.of(context)
    fields = draft.fields()
    assert context.participant is not None
    sent = await work.send(
        services,
        draft,
        context.participant.id,
        own_language(context),
        lambda opportunity_id: keyboard(resident_buttons(opportunity_id, fields, full=False)),
    )
    OPPORTUNITY.drop(context)
    if sent.batch_id is None:
        await say(update, context, _("This opportunity has already been sent. See it in /opportunities."))
        return ConversationHandler.END
    await ending(update, context)
    await audit(context, update, "opportunity.send", "ok", subject=str(sent.opportunity_id), detail=str(sent.count))
    progress = await say(update, context, _("Sending…"), stop_markup(sent.batch_id))
    if progress is not None:
        await services.outbox.set_progress_message(sent.batch_id, progress.chat_id, progress.message_id)
        if services.sender is not None:  # the sender may already have delivered it all
            await services.sender.report(sent.batch_id)
    wake_sender(services)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> Any:
    OPPORTUNITY.drop(context)
    await say(update, context, _("Stopped. Nothing was sent."))
    return ConversationHandler.END
