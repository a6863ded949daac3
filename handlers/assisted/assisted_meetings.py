"""Staff acting at meetings for someone who takes part through them: their answers to a time
poll, their reply once a time is set, and their check-in after a meeting they came to. Each
goes through the resident's own use case, then is marked as entered by staff."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import _, format_datetime
from bot.keyboards import Button, column, keyboard
from domain.feedback import AGREEMENT, MOODS
from feedback.checkin import CHECKIN_ORDER, checkin_question
from handlers.assisted.assisted_people import entered_by_staff, their_details
from handlers.buttons.assisted_buttons import (
    ASK,
    CheckinForButton,
    PollForButton,
    RsvpForButton,
    SendVotesButton,
    VoteForButton,
)
from handlers.kit.common import acknowledge, escape, say
from handlers.kit.text_versions import own_language
from meetings import work
from meetings.buttons import ANSWER_CODES, RSVP_CODES
from meetings.views import ANSWER_ICONS, RSVP_NAMES
from questions.buttons import ask_about_meeting
from storage.meetings import Meeting

# --- a meeting poll, answered for them -------------------------------------------------


async def _open_polls(context: BotContext, participant_id: int) -> list[Meeting]:
    now = context.services.clock.now()
    return [
        m
        for m in await context.services.meetings.invited_to(participant_id)
        if m.status == "polling" and m.poll_closes_at > now
    ]


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
        await say(
            update,
            context,
            _("Which meeting?"),
            column((m.title[:40], PollForButton(button.person, m.id).pack()) for m in polls),
        )
    else:
        await say(update, context, _("They have no meeting poll open now."))


async def _show_poll(update: Update, context: BotContext, participant_id: int, meeting: Meeting, *, edit: bool) -> None:
    """The poll as they would see it, with buttons that answer for them."""
    text, _own_buttons = await work.poll_for(
        context.services, meeting, participant_id, own_language(context), ask_about_meeting
    )
    slots = await context.services.meetings.slots(meeting.id)
    rows: list[list[Button]] = [
        [
            (f"{number} {ANSWER_ICONS[answer]}", VoteForButton(participant_id, slot_id, code).pack())
            for code, answer in ANSWER_CODES.items()
        ]
        for number, slot_id in enumerate(slots, 1)
    ]
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
    await services.meetings.set_vote(
        button.slot, button.person, ANSWER_CODES[button.answer], None, services.clock.now()
    )
    await acknowledge(update)
    await _show_poll(update, context, button.person, meeting, edit=True)


async def on_send_votes(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, SendVotesButton)
    meeting = await _their_poll(update, context, button.person, button.meeting)
    if meeting is None:
        return
    services = context.services
    missing = await work.send_answers(services, meeting, button.person)
    if missing:
        await acknowledge(
            update, _("Please answer every time first ({count} to go).").format(count=missing), alert=True
        )
        return
    await entered_by_staff(update, context, button.person, "poll", str(meeting.id))
    await acknowledge(update)
    await say(
        update,
        context,
        _("Their answers are in. You can change them until {date}.").format(
            date=format_datetime(meeting.poll_closes_at, services.settings.timezone)
        ),
    )


# --- their reply, once a time is set ---------------------------------------------------


async def on_rsvp_for(update: Update, context: BotContext) -> None:
    """Meeting 0 lists their meetings to come; answer "-" asks; otherwise it is their reply."""
    button = context.button
    assert isinstance(button, RsvpForButton)
    person = await their_details(update, context, button.person)
    if person is None:
        return
    services = context.services
    now = services.clock.now()
    upcoming = {m.id: m for m in await services.meetings.upcoming_for(button.person, now)}
    meeting = upcoming.get(button.meeting)
    if button.meeting and meeting is None:
        await acknowledge(update, _("This meeting has already started."), alert=True)
        return
    if meeting is None:
        await acknowledge(update)
        if not upcoming:
            await say(update, context, _("They have no meeting with a time set."))
            return
        await say(
            update,
            context,
            _("Which meeting?"),
            column((m.title[:40], RsvpForButton(button.person, m.id, ASK).pack()) for m in upcoming.values()),
        )
        return
    if button.answer not in RSVP_CODES:
        await acknowledge(update)
        await say(
            update,
            context,
            _("Is {name} coming to “{title}”?").format(
                name=escape(person["display_name"] or ""), title=escape(meeting.title)
            ),
            column(
                (_(RSVP_NAMES[rsvp]), RsvpForButton(button.person, meeting.id, code).pack())
                for code, rsvp in RSVP_CODES.items()
            ),
        )
        return
    invitee = await services.meetings.invitee(meeting.id, button.person)
    assert invitee is not None and meeting.confirmed_slot_id is not None
    start = (await services.meetings.slots(meeting.id))[meeting.confirmed_slot_id]
    rsvp = RSVP_CODES[button.answer]
    await work.record_rsvp(services, meeting, invitee, start, rsvp)
    await entered_by_staff(update, context, button.person, "rsvp", str(meeting.id))
    await acknowledge(update, _("Noted: {answer}.").format(answer=_(RSVP_NAMES[rsvp])))


# --- their check-in after a meeting ----------------------------------------------------


async def on_checkin_for(update: Update, context: BotContext) -> None:
    """Meeting 0 lists the meetings they came to; value 0 asks question `step`; 1-5 answers it."""
    button = context.button
    assert isinstance(button, CheckinForButton)
    if await their_details(update, context, button.person) is None:
        return
    services = context.services
    attended = {m.id: m for m in await services.meetings.attended_by(button.person)}
    if button.meeting == 0:
        await acknowledge(update)
        if not attended:
            await say(update, context, _("They have not come to a meeting yet."))
            return
        await say(
            update,
            context,
            _("Which meeting?"),
            column((m.title[:40], CheckinForButton(button.person, m.id, 0, 0).pack()) for m in attended.values()),
        )
        return
    if button.meeting not in attended or not 0 <= button.step < len(CHECKIN_ORDER) or not 0 <= button.value <= 5:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return
    await acknowledge(update)
    if button.value == 0:
        await say(update, context, *_checkin_step(button.person, button.meeting, button.step))
        return
    await services.feedback.save_checkin(
        button.meeting, button.person, CHECKIN_ORDER[button.step], button.value, services.clock.now()
    )
    if button.step + 1 < len(CHECKIN_ORDER):
        text, markup = _checkin_step(button.person, button.meeting, button.step + 1)
        await update.callback_query.edit_message_text(text, reply_markup=markup)
        return
    await entered_by_staff(update, context, button.person, "checkin", str(button.meeting))
    await update.callback_query.edit_message_text(_("Thank you. Their answers are saved."))


def _checkin_step(person: int, meeting: int, index: int) -> tuple[str, InlineKeyboardMarkup]:
    """The resident's own question, to read out, with buttons that answer for them."""
    text, _own_buttons = checkin_question(meeting, index)
    if CHECKIN_ORDER[index].startswith("mood"):
        rows: list[list[Button]] = [
            [(face, CheckinForButton(person, meeting, index, n).pack()) for n, face in enumerate(MOODS, 1)]
        ]
    else:
        rows = [[(_(label), CheckinForButton(person, meeting, index, n).pack())] for n, label in AGREEMENT.items()]
    return text, keyboard(rows)


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_polls, pattern=PollForButton.pattern()),
        CallbackQueryHandler(on_vote_for, pattern=VoteForButton.pattern()),
        CallbackQueryHandler(on_send_votes, pattern=SendVotesButton.pattern()),
        CallbackQueryHandler(on_rsvp_for, pattern=RsvpForButton.pattern()),
        CallbackQueryHandler(on_checkin_for, pattern=CheckinForButton.pattern()),
    ]
