"""What a member's press on a decision's card reads or changes besides the answer itself
(`decide.work.answer` and `send_ballot`): who is answering, their ballot so far, hiding their
name from the leads, and the voice notes behind a proposal or a reason."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from bot.callbacks import GroupRight
from bot.services import Services
from decide import work
from domain.roles import Role
from storage.decisions import Decision, Member


@dataclass(frozen=True)
class Answering:
    """A decision, the person answering it as a member, and whether they lead its group."""

    decision: Decision
    member: Member
    leads: bool


async def answering(
    services: Services, decision_id: int, participant_id: int, role: Role, known_rights: Collection[GroupRight] = ()
) -> Answering | None:
    """None when the decision or the person is gone. `known_rights` are the rights the button gate
    already worked out for this press; without them (after a typed reason) they are looked up."""
    decision = await services.decisions.by_id(decision_id)
    people = await services.decisions.people([participant_id])
    if decision is None or not people:
        return None
    rights = set(known_rights)
    if not rights:
        project = await services.projects.by_id(decision.project_id)
        assert project is not None
        rights = await work.rights(services, project, participant_id, role)
    return Answering(decision, people[0], GroupRight.LEAD in rights)


async def sent_ballot(services: Services, decision_id: int, participant_id: int) -> dict[int, int]:
    """The dots or ranking this member last sent, or nothing."""
    return (await services.decisions.ballots(decision_id)).get(participant_id, {})


async def option_ids(services: Services, decision_id: int) -> set[int]:
    return {option.id for option in await services.decisions.options(decision_id)}


async def hide_name(services: Services, decision: Decision, participant_id: int, hide: bool) -> bool:
    """Hide (or show) the member's name on their answer, where the charter allows it; False when
    it does not, or they have not answered yet."""
    rules = await work.rules_of(services, decision.project_id)
    return rules.anonymous_allowed and await services.decisions.set_anonymous(decision.id, participant_id, hide)


async def proposal_voice(services: Services, decision_id: int) -> str | None:
    decision = await services.decisions.by_id(decision_id)
    return decision.body_voice if decision else None


async def reason_voice(services: Services, decision_id: int, member_id: int) -> str | None:
    """A member's spoken reason, unless they hid their name (a voice would give it away)."""
    given = await services.decisions.my_answer(decision_id, member_id)
    return given.reason_voice if given and not given.anonymous else None
