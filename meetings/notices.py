"""What invitees are sent once a meeting has a time: the invitation, a notice for every change
of time and for a cancellation, each with a calendar file that adds, moves or removes the event
in their calendar app; and reminders, for the latest time only, to those who said they will come.

Each notice is keyed by the meeting's change count (its calendar SEQUENCE), so a move back to a
time confirmed before is a new notice, never a repeat that the outbox would drop."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardMarkup

from bot.i18n import _, format_datetime, language
from bot.keyboards import keyboard
from bot.services import Services
from bot.text import CAPTION_LIMIT, escape, fit_lines
from bot.versions import reader_copy, with_note
from domain.access import AccessProfile
from domain.calendar import meeting_ics
from domain.delivery import early_start
from domain.meetings import reminder_time
from domain.pay import WhatIsPaid
from meetings.buttons import RSVP_CODES, AskAbout, RsvpButton
from meetings.papers import paper_notices
from meetings.pay_words import what_is_paid
from meetings.support import invitation_lines
from storage.meetings import Invitee, Meeting
from storage.outbox import Outgoing
from storage.text_versions import Versions

REMINDERS = {"2d": timedelta(days=2), "2h": timedelta(hours=2)}
PAPERS_WITH = "2d"  # the reminder the meeting's papers go with again
# A reminder may come this much early rather than late when many fall due at once.
REMINDER_LEAD = timedelta(minutes=20)
CALENDAR_FILE = "meeting.ics"
MEETING_KIND = "meeting"  # the item kind a meeting's versions in other languages are saved under


def where(meeting: Meeting) -> str:
    if meeting.format == "online":
        return _("Online")
    place = escape(meeting.venue)
    return place + (" " + _("(or online)") if meeting.format == "hybrid" else "")


def wake(services: Services) -> None:
    if services.sender is not None:
        services.sender.wake()


def rsvp_markup(meeting_id: int, sequence: int, ask: AskAbout) -> InlineKeyboardMarkup:
    """The answer buttons carry the change count, so a tap on an older notice is not taken for the new time."""
    labels = {"g": _("✅ Going"), "m": _("🤔 Maybe"), "c": _("❌ Can't")}
    return keyboard(
        [[(labels[code], RsvpButton(meeting_id, sequence, code).pack()) for code in RSVP_CODES], [ask(meeting_id)]]
    )


def calendar_file(meeting: Meeting, start: datetime, sequence: int, now: datetime, *, cancelled: bool = False) -> bytes:
    return meeting_ics(
        uid=f"meeting-{meeting.id}@coproduction-bot",
        title=meeting.title,
        description=meeting.purpose,
        start=start,
        minutes=meeting.duration_minutes,
        location=meeting.venue,
        url=meeting.online_link,
        now=now,
        sequence=sequence,
        cancelled=cancelled,
    )


def _time_notice(
    meeting: Meeting,
    start: datetime,
    previous: datetime | None,
    profile: AccessProfile | None,
    consented: bool,
    tz: Any,
    paid: WhatIsPaid,
    note: str | None,
) -> str:
    """The invitation, or, when the time moved, the change: in the reader's language (set by the
    caller), with the meeting's words as that reader gets them and `note` when they are the original."""
    head = _("📅 Time changed: “{title}”") if previous else _("📅 It's on: “{title}”")
    lines = [head.format(title=escape(meeting.title)), _("When: {date}").format(date=format_datetime(start, tz))]
    if previous:
        lines.append(_("It was: {date}").format(date=format_datetime(previous, tz)))
    lines.append(_("Where: {place}").format(place=where(meeting)))
    if meeting.online_link:
        lines.append(_("Join online: {link}").format(link=escape(meeting.online_link)))
    lines += invitation_lines(meeting, profile, consented, first=previous is None)
    lines.append(what_is_paid(paid))
    lines.append(
        _("Can you still come at the new time? Please answer again, even if you did before.")
        if previous
        else _("Tell us what you need to take part with /access. Will you come?")
    )
    lines.append(_("What to expect: {purpose}").format(purpose=escape(meeting.purpose)))
    return fit_lines(filter(None, [*lines, note]), CAPTION_LIMIT)


