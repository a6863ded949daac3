"""Staff acting for someone who takes part through them: their answers to a meeting poll, their
feedback, and the letters that carry what the bot would have messaged them. Each entry is
written by the same use case a resident's own goes through, then marked as entered by staff
(in their export) and audited with the staff member."""

from __future__ import annotations

import io
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, language
from bot.keyboards import Button, column, keyboard
from handlers.assisted import their_details
from handlers.assisted_buttons import (FeedbackForButton, LettersButton, PersonButton, PollForButton, PostedButton,
                                       SendVotesButton, VoteForButton)
from handlers.common import acknowledge, audit, escape, say
from handlers.feedback import TEXT_MAX, submit_feedback
from handlers.flow import Flow, cancel_clearing, ending, read_text, step, typed_text
from handlers.letters import letter_page
from handlers.meeting_polls import ANSWER_CODES, ANSWER_ICONS, poll_view
from storage.meetings import Meeting

DRAFT = "feedback_for"
SAY = "say"


# --- a meeting poll, answered for them -------------------------------------------------

async def _open_polls(context: BotContext, participant_id: int) -> list[Meeting]:
    now = context.services.clock.now()
    return [m for m in await context.services.meetings.invited_to(participant_id)
            if m.status == "polling" and m.poll_closes_at > now]


async def on_polls(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PollForButton)
    if await their_details(update, context, button.person) is None:
        return
    await acknowledge(update)
    polls = await _open_polls(context, button.person)
    meeting = next((m for m in polls if m.id == button.meeting), None)
    if meeting is not None:
        await _show_poll(update, context, button.person, meeting, edit=False)
    elif polls:
        await say(update, context, _("Which meeting?"),
                  column((m.title[:40], PollForButton(button.person, m.id).pack()) for m in polls))
    else:
        await say(update, context, _("They have no meeting poll open now."))


async def _show_poll(update: Update, context: BotContext, participant_id: int, meeting: Meeting, *,
                     edit: bool) -> None:
    """The poll as they would see it, with buttons that answer for them."""
    text, _own_buttons = await poll_view(context.services, meeting, participant_id)
    slots = await context.services.meetings.slots(meeting.id)
    rows: list[list[Button]] = [
        [(f"{number} {ANSWER_ICONS[answer]}", VoteForButton(participant_id, slot_id, code).pack())
         for code, answer in ANSWER_CODES.items()] for number, slot_id in enumerate(slots, 1)]
    rows.append([(_("📨 Send their answers"), SendVotesButton(participant_id, meeting.id).pack())])
    if not edit:
        await say(update, context, text, keyboard(rows))
        return
    try:
        await update.callback_query.edit_message_text(text, reply_markup=keyboard(rows))
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def _their_poll(update: Update, context: BotContext, participant_id: int, meeting_id: int) -> Meeting | None:
    if await their_details(update, context, participant_id) is None:
        return None
    meeting = next((m for m in await _open_polls(context, participant_id) if m.id == meeting_id), None)
    if meeting is None:
        await acknowledge(update, _("Sorry, this poll has closed."), alert=True)
    return meeting


async def on_vote_for(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, VoteForButton)
    services = context.services
    meeting_id = await services.meetings.meeting_of_slot(button.slot)
    meeting = await _their_poll(update, context, button.person, meeting_id or 0)
    if meeting is None or button.answer not in ANSWER_CODES:
        return
    await services.meetings.set_vote(button.slot, button.person, ANSWER_CODES[button.answer], None,
                                     services.clock.now())
    await acknowledge(update)
    await _show_poll(update, context, button.person, meeting, edit=True)


async def on_send_votes(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, SendVotesButton)
    meeting = await _their_poll(update, context, button.person, button.meeting)
    if meeting is None:
        return
    services = context.services
    slots = await services.meetings.slots(meeting.id)
    theirs = await services.meetings.my_votes(meeting.id, button.person)
    missing = len([s for s in slots if s not in theirs])
    if missing:
        await acknowledge(update, _("Please answer every time first ({count} to go).").format(count=missing),
                          alert=True)
        return
    await _entered(update, context, button.person, "poll", str(meeting.id))
    await services.meetings.mark_answered(meeting.id, button.person, services.clock.now())
    await acknowledge(update)
    await say(update, context, _("Their answers are in. You can change them until {date}.").format(
        date=format_datetime(meeting.poll_closes_at, services.settings.timezone)))


