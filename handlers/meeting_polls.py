"""After a meeting is created: invitees answer the time poll, the coordinator sees the
ranking and confirms a time, everyone gets an invitation with a calendar file, RSVPs,
reminders before the day, and attendance afterwards."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime, language, ngettext
from bot.keyboards import Button, callback_parts, column, keyboard
from bot.services import Services
from bot.text import CAPTION_LIMIT, fit_lines, some_of
from domain.access import VENUE_FEATURES
from domain.calendar import meeting_ics
from domain.delivery import early_start, next_send_time
from domain.meetings import Answer, SlotScore, prefill, rank_slots, reminder_time
from domain.participation import LEVEL_MEANINGS, LEVEL_NAMES
from domain.roles import ORGANISERS, Role
from handlers.access_view import access_lines, suits_for
from handlers.feedback import invite_checkin
from handlers.common import acknowledge, audit, clear_buttons, escape, refuse, require, require_registered, say
from handlers.flow import Flow, step, typed_text
from storage.meetings import Invitee, Meeting
from storage.outbox import Outgoing

ANSWER_CODES = {"y": Answer.YES, "m": Answer.IF_NEED_BE, "n": Answer.NO}
ANSWER_ICONS = {Answer.YES: "✅", Answer.IF_NEED_BE: "🤔", Answer.NO: "❌"}
ANSWER_NAMES = {Answer.YES: N_("Yes"), Answer.IF_NEED_BE: N_("If need be"), Answer.NO: N_("No")}
RSVP_CODES = {"g": "going", "m": "maybe", "c": "cant"}
RSVP_NAMES = {"going": N_("Going"), "maybe": N_("Maybe"), "cant": N_("Can't come")}
REMINDERS = {"2d": timedelta(days=2), "2h": timedelta(hours=2)}
# A reminder may come this much early rather than late when many fall due at once.
REMINDER_LEAD = timedelta(minutes=20)
POLL_REMINDER_BEFORE = timedelta(hours=24)
REASON = "reason"
REASON_MAX = 120


# --- the poll an invitee sees ----------------------------------------------------------

def _where(meeting: Meeting) -> str:
    if meeting.format == "online":
        return _("Online")
    place = escape(meeting.venue)
    return place + (" " + _("(or online)") if meeting.format == "hybrid" else "")


async def poll_view(services: Services, meeting: Meeting, participant_id: int) -> tuple[str, Any]:
    """The poll in the reader's language (set by the caller), with their own answers marked."""
    tz = services.settings.timezone
    slots = await services.meetings.slots(meeting.id)
    mine = await services.meetings.my_votes(meeting.id, participant_id)
    everyone = await services.meetings.votes(meeting.id) if meeting.open_poll else {}
    lines = [f"🗓 <b>{escape(meeting.title)}</b>", escape(meeting.purpose), "",
             _("Level: {level} – {meaning}").format(level=_(LEVEL_NAMES[meeting.level]),
                                                   meaning=_(LEVEL_MEANINGS[meeting.level])),
             _("Where: {place}").format(place=_where(meeting)),
             _("How long: {minutes} minutes").format(minutes=meeting.duration_minutes), "",
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
    return "\n".join(lines), keyboard(rows)


async def send_poll(context: BotContext, meeting_id: int) -> int:
    """Pre-fill from the times people said suit them, then queue one poll per invitee."""
    services = context.services
    meeting = await services.meetings.by_id(meeting_id)
    assert meeting is not None
    now = services.clock.now()
    tz = services.settings.timezone
    slots = await services.meetings.slots(meeting_id)
    invitees = [i for i in await services.meetings.invitees(meeting_id) if i.telegram_id is not None]
    suits = await suits_for(services, [i.participant_id for i in invitees])
    await services.meetings.prefill(
        [(slot_id, i.participant_id, answer) for i in invitees for slot_id, start in slots.items()
         if (answer := prefill(start, tz, suits.get(i.participant_id, set()))) is not None], now)
    messages = []
    for invitee in invitees:
        with language(invitee.language):
            text, markup = await poll_view(services, meeting, invitee.participant_id)
        messages.append(Outgoing(chat_id=invitee.telegram_id or 0, participant_id=invitee.participant_id, text=text,
                                 markup=json.dumps(markup.to_dict()), dedupe_key=f"poll:{meeting_id}:"
                                 f"{invitee.participant_id}", not_before=now, expires_at=meeting.poll_closes_at))
    _batch, added = await services.outbox.create_batch("meeting_poll", str(meeting_id), meeting.created_by, now,
                                                       messages)
    await services.jobs.schedule("poll.close", str(meeting_id), meeting.poll_closes_at)
    remind_at = max(now + (meeting.poll_closes_at - now) / 2, meeting.poll_closes_at - POLL_REMINDER_BEFORE)
    await services.jobs.schedule("poll.remind", str(meeting_id), remind_at)
    _wake(services)
    return added


def _wake(services: Services) -> None:
    if services.sender is not None:
        services.sender.wake()


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
    text, markup = await poll_view(context.services, meeting, context.participant.id)
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
    reason = " ".join((update.effective_message.text or "").split())[:REASON_MAX]
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

def _owns(context: BotContext, meeting: Meeting | None) -> bool:
    me = context.participant.id if context.participant else None
    return meeting is not None and (context.role is Role.ADMIN or meeting.created_by == me)


async def _owned_meeting(update: Update, context: BotContext, action: str, index: int = 1,
                         parts_count: int = 2) -> Meeting | None:
    parts = callback_parts(update.callback_query.data if update.callback_query else None, parts_count)
    meeting_id = int(parts[index]) if parts and parts[index].isdigit() else 0
    meeting = await context.services.meetings.by_id(meeting_id) if meeting_id else None
    if not _owns(context, meeting):
        await refuse(update, context, action, subject=str(meeting_id))
        return None
    return meeting


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
                          f"mc:{meeting.id}:{score.slot_id}")])
    if meeting.status == "polling":
        rows.append([(_("⏹ Close the poll now"), f"mx:{meeting.id}")])
    if meeting.status == "confirmed":
        rows.append([(_("📋 Attendance"), f"ma:{meeting.id}:0")])
    if meeting.status != "cancelled":
        rows.append([(_("Cancel the meeting"), f"mz:{meeting.id}")])
    return rows


