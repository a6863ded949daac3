"""A group's lead or co-lead posts an update to every member: one typed message, sent paced
and outside quiet hours, like every other bulk message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, ngettext
from decide import work
from decide.buttons import LeadActionButton
from handlers.kit.choose import stoppable
from handlers.kit.common import acknowledge, audit, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.write_in import write_last

TEXT = "text"
DRAFT = "group_update"
TEXT_MAX = 1500


@dataclass
class UpdateDraft:
    """The group the update goes to. The field names are the keys the draft had as a dict, so an
    update begun before drafts were typed is still sent after the upgrade."""

    group: int
    key: str  # makes sending it twice (after a lost reply) send it once


UPDATE = DraftSlot(DRAFT, UpdateDraft)


async def start(update: Update, context: BotContext) -> Any:
    """From "Post an update" on the group's card; the gate has checked the lead right."""
    await acknowledge(update)
    button = context.button
    assert isinstance(button, LeadActionButton)
    UPDATE.begin(context, UpdateDraft(button.group, uuid4().hex))
    return await ask_text(update, context)


async def _post(update: Update, context: BotContext, text: str) -> Any:
    draft = UPDATE.pop(context)
    await ending(update, context)
    services = context.services
    project = await services.projects.by_id(draft.group)
    assert context.participant is not None
    people = await services.decisions.people([context.participant.id])
    if project is None or not people:
        return ConversationHandler.END
    sent = await work.post_update(services, project, people[0], text, draft.key)
    await audit(context, update, "group.update", "ok", subject=str(project.id))
    await say(update, context, ngettext("Sent to {count} member.", "Sent to {count} members.", sent).format(count=sent))
    return ConversationHandler.END


ask_text, on_text = write_last(
    TEXT,
    stoppable(N_("What would you like to tell the group? Every member will get it.")),
    TEXT_MAX,
    _post,
)


def conversation() -> Flow:
    return Flow(
        name="group_update",
        noun=N_("your update to the group"),
        states=restarting({TEXT: step(ask_text, MessageHandler(typed_text(), on_text))}, None),
        entry_points=[CallbackQueryHandler(start, pattern=LeadActionButton.pattern_where(action="update"))],
        cancel=stopped(),
        prefixes=(),
        drafts=(DRAFT,),
    )
