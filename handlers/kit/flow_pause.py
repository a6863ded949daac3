"""Pausing and resuming declared flows: a command, or another feature's button, sent mid-flow
pauses the flow instead of leaving the person stuck in it.

A paused flow keeps its state and drafts for `PAUSED_FLOW_HOURS`. The interrupting command runs
as usual; right after its answer the person is offered, once, to carry on or start again, with
the `ResumeButton`s. Opening the same flow again makes the same offer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, TypeHandler, filters

from bot.callbacks import ANYONE, CallbackData
from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import keyboard
from handlers.kit.common import Handler, acknowledge, clear_buttons, say
from handlers.kit.common import stale_button as unknown_button
from handlers.kit.flow_steps import END
from storage.times import from_db, to_db

if TYPE_CHECKING:
    from handlers.kit.flow import Flow

CANCEL = filters.Regex(r"^/cancel(@\w+)?$")
INTERRUPTING = filters.COMMAND & ~CANCEL
PAUSED = "paused_flows"  # drafts key: flow name -> {"state": ..., "at": ...}


class Way(StrEnum):
    GO = "go"  # carry on where the person left off
    NEW = "new"  # start again, or stop a flow that has no fresh start


@dataclass(frozen=True)
class ResumeButton(CallbackData, prefix="fl", needs=ANYONE):
    """The offer on a paused flow: fl:go:<flow> carries on, fl:new:<flow> starts again. A person
    only ever resumes their own flow, kept in their own conversation store."""

    way: Way
    flow: str

    def only(self) -> str:
        """The pattern of exactly this press, so each flow takes only its own offer."""
        return "^" + re.escape(self.pack()) + "$"


PREFIX = ResumeButton.prefix


class Interruption(BaseHandler[Update, BotContext, object]):
    """First in every state: a command (not /cancel) pauses the flow. Buttons are judged by
    `interrupter`, which knows whether another feature would take them."""

    def __init__(self, flow: Flow, state: str) -> None:
        super().__init__(self._pause)
        self.flow, self.state = flow, state

    def check_update(self, update: object) -> bool:
        return isinstance(update, Update) and update.message is not None and bool(INTERRUPTING.check_update(update))

    async def _pause(self, update: Update, context: BotContext) -> object:
        context.drafts.setdefault(PAUSED, {})[self.flow.name] = {
            "state": self.state,
            "at": to_db(context.services.clock.now()),
        }
        context.interrupted.append(self.flow.name)
        return END


def interrupter(
    flows: Sequence[Flow], others: Sequence[BaseHandler[Any, Any, Any]]
) -> TypeHandler[Update, BotContext, None]:
    """Runs before the features: pauses the flow an update would otherwise be stuck in. That is
    any command but /cancel, and a button that is not the flow's own but one of `others` takes."""

    def taken_elsewhere(flow: Flow, update: Update) -> bool:
        data = update.callback_query.data if update.callback_query else None
        if data is None or flow.owns(data):
            return False
        checks = (handler.check_update(update) for handler in others if handler is not flow.handler)
        return any(check is not None and check is not False for check in checks)

    async def interrupt(update: Update, context: BotContext) -> None:
        if update.callback_query is None and not INTERRUPTING.check_update(update):
            return  # only a command or a button can pause a flow: most updates need no look at all
        for flow in flows:
            if not _under_way(flow, update):
                continue
            check = flow.handler.check_update(update)
            if check is None or check[0] is None or check[0] not in flow.states:
                continue
            state, key, handler, _check = check
            if not isinstance(handler, Interruption):
                if not taken_elsewhere(flow, update):
                    continue
                check = (state, key, flow.handler.states[state][0], True)
            await flow.handler.handle_update(update, context.application, check, context)

    return TypeHandler(Update, interrupt)


def _under_way(flow: Flow, update: Update) -> bool:
    """Whether the person is in `flow` now. One look in PTB's own store of states (it has no
    public reader), so on every tap the flows nobody is in are skipped instead of searched
    entry point by entry point: those searches were a tenth of the bot's work per update."""
    try:
        key = flow.handler._get_key(update)
    except RuntimeError:  # no chat or no person: no conversation can hold this update
        return False
    return key in flow.handler._conversations


def offer_after_command(flows: Sequence[Flow]) -> TypeHandler[Update, BotContext, None]:
    """Right after the interrupting command's own answer: offer, once, to carry on."""
    by_name = {flow.name: flow for flow in flows}

    async def offer(update: Update, context: BotContext) -> None:
        for name in context.interrupted:
            if name not in context.offered and name in context.drafts.get(PAUSED, {}):
                await offer_to_carry_on(update, context, by_name[name])

    return TypeHandler(Update, offer)