@require(ORGANISERS, "meeting.results")
async def on_results(update: Update, context: BotContext) -> None:
    meeting = await _owned_meeting(update, context, "meeting.results")
    if meeting is None:
        return
    await acknowledge(update)
    text, ranking = await results_text(context.services, meeting)
    await say(update, context, text, keyboard(_coordinator_buttons(meeting, ranking,
                                                                   context.services.settings.timezone)))


@require(ORGANISERS, "meeting.close")
async def on_close_now(update: Update, context: BotContext) -> None:
    meeting = await _owned_meeting(update, context, "meeting.close")
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
    messages = []
    for invitee in await services.meetings.invitees(meeting_id):
        if invitee.answered or invitee.telegram_id is None:
            continue
        with language(invitee.language):
            text = _("⏰ Please answer the poll for “{title}” by {date}. Scroll up to find it, or send /meetings.").format(
                title=escape(meeting.title), date=format_datetime(meeting.poll_closes_at, tz))
        messages.append(Outgoing(chat_id=invitee.telegram_id, participant_id=invitee.participant_id, text=text,
                                 dedupe_key=f"pollrem:{meeting_id}:{invitee.participant_id}",
                                 not_before=next_send_time(now, tz, invitee.quiet_hours),
                                 expires_at=meeting.poll_closes_at))
    await services.outbox.create_batch("poll_reminder", str(meeting_id), meeting.created_by, now, messages)
    _wake(services)


# --- confirming, invitations, RSVP, reminders --------------------------------------------

