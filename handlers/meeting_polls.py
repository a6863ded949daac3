"""After a meeting is created: invitees answer the time poll, the coordinator sees the
ranking and confirms a time (or moves or cancels it later; `meeting_notices` tells everyone),
invitees RSVP, and the organiser marks attendance afterwards."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, format_duration, language, ngettext
from bot.keyboards import Button, callback_parts, column, keyboard
from bot.services import Services
from bot.text import fit_lines, some_of
from bot.versions import reader_copy, with_note
from domain.delivery import next_send_time
from domain.meetings import Answer, SlotScore, prefill, rank_slots
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES
from handlers.access_view import access_lines, suits_for
from handlers.common import acknowledge, audit, clear_buttons, escape, refuse, require_registered, say
from feedback.checkin import invite_checkin
from handlers.flow import Flow, step, typed, typed_text
from handlers.meeting_buttons import (LIST, AttendanceButton, CancelMeetingButton, ClosePollButton, ConfirmSlotButton,
                                      ResultsButton)
from handlers.meeting_notices import (MEETING_KIND, announce_cancellation, announce_time, queue_reminders,
                                      reminder_prefix, wake, where)
from handlers.papers_pay_buttons import MeetingPayButton, PapersButton
from handlers.pay_words import what_is_paid
from handlers.question_buttons import ask_about_meeting
from handlers.support_buttons import support_list_row
from handlers.text_versions import own_language
from storage.meetings import Invitee, Meeting
from storage.outbox import Outgoing
from storage.text_versions import Versions

ANSWER_CODES = {"y": Answer.YES, "m": Answer.IF_NEED_BE, "n": Answer.NO}
ANSWER_ICONS = {Answer.YES: "✅", Answer.IF_NEED_BE: "🤔", Answer.NO: "❌"}
ANSWER_NAMES = {Answer.YES: N_("Yes"), Answer.IF_NEED_BE: N_("If need be"), Answer.NO: N_("No")}
RSVP_CODES = {"g": "going", "m": "maybe", "c": "cant"}
RSVP_NAMES = {"going": N_("Going"), "maybe": N_("Maybe"), "cant": N_("Can't come")}
POLL_REMINDER_BEFORE = timedelta(hours=24)
REASON = "reason"
REASON_MAX = 120


# --- the poll an invitee sees ----------------------------------------------------------

async def poll_view(services: Services, meeting: Meeting, participant_id: int, versions: Versions,
                    reader: str) -> tuple[str, Any]:
    """The poll in the reader's language (set by the caller), with their own answers marked and
    the meeting's words as that reader gets them."""
    tz = services.settings.timezone
    words, note = reader_copy(versions, meeting, reader)
    slots = await services.meetings.slots(meeting.id)
    mine = await services.meetings.my_votes(meeting.id, participant_id)
    everyone = await services.meetings.votes(meeting.id) if meeting.open_poll else {}
    paid = await services.pay.settled(services.settings.hourly_rate_pence, meeting.project_id, meeting.id)
    lines = [f"🗓 <b>{escape(words.title)}</b>", escape(words.purpose), "",
             _("Level: {level} – {meaning}").format(level=_(LEVEL_NAMES[meeting.level]),
                                                   meaning=_(LEVEL_MEANINGS[meeting.level])),
             _("Where: {place}").format(place=where(meeting)),
             _("How long: {duration}").format(duration=format_duration(meeting.duration_minutes)),
             what_is_paid(paid), "",
             _("Which times can you make? Answer each one, then tap Send. Reply by {date}.").format(
                 date=format_datetime(meeting.poll_closes_at, tz))]
    rows: list[list[Button]] = []
    for number, (slot_id, start) in enumerate(slots.items(), 1):
        answer, reason = mine.get(slot_id, (None, None))
        line = f"{number}. {format_datetime(start, tz)}"
        if answer is not None:
            line += f" – {ANSWER_ICONS[answer]} {_(ANSWER_NAMES[answer])}"
            if reason:
                line += f" ({escape(reason)})"
        if meeting.open_poll:
            votes = everyone.get(slot_id, {})
            line += "  " + _("[{yes} yes, {maybe} if need be]").format(
                yes=sum(1 for a in votes.values() if a is Answer.YES),
                maybe=sum(1 for a in votes.values() if a is Answer.IF_NEED_BE))
        lines.append(line)
        rows.append([(("● " if answer is code_answer else "") + f"{number} {ANSWER_ICONS[code_answer]}",
                      f"mv:{slot_id}:{code}") for code, code_answer in ANSWER_CODES.items()])
    rows.append([(_("📨 Send my answers"), f"ms:{meeting.id}")])
    rows.append([ask_about_meeting(meeting.id)])
    return with_note("\n".join(lines), note), keyboard(rows)


