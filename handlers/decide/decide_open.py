"""A group's open decisions, from its card, a page at a time. Each decision is a message of its
own, with its own buttons, so they cannot be one message; a page is as many as one chat may get
at once (see CHAT_BURST), and "Show N more" under the last brings the next."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import with_row
from decide import work
from decide.buttons import GroupActionButton, OpenPageButton
from decide.views import card
from domain.delivery import CHAT_BURST
from handlers.kit.common import acknowledge, say, show_more

PAGE = CHAT_BURST


async def on_open(update: Update, context: BotContext) -> None:
    """The card's Open decisions, and Show more under a page of them; the gate has checked that
    the presser is in the group."""
    pressed = context.button
    assert isinstance(pressed, GroupActionButton | OpenPageButton)
    await acknowledge(update)
    if await context.services.projects.by_id(pressed.group) is None:
        return
    await show_open(update, context, pressed.group, max(0, pressed.start) if isinstance(pressed, OpenPageButton) else 0)


async def show_open(update: Update, context: BotContext, group_id: int, start: int) -> None:
    services = context.services
    assert context.participant is not None
    open_now = await services.decisions.of_project(group_id, open_only=True, limit=PAGE, offset=start)
    if not open_now and start > 0:  # some closed since that page was shown: begin again
        await show_open(update, context, group_id, 0)
        return
    if not open_now:
        await say(update, context, _("Nothing is open for a decision now. You can put a proposal with /propose."))
        return
    left = (await services.decisions.open_counts([group_id])).get(group_id, 0) - start - len(open_now)
    leads = GroupRight.LEAD in context.group_rights
    for number, decision in enumerate(open_now, 1):
        data = await work.card_data(services, decision, context.participant.id, reader_leads=leads)
        text, markup = card(data, services.settings.timezone)
        if number == len(open_now) and left > 0:
            markup = with_row(markup, [show_more(left, PAGE, OpenPageButton(group_id, start + len(open_now)).pack())])
        await say(update, context, text, markup)


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(on_open, pattern=GroupActionButton.pattern_where(action=("open",))),
        CallbackQueryHandler(on_open, pattern=OpenPageButton.pattern()),
    ]
