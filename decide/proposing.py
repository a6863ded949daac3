"""Putting something to a group: where a person may do it, and what members would see. The
/propose and /vote conversation asks these at its first and last steps; sending it is
`decide.work.open_decision`, which checks nothing again, so the conversation asks again first."""

from __future__ import annotations

from bot.callbacks import GroupRight
from bot.services import Services
from decide import work
from decide.views import CardData
from domain.decisions import tally
from domain.roles import Role
from storage.decisions import Option


async def groups_for(services: Services, participant_id: int, role: Role, *, leading: bool) -> list[tuple[int, str]]:
    """Groups (id, name) where this person may put a proposal, or, `leading`, start a vote: a
    vote is for leads, a proposal for members unless the group's charter says leads only."""
    allowed = []
    for project in await work.groups_of(services, participant_id):
        rights = await work.rights(services, project, participant_id, role)
        rules = await work.rules_of(services, project.id)
        may = (
            GroupRight.LEAD in rights
            if leading or rules.who_proposes == "leads"
            else GroupRight.MEMBER in rights or GroupRight.LEAD in rights
        )
        if may:
            allowed.append((project.id, project.name))
    return allowed


async def preview(services: Services, draft: work.Draft) -> CardData:
    """The card members would get for this draft, with nobody's answers yet."""
    project = await services.projects.by_id(draft.group_id)
    assert project is not None
    members = await services.decisions.electorate_size(project.id)
    options = [Option(i, i, label, None) for i, (label, _cand) in enumerate(draft.options, 1)]
    return CardData(work.preview_decision(draft), project.name, options, tally([], members))
