"""The work of a group's membership and leads, callable from handlers and tests alike: creating
a group from its draft, joining it by its link, leaving it, and naming its other lead.

A group being created is a draft dict (kept in the conversation store across restarts): "name",
"description", the start-up answers (see `projects.startup`) and "level"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.services import Services
from domain.deeplinks import new_code
from domain.participation import Level
from domain.roles import Role
from projects.startup import startup_answers
from storage.charters import Charter
from storage.participants import Participant
from storage.projects import Project

CANDIDATES_SHOWN = 20  # staff offered as the other lead: a message holds only so many buttons


async def create_group(
    services: Services, draft: Mapping[str, Any], creator_id: int, creator_role: Role, reason: str | None
) -> Project:
    """The creator leads it as an officer or a coordinator (admins lead as coordinators); `reason`
    says why it sits above the level its start-up answers suggest."""
    return await services.projects.create(
        name=draft["name"],
        description=draft["description"],
        level=Level(draft["level"]),
        lead_coordinator_id=creator_id if creator_role is not Role.OFFICER else None,
        lead_officer_id=creator_id if creator_role is Role.OFFICER else None,
        join_code=new_code(),
        now=services.clock.now(),
        startup_answers=startup_answers(draft).encode(),
        level_reason=reason,
    )


def other_lead_role(project: Project) -> Role:
    """A group has a lead coordinator and a lead officer: the role its creator did not fill."""
    return Role.OFFICER if project.lead_officer_id is None else Role.COORDINATOR


async def other_lead_candidates(services: Services, project: Project) -> list[tuple[str, int]]:
    """(name, participant id) of the registered staff who hold the role the group still lacks."""
    candidates = []
    for member in await services.roles.staff():
        person = await services.participants.by_telegram_id(member.telegram_id)
        if member.role is other_lead_role(project) and person is not None and person.registered:
            candidates.append((person.display_name or "—", person.id))
    return candidates[:CANDIDATES_SHOWN]


async def set_other_lead(services: Services, project: Project, person_id: int) -> Participant | None:
    """Make the person the group's other lead, if they hold that role; None (and nothing changed) if not."""
    person = await services.participants.by_id(person_id)
    role = (await services.roles.stored_role(person.telegram_id)) if person and person.telegram_id else None
    if person is None or role != other_lead_role(project).value:
        return None
    await services.projects.set_lead(project.id, other_lead_role(project), person.id)
    return person


class Joined(Enum):
    UNKNOWN = "unknown"  # no group has that code
    CLOSED = "closed"  # the group has closed and takes no new members
    NEW = "new"
    ALREADY = "already"


@dataclass(frozen=True)
class Joining:
    """What following a group's join link did, and the charter the member has still to agree, if any."""

    outcome: Joined
    project: Project | None = None
    charter: Charter | None = None


async def join_by_code(services: Services, code: str, participant_id: int) -> Joining:
    project = await services.projects.by_join_code(code)
    if project is None:
        return Joining(Joined.UNKNOWN)
    if project.closed_at is not None:
        return Joining(Joined.CLOSED, project)
    joined = await services.projects.join(project.id, participant_id, services.clock.now())
    charter = await services.charters.agreed(project.id)
    if charter is not None and await services.charters.has_agreed(charter.id, participant_id):
        charter = None
    return Joining(Joined.NEW if joined else Joined.ALREADY, project, charter)


async def leave(services: Services, project_id: int, participant_id: int) -> Project | None:
    """The group they left, or None if they were not in it."""
    project = await services.projects.by_id(project_id)
    if project is None or not await services.projects.leave(project.id, participant_id):
        return None
    return project