@require(ORGANISERS, "meeting.confirm")
async def on_confirm_slot(update: Update, context: BotContext) -> None:
    meeting = await _owned_meeting(update, context, "meeting.confirm", parts_count=3)
    parts = callback_parts(update.callback_query.data, 3)
    services = context.services
    if meeting is None or parts is None or not parts[2].isdigit():
        return
    slot_id = int(parts[2])
    slots = await services.meetings.slots(meeting.id)
    if slot_id not in slots or slot_id == meeting.confirmed_slot_id:
        await acknowledge(update, _("That time is already confirmed, or no longer on offer."), alert=True)
        return
    changed = meeting.status == "confirmed"
    if not await services.meetings.set_status(meeting.id, "confirmed", only_from=("polling", "closed", "confirmed"),
                                              slot_id=slot_id):
        await acknowledge(update, _("This meeting was cancelled."), alert=True)
        return
    await services.jobs.cancel("poll.close", str(meeting.id))
    await services.jobs.cancel("poll.remind", str(meeting.id))
    await acknowledge(update)
    await clear_buttons(update)
    await audit(context, update, "meeting.confirm", "ok", subject=f"{meeting.id}:{slot_id}")
    count = await send_invitations(services, meeting.id, changed=changed)
    await say(update, context, ngettext(
        "Confirmed for {date}. An invitation with a calendar file is on its way to {count} person.",
        "Confirmed for {date}. Invitations with a calendar file are on their way to {count} people.", count).format(
        date=format_datetime(slots[slot_id], services.settings.timezone), count=count))


def _rsvp_markup(meeting_id: int) -> Any:
    return keyboard([[(_("✅ Going"), f"mr:{meeting_id}:g"), (_("🤔 Maybe"), f"mr:{meeting_id}:m"),
                      (_("❌ Can't"), f"mr:{meeting_id}:c")]])


async def send_invitations(services: Services, meeting_id: int, *, changed: bool) -> int:
    meeting = await services.meetings.by_id(meeting_id)
    assert meeting is not None and meeting.confirmed_slot_id is not None
    now = services.clock.now()
    tz = services.settings.timezone
    start = (await services.meetings.slots(meeting_id))[meeting.confirmed_slot_id]
    ics = meeting_ics(uid=f"meeting-{meeting.id}@coproduction-bot", title=meeting.title, description=meeting.purpose,
                      start=start, minutes=meeting.duration_minutes, location=meeting.venue, url=meeting.online_link,
                      now=now, sequence=meeting.confirmed_slot_id if changed else 0)
    invitees = await services.meetings.invitees(meeting_id)
    if changed:  # reminders were for the old time
        await services.outbox.cancel_keys(f"rem:{meeting_id}:")
        await services.outbox.forget_keys(f"rem:{meeting_id}:")
    messages = []
    for invitee in invitees:
        if invitee.telegram_id is None:
            continue
        with language(invitee.language):
            head = _("📅 Time changed: “{title}”") if changed else _("📅 It's on: “{title}”")
            lines = [head.format(title=escape(meeting.title)),
                     _("When: {date}").format(date=format_datetime(start, tz)),
                     _("Where: {place}").format(place=_where(meeting))]
            if meeting.online_link:
                lines.append(_("Join online: {link}").format(link=escape(meeting.online_link)))
            if meeting.venue_features:
                lines.append(_("Access: {features}").format(features=", ".join(
                    _(label) for key, label in VENUE_FEATURES.items() if key in meeting.venue_features)))
            lines += [_("Tell us what you need to take part with /access. Will you come?"),
                      _("What to expect: {purpose}").format(purpose=escape(meeting.purpose))]
            markup = json.dumps(_rsvp_markup(meeting_id).to_dict())
        messages.append(Outgoing(chat_id=invitee.telegram_id, participant_id=invitee.participant_id,
                                 text=fit_lines(lines, CAPTION_LIMIT), markup=markup, file_name="meeting.ics",
                                 file_data=ics,
                                 dedupe_key=f"inv:{meeting_id}:{meeting.confirmed_slot_id}:{invitee.participant_id}",
                                 not_before=now, expires_at=start))
    _batch, added = await services.outbox.create_batch("invitation", str(meeting_id), meeting.created_by, now,
                                                       messages)
    for invitee in invitees:
        if invitee.rsvp in ("going", "maybe"):
            await _queue_reminders(services, meeting, invitee, start)
    _wake(services)
    return added


