"""The work of a meeting's support list, callable from handlers and tests alike: who it is for,
and ticking a task done, which tells the people it is for in their own language through the
outbox (paced, quiet hours kept)."""

from __future__ import annotations

from bot.i18n import _, language
from bot.services import Services
from bot.text import escape
from domain.papers import suited
from domain.support import DONE, Attendee, asks
from meetings.notices import wake
from meetings.papers import reader
from storage.meetings import Meeting
from storage.outbox import Outgoing
from storage.support import StoredTask


async def attendees(services: Services, meeting: Meeting) -> list[Attendee]:
    """Everyone invited who has not said they can't come: support takes time to arrange."""
    invitees = [i for i in await services.meetings.invitees(meeting.id) if i.rsvp != "cant"]
    ids = [i.participant_id for i in invitees]
    profiles = await services.access.for_participants(ids)
    named = await services.support.consenting(ids)
    papers = await services.papers.for_meeting(meeting.id)
    return [
        Attendee(
            i.participant_id,
            i.display_name or "—",
            profiles[i.participant_id],
            i.participant_id in named,
            suited(papers, reader(i, profiles[i.participant_id])),
        )
        for i in invitees
        if i.participant_id in profiles
    ]


async def tick(services: Services, meeting: Meeting, task: StoredTask, done_by: int, note: str | None) -> bool:
    """Mark the task done and tell the people it is for; False (and nobody told) if it was done already."""
    if not await services.support.mark_done(task.id, done_by, note, services.clock.now()):
        return False
    await _tell(services, meeting, task, note)
    return True


async def _tell(services: Services, meeting: Meeting, task: StoredTask, note: str | None) -> None:
    """Everyone the task is for who agreed to be named."""
    people = [
        a.participant_id
        for a in await attendees(services, meeting)
        if a.consented and task.need in asks(a.profile) and task.participant_id in (0, a.participant_id)
    ]
    now = services.clock.now()
    messages = []
    for person_id in people:
        person = await services.participants.by_id(person_id)
        if person is None or person.telegram_id is None:
            continue
        with language(person.language):
            lines = ["✅ " + _(DONE[task.need]), _("For: “{title}”").format(title=escape(meeting.title))]
            if note:
                lines.append(_("Note from the organiser: {note}").format(note=escape(note)))
        # The outbox's idempotency key, not button data: one message per task and person, ever.
        messages.append(
            Outgoing(
                chat_id=person.telegram_id,
                participant_id=person_id,
                text="\n".join(lines),
                dedupe_key=f"sup:{task.id}:{person_id}",
                not_before=now,
            )
        )
    if messages:
        await services.outbox.create_batch("support_done", str(meeting.id), meeting.created_by, now, messages)
        wake(services)