async def poll_for(context: BotContext, meeting: Meeting, participant_id: int) -> tuple[str, Any]:
    """`participant_id`'s poll as the person pressing reads it: their own, or one staff answer for them."""
    versions = await context.services.text_versions.of(MEETING_KIND, meeting.id)
    return await poll_view(context.services, meeting, participant_id, versions, own_language(context))


async def send_poll(context: BotContext, meeting_id: int) -> int:
    """Pre-fill from the times people said suit them, then queue one poll per invitee."""
    services = context.services
    meeting = await services.meetings.by_id(meeting_id)
    assert meeting is not None
    now = services.clock.now()
    tz = services.settings.timezone
    slots = await services.meetings.slots(meeting_id)
    invitees = [i for i in await services.meetings.invitees(meeting_id) if i.chat is not None]
    suits = await suits_for(services, [i.participant_id for i in invitees])
    await services.meetings.prefill(
        [(slot_id, i.participant_id, answer) for i in invitees for slot_id, start in slots.items()
         if (answer := prefill(start, tz, suits.get(i.participant_id, set()))) is not None], now)
    versions = await services.text_versions.of(MEETING_KIND, meeting_id)
    messages = []
    for invitee in invitees:
        with language(invitee.language):
            text, markup = await poll_view(services, meeting, invitee.participant_id, versions, invitee.language)
        messages.append(Outgoing(chat_id=invitee.chat or 0, participant_id=invitee.participant_id, text=text,
                                 markup=json.dumps(markup.to_dict()), dedupe_key=f"poll:{meeting_id}:"
                                 f"{invitee.participant_id}", not_before=now, expires_at=meeting.poll_closes_at))
    _batch, added = await services.outbox.create_batch("meeting_poll", str(meeting_id), meeting.created_by, now,
                                                       messages)
    await services.jobs.schedule("poll.close", str(meeting_id), meeting.poll_closes_at)
    remind_at = max(now + (meeting.poll_closes_at - now) / 2, meeting.poll_closes_at - POLL_REMINDER_BEFORE)
    await services.jobs.schedule("poll.remind", str(meeting_id), remind_at)
    wake(services)
    return added


async def _invitee_meeting(update: Update, context: BotContext, meeting_id: int | None) -> Meeting | None:
    """The meeting, if this person is invited and the poll is still open; otherwise say why not."""
    services = context.services
    meeting = await services.meetings.by_id(meeting_id) if meeting_id else None
    invited = (meeting is not None and context.participant is not None
               and await services.meetings.invitee(meeting.id, context.participant.id) is not None)
    if meeting is None or not invited:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return None
    if meeting.status != "polling" or meeting.poll_closes_at <= services.clock.now():
        await acknowledge(update, _("Sorry, this poll has closed."), alert=True)
        return None
    return meeting


async def _refresh_poll(update: Update, context: BotContext, meeting: Meeting) -> None:
    assert context.participant is not None
    text, markup = await poll_for(context, meeting, context.participant.id)
    try:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def on_vote(update: Update, context: BotContext) -> Any:
    """One answer for one slot; only ever the person's own answer."""
    parts = callback_parts(update.callback_query.data, 3)
    services = context.services
    slot_id = int(parts[1]) if parts and parts[1].isdigit() else 0
    meeting_id = await services.meetings.meeting_of_slot(slot_id) if slot_id else None
    meeting = await _invitee_meeting(update, context, meeting_id)
    if meeting is None or parts is None or parts[2] not in ANSWER_CODES or context.participant is None:
        return ConversationHandler.END
    answer = ANSWER_CODES[parts[2]]
    previous = (await services.meetings.my_votes(meeting.id, context.participant.id)).get(slot_id)
    if previous is not None and previous[0] is answer:
        await acknowledge(update, _("Already noted: {answer}.").format(answer=_(ANSWER_NAMES[answer])))
        return ConversationHandler.END
    await services.meetings.set_vote(slot_id, context.participant.id, answer, None, services.clock.now())
    await acknowledge(update)
    await _refresh_poll(update, context, meeting)
    if answer is Answer.IF_NEED_BE:
        context.drafts["reason_slot"] = slot_id
        return await ask_reason(update, context)
    return ConversationHandler.END