async def _queue_reminders(services: Services, meeting: Meeting, invitee: Invitee, start: datetime) -> None:
    """Two days and two hours before, moved earlier out of quiet hours, never after the start."""
    if invitee.telegram_id is None:
        return
    now = services.clock.now()
    tz = services.settings.timezone
    quiet = (invitee.quiet_hours.start, invitee.quiet_hours.end) if invitee.quiet_hours else None
    messages = []
    for key, before in REMINDERS.items():
        due = reminder_time(start, before, tz, quiet)
        if due <= now:
            continue
        with language(invitee.language):
            text = _("⏰ Reminder: “{title}” is on {date}. Where: {place}").format(
                title=escape(meeting.title), date=format_datetime(start, tz), place=_where(meeting))
        messages.append(Outgoing(chat_id=invitee.telegram_id, participant_id=invitee.participant_id, text=text,
                                 dedupe_key=f"rem:{meeting.id}:{invitee.participant_id}:{key}", not_before=due,
                                 send_from=early_start(due, REMINDER_LEAD, tz, invitee.quiet_hours),
                                 expires_at=start))
    if messages:
        await services.outbox.create_batch("reminder", str(meeting.id), meeting.created_by, now, messages)


async def on_rsvp(update: Update, context: BotContext) -> None:
    parts = callback_parts(update.callback_query.data, 3)
    services = context.services
    meeting = await services.meetings.by_id(int(parts[1])) if parts and parts[1].isdigit() else None
    invitee = (await services.meetings.invitee(meeting.id, context.participant.id)
               if meeting and context.participant else None)
    if meeting is None or invitee is None or parts is None or parts[2] not in RSVP_CODES:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return
    if meeting.status != "confirmed" or meeting.confirmed_slot_id is None:
        await acknowledge(update, _("This meeting was cancelled."), alert=True)
        return
    start = (await services.meetings.slots(meeting.id))[meeting.confirmed_slot_id]
    if start <= services.clock.now():
        await acknowledge(update, _("This meeting has already started."), alert=True)
        return
    rsvp = RSVP_CODES[parts[2]]
    await services.meetings.set_rsvp(meeting.id, invitee.participant_id, rsvp, services.clock.now())
    prefix = f"rem:{meeting.id}:{invitee.participant_id}:"
    await services.outbox.cancel_keys(prefix)
    await services.outbox.forget_keys(prefix)
    if rsvp != "cant":
        await _queue_reminders(services, meeting, invitee, start)
        _wake(services)
    await acknowledge(update, _("Noted: {answer}. You can change it here any time.").format(
        answer=_(RSVP_NAMES[rsvp])))


@require(ORGANISERS, "meeting.attendance")
async def on_attendance(update: Update, context: BotContext) -> None:
    """ma:<meeting>:0 shows the list; ma:<meeting>:<participant> flips one person."""
    meeting = await _owned_meeting(update, context, "meeting.attendance", parts_count=3)
    parts = callback_parts(update.callback_query.data, 3)
    if meeting is None or parts is None or not parts[2].isdigit():
        return
    services = context.services
    person = int(parts[2])
    invitees = await services.meetings.invitees(meeting.id)
    if person:
        current = next((i for i in invitees if i.participant_id == person), None)
        if current is None:
            await refuse(update, context, "meeting.attendance", subject=f"{meeting.id}:{person}")
            return
        await services.meetings.set_attended(meeting.id, person, not current.attended)
        if not current.attended:
            await invite_checkin(services, meeting.id, person)
        invitees = await services.meetings.invitees(meeting.id)
    await acknowledge(update)
    rows = [[(("✅ " if i.attended else "▫️ ") + (i.display_name or "—"), f"ma:{meeting.id}:{i.participant_id}")]
            for i in invitees]
    text = _("Who came to “{title}”? Tap to mark each person.").format(title=escape(meeting.title))
    if person and update.callback_query is not None:
        await update.callback_query.edit_message_reply_markup(keyboard(rows))
    else:
        await say(update, context, text, keyboard(rows))


