"""Closing a group: the change, and the outcomes sent to every member with two questions."""

from __future__ import annotations

from bot.i18n import _, language
from bot.keyboards import keyboard
from bot.services import Services
from bot.text import escape
from decide.closing_buttons import FeltButton
from decide.work import member_copy, wake_sender
from domain.closing import FEELINGS
from storage.projects import Project


def outcome_lines(outcomes: str, what_changed: str) -> list[str]:
    """The group's outcomes as members, the preview and the record show them."""
    return [
        _("<b>Outcomes:</b> {text}").format(text=escape(outcomes)),
        _("<b>What changed:</b> {text}").format(text=escape(what_changed)),
    ]


async def open_decisions(services: Services, project: Project) -> int:
    """A group closes only once its decisions are made, so none is left hanging."""
    return len(await services.decisions.of_project(project.id, open_only=True))


async def close_group(
    services: Services, project: Project, by: int, outcomes: str, what_changed: str, key: str
) -> int | None:
    """Close the group and queue its outcomes to every other member; None if it was already closed."""
    now = services.clock.now()
    if not await services.closings.close(project.id, by, outcomes, what_changed, now):
        return None
    messages = []
    for member in await services.decisions.members(project.id):
        if member.telegram_id is None or member.participant_id == by:
            continue
        with language(member.language):
            text = "\n".join(
                [
                    _("🏁 <b>{group}</b> has closed. Thank you for taking part.").format(group=escape(project.name)),
                    "",
                    *outcome_lines(outcomes, what_changed),
                    "",
                    _("How did it feel to take part? After that we will ask what you learned."),
                ]
            )
            markup = keyboard([[(_(label), FeltButton(project.id, value).pack())] for value, label in FEELINGS.items()])
        messages.append(
            member_copy(services, member, text, markup, f"gclose:{key}:{member.participant_id}", now, quotes=(by,))
        )
    _batch, added = await services.outbox.create_batch("group_close", str(project.id), by, now, messages)
    wake_sender(services)
    return added


async def feel(services: Services, group_id: int, participant_id: int, felt: int) -> bool:
    """A member says how taking part felt, once the group has closed (0 is Skip: nothing saved);
    False when the group is not closed or the feeling is not one of ours."""
    project = await services.projects.by_id(group_id)
    if project is None or project.closed_at is None or felt not in (0, *FEELINGS):
        return False
    if felt:
        await services.closings.felt(project.id, participant_id, felt, services.clock.now())
    return True


async def learn(services: Services, group_id: int, participant_id: int, text: str | None, voice: str | None) -> None:
    """What a member learned, typed or spoken; the record shows it without their name."""
    await services.closings.learned(group_id, participant_id, text, voice, services.clock.now())
