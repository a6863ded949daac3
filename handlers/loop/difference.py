"""Residents answer "has it made a difference?" about a published "we did", and may add a
comment; the answer counts at the tap, the comment is a step of its own."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from feedback.buttons import SKIP, DifferenceButton
from feedback.we_did import answer_difference
from handlers.kit.common import acknowledge, clear_buttons, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed, typed_text
from handlers.loop.feedback_draft import DIFFERENCE, DifferenceDraft, difference

COMMENT = "comment"


async def on_difference(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, DifferenceButton)
    if context.participant is None or not await answer_difference(context.services, context.participant.id, button):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return ConversationHandler.END
    await acknowledge(update, _("Thank you for telling us."))
    await clear_buttons(update)
    DIFFERENCE.begin(context, DifferenceDraft(button.theme, button.round))
    return await ask_comment(update, context)


async def on_comment_button(update: Update, context: BotContext) -> Any:
    """While the comment is asked: Skip, or an answer on another theme's message."""
    button = context.button
    assert isinstance(button, DifferenceButton)
    return await (on_comment if button.answer == SKIP else on_difference)(update, context)


async def on_comment(update: Update, context: BotContext) -> Any:
    target = None if update.callback_query else difference(context)  # a Skip needs no target
    DIFFERENCE.drop(context)
    await ending(update, context)
    if target is None:
        await acknowledge(update)
        await clear_buttons(update)
    elif context.participant is not None:
        comment = typed(update, one_line=False)[:500]
        await context.services.feedback.add_comment(target.theme, context.participant.id, target.round, comment)
        await say(update, context, _("Thank you. The team will read it."))
    return ConversationHandler.END


async def ask_comment(update: Update, context: BotContext) -> Any:
    target = difference(context)
    await say(
        update,
        context,
        _("Anything you would like to add? Type it, or tap Skip."),
        column([(_("Skip »"), DifferenceButton(target.theme, target.round, SKIP).pack())]),
    )
    return COMMENT


def conversation() -> Flow:
    comment = step(
        ask_comment,
        CallbackQueryHandler(on_comment_button, pattern=DifferenceButton.pattern()),
        MessageHandler(typed_text(), on_comment),
    )
    return Flow(
        name="difference",
        noun=N_("your comment"),
        states=restarting({COMMENT: comment}, None),
        entry_points=[CallbackQueryHandler(on_difference, pattern=DifferenceButton.pattern())],
        cancel=stopped(N_("Stopped. Nothing was sent.")),
        prefixes=(DifferenceButton.prefix,),
        drafts=(DIFFERENCE.key,),
    )
