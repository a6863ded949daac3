"""What a question thread is about: the item's title, its group, who answers, and who may ask.

The rule for who answers is `domain.questions.organisers`; this looks up its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass

from approvals.work import officer_ids
from bot.services import Services
from decide.work import staff_leads
from domain.questions import Kind, organisers
from domain.roles import OFFICERS, Role
from storage.questions import Thread


@dataclass(frozen=True)
class Item:
    kind: Kind
    id: int
    title: str  # as its organiser wrote it: escape before showing
    project_id: int | None  # the group whose leads answer; None when staff answer
    organisers: frozenset[int]


async def item(services: Services, kind: Kind, item_id: int) -> Item | None:
    if kind is Kind.OPPORTUNITY:
        opportunity = await services.opportunities.by_id(item_id)
        return (
            None
            if opportunity is None
            else Item(kind, item_id, opportunity.title, None, organisers(kind, creator=opportunity.created_by))
        )
    if kind is Kind.MEETING:
        meeting = await services.meetings.by_id(item_id)
        if meeting is None:
            return None
        # A co-lead's meeting is answered with the group's lead rights; staff answer as staff.
        by_colead = meeting.project_id is not None and await services.projects.is_colead(
            meeting.project_id, meeting.created_by
        )
        return Item(
            kind,
            item_id,
            meeting.title,
            meeting.project_id if by_colead else None,
            organisers(kind, creator=meeting.created_by),
        )
    if kind is Kind.GROUP:
        project = await services.projects.by_id(item_id)
        return (
            None
            if project is None
            else Item(
                kind,
                item_id,
                project.name,
                project.id,
                organisers(kind, leads=staff_leads(project), coleads=await services.projects.coleads(project.id)),
            )
        )
    feedback = await services.feedback.by_id(item_id)
    return (
        None
        if feedback is None
        else Item(kind, item_id, feedback.reference, None, organisers(kind, officers=await officer_ids(services)))
    )


async def of_thread(services: Services, thread: Thread) -> Item | None:
    return await item(services, thread.kind, thread.item_id)


async def may_ask(services: Services, about: Item, participant_id: int) -> bool:
    """Only someone the item was for: sent the opportunity, invited to the meeting, in the group.
    Feedback threads are started by officers, never asked into."""
    if about.kind is Kind.OPPORTUNITY:
        opportunity = await services.opportunities.by_id(about.id)
        return opportunity is not None and await services.opportunities.was_sent_to(opportunity, participant_id)
    if about.kind is Kind.MEETING:
        return await services.meetings.invitee(about.id, participant_id) is not None
    if about.kind is Kind.GROUP:
        return await services.projects.is_member(about.id, participant_id)
    return False


def answers(about: Item, participant_id: int | None, role: Role) -> bool:
    """Whether this person answers questions about the item: one of its organisers, an officer
    for feedback, or an admin."""
    if role is Role.ADMIN:
        return True
    if about.kind is Kind.FEEDBACK:
        return role in OFFICERS
    return participant_id in about.organisers
