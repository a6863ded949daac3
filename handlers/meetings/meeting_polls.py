"""What invitees do with a meeting: answer its time poll (with a reason for "If need be"), see
their meetings with /meetings, and reply once a time is set. The organiser's side is in
`meeting_organiser`; the work itself is in the `meetings` package."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime
from bot.keyboards import Button, keyboard
from domain.meetings import Answer
from handlers.kit.common import acknowledge, escape, require_registered, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, step, typed_text
from handlers.kit.text_versions import own_language
from handlers.kit.write_in import write_last
from handlers.meetings.id_draft import IdSlot
from meetings import work
from meetings.buttons import (
    ANSWER_CODES,
    SKIP,
    ResultsButton,
    RsvpButton,
    SendAnswersButton,
    ShowPollButton,
    VoteButton,
)
from meetings.views import ANSWER_NAMES, RSVP_NAMES
from meetings.work import Refusal
from questions.buttons import ask_about_meeting
from storage.meetings import Meeting

REASON = "reason"
DRAFT = "reason_slot"
NOT_ACTIVE = N_("This button is no longer active. Send /help to see what you can do.")
REFUSALS = {
    Refusal.NOT_INVITED: NOT_ACTIVE,
    Refusal.POLL_CLOSED: N_("Sorry, this poll has closed."),
    Refusal.CANCELLED: N_("This meeting was cancelled."),
    Refusal.OLD_NOTICE: N_("The time has changed since this message. Please answer on the latest one."),
    Refusal.STARTED: N_("This meeting has already started."),
}


@dataclass
class ReasonSlotDraft:
    """The time the "If need be" reason is for (before drafts were typed, its bare id)."""

    slot: int


REASON_SLOT = IdSlot(DRAFT, ReasonSlotDraft, "slot")


async def poll_for(context: BotContext, meeting: Meeting, participant_id: int) -> tuple[str, Any]:
    """`participant_id`'s poll as the person pressing reads it: their own, or one staff answer for them."""
    return await work.poll_for(context.services, meeting, participant_id, own_language(context), ask_about_meeting)


async def _open_poll(update: Update, context: BotContext, meeting_id: int | None) -> Meeting | None:
    """The meeting, if this person is invited and the poll is still open; otherwise say why not."""
    participant_id = context.participant.id if context.participant else None
    found = await work.open_poll(context.services, meeting_id, participant_id)
    if isinstance(found, Refusal):
        await acknowledge(update, _(REFUSALS[found]), alert=True)
        return None
    return found


async def _refresh_poll(update: Update, context: BotContext, meeting: Meeting) -> None:
    assert context.participant is not None
    text, markup = await poll_for(context, meeting, context.participant.id)
    try:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def on_vote(update: Update, context: BotContext) -> Any:
    """One answer for one slot; only ever the person's own."""
    button = context.button
    assert isinstance(button, VoteButton)
    services = context.services
    meeting_id = await services.meetings.meeting_of_slot(button.slot) if button.slot else None
    meeting = await _open_poll(update, context, meeting_id)
    if meeting is None or button.answer not in ANSWER_CODES or context.participant is None:
        return ConversationHandler.END
    answer = ANSWER_CODES[button.answer]
    if not await work.vote(services, meeting, button.slot, context.participant.id, answer):
        await acknowledge(update, _("Already noted: {answer}.").format(answer=_(ANSWER_NAMES[answer])))
        return ConversationHandler.END
    await acknowledge(update)
    await _refresh_poll(update, context, meeting)
    if answer is Answer.IF_NEED_BE:
        REASON_SLOT.begin(context, ReasonSlotDraft(button.slot))
        return await ask_reason(update, context)
    return ConversationHandler.END


async def _no_reason(_update: Update, context: BotContext) -> Any:
    """Skip, or /cancel: the answer stands without a reason."""
    REASON_SLOT.drop(context)
    return ConversationHandler.END


async def _reason_given(update: Update, context: BotContext, reason: str) -> Any:
    slot_id = REASON_SLOT.pop(context).slot
    if context.participant is not None:
        await work.give_reason(context.services, slot_id, context.participant.id, reason)
        await say(update, context, _("Thank you, noted. Remember to tap Send on the poll."))
    return ConversationHandler.END


# Over REASON_MAX it is explained, not cut: the organiser reads every reason beside the ranking.
ask_reason, on_reason = write_last(
    REASON,
    lambda _context: _(
        "Want to say why? For example: only if carer cover is arranged. Type a short reason, or tap Skip."
    ),
    work.REASON_MAX,
    _reason_given,
    one_line=True,
    skip=(VoteButton(0, SKIP), _no_reason),
)