async def on_reason(update: Update, context: BotContext) -> Any:
    services = context.services
    slot_id = int(context.drafts.pop("reason_slot", 0))
    reason = typed(update)[:REASON_MAX]
    if slot_id and reason and context.participant is not None:
        await services.meetings.set_vote(slot_id, context.participant.id, Answer.IF_NEED_BE, reason,
                                         services.clock.now())
        await say(update, context, _("Thank you, noted. Remember to tap Send on the poll."))
    return ConversationHandler.END


async def on_skip_reason(update: Update, context: BotContext) -> Any:
    context.drafts.pop("reason_slot", None)
    await acknowledge(update)
    await clear_buttons(update)
    return ConversationHandler.END


async def ask_reason(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Want to say why? For example: only if carer cover is arranged. "
                                 "Type a short reason, or tap Skip."), column([(_("Skip »"), "mv:skip")]))
    return REASON


async def on_send_answers(update: Update, context: BotContext) -> None:
    parts = callback_parts(update.callback_query.data, 2)
    meeting = await _invitee_meeting(update, context, int(parts[1]) if parts and parts[1].isdigit() else None)
    if meeting is None or context.participant is None:
        return
    services = context.services
    slots = await services.meetings.slots(meeting.id)
    mine = await services.meetings.my_votes(meeting.id, context.participant.id)
    missing = len(slots) - len([s for s in slots if s in mine])
    if missing:
        await acknowledge(update, _("Please answer every time first ({count} to go).").format(count=missing),
                          alert=True)
        return
    await services.meetings.mark_answered(meeting.id, context.participant.id, services.clock.now())
    await acknowledge(update)
    await say(update, context, _("Thank you! You can change your answers until {date}.").format(
        date=format_datetime(meeting.poll_closes_at, services.settings.timezone)))


# --- the coordinator's view ------------------------------------------------------------

async def _organised(context: BotContext) -> Meeting | None:
    """The meeting an organiser's button is about (the gate has checked who pressed it)."""
    button = context.button
    organisers = (ResultsButton, ClosePollButton, ConfirmSlotButton, AttendanceButton, CancelMeetingButton)
    return await context.services.meetings.by_id(button.meeting) if isinstance(button, organisers) else None


def _score_line(score: SlotScore, tz: Any, names: dict[int, str]) -> str:
    line = _("{date}: {yes} yes, {maybe} if need be, {no} no").format(
        date=format_datetime(score.start, tz), yes=score.yes, maybe=score.if_need_be, no=score.no)
    if score.loses_required:
        line += " – " + _("{names} cannot come").format(
            names=", ".join(escape(names.get(p, "?")) for p in score.names_no_required))
    return line


async def results_text(services: Services, meeting: Meeting) -> tuple[str, list[SlotScore]]:
    tz = services.settings.timezone
    invitees = await services.meetings.invitees(meeting.id)
    names = {i.participant_id: i.display_name or "—" for i in invitees}
    required = frozenset(i.participant_id for i in invitees if i.required)
    ranking = rank_slots(await services.meetings.slots(meeting.id), await services.meetings.votes(meeting.id),
                         required)
    waiting = [i for i in invitees if not i.answered]
    lines = [f"📊 <b>{escape(meeting.title)}</b>",
             _("Answered: {answered} of {total}").format(answered=len(invitees) - len(waiting), total=len(invitees))]
    if meeting.status == "confirmed":
        going = sum(1 for i in invitees if i.rsvp == "going")
        maybe = sum(1 for i in invitees if i.rsvp == "maybe")
        lines.append(_("Going: {going} · Maybe: {maybe}").format(going=going, maybe=maybe))
    lines += ["", _("<b>Best times first</b>")]
    lines += [f"{n}. {_score_line(score, tz, names)}" for n, score in enumerate(ranking, 1)]
    likely = [i.participant_id for i in invitees if i.rsvp in ("going", "maybe")] if meeting.status == "confirmed" \
        else [i.participant_id for i in invitees if i.rsvp != "cant"]
    lines += ["", *await access_lines(services, meeting, likely)]
    if waiting:
        lines += ["", _("Not answered yet: {names}").format(names=some_of([escape(names[i.participant_id])
                                                                           for i in waiting]))]
    reasons = await services.meetings.reasons(meeting.id)
    if reasons:
        lines += ["", _("<b>If need be, because…</b>")]
        lines += [f"• {escape(names.get(pid, '—'))}: {escape(text)}" for _slot, pid, text in reasons]
    return fit_lines(lines), ranking


