"""Members answering: Agree / Abstain / Disagree / Block (the last two with a reason, typed
or spoken), dots and rankings built with buttons and sent with "Send my answers", all
changeable until the decision closes. The gate has already checked membership, so every
handler here starts from a parsed, permitted `context.button`."""

from __future__ import annotations

import json
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import N_, _
from decide import work
from decide.buttons import (AnswerButton, CloseNowButton, DotButton, HideNameButton, MeaningsButton,
                            PlayReasonButton, PlayVoiceButton, RankButton, SendBallotButton, ShowDecisionButton)
from decide.views import card, meanings
from domain.decisions import ANSWER_NAMES, NEEDS_REASON, Answer, Kind
from handlers.common import acknowledge, audit, say
from handlers.flow import Flow, ending, read_text, step, typed_text
from storage.decisions import Decision, Member

REASON = "reason"
PENDING = "decision_reason"  # the answer waiting for its reason: decision, answer, card message
REASON_MAX = 500


async def _context_of(context: BotContext, decision_id: int) -> tuple[Decision, Member, bool] | None:
    """The decision, the presser as a member, and whether they lead its group (the gate worked
    that out when it checked the press; after a typed reason it is worked out here)."""
    services = context.services
    decision = await services.decisions.by_id(decision_id)
    assert context.participant is not None
    people = await services.decisions.people([context.participant.id])
    if decision is None or not people:
        return None
    rights = context.group_rights
    if not rights:
        project = await services.projects.by_id(decision.project_id)
        assert project is not None
        rights = await work.rights(services, project, context.participant.id, context.role)
    return decision, people[0], GroupRight.LEAD in rights


async def _refresh(update: Update, context: BotContext, decision: Decision, *, leads: bool,
                   ballot: dict[int, int] | None = None) -> None:
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


async def _closed(update: Update, decision: Decision, context: BotContext) -> bool:
    if decision.status == "open" and decision.closes_at > context.services.clock.now():
        return False
    await acknowledge(update, _("Sorry, this has closed. Answers given after it closed don't count."), alert=True)
    return True


# --- proposals ------------------------------------------------------------------------------

async def on_answer(update: Update, context: BotContext) -> Any:
    button = context.button
    if not isinstance(button, AnswerButton) or button.answer not in {a.value for a in Answer}:
        await acknowledge(update)
        return ConversationHandler.END
    found = await _context_of(context, button.decision)
    if found is None:
        await acknowledge(update)
        return ConversationHandler.END
    decision, member, leads = found
    if await _closed(update, decision, context):
        return ConversationHandler.END
    given = Answer(button.answer)
    if given in NEEDS_REASON:
        await acknowledge(update)
        message = update.callback_query.message if update.callback_query else None
        context.drafts[PENDING] = {"decision": decision.id, "answer": given.value,
                                   "message": message.message_id if message else None}
        return await ask_reason(update, context)
    await work.answer(context.services, decision, member, given)
    await acknowledge(update, _("Noted: {answer}.").format(answer=_(ANSWER_NAMES[given])))
    await _refresh(update, context, decision, leads=leads)
    return ConversationHandler.END


async def on_reason(update: Update, context: BotContext) -> Any:
    pending = context.drafts.get(PENDING) or {}
    message = update.effective_message
    voice = message.voice.file_id if message.voice else None
    reason = None
    if voice is None:
        reason = await read_text(update, context, REASON_MAX, one_line=False)
        if reason is None:
            return REASON
    found = await _context_of(context, int(pending.get("decision", 0)))
    context.drafts.pop(PENDING, None)
    if found is None:
        return ConversationHandler.END
    decision, member, leads = found
    given = Answer(pending["answer"])
    saved = await work.answer(context.services, decision, member, given, reason=reason, reason_voice=voice)
    await ending(update, context)
    if not saved:
        await say(update, context, _("Sorry, this has closed. Answers given after it closed don't count."))
        return ConversationHandler.END
    await say(update, context, _("Thank you. Your answer is noted: {answer}, with your reason.").format(
        answer=_(ANSWER_NAMES[given])))
    assert context.participant is not None
    data = await work.card_data(context.services, decision, context.participant.id, reader_leads=leads)
    text, markup = card(data, context.services.settings.timezone)
    if pending.get("message") and update.effective_chat:
        try:
            await context.bot.edit_message_text(text, update.effective_chat.id, pending["message"],
                                                reply_markup=markup)
        except BadRequest:
            pass  # the card was deleted or is unchanged; the answer is saved either way
    return ConversationHandler.END


async def ask_reason(update: Update, context: BotContext) -> Any:
    given = Answer((context.drafts.get(PENDING) or {}).get("answer", Answer.BLOCK.value))
    await say(update, context, _("You chose {answer}. Please say why, in a few plain words. You can type it or "
                                 "send a voice note.").format(answer=_(ANSWER_NAMES[given])))
    return REASON


async def cancel_reason(update: Update, context: BotContext) -> Any:
    context.drafts.pop(PENDING, None)
    await say(update, context, _("Stopped. Your answer is as it was."))
    return ConversationHandler.END