@require(ORGANISERS, "meeting.cancel")
async def on_cancel_meeting(update: Update, context: BotContext) -> None:
    meeting = await _owned_meeting(update, context, "meeting.cancel")
    services = context.services
    if meeting is None:
        return
    if not await services.meetings.set_status(meeting.id, "cancelled", only_from=("polling", "closed", "confirmed")):
        await acknowledge(update, _("This meeting was cancelled."), alert=True)
        return
    await acknowledge(update)
    await clear_buttons(update)
    for kind in ("poll.close", "poll.remind"):
        await services.jobs.cancel(kind, str(meeting.id))
    await services.outbox.cancel_keys(f"rem:{meeting.id}:")
    await services.outbox.cancel_keys(f"poll:{meeting.id}:")
    now = services.clock.now()
    messages = []
    for invitee in await services.meetings.invitees(meeting.id):
        if invitee.telegram_id is None:
            continue
        with language(invitee.language):
            text = _("❌ “{title}” has been cancelled. Sorry for any trouble. We will let you know about a new date.")
        messages.append(Outgoing(chat_id=invitee.telegram_id, participant_id=invitee.participant_id,
                                 text=text.format(title=escape(meeting.title)), not_before=now,
                                 dedupe_key=f"cancel:{meeting.id}:{invitee.participant_id}"))
    await services.outbox.create_batch("meeting_cancelled", str(meeting.id), meeting.created_by, now, messages)
    await audit(context, update, "meeting.cancel", "ok", subject=str(meeting.id))
    _wake(services)
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
    if context.role in ORGANISERS:
        mine = await services.meetings.created_by(context.participant.id)
        if mine:
            lines.append(_("<b>Meetings you organise</b>"))
            lines += [f"• {escape(m.title)}" for m in mine]
            rows += [[(f"📊 {m.title[:40]}", f"mt:{m.id}")] for m in mine]
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
    if not lines:
        lines.append(_("No meetings yet."))
    await say(update, context, "\n".join(lines), keyboard(rows) if rows else None)


async def on_show_poll(update: Update, context: BotContext) -> None:
    parts = callback_parts(update.callback_query.data, 2)
    meeting = await _invitee_meeting(update, context, int(parts[1]) if parts and parts[1].isdigit() else None)
    if meeting is None or context.participant is None:
        return
    await acknowledge(update)
    text, markup = await poll_view(context.services, meeting, context.participant.id)
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
        CallbackQueryHandler(on_results, pattern=r"^mt:\d+$"),
        CallbackQueryHandler(on_close_now, pattern=r"^mx:\d+$"),
        CallbackQueryHandler(on_confirm_slot, pattern=r"^mc:\d+:\d+$"),
        CallbackQueryHandler(on_rsvp, pattern=r"^mr:\d+:[gmc]$"),
        CallbackQueryHandler(on_attendance, pattern=r"^ma:\d+:\d+$"),
        CallbackQueryHandler(on_cancel_meeting, pattern=r"^mz:\d+$"),
    ]


def job_handlers(services: Services, bot: Any) -> dict[str, Any]:
    async def close(ref: str) -> None:
        await close_poll(services, bot, int(ref))

    async def remind(ref: str) -> None:
        await remind_non_responders(services, int(ref))

    return {"poll.close": close, "poll.remind": remind}