def _coordinator_buttons(meeting: Meeting, ranking: list[SlotScore], tz: Any) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if meeting.status in ("polling", "closed", "confirmed"):
        for score in ranking[:3]:
            if score.slot_id == meeting.confirmed_slot_id:
                continue
            rows.append([(_("✅ Confirm {date}").format(date=format_datetime(score.start, tz)),
                          ConfirmSlotButton(meeting.id, score.slot_id).pack())])
    if meeting.status == "polling":
        rows.append([(_("⏹ Close the poll now"), ClosePollButton(meeting.id).pack())])
    if meeting.status == "confirmed":
        rows.append([(_("📋 Attendance"), AttendanceButton(meeting.id, LIST).pack())])
        rows.append(support_list_row(meeting))
    if meeting.status != "cancelled":
        rows.append([(_("📎 Papers"), PapersButton(meeting.id).pack()),
                     (_("💷 What is paid"), MeetingPayButton(meeting.id, "show").pack())])
        rows.append([(_("Cancel the meeting"), CancelMeetingButton(meeting.id).pack())])
    return rows


async def on_results(update: Update, context: BotContext) -> None:
    meeting = await _organised(context)
    if meeting is None:
        return
    await acknowledge(update)
    text, ranking = await results_text(context.services, meeting)
    await say(update, context, text, keyboard(_coordinator_buttons(meeting, ranking,
                                                                   context.services.settings.timezone)))


async def on_close_now(update: Update, context: BotContext) -> None:
    meeting = await _organised(context)
    if meeting is None:
        return
    await acknowledge(update)
    await clear_buttons(update)
    await close_poll(context.services, context.bot, meeting.id)


async def close_poll(services: Services, bot: Any, meeting_id: int) -> None:
    """Close once (a second call does nothing) and give the coordinator the ranking."""
    if not await services.meetings.set_status(meeting_id, "closed", only_from=("polling",)):
        return
    await services.jobs.cancel("poll.remind", str(meeting_id))
    meeting = await services.meetings.by_id(meeting_id)
    owner = await services.participants.by_id(meeting.created_by) if meeting else None
    if meeting is None or owner is None or owner.telegram_id is None:
        return
    with language(owner.language):
        text, ranking = await results_text(services, meeting)
        markup = keyboard(_coordinator_buttons(meeting, ranking, services.settings.timezone))
        await bot.send_message(owner.telegram_id, _("The poll has closed.") + "\n\n" + text, reply_markup=markup)


async def remind_non_responders(services: Services, meeting_id: int) -> None:
    """Only the people who have not answered get a nudge, outside their quiet hours."""
    meeting = await services.meetings.by_id(meeting_id)
    if meeting is None or meeting.status != "polling":
        return
    now = services.clock.now()
    tz = services.settings.timezone
    versions = await services.text_versions.of(MEETING_KIND, meeting_id)
    messages = []
    for invitee in await services.meetings.invitees(meeting_id):
        if invitee.answered or invitee.telegram_id is None:
            continue
        with language(invitee.language):
            words, note = reader_copy(versions, meeting, invitee.language)
            text = with_note(_("⏰ Please answer the poll for “{title}” by {date}. Scroll up to find it, or send "
                               "/meetings.").format(title=escape(words.title),
                                                    date=format_datetime(meeting.poll_closes_at, tz)), note)
        messages.append(Outgoing(chat_id=invitee.telegram_id, participant_id=invitee.participant_id, text=text,
                                 dedupe_key=f"pollrem:{meeting_id}:{invitee.participant_id}",
                                 not_before=next_send_time(now, tz, invitee.quiet_hours),
                                 expires_at=meeting.poll_closes_at))
    await services.outbox.create_batch("poll_reminder", str(meeting_id), meeting.created_by, now, messages)
    wake(services)


# --- confirming, moving, RSVP ----------------------------------------------------------