async def announce_time(services: Services, meeting: Meeting, slot_id: int, ask: AskAbout) -> int | None:
    """Confirm or move the meeting to `slot_id` and queue every invitee's notice with its calendar
    file, in one step; None if the meeting changed meanwhile. Returns how many notices were queued."""
    now = services.clock.now()
    tz = services.settings.timezone
    slots = await services.meetings.slots(meeting.id)
    start = slots[slot_id]
    previous = slots.get(meeting.confirmed_slot_id or 0) if meeting.status == "confirmed" else None
    sequence = meeting.next_sequence
    versions = await services.text_versions.of(MEETING_KIND, meeting.id)
    invitees = [i for i in await services.meetings.invitees(meeting.id) if i.chat is not None]
    profiles = await services.access.for_participants([i.participant_id for i in invitees])
    named = await services.support.consenting([i.participant_id for i in invitees])
    paid = await services.pay.settled(services.settings.hourly_rate_pence, meeting.project_id, meeting.id)
    # The papers go with the first invitation; after a change of time, with the reminder for the new time.
    papers = await services.papers.for_meeting(meeting.id) if previous is None else {}
    notices, paper_rows = [], []
    for invitee in invitees:
        with language(invitee.language):
            copy, note = reader_copy(versions, meeting, invitee.language)
            text = _time_notice(
                copy,
                start,
                previous,
                profiles.get(invitee.participant_id),
                invitee.participant_id in named,
                tz,
                paid,
                note,
            )
            markup = json.dumps(rsvp_markup(meeting.id, sequence, ask).to_dict())
            paper_rows += paper_notices(
                meeting,
                papers,
                invitee,
                profiles.get(invitee.participant_id),
                key=f"inv:{meeting.id}:{sequence}:{invitee.participant_id}:papers",
                not_before=now,
                expires_at=start,
            )
        notices.append(
            Outgoing(
                chat_id=invitee.chat or 0,
                participant_id=invitee.participant_id,
                text=text,
                markup=markup,
                file_name=CALENDAR_FILE,
                file_data=calendar_file(copy, start, sequence, now),
                dedupe_key=f"inv:{meeting.id}:{sequence}:{invitee.participant_id}",
                not_before=now,
                expires_at=start,
            )
        )
    added = await services.meetings.decide(
        meeting, "confirmed", slot_id, now, "meeting_changed" if previous else "invitation", notices, paper_rows
    )
    wake(services)
    return added


async def announce_cancellation(services: Services, meeting: Meeting) -> int | None:
    """Cancel and tell every invitee; once a time was confirmed, with a file that removes the event from
    their calendar. None if the meeting changed meanwhile."""
    now = services.clock.now()
    sequence = meeting.next_sequence
    start = None
    if meeting.status == "confirmed" and meeting.confirmed_slot_id is not None:
        start = (await services.meetings.slots(meeting.id))[meeting.confirmed_slot_id]
    versions = await services.text_versions.of(MEETING_KIND, meeting.id)
    notices = []
    for invitee in await services.meetings.invitees(meeting.id):
        if invitee.chat is None:
            continue
        with language(invitee.language):
            copy, note = reader_copy(versions, meeting, invitee.language)
            text = _(
                "❌ “{title}” has been cancelled. Sorry for any trouble. We will let you know about a new date."
            ).format(title=escape(copy.title))
        ics = calendar_file(copy, start, sequence, now, cancelled=True) if start is not None else None
        notices.append(
            Outgoing(
                chat_id=invitee.chat,
                participant_id=invitee.participant_id,
                text=with_note(text, note),
                not_before=now,
                file_name=CALENDAR_FILE if ics else None,
                file_data=ics,
                dedupe_key=f"cancel:{meeting.id}:{invitee.participant_id}",
            )
        )
    added = await services.meetings.decide(meeting, "cancelled", None, now, "meeting_cancelled", notices)
    wake(services)
    return added


def reminder_prefix(meeting: Meeting, participant_id: int) -> str:
    """One person's reminders for the meeting's latest time."""
    return f"rem:{meeting.id}:{meeting.sequence}:{participant_id}:"


async def queue_reminders(
    services: Services, meeting: Meeting, invitee: Invitee, start: datetime, versions: Versions
) -> None:
    """Two days and two hours before, moved earlier out of quiet hours, never after the start;
    `versions` are the meeting's, looked up once by the caller for everyone it reminds."""
    if invitee.telegram_id is None:
        return
    now = services.clock.now()
    tz = services.settings.timezone
    quiet = (invitee.quiet_hours.start, invitee.quiet_hours.end) if invitee.quiet_hours else None
    papers = await services.papers.for_meeting(meeting.id)
    profile = await services.access.get(invitee.participant_id) if papers else None
    messages = []
    for key, before in REMINDERS.items():
        due = reminder_time(start, before, tz, quiet)
        if due <= now:
            continue
        with language(invitee.language):
            copy, note = reader_copy(versions, meeting, invitee.language)
            text = with_note(
                _("⏰ Reminder: “{title}” is on {date}. Where: {place}").format(
                    title=escape(copy.title), date=format_datetime(start, tz), place=where(meeting)
                ),
                note,
            )
            early = early_start(due, REMINDER_LEAD, tz, invitee.quiet_hours)
            messages.append(
                Outgoing(
                    chat_id=invitee.telegram_id,
                    participant_id=invitee.participant_id,
                    text=text,
                    dedupe_key=reminder_prefix(meeting, invitee.participant_id) + key,
                    not_before=due,
                    send_from=early,
                    expires_at=start,
                )
            )
            if key == PAPERS_WITH:
                messages += paper_notices(
                    meeting,
                    papers,
                    invitee,
                    profile,
                    not_before=due,
                    send_from=early,
                    expires_at=start,
                    key=reminder_prefix(meeting, invitee.participant_id) + key + ":papers",
                )
    if messages:
        await services.outbox.create_batch("reminder", str(meeting.id), meeting.created_by, now, messages)
        wake(services)
