"""What the organiser does with a meeting once its poll is out: see the ranking, close the poll,
confirm or move the time (`meetings.notices` tells everyone), mark attendance afterwards, or
cancel. The gate has checked that the presser organises the meeting; the work is in `meetings`."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.context import BotContext
from bot.i18n import _, format_datetime, language, ngettext
from bot.keyboards import Button, keyboard
from bot.services import Services
from domain.meetings import SlotScore
from feedback.checkin import invite_checkin
from handlers.buttons.papers_pay_buttons import MeetingPayButton, PapersButton
from handlers.buttons.support_buttons import support_list_row
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, refuse, say
from meetings import work
from meetings.buttons import (
    LIST,
    AttendanceButton,
    CancelMeetingButton,
    ClosePollButton,
    ConfirmSlotButton,
    ResultsButton,
)
from meetings.views import results_text
from meetings.work import Confirmed, Refusal
from questions.buttons import ask_about_meeting
from storage.meetings import Meeting


async def _organised(context: BotContext) -> Meeting | None:
    """The meeting an organiser's button is about (the gate has checked who pressed it)."""
    button = context.button
    organisers = (ResultsButton, ClosePollButton, ConfirmSlotButton, AttendanceButton, CancelMeetingButton)
    return await context.services.meetings.by_id(button.meeting) if isinstance(button, organisers) else None


def _coordinator_buttons(meeting: Meeting, ranking: list[SlotScore], tz: Any) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if meeting.status in ("polling", "closed", "confirmed"):
        for score in ranking[:3]:
            if score.slot_id == meeting.confirmed_slot_id:
                continue
            rows.append(
                [
                    (
                        _("✅ Confirm {date}").format(date=format_datetime(score.start, tz)),
                        ConfirmSlotButton(meeting.id, score.slot_id).pack(),
                    )
                ]
            )
    if meeting.status == "polling":
        rows.append([(_("⏹ Close the poll now"), ClosePollButton(meeting.id).pack())])
    if meeting.status == "confirmed":
        rows.append([(_("📋 Attendance"), AttendanceButton(meeting.id, LIST).pack())])
        rows.append(support_list_row(meeting))
    if meeting.status != "cancelled":
        rows.append(
            [
                (_("📎 Papers"), PapersButton(meeting.id).pack()),
                (_("💷 What is paid"), MeetingPayButton(meeting.id, "show").pack()),
            ]
        )
        rows.append([(_("Cancel the meeting"), CancelMeetingButton(meeting.id).pack())])
    return rows


async def on_results(update: Update, context: BotContext) -> None:
    meeting = await _organised(context)
    if meeting is None:
        return
    await acknowledge(update)
    text, ranking = await results_text(context.services, meeting)
    await say(
        update, context, text, keyboard(_coordinator_buttons(meeting, ranking, context.services.settings.timezone))
    )


async def on_close_now(update: Update, context: BotContext) -> None:
    meeting = await _organised(context)
    if meeting is None:
        return
    await acknowledge(update)
    await clear_buttons(update)
    await close_poll(context.services, context.bot, meeting.id)


async def close_poll(services: Services, bot: Any, meeting_id: int) -> None:
    """Close once (a second call does nothing) and give the organiser the ranking."""
    closed = await work.close_poll(services, meeting_id)
    if closed is None:
        return
    meeting, owner = closed
    with language(owner.language):
        text, ranking = await results_text(services, meeting)
        markup = keyboard(_coordinator_buttons(meeting, ranking, services.settings.timezone))
        await bot.send_message(owner.telegram_id, _("The poll has closed.") + "\n\n" + text, reply_markup=markup)


async def on_confirm_slot(update: Update, context: BotContext) -> None:
    """Confirm a time, or move a confirmed meeting to another: every invitee is told, every time."""
    button = context.button
    assert isinstance(button, ConfirmSlotButton)
    meeting = await _organised(context)
    if meeting is None:
        return
    done = await work.confirm_slot(context.services, meeting, button.slot, ask_about_meeting)
    if not isinstance(done, Confirmed):
        await acknowledge(
            update,
            {
                Refusal.UNCHANGED: _("That time is already confirmed, or no longer on offer."),
                Refusal.CANCELLED: _("This meeting was cancelled."),
            }.get(done, _("This meeting has changed since. Open it again with /meetings.")),
            alert=True,
        )
        return
    await acknowledge(update)
    await clear_buttons(update)
    await audit(context, update, "meeting.confirm", "ok", subject=f"{meeting.id}:{button.slot}")
    tz = context.services.settings.timezone
    if done.moved_from is not None:
        text = ngettext(
            "Moved from {old} to {new}. {count} person is being told, with a new calendar file, and asked to "
            "answer again.",
            "Moved from {old} to {new}. {count} people are being told, with a new calendar file, and asked to "
            "answer again.",
            done.told,
        )
        await say(
            update,
            context,
            text.format(old=format_datetime(done.moved_from, tz), new=format_datetime(done.start, tz), count=done.told),
        )
        return
    await say(
        update,
        context,
        ngettext(
            "Confirmed for {date}. An invitation with a calendar file is on its way to {count} person.",
            "Confirmed for {date}. Invitations with a calendar file are on their way to {count} people.",
            done.told,
        ).format(date=format_datetime(done.start, tz), count=done.told),
    )


async def on_attendance(update: Update, context: BotContext) -> None:
    """The list of who came (LIST), or one person on it flipped."""
    button = context.button
    assert isinstance(button, AttendanceButton)
    meeting = await _organised(context)
    if meeting is None:
        return
    services = context.services
    person = button.person
    if person != LIST:
        came = await work.flip_attendance(services, meeting, person)
        if came is None:
            await refuse(update, context, "meeting.attendance", subject=f"{meeting.id}:{person}")
            return
        if came:
            await invite_checkin(services, meeting.id, person)
    await acknowledge(update)
    rows = [
        [
            (
                ("✅ " if i.attended else "▫️ ") + (i.display_name or "—"),
                AttendanceButton(meeting.id, i.participant_id).pack(),
            )
        ]
        for i in await services.meetings.invitees(meeting.id)
    ]
    text = _("Who came to “{title}”? Tap to mark each person.").format(title=escape(meeting.title))
    if person != LIST and update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(keyboard(rows))
    else:
        await say(update, context, text, keyboard(rows))


async def on_cancel_meeting(update: Update, context: BotContext) -> None:
    meeting = await _organised(context)
    if meeting is None:
        return
    if not await work.cancel_meeting(context.services, meeting):
        await acknowledge(update, _("This meeting was cancelled."), alert=True)
        return
    await acknowledge(update)
    await clear_buttons(update)
    await audit(context, update, "meeting.cancel", "ok", subject=str(meeting.id))
    await say(update, context, _("Cancelled. Everyone invited is being told."))


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_results, pattern=ResultsButton.pattern()),
        CallbackQueryHandler(on_close_now, pattern=ClosePollButton.pattern()),
        CallbackQueryHandler(on_confirm_slot, pattern=ConfirmSlotButton.pattern()),
        CallbackQueryHandler(on_attendance, pattern=AttendanceButton.pattern()),
        CallbackQueryHandler(on_cancel_meeting, pattern=CancelMeetingButton.pattern()),
    ]


def job_handlers(services: Services, bot: Any) -> dict[str, Any]:
    async def close(ref: str) -> None:
        await close_poll(services, bot, int(ref))

    async def remind(ref: str) -> None:
        await work.remind_non_responders(services, int(ref))

    return {work.CLOSE_JOB: close, work.REMIND_JOB: remind}