async def on_confirm_slot(update: Update, context: BotContext) -> None:
    """Confirm a time, or move a confirmed meeting to another: every invitee is told, every time."""
    button = context.button
    assert isinstance(button, ConfirmSlotButton)
    meeting = await _organised(context)
    services = context.services
    if meeting is None:
        return
    slot_id = button.slot
    slots = await services.meetings.slots(meeting.id)
    if slot_id not in slots or slot_id == meeting.confirmed_slot_id:
        await acknowledge(update, _("That time is already confirmed, or no longer on offer."), alert=True)
        return
    if meeting.status == "cancelled":
        await acknowledge(update, _("This meeting was cancelled."), alert=True)
        return
    count = await announce_time(services, meeting, slot_id)
    if count is None:
        await acknowledge(update, _("This meeting has changed since. Open it again with /meetings."), alert=True)
        return
    await services.jobs.cancel("poll.close", str(meeting.id))
    await services.jobs.cancel("poll.remind", str(meeting.id))
    await acknowledge(update)
    await clear_buttons(update)
    await audit(context, update, "meeting.confirm", "ok", subject=f"{meeting.id}:{slot_id}")
    tz = services.settings.timezone
    if meeting.status == "confirmed" and meeting.confirmed_slot_id in slots:
        text = ngettext(
            "Moved from {old} to {new}. {count} person is being told, with a new calendar file, and asked to "
            "answer again.",
            "Moved from {old} to {new}. {count} people are being told, with a new calendar file, and asked to "
            "answer again.", count)
        await say(update, context, text.format(old=format_datetime(slots[meeting.confirmed_slot_id], tz),
                                               new=format_datetime(slots[slot_id], tz), count=count))
        return
    await say(update, context, ngettext(
        "Confirmed for {date}. An invitation with a calendar file is on its way to {count} person.",
        "Confirmed for {date}. Invitations with a calendar file are on their way to {count} people.", count).format(
        date=format_datetime(slots[slot_id], tz), count=count))


def _rsvp_tap(data: str | None) -> tuple[int, int, str] | None:
    """(meeting, change count, answer) from mr:<meeting>:<count>:<code>; buttons sent before changes were
    counted carry no count and belong to the first invitation (count 0)."""
    parts = (data or "").split(":")
    if len(parts) == 3:
        parts.insert(2, "0")
    if len(parts) != 4 or not (parts[1].isdigit() and parts[2].isdigit()) or parts[3] not in RSVP_CODES:
        return None
    return int(parts[1]), int(parts[2]), parts[3]


async def on_rsvp(update: Update, context: BotContext) -> None:
    tap = _rsvp_tap(update.callback_query.data)
    services = context.services
    meeting = await services.meetings.by_id(tap[0]) if tap else None
    invitee = (await services.meetings.invitee(meeting.id, context.participant.id)
               if meeting and context.participant else None)
    if meeting is None or invitee is None or tap is None:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return
    if meeting.status != "confirmed" or meeting.confirmed_slot_id is None:
        await acknowledge(update, _("This meeting was cancelled."), alert=True)
        return
    if tap[1] != meeting.sequence:
        await acknowledge(update, _("The time has changed since this message. Please answer on the latest one."),
                          alert=True)
        return
    start = (await services.meetings.slots(meeting.id))[meeting.confirmed_slot_id]
    if start <= services.clock.now():
        await acknowledge(update, _("This meeting has already started."), alert=True)
        return
    rsvp = RSVP_CODES[tap[2]]
    await record_rsvp(services, meeting, invitee, start, rsvp)
    await acknowledge(update, _("Noted: {answer}. You can change it here any time.").format(
        answer=_(RSVP_NAMES[rsvp])))


async def record_rsvp(services: Services, meeting: Meeting, invitee: Invitee, start: datetime, rsvp: str) -> None:
    """Their reply, and reminders to match: a resident's own, or one staff took down for them."""
    await services.meetings.set_rsvp(meeting.id, invitee.participant_id, rsvp, services.clock.now())
    prefix = reminder_prefix(meeting, invitee.participant_id)
    await services.outbox.cancel_keys(prefix)
    await services.outbox.forget_keys(prefix)
    if rsvp != "cant":
        await queue_reminders(services, meeting, invitee, start,
                              await services.text_versions.of(MEETING_KIND, meeting.id))