async def _entered(update: Update, context: BotContext, participant_id: int, kind: str, ref: str) -> None:
    """Marked as entered by staff, in their export and in the audit log."""
    assert context.participant is not None
    await context.services.assisted.record(participant_id, context.participant.id, kind, ref,
                                           context.services.clock.now())
    await audit(context, update, f"assisted.{kind}", "ok", subject=str(participant_id), detail=ref)


# --- their feedback --------------------------------------------------------------------

async def start_feedback(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, FeedbackForButton)
    if await their_details(update, context, button.person) is None:
        return ConversationHandler.END
    await acknowledge(update)
    context.drafts[DRAFT] = {"person": button.person}
    return await ask_say(update, context)


async def ask_say(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Type their feedback in their own words. It is not quoted to anyone.") + "\n"
              + _("Send /cancel to stop."))
    return SAY


async def on_say(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, TEXT_MAX, one_line=False)
    if text is None:
        return SAY
    person = int(context.drafts.pop(DRAFT, {}).get("person", 0))
    await ending(update, context)
    if await context.services.assisted.details(person) is None:
        return ConversationHandler.END
    item = await submit_feedback(context.services, person, {"text": text}, named=False, quoted=False)
    await _entered(update, context, person, "feedback", item.reference)
    await say(update, context, _("Their feedback {reference} is with the team. The answer will come as a "
                                 "letter for you to send them.").format(reference=item.reference),
              column([(_("Back to their page"), PersonButton(person).pack())]))
    return ConversationHandler.END


# --- letters ---------------------------------------------------------------------------

async def on_letters(update: Update, context: BotContext) -> None:
    """One printable page with every letter waiting, in their language."""
    button = context.button
    assert isinstance(button, LettersButton)
    person = await their_details(update, context, button.person)
    if person is None:
        return
    await acknowledge(update)
    letters = await context.services.assisted.letters(button.person, waiting=True)
    if not letters:
        await say(update, context, _("No letters are waiting for them."))
        return
    with language(person["language"]):
        page = letter_page(person["display_name"] or "", letters, context.services.settings.timezone)
    await audit(context, update, "assisted.letters", "ok", subject=str(button.person), detail=str(len(letters)))
    await context.bot.send_document(
        update.effective_chat.id, io.BytesIO(page.encode()), filename=f"letters-{button.person}.html",
        caption=_("Print this page and post it to {name}, or read it out to them. Then tap the button.").format(
            name=escape(person["display_name"] or "")),
        reply_markup=column([(_("✅ Posted or read out"), PostedButton(button.person, letters[-1].id).pack())]))


async def on_posted(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PostedButton)
    if await their_details(update, context, button.person) is None:
        return
    assert context.participant is not None
    services = context.services
    marked = await services.assisted.mark_posted(button.person, button.up_to, context.participant.id,
                                                 services.clock.now())
    await audit(context, update, "assisted.posted", "ok", subject=str(button.person), detail=str(marked))
    await acknowledge(update, _("Thank you. Marked as sent."))


def feedback_conversation() -> Flow:
    return Flow(
        name="feedback_for",
        noun=N_("their feedback"),
        states={SAY: step(ask_say, MessageHandler(typed_text(), on_say))},
        entry_points=[CallbackQueryHandler(start_feedback, pattern=FeedbackForButton.pattern())],
        cancel=cancel_clearing(DRAFT),
        prefixes=(),
        drafts=(DRAFT,),
    )


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_polls, pattern=PollForButton.pattern()),
        CallbackQueryHandler(on_vote_for, pattern=VoteForButton.pattern()),
        CallbackQueryHandler(on_send_votes, pattern=SendVotesButton.pattern()),
        CallbackQueryHandler(on_letters, pattern=LettersButton.pattern()),
        CallbackQueryHandler(on_posted, pattern=PostedButton.pattern()),
    ]
