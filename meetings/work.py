"""The work of meetings, callable from handlers, jobs and tests alike: sending the time poll and
chasing it, the answers to it, closing it, confirming or moving the time, replies and reminders,
attendance and cancelling, and who organises a meeting."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from bot.i18n import _, format_datetime, language
from bot.services import Services
from bot.text import escape
from bot.versions import reader_copy, with_note
from domain.delivery import next_send_time
from domain.meetings import Answer, prefill
from domain.roles import ORGANISERS, Role
from meetings.access import suits_for
from meetings.buttons import RSVP_CODES, AskAbout
from meetings.notices import MEETING_KIND, announce_cancellation, announce_time, queue_reminders, reminder_prefix, wake
from meetings.views import poll_view
from storage.meetings import Invitee, Meeting
from storage.outbox import Outgoing
from storage.participants import Participant

CLOSE_JOB, REMIND_JOB = "poll.close", "poll.remind"
POLL_REMINDER_BEFORE = timedelta(hours=24)
REASON_MAX = 120


class Refusal(Enum):
    """Why a press on an invitee's button does nothing; each handler says it in its own words."""

    NOT_INVITED = "not_invited"  # no such meeting, or not for this person
    POLL_CLOSED = "poll_closed"
    CANCELLED = "cancelled"  # or no time set
    OLD_NOTICE = "old_notice"  # the time changed since the notice pressed on
    STARTED = "started"
    UNCHANGED = "unchanged"  # that time is already the confirmed one, or not on offer
    CHANGED = "changed"  # someone else changed the meeting meanwhile


async def organises(services: Services, meeting_id: int, participant_id: int | None, role: Role) -> bool:
    """The meeting's own organiser, while still staff or a co-lead of its group, or an admin: a
    role taken away takes the meeting's buttons with it."""
    if role is Role.ADMIN:
        return True
    meeting = await services.meetings.by_id(meeting_id)
    if meeting is None or participant_id is None or meeting.created_by != participant_id:
        return False
    return role in ORGANISERS or (
        meeting.project_id is not None and await services.projects.is_colead(meeting.project_id, participant_id)
    )


# --- the time poll ---------------------------------------------------------------------


async def poll_for(
    services: Services, meeting: Meeting, participant_id: int, reader: str, ask: AskAbout
) -> tuple[str, Any]:
    """`participant_id`'s poll as `reader` reads it: their own, or one staff answer for them."""
    versions = await services.text_versions.of(MEETING_KIND, meeting.id)
    return await poll_view(services, meeting, participant_id, versions, reader, ask)


async def send_poll(services: Services, meeting_id: int, ask: AskAbout) -> int:
    """Pre-fill from the times people said suit them, then queue one poll per invitee. Queueing is
    idempotent per invitee, so sending again never sends a second poll; returns how many were queued."""
    meeting = await services.meetings.by_id(meeting_id)
    assert meeting is not None
    now = services.clock.now()
    tz = services.settings.timezone
    slots = await services.meetings.slots(meeting_id)
    invitees = [i for i in await services.meetings.invitees(meeting_id) if i.chat is not None]
    suits = await suits_for(services, [i.participant_id for i in invitees])
    await services.meetings.prefill(
        [
            (slot_id, i.participant_id, answer)
            for i in invitees
            for slot_id, start in slots.items()
            if (answer := prefill(start, tz, suits.get(i.participant_id, set()))) is not None
        ],
        now,
    )
    versions = await services.text_versions.of(MEETING_KIND, meeting_id)
    messages = []
    for invitee in invitees:
        with language(invitee.language):
            text, markup = await poll_view(services, meeting, invitee.participant_id, versions, invitee.language, ask)
        messages.append(
            Outgoing(
                chat_id=invitee.chat or 0,
                participant_id=invitee.participant_id,
                text=text,
                markup=json.dumps(markup.to_dict()),
                dedupe_key=f"poll:{meeting_id}:{invitee.participant_id}",
                not_before=now,
                expires_at=meeting.poll_closes_at,
            )
        )
    _batch, added = await services.outbox.create_batch(
        "meeting_poll", str(meeting_id), meeting.created_by, now, messages
    )
    await services.jobs.schedule(CLOSE_JOB, str(meeting_id), meeting.poll_closes_at)
    remind_at = max(now + (meeting.poll_closes_at - now) / 2, meeting.poll_closes_at - POLL_REMINDER_BEFORE)
    await services.jobs.schedule(REMIND_JOB, str(meeting_id), remind_at)
    wake(services)
    return added


async def open_poll(services: Services, meeting_id: int | None, participant_id: int | None) -> Meeting | Refusal:
    """The meeting, if this person is invited and its poll is still open."""
    meeting = await services.meetings.by_id(meeting_id) if meeting_id else None
    if meeting is None or participant_id is None or await services.meetings.invitee(meeting.id, participant_id) is None:
        return Refusal.NOT_INVITED
    if meeting.status != "polling" or meeting.poll_closes_at <= services.clock.now():
        return Refusal.POLL_CLOSED
    return meeting


async def vote(services: Services, meeting: Meeting, slot_id: int, participant_id: int, answer: Answer) -> bool:
    """One answer for one time, always the person's own; False if it was already their answer."""
    previous = (await services.meetings.my_votes(meeting.id, participant_id)).get(slot_id)
    if previous is not None and previous[0] is answer:
        return False
    await services.meetings.set_vote(slot_id, participant_id, answer, None, services.clock.now())
    return True