async def on_attendance(update: Update, context: BotContext) -> None:
    """The list of who came (LIST), or one person on it flipped."""
    button = context.button
    assert isinstance(button, AttendanceButton)
    meeting = await _organised(context)
    if meeting is None:
        return
    services = context.services
    person = button.person
    invitees = await services.meetings.invitees(meeting.id)
    if person != LIST:
        current = next((i for i in invitees if i.participant_id == person), None)
        if current is None:
            await refuse(update, context, "meeting.attendance", subject=f"{meeting.id}:{person}")
            return
        await services.meetings.set_attended(meeting.id, person, not current.attended)
        if not current.attended:
            await invite_checkin(services, meeting.id, person)
        invitees = await services.meetings.invitees(meeting.id)
    await acknowledge(update)
    rows = [[(("✅ " if i.attended else "▫️ ") + (i.display_name or "—"),
              AttendanceButton(meeting.id, i.participant_id).pack())] for i in invitees]
    text = _("Who came to “{title}”? Tap to mark each person.").format(title=escape(meeting.title))
    if person != LIST and update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(keyboard(rows))
    else:
        await say(update, context, text, keyboard(rows))


async def on_cancel_meeting(update: Update, context: BotContext) -> None:
    meeting = await _organised(context)
    services = context.services
    if meeting is None:
        return
    if meeting.status == "cancelled" or await announce_cancellation(services, meeting) is None:
        await acknowledge(update, _("This meeting was cancelled."), alert=True)
        return
    await acknowledge(update)
    await clear_buttons(update)
    for kind in ("poll.close", "poll.remind"):
        await services.jobs.cancel(kind, str(meeting.id))
    await audit(context, update, "meeting.cancel", "ok", subject=str(meeting.id))
    await say(update, context, _("Cancelled. Everyone invited is being told."))


# --- /meetings ---------------------------------------------------------------------------

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
            rows.append([(_("🗓 Answer: {title}").format(title=meeting.title[:35]), f"mp:{meeting.id}")])
        elif meeting.status == "closed":
            lines.append("• " + _("{title} – the poll has closed. A time will be confirmed soon.").format(
                title=escape(meeting.title)))
    if not lines:
        lines.append(_("No meetings yet."))
    await say(update, context, "\n".join(lines), keyboard(rows) if rows else None)


async def on_show_poll(update: Update, context: BotContext) -> None:
    parts = callback_parts(update.callback_query.data, 2)
    meeting = await _invitee_meeting(update, context, int(parts[1]) if parts and parts[1].isdigit() else None)
    if meeting is None or context.participant is None:
        return
    await acknowledge(update)
    text, markup = await poll_for(context, meeting, context.participant.id)
    await say(update, context, text, markup)


def vote_conversation() -> Flow:
    """Votes are entry points; after "If need be" the conversation waits for a reason."""
    vote = CallbackQueryHandler(on_vote, pattern=r"^mv:\d+:[ymn]$")
    return Flow(
        name="meeting_vote",
        noun=N_("your reason for “If need be”"),
        states={REASON: step(ask_reason, vote, CallbackQueryHandler(on_skip_reason, pattern="^mv:skip$"),
                             MessageHandler(typed_text(), on_reason))},
        entry_points=[vote],
        cancel=on_skip_reason,
        prefixes=("mv",),
        drafts=("reason_slot",),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("meetings", meetings_command),
        CallbackQueryHandler(on_send_answers, pattern=r"^ms:\d+$"),
        CallbackQueryHandler(on_show_poll, pattern=r"^mp:\d+$"),
        CallbackQueryHandler(on_results, pattern=ResultsButton.pattern()),
        CallbackQueryHandler(on_close_now, pattern=ClosePollButton.pattern()),
        CallbackQueryHandler(on_confirm_slot, pattern=ConfirmSlotButton.pattern()),
        CallbackQueryHandler(on_rsvp, pattern=r"^mr:\d+:(\d+:)?[gmc]$"),
        CallbackQueryHandler(on_attendance, pattern=AttendanceButton.pattern()),
        CallbackQueryHandler(on_cancel_meeting, pattern=CancelMeetingButton.pattern()),
    ]


def job_handlers(services: Services, bot: Any) -> dict[str, Any]:
    async def close(ref: str) -> None:
        await close_poll(services, bot, int(ref))

    async def remind(ref: str) -> None:
        await remind_non_responders(services, int(ref))

    return {"poll.close": close, "poll.remind": remind}
