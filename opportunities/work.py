"""The work of opportunities, callable from handlers, jobs and tests alike: broadcasting one
through the outbox at Telegram's pace, who may act on it, a resident's answer, and inviting
everyone interested to a group."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from telegram import InlineKeyboardMarkup

from bot.i18n import _, language
from bot.keyboards import keyboard
from bot.services import Services
from bot.versions import for_reader
from decide.work import wake_sender
from domain.delivery import next_send_time
from domain.roles import Role
from opportunities.draft import OpportunityDraft
from opportunities.views import card, invitation_text
from storage.opportunities import Opportunity
from storage.outbox import Outgoing
from storage.projects import Project
from storage.times import from_db

KIND = "opportunity"  # the outbox batch kind, and the kind its versions in other languages are saved under
PROMPT_JOB = "opportunity.outcome"  # when replies close, the organiser is asked what happened next


def owns(opportunity: Opportunity | None, participant_id: int | None, role: Role | None) -> bool:
    """Its organiser, or an admin, may stop it, see who is interested and close it."""
    return opportunity is not None and (role is Role.ADMIN or opportunity.created_by == participant_id)


@dataclass(frozen=True)
class Sent:
    opportunity_id: int
    batch_id: int | None  # None: this draft was broadcast before, and is not sent again
    count: int


async def send(
    services: Services,
    draft: OpportunityDraft,
    by: int,
    own_language: str,
    buttons: Callable[[int], InlineKeyboardMarkup],
) -> Sent:
    """Queue one row per recipient (rendered once per language, with `buttons` for the card),
    and book the organiser's prompt for when replies close. The same draft sent again (after a
    restart) is never a second broadcast; a crash before the batch was queued leaves no batch,
    and then sending again finishes the job."""
    if draft.closes_at is None:
        raise ValueError("An opportunity is sent only once it says when replies close")
    target, fields = draft.target, draft.fields()
    now = services.clock.now()
    tz = services.settings.timezone
    opportunity_id, created = await services.opportunities.create(fields, target, by, now, key=draft.key or None)
    existing = None if created else await services.opportunities.by_id(opportunity_id)
    if existing is not None and existing.batch_id is not None:
        return Sent(opportunity_id, None, 0)
    await services.text_versions.save(KIND, opportunity_id, own_language, draft.versions, now)
    recipients = await services.opportunities.recipients(target)
    saved = await services.text_versions.of(KIND, opportunity_id)
    rendered: dict[str, tuple[str, str]] = {}
    for code in {recipient.language for recipient in recipients}:
        with language(code):
            markup = buttons(opportunity_id).to_dict()
            text = for_reader(saved, fields, code, lambda shown: card(shown, tz, full=False))
            rendered[code] = (text, json.dumps(markup))
    messages = [
        Outgoing(
            chat_id=r.telegram_id,
            participant_id=r.participant_id,
            text=rendered[r.language][0],
            markup=rendered[r.language][1],
            dedupe_key=f"opp:{opportunity_id}:{r.participant_id}",
            not_before=next_send_time(now, tz, r.quiet_hours),
        )
        for r in recipients
    ]
    batch_id = await services.opportunities.queue(opportunity_id, KIND, by, now, messages)
    await services.jobs.schedule(PROMPT_JOB, str(opportunity_id), from_db(draft.closes_at))
    return Sent(opportunity_id, batch_id, len(messages))


class Unavailable(Enum):
    NOT_SENT = "not_sent"  # gone, or never sent to this person
    CLOSED = "closed"


async def sent_to(services: Services, opportunity_id: int, participant_id: int | None) -> Opportunity | Unavailable:
    """The opportunity a resident's button is about, if it was really sent to them and is open."""
    opportunity = await services.opportunities.by_id(opportunity_id)
    if (
        opportunity is None
        or participant_id is None
        or not await services.opportunities.was_sent_to(opportunity, participant_id)
    ):
        return Unavailable.NOT_SENT
    if opportunity.closes_at <= services.clock.now():
        return Unavailable.CLOSED
    return opportunity


async def answer(services: Services, opportunity: Opportunity, participant_id: int, *, interested: bool) -> None:
    """I'm interested or Not for me; a later answer replaces the earlier one."""
    await services.opportunities.respond(
        opportunity.id, participant_id, "interested" if interested else "not_for_me", services.clock.now()
    )


async def invite_interested(
    services: Services, opportunity: Opportunity, project: Project, by: int | None, link: str
) -> int:
    """Everyone interested gets an invitation with a Join button `link`, in their own language,
    outside their quiet hours, each once; returns how many were queued."""
    now = services.clock.now()
    tz = services.settings.timezone
    interested = [participant_id for participant_id, _name in await services.opportunities.interested(opportunity.id)]
    await services.opportunities.mark_invited(opportunity.id, interested, project.id)
    messages = []
    for participant_id in interested:
        person = await services.participants.by_id(participant_id)
        if person is None or person.telegram_id is None:
            continue
        with language(person.language):
            text = invitation_text(opportunity, project.name)
            markup = json.dumps(keyboard([[(_("Join the group"), "url:" + link)]]).to_dict())
        messages.append(
            Outgoing(
                chat_id=person.telegram_id,
                participant_id=participant_id,
                text=text,
                markup=markup,
                dedupe_key=f"pinv:{project.id}:{participant_id}",
                not_before=next_send_time(now, tz, person.quiet_hours),
            )
        )
    _batch, added = await services.outbox.create_batch("project_invite", str(project.id), by, now, messages)
    wake_sender(services)
    return added