async def offer_to_carry_on(update: Update, context: BotContext, flow: Flow) -> None:
    context.offered.add(flow.name)
    again = _("🔄 Start again") if flow.start else _("✖️ Stop it")
    carry_on = _("▶️ Carry on with {what}").format(what=_(flow.noun))
    await say(
        update,
        context,
        _("You have paused {what}. Carry on where you left off?").format(what=_(flow.noun)),
        keyboard(
            [[(carry_on, ResumeButton(Way.GO, flow.name).pack())], [(again, ResumeButton(Way.NEW, flow.name).pack())]]
        ),
    )


def _expired(context: BotContext, flow: Flow) -> bool:
    """Forget a pause older than the setting (and its answers); True if there was one."""
    record = context.drafts.get(PAUSED, {}).get(flow.name)
    hours = context.services.settings.paused_flow_hours
    if record is None or context.services.clock.now() - from_db(record["at"]) <= timedelta(hours=hours):
        return False
    flow.forget(context)
    return True


def _paused_state(context: BotContext, flow: Flow) -> str | None:
    """The state a flow was paused in, or None (after forgetting one paused too long ago)."""
    if _expired(context, flow):
        return None
    record = context.drafts.get(PAUSED, {}).get(flow.name)
    return record["state"] if record is not None and record["state"] in flow.states else None


def resume_handlers(flow: Flow) -> list[CallbackQueryHandler[Any, Any]]:
    """The flow's entry points for its own offer: carry on, and start again."""
    return [
        CallbackQueryHandler(_carry_on(flow), pattern=ResumeButton(Way.GO, flow.name).only()),
        CallbackQueryHandler(_start_again(flow), pattern=ResumeButton(Way.NEW, flow.name).only()),
    ]


def opening(flow: Flow, callback: Handler, *, reopens: bool) -> Handler:
    """Opening a paused flow again offers to carry on; any other way in replaces the paused one."""

    async def opened(update: Update, context: BotContext) -> Any:
        if reopens and _paused_state(context, flow) is not None:
            await acknowledge(update)
            await offer_to_carry_on(update, context, flow)
            return END
        context.drafts.get(PAUSED, {}).pop(flow.name, None)
        return await callback(update, context)

    return opened


def _carry_on(flow: Flow) -> Handler:
    async def carry_on(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await clear_buttons(update)
        context.flow_name = flow.name
        if _expired(context, flow):
            await say(
                update,
                context,
                _with_way_on(
                    flow,
                    _("You paused that more than {hours} hours ago, so I let it go.").format(
                        hours=context.services.settings.paused_flow_hours
                    ),
                ),
            )
            return END
        state = _paused_state(context, flow)
        if state is None:
            await say(
                update,
                context,
                _with_way_on(flow, _("There is nothing to carry on with: it has finished or was stopped.")),
            )
            return END
        context.drafts[PAUSED].pop(flow.name, None)
        asked = await flow.states[state].ask(update, context)
        return state if asked is None else asked

    return carry_on


def _with_way_on(flow: Flow, text: str) -> str:
    """The text, then how to open the flow afresh if it has a command."""
    if flow.command is None:
        return text
    return text + " " + _("Send /{command} to start again.").format(command=flow.command)


def _start_again(flow: Flow) -> Handler:
    async def start_again(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await clear_buttons(update)
        context.flow_name = flow.name
        flow.forget(context)
        if flow.start is None:
            await say(update, context, _("Stopped. Nothing was changed."))
            return END
        return await flow.start(update, context)

    return start_again


def cancel_paused(flows: Sequence[Flow]) -> CommandHandler[Any, Any]:
    """/cancel with no flow under way forgets the paused ones."""

    async def cancel(update: Update, context: BotContext) -> None:
        paused = [flow for flow in flows if flow.name in context.drafts.get(PAUSED, {})]
        for flow in paused:
            flow.forget(context)
        await say(
            update,
            context,
            _("Stopped. Nothing was changed.")
            if paused
            else _("There is nothing to stop. Send /help to see what you can do."),
        )

    return CommandHandler("cancel", cancel)


def old_buttons(flows: Sequence[Flow]) -> CallbackQueryHandler[Any, Any]:
    """A button no handler took: from a paused or finished flow, say what it was for and the way on."""

    async def old_button(update: Update, context: BotContext) -> None:
        data = update.callback_query.data if update.callback_query else None
        flow = next((f for f in flows if f.owns(data or "")), None)
        if flow is None:
            await unknown_button(update, context)
        elif _paused_state(context, flow) is not None:
            await acknowledge(update, _("That button is from {what}, which you paused.").format(what=_(flow.noun)))
            await offer_to_carry_on(update, context, flow)
        elif flow.lost_end is not None and await flow.lost_end(update, context):
            return  # the reply its finish lost, given now
        elif flow.command:
            await acknowledge(
                update,
                _("That button is from {what}, which has finished. Send /{command} to start again.").format(
                    what=_(flow.noun), command=flow.command
                ),
                alert=True,
            )
        else:
            await unknown_button(update, context)

    return CallbackQueryHandler(old_button)
