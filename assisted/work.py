"""The work of adding someone who takes part through staff, callable from handlers and tests
alike, and the ways of taking part and of agreeing that their record may hold."""

from __future__ import annotations

from collections.abc import Iterable

from bot.i18n import N_
from bot.services import Services
from domain.access import AccessProfile
from storage.assisted import NewPerson

# The keys kept in their record, with the words staff choose from.
WAYS = {"phone": N_("By phone"), "paper": N_("On paper, by post"), "partner": N_("Through a partner organisation")}
CONSENTS = {
    "phone": N_("They said yes on the phone"),
    "form": N_("They signed a form"),
    "partner": N_("The partner organisation asked them"),
}


async def add_person(
    services: Services, person: NewPerson, needs: Iterable[str], group: int | None, added_by: int, notice_version: str
) -> int:
    """Their record with the notice they agreed to, their access needs, and the group staff chose
    (one the staff member leads, checked by the caller). Their participant id."""
    now = services.clock.now()
    participant_id = await services.assisted.add(person, added_by, notice_version, now)
    if needs := frozenset(needs):
        await services.access.save(participant_id, AccessProfile(needs=needs), now)
    if group:
        await services.projects.join(group, participant_id, now)
    return participant_id