async def give_reason(services: Services, slot_id: int, participant_id: int, reason: str) -> None:
    """Why "If need be": kept short, as the organiser reads every one beside the ranking."""
    await services.meetings.set_vote(
        slot_id, participant_id, Answer.IF_NEED_BE, reason[:REASON_MAX], services.clock.now()
    )


async def send_answers(services: Services, meeting: Meeting, participant_id: int) -> int:
    """Mark the poll answered once every time has an answer; else how many times still have none."""
    slots = await services.meetings.slots(meeting.id)
    theirs = await services.meetings.my_votes(meeting.id, participant_id)
    missing = len([s for s in slots if s not in theirs])
    if not missing:
        await services.meetings.mark_answered(meeting.id, participant_id, services.clock.now())
    return missing


async def close_poll(services: Services, meeting_id: int) -> tuple[Meeting, Participant] | None:
    """Close once (a second call does nothing); the meeting and its organiser, to tell them, if
    it closed now and they can be told."""
    if not await services.meetings.set_status(meeting_id, "closed", only_from=("polling",)):
        return None
    await services.jobs.cancel(REMIND_JOB, str(meeting_id))
    meeting = await services.meetings.by_id(meeting_id)
    owner = await services.participants.by_id(meeting.created_by) if meeting else None
    if meeting is None or owner is None or owner.telegram_id is None:
        return None
    return meeting, owner


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
            text = with_note(
                _("⏰ Please answer the poll for “{title}” by {date}. Scroll up to find it, or send /meetings.").format(
                    title=escape(words.title), date=format_datetime(meeting.poll_closes_at, tz)
                ),
                note,
            )
        messages.append(
            Outgoing(
                chat_id=invitee.telegram_id,
                participant_id=invitee.participant_id,
                text=text,
                dedupe_key=f"pollrem:{meeting_id}:{invitee.participant_id}",
                not_before=next_send_time(now, tz, invitee.quiet_hours),
                expires_at=meeting.poll_closes_at,
            )
        )
    await services.outbox.create_batch("poll_reminder", str(meeting_id), meeting.created_by, now, messages)
    wake(services)


# --- the time, and the replies ---------------------------------------------------------


@dataclass(frozen=True)
class Confirmed:
    """A time confirmed (`moved_from` None) or moved: how many invitees are being told."""

    start: datetime
    moved_from: datetime | None
    told: int


async def confirm_slot(services: Services, meeting: Meeting, slot_id: int, ask: AskAbout) -> Confirmed | Refusal:
    """Confirm a time, or move a confirmed meeting to another: every invitee is told, every time."""
    slots = await services.meetings.slots(meeting.id)
    if slot_id not in slots or slot_id == meeting.confirmed_slot_id:
        return Refusal.UNCHANGED
    if meeting.status == "cancelled":
        return Refusal.CANCELLED
    count = await announce_time(services, meeting, slot_id, ask)
    if count is None:
        return Refusal.CHANGED
    await services.jobs.cancel(CLOSE_JOB, str(meeting.id))
    await services.jobs.cancel(REMIND_JOB, str(meeting.id))
    moved = meeting.status == "confirmed" and meeting.confirmed_slot_id in slots
    return Confirmed(slots[slot_id], slots[meeting.confirmed_slot_id or 0] if moved else None, count)


async def cancel_meeting(services: Services, meeting: Meeting) -> bool:
    """Cancel and tell everyone invited; False if it was cancelled already or changed meanwhile."""
    if meeting.status == "cancelled" or await announce_cancellation(services, meeting) is None:
        return False
    for kind in (CLOSE_JOB, REMIND_JOB):
        await services.jobs.cancel(kind, str(meeting.id))
    return True


async def rsvp(
    services: Services, meeting_id: int, participant_id: int | None, sequence: int, code: str
) -> str | Refusal:
    """An invitee's own reply to the notice of the meeting's `sequence`-th time: the reply recorded."""
    meeting = await services.meetings.by_id(meeting_id)
    invitee = await services.meetings.invitee(meeting.id, participant_id) if meeting and participant_id else None
    if meeting is None or invitee is None or code not in RSVP_CODES:
        return Refusal.NOT_INVITED
    if meeting.status != "confirmed" or meeting.confirmed_slot_id is None:
        return Refusal.CANCELLED
    if sequence != meeting.sequence:
        return Refusal.OLD_NOTICE
    start = (await services.meetings.slots(meeting.id))[meeting.confirmed_slot_id]
    if start <= services.clock.now():
        return Refusal.STARTED
    await record_rsvp(services, meeting, invitee, start, RSVP_CODES[code])
    return RSVP_CODES[code]


async def record_rsvp(services: Services, meeting: Meeting, invitee: Invitee, start: datetime, reply: str) -> None:
    """Their reply, and reminders to match: a resident's own, or one staff took down for them."""
    await services.meetings.set_rsvp(meeting.id, invitee.participant_id, reply, services.clock.now())
    prefix = reminder_prefix(meeting, invitee.participant_id)
    await services.outbox.cancel_keys(prefix)
    await services.outbox.forget_keys(prefix)
    if reply != "cant":
        await queue_reminders(
            services, meeting, invitee, start, await services.text_versions.of(MEETING_KIND, meeting.id)
        )


async def flip_attendance(services: Services, meeting: Meeting, person: int) -> bool | None:
    """Whether `person` came, flipped: True if they are now marked as come; None if not invited."""
    current = await services.meetings.invitee(meeting.id, person)
    if current is None:
        return None
    await services.meetings.set_attended(meeting.id, person, not current.attended)
    return not current.attended