async def on_hide_name(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, HideNameButton) and context.participant is not None
    found = await _context_of(context, button.decision)
    if found is None or await _closed(update, found[0], context):
        return
    decision, _member, leads = found
    rules = await work.rules_of(context.services, decision.project_id)
    if not rules.anonymous_allowed or not await context.services.decisions.set_anonymous(
            decision.id, context.participant.id, button.hide):
        await acknowledge(update, _("Please answer first. Then you can hide your name."), alert=True)
        return
    await acknowledge(update, _("Your name is hidden from the leads.") if button.hide else
                      _("The leads can see your name again."))
    await _refresh(update, context, decision, leads=leads)


async def on_meanings(update: Update, context: BotContext) -> None:
    await acknowledge(update)
    await say(update, context, meanings())


async def on_play_voice(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PlayVoiceButton | PlayReasonButton)
    decision = await context.services.decisions.by_id(button.decision)
    voice = decision.body_voice if decision and isinstance(button, PlayVoiceButton) else None
    if isinstance(button, PlayReasonButton):
        given = await context.services.decisions.my_answer(button.decision, button.member)
        voice = given.reason_voice if given and not given.anonymous else None
    await acknowledge(update)
    if voice and update.effective_chat:
        await context.bot.send_voice(update.effective_chat.id, voice)


async def on_show(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, ShowDecisionButton)
    found = await _context_of(context, button.decision)
    await acknowledge(update)
    if found is not None:
        decision, _member, leads = found
        assert context.participant is not None
        data = await work.card_data(context.services, decision, context.participant.id, reader_leads=leads,
                                    ballot=_ballot(context, decision.id))
        text, markup = card(data, context.services.settings.timezone)
        await say(update, context, text, markup)


# --- dots and rankings ------------------------------------------------------------------------

def _ballot_key(decision_id: int) -> str:
    return f"ballot:{decision_id}"


def _ballot(context: BotContext, decision_id: int) -> dict[int, int] | None:
    saved = context.drafts.get(_ballot_key(decision_id))
    return {int(k): int(v) for k, v in json.loads(saved).items()} if saved else None


async def _current_ballot(context: BotContext, decision: Decision) -> dict[int, int]:
    draft = _ballot(context, decision.id)
    if draft is not None:
        return draft
    assert context.participant is not None
    return (await context.services.decisions.ballots(decision.id)).get(context.participant.id, {})


async def on_ballot_change(update: Update, context: BotContext) -> None:
    """One tap changes the draft on screen; nothing counts until "Send my answers"."""
    button = context.button
    assert isinstance(button, DotButton | RankButton)
    found = await _context_of(context, button.decision)
    if found is None or await _closed(update, found[0], context):
        return
    decision, _member, leads = found
    options = {option.id for option in await context.services.decisions.options(decision.id)}
    ballot = await _current_ballot(context, decision)
    note = None
    if isinstance(button, RankButton) and decision.kind is Kind.RANKED:
        if button.option == 0:
            ballot = {}
        elif button.option in options and button.option not in ballot:
            ballot[button.option] = len(ballot) + 1
    elif isinstance(button, DotButton) and decision.kind in (Kind.DOTS, Kind.ELECTION) and button.option in options:
        dots = decision.dots or 1
        if dots == 1 and button.change > 0:
            ballot = {button.option: 1}
        elif button.change > 0 and sum(ballot.values()) >= dots:
            note = _("You have used all your dots. Take one away first.")
        elif button.change < 0 and ballot.get(button.option, 0) == 0:
            note = _("There is no dot there to take away.")
        else:
            ballot[button.option] = ballot.get(button.option, 0) + (1 if button.change > 0 else -1)
            ballot = {option: value for option, value in ballot.items() if value > 0}
    if note is not None:
        await acknowledge(update, note, alert=True)
        return
    context.drafts[_ballot_key(decision.id)] = json.dumps(ballot)
    await acknowledge(update)
    await _refresh(update, context, decision, leads=leads, ballot=ballot)


async def on_send_ballot(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, SendBallotButton)
    found = await _context_of(context, button.decision)
    if found is None or await _closed(update, found[0], context):
        return
    decision, member, leads = found
    ballot = await _current_ballot(context, decision)
    if not ballot:
        await acknowledge(update, _("Please choose first, then tap Send."), alert=True)
        return
    if not await work.send_ballot(context.services, decision, member, ballot):
        await acknowledge(update, _("Sorry, this has closed. Answers given after it closed don't count."), alert=True)
        return
    context.drafts.pop(_ballot_key(decision.id), None)
    await acknowledge(update, _("Thank you. Your answers are sent."))
    await _refresh(update, context, decision, leads=leads)


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
        states={REASON: step(ask_reason, answer, MessageHandler(typed_text() | filters.VOICE, on_reason))},
        entry_points=[answer],
        cancel=cancel_reason,
        prefixes=(AnswerButton.prefix,),
        drafts=(PENDING,),
    )


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_hide_name, pattern=HideNameButton.pattern()),
        CallbackQueryHandler(on_meanings, pattern=MeaningsButton.pattern()),
        CallbackQueryHandler(on_play_voice, pattern=PlayVoiceButton.pattern()),
        CallbackQueryHandler(on_play_voice, pattern=PlayReasonButton.pattern()),
        CallbackQueryHandler(on_show, pattern=ShowDecisionButton.pattern()),
        CallbackQueryHandler(on_ballot_change, pattern=DotButton.pattern()),
        CallbackQueryHandler(on_ballot_change, pattern=RankButton.pattern()),
        CallbackQueryHandler(on_send_ballot, pattern=SendBallotButton.pattern()),
        CallbackQueryHandler(on_close_now, pattern=CloseNowButton.pattern()),
    ]
