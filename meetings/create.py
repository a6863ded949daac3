"""Setting up a meeting: whom an organiser may invite, and the meeting and its poll created from
their draft, callable from the /meeting flow and tests alike."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from bot.services import Services
from domain.roles import ORGANISERS, Role
from meetings.buttons import AskAbout
from meetings.draft import MeetingDraft
from meetings.notices import MEETING_KIND
from meetings.work import send_poll
from storage.opportunities import Opportunity
from storage.projects import Project
from storage.times import from_db

OPPORTUNITIES_OFFERED = 5  # the organiser's latest; older ones rarely still have people waiting


@dataclass(frozen=True)
class Invitable:
    """Where an organiser may invite people from: groups they lead or co-lead, opportunities they sent."""

    groups: list[Project]
    opportunities: list[Opportunity]


async def invitable(services: Services, participant_id: int, role: Role) -> Invitable:
    groups = await services.projects.led_by(participant_id) if role in ORGANISERS else []
    for project_id in await services.projects.coled_by(participant_id):
        if (project := await services.projects.by_id(project_id)) is not None and project not in groups:
            groups.append(project)
    return Invitable(groups, await services.opportunities.created_by(participant_id, limit=OPPORTUNITIES_OFFERED))


@dataclass(frozen=True)
class Invitees:
    people: list[int]
    project_id: int | None = None  # the group the meeting is for, when invited from one


async def invitees_from(
    services: Services, participant_id: int, role: Role, group: int | None = None, opportunity: int | None = None
) -> Invitees | None:
    """The members of a group they lead (or co-lead, or any as an admin), or the people interested in
    an opportunity they sent; None if it is not theirs to invite from."""
    if group is not None:
        project = await services.projects.by_id(group)
        if project is None or not (
            role is Role.ADMIN
            or participant_id in (project.lead_coordinator_id, project.lead_officer_id)
            or await services.projects.is_colead(project.id, participant_id)
        ):
            return None
        return Invitees(await services.projects.member_ids(project.id), project.id)
    found = await services.opportunities.by_id(opportunity) if opportunity is not None else None
    if found is None or found.created_by != participant_id:
        return None
    return Invitees([pid for pid, _name in await services.opportunities.interested(found.id)])


async def create_meeting(
    services: Services, draft: MeetingDraft, created_by: int, reader: str, ask: AskAbout
) -> tuple[int, bool, int]:
    """(meeting, created now?, polls queued). The same draft sent again (after a crash, say)
    finishes what the first one started and never sends a second poll."""
    now = services.clock.now()
    meeting_id, created = await services.meetings.create(
        asdict(draft),
        [from_db(s) for s in draft.slots],
        draft.invitees,
        created_by,
        now,
        required=[int(person) for person in draft.required],
    )
    await services.text_versions.save(MEETING_KIND, meeting_id, reader, draft.versions, now)
    return meeting_id, created, await send_poll(services, meeting_id, ask)
