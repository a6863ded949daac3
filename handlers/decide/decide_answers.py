"""Members answering a proposal: Agree / Abstain / Disagree / Block (the last two with a reason,
typed or spoken), changeable until the decision closes; hiding one's name, hearing a voice note,
seeing the card again, and a lead closing it early. Dots and rankings are in
handlers/decide/decide_ballots.py. The gate has already checked membership, so every handler here
starts from a parsed, permitted `context.button`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _
from decide import work
from decide.answering import hide_name, proposal_voice, reason_voice
from decide.buttons import (
    AnswerButton,
    CloseNowButton,
    HideNameButton,
    MeaningsButton,
    PlayReasonButton,
    PlayVoiceButton,
    ShowDecisionButton,
)
from decide.views import card, meanings
from domain.decisions import ANSWER_NAMES, NEEDS_REASON, Answer
from handlers.decide import decide_ballots
from handlers.decide.decide_card import closed, closed_text, pressed, refresh, unsent_ballot
from handlers.kit.common import acknowledge, audit, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_or_spoken, typed_text

REASON = "reason"
PENDING = "decision_reason"  # the answer waiting for its reason: decision, answer, card message
REASON_MAX = 500


@dataclass
class ReasonDraft:
    """The answer waiting for its reason. The field names are the keys the draft had as a dict, so
    a reason begun before drafts were typed is still kept after the upgrade."""

    decision: int
    answer: Answer
    message: int | None = None  # the card the answer was tapped on, shown again once the reason is in


PENDING_REASON = DraftSlot(PENDING, ReasonDraft)


async def on_answer(update: Update, context: BotContext) -> Any:
    button = context.button
    if not isinstance(button, AnswerButton) or button.answer not in {a.value for a in Answer}:
        await acknowledge(update)
        return ConversationHandler.END
    found = await pressed(context, button.decision)
    if found is None:
        await acknowledge(update)
        return ConversationHandler.END
    if await closed(update, found.decision, context):
        return ConversationHandler.END
    given = Answer(button.answer)
    if given in NEEDS_REASON:
        await acknowledge(update)
        message = update.callback_query.message if update.callback_query else None
        PENDING_REASON.begin(context, ReasonDraft(found.decision.id, given, message.message_id if message else None))
        return await ask_reason(update, context)
    await work.answer(context.services, found.decision, found.member, given)
    await acknowledge(update, _("Noted: {answer}.").format(answer=_(ANSWER_NAMES[given])))
    await refresh(update, context, found.decision, leads=found.leads)
    return ConversationHandler.END


async def _reasoned(update: Update, context: BotContext, reason: str | None, voice: str | None) -> Any:
    pending = PENDING_REASON.pop(context)
    found = await pressed(context, pending.decision)
    if found is None:
        return ConversationHandler.END
    given = pending.answer
    saved = await work.answer(context.services, found.decision, found.member, given, reason=reason, reason_voice=voice)
    await ending(update, context)
    if not saved:
        await say(update, context, closed_text())
        return ConversationHandler.END
    await say(
        update,
        context,
        _("Thank you. Your answer is noted: {answer}, with your reason.").format(answer=_(ANSWER_NAMES[given])),
    )
    assert context.participant is not None
    data = await work.card_data(context.services, found.decision, context.participant.id, reader_leads=found.leads)
    text, markup = card(data, context.services.settings.timezone)
    if pending.message and update.effective_chat:
        try:
            await context.bot.edit_message_text(text, update.effective_chat.id, pending.message, reply_markup=markup)
        except BadRequest:
            pass  # the card was deleted or is unchanged; the answer is saved either way
    return ConversationHandler.END


on_reason = typed_or_spoken(REASON, REASON_MAX, _reasoned)


async def ask_reason(update: Update, context: BotContext) -> Any:
    given = PENDING_REASON.of(context).answer
    await say(
        update,
        context,
        _("You chose {answer}. Please say why, in a few plain words. You can type it or send a voice note.").format(
            answer=_(ANSWER_NAMES[given])
        ),
    )
    return REASON


async def on_hide_name(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, HideNameButton) and context.participant is not None
    found = await pressed(context, button.decision)
    if found is None or await closed(update, found.decision, context):
        return
    if not await hide_name(context.services, found.decision, context.participant.id, button.hide):
        await acknowledge(update, _("Please answer first. Then you can hide your name."), alert=True)
        return
    await acknowledge(
        update, _("Your name is hidden from the leads.") if button.hide else _("The leads can see your name again.")
    )
    await refresh(update, context, found.decision, leads=found.leads)


async def on_meanings(update: Update, context: BotContext) -> None:
    await acknowledge(update)
    await say(update, context, meanings())


async def on_play_voice(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PlayVoiceButton | PlayReasonButton)
    voice = (
        await proposal_voice(context.services, button.decision)
        if isinstance(button, PlayVoiceButton)
        else await reason_voice(context.services, button.decision, button.member)
    )
    await acknowledge(update)
    if voice and update.effective_chat:
        await context.bot.send_voice(update.effective_chat.id, voice)


async def on_show(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, ShowDecisionButton)
    found = await pressed(context, button.decision)
    await acknowledge(update)
    if found is not None:
        assert context.participant is not None
        data = await work.card_data(
            context.services,
            found.decision,
            context.participant.id,
            reader_leads=found.leads,
            ballot=unsent_ballot(context, found.decision.id),
        )
        text, markup = card(data, context.services.settings.timezone)
        await say(update, context, text, markup)


async def on_close_now(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, CloseNowButton)
    await acknowledge(update)
    if await work.close(context.services, button.decision):
        await audit(context, update, "decision.close", "ok", subject=str(button.decision))


def reason_conversation() -> Flow:
    """Disagree and Block open a short flow that waits for the reason."""
    answer = CallbackQueryHandler(on_answer, pattern=AnswerButton.pattern())
    return Flow(
        name="decision_reason",
        noun=N_("your answer"),
        states=restarting(
            {REASON: step(ask_reason, answer, MessageHandler(typed_text() | filters.VOICE, on_reason))}, None
        ),
        entry_points=[answer],
        cancel=stopped(N_("Stopped. Your answer is as it was.")),
        prefixes=(AnswerButton.prefix,),
        drafts=(PENDING,),
    )


def handlers() -> list[object]:
    """The card's buttons, dots and rankings among them, in the order bot/app.py registers them."""
    return [
        CallbackQueryHandler(on_hide_name, pattern=HideNameButton.pattern()),
        CallbackQueryHandler(on_meanings, pattern=MeaningsButton.pattern()),
        CallbackQueryHandler(on_play_voice, pattern=PlayVoiceButton.pattern()),
        CallbackQueryHandler(on_play_voice, pattern=PlayReasonButton.pattern()),
        CallbackQueryHandler(on_show, pattern=ShowDecisionButton.pattern()),
        *decide_ballots.handlers(),
        CallbackQueryHandler(on_close_now, pattern=CloseNowButton.pattern()),
    ]