async def _pressed_poll(update: Update, context: BotContext) -> tuple[Meeting, int] | None:
    """The meeting of a poll's Send or Show button and the presser, if its poll is open to them."""
    button = context.button
    assert isinstance(button, SendAnswersButton | ShowPollButton)
    meeting = await _open_poll(update, context, button.meeting)
    if meeting is None or context.participant is None:
        return None
    return meeting, context.participant.id


async def on_send_answers(update: Update, context: BotContext) -> None:
    pressed = await _pressed_poll(update, context)
    if pressed is None:
        return
    meeting, participant_id = pressed
    services = context.services
    missing = await work.send_answers(services, meeting, participant_id)
    if missing:
        await acknowledge(
            update, _("Please answer every time first ({count} to go).").format(count=missing), alert=True
        )
        return
    await acknowledge(update)
    await say(
        update,
        context,
        _("Thank you! You can change your answers until {date}.").format(
            date=format_datetime(meeting.poll_closes_at, services.settings.timezone)
        ),
    )


async def on_show_poll(update: Update, context: BotContext) -> None:
    pressed = await _pressed_poll(update, context)
    if pressed is None:
        return
    await acknowledge(update)
    text, markup = await poll_for(context, *pressed)
    await say(update, context, text, markup)


async def on_rsvp(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, RsvpButton)
    participant_id = context.participant.id if context.participant else None
    reply = await work.rsvp(context.services, button.meeting, participant_id, button.sequence, button.answer)
    if isinstance(reply, Refusal):
        await acknowledge(update, _(REFUSALS[reply]), alert=True)
        return
    await acknowledge(
        update, _("Noted: {answer}. You can change it here any time.").format(answer=_(RSVP_NAMES[reply]))
    )


@require_registered
async def meetings_command(update: Update, context: BotContext) -> None:
    """Coordinators: their meetings. Everyone: meetings they are invited to."""
    services = context.services
    assert context.participant is not None
    tz = services.settings.timezone
    rows: list[list[Button]] = []
    lines: list[str] = []
    mine = await services.meetings.created_by(context.participant.id)  # staff, or a group's co-lead
    if mine:
        lines.append(_("<b>Meetings you organise</b>"))
        lines += [f"• {escape(m.title)}" for m in mine]
        rows += [[(f"📊 {m.title[:40]}", ResultsButton(m.id).pack())] for m in mine]
    invited = await services.meetings.invited_to(context.participant.id)
    if invited:
        lines.append(_("<b>Meetings you are invited to</b>"))
    for meeting in invited:
        if meeting.status == "confirmed" and meeting.confirmed_slot_id is not None:
            start = (await services.meetings.slots(meeting.id))[meeting.confirmed_slot_id]
            lines.append(f"• {escape(meeting.title)} – {format_datetime(start, tz)}")
        elif meeting.status == "polling":
            lines.append("• " + _("{title} – poll open").format(title=escape(meeting.title)))
            rows.append([(_("🗓 Answer: {title}").format(title=meeting.title[:35]), ShowPollButton(meeting.id).pack())])
        elif meeting.status == "closed":
            lines.append(
                "• "
                + _("{title} – the poll has closed. A time will be confirmed soon.").format(title=escape(meeting.title))
            )
    if not lines:
        lines.append(_("No meetings yet."))
    await say(update, context, "\n".join(lines), keyboard(rows) if rows else None)


def vote_conversation() -> Flow:
    """Votes are entry points; after "If need be" the conversation waits for a reason."""
    vote = CallbackQueryHandler(on_vote, pattern=VoteButton.answer_pattern())
    return Flow(
        name="meeting_vote",
        noun=N_("your reason for “If need be”"),
        states=restarting(
            {
                REASON: step(
                    ask_reason,
                    vote,
                    CallbackQueryHandler(on_reason, pattern=VoteButton.skip_pattern()),
                    MessageHandler(typed_text(), on_reason),
                )
            },
            None,
        ),
        entry_points=[vote],
        cancel=_no_reason,
        prefixes=(VoteButton.prefix,),
        drafts=(DRAFT,),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("meetings", meetings_command),
        CallbackQueryHandler(on_send_answers, pattern=SendAnswersButton.pattern()),
        CallbackQueryHandler(on_show_poll, pattern=ShowPollButton.pattern()),
        CallbackQueryHandler(on_rsvp, pattern=RsvpButton.pattern()),
    ]
