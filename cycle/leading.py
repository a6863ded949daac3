"""What a lead's typed cycle steps look up as they go: whether the person still leads the cycle's
group (asked again at every save, since a lead can be replaced mid-draft), and who can own an
action."""

from __future__ import annotations

from bot.callbacks import GroupRight
from bot.services import Services
from cycle import work
from decide import work as decide
from domain.roles import Role
from storage.cycles import Cycle


async def led_cycle(services: Services, cycle_id: int, participant_id: int, role: Role) -> Cycle | None:
    """The cycle, if it is still under way and this person leads its group."""
    cycle = await services.cycles.by_id(cycle_id)
    project = await services.projects.by_id(cycle.project_id) if cycle else None
    if cycle is None or project is None:
        return None
    rights = await decide.rights(services, project, participant_id, role)
    return cycle if GroupRight.LEAD in rights and not cycle.finished else None


async def possible_owners(services: Services, cycle: Cycle) -> list[tuple[int, str]]:
    """Everyone taking part and the group's leads, each once, by name."""
    project = await services.projects.by_id(cycle.project_id)
    assert project is not None
    people = await work.participants(services, cycle)
    leaders = await services.decisions.people(await decide.leader_ids(services, project))
    found = {p.participant_id: p.name for p in [*leaders, *people]}
    return sorted(found.items(), key=lambda item: item[1])
