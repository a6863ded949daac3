"""The gate for declared buttons: before any conversation sees a press, the button's own
declaration (`bot.callbacks`) says who may press it, and this checks it on the server.

A staff role is checked against the presser's role; a right in a group (member, lead) is
checked against the group the button is about, and the organiser right against the meeting.
Every button that needs a role or a right is declared, so this is the only gate: there is no
list of staff buttons kept by hand. A forged or replayed press is refused and
audited and goes no further; an allowed one reaches its handler already parsed, as
`context.button`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import GroupRight, kind_of
from bot.context import BotContext
from bot.i18n import _
from decide import work
from handlers.kit.common import acknowledge, refuse
from meetings import work as meetings_work


async def gate_declared_buttons(update: Update, context: BotContext) -> None:
    data = update.callback_query.data if update.callback_query else None
    kind = kind_of(data)
    if kind is None:
        return
    value = kind.unpack(data)
    if value is None:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        raise ApplicationHandlerStop
    needs = kind.needs
    action = "button." + kind.prefix
    if needs.roles is not None and context.role not in needs.roles:
        await refuse(update, context, action, subject=data)
        raise ApplicationHandlerStop
    if needs.group is GroupRight.ORGANISER and needs.via is not None:
        if not await organises(context, getattr(value, needs.via)):
            await refuse(update, context, action, subject=data)
            raise ApplicationHandlerStop
    elif needs.group is not None and needs.via is not None:
        project_id = await _group_of(context, needs.via, getattr(value, needs.via))
        project = await context.services.projects.by_id(project_id) if project_id else None
        participant_id = context.participant.id if context.participant else None
        found = await work.rights(context.services, project, participant_id, context.role) if project else set()
        context.group_rights = found
        if needs.group not in found:
            if needs.group is GroupRight.MEMBER and GroupRight.JOINED in found:
                await acknowledge(
                    update, _("Please read and agree to the group's charter first. Send /groups to see it."), alert=True
                )
            else:
                await refuse(update, context, action, subject=data)
            raise ApplicationHandlerStop
    context.button = value


async def _group_of(context: BotContext, via: str, ref: int) -> int | None:
    if via == "group":
        return ref
    if via == "thread":
        return await context.services.questions.group_of(ref)
    decision = await context.services.decisions.by_id(ref)
    return decision.project_id if decision else None


async def organises(context: BotContext, meeting_id: int) -> bool:
    """The presser organises the meeting (`meetings.work.organises`). Buttons whose data names a
    task rather than the meeting (the support list's) are checked with it by their handler."""
    participant_id = context.participant.id if context.participant else None
    return await meetings_work.organises(context.services, meeting_id, participant_id, context.role)
