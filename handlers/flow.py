"""Multi-step conversations, declared once and built the same way: every state answers anything,
/cancel works, and a command (or another feature's button) sent mid-flow pauses the flow.

A paused flow keeps its state and drafts for `PAUSED_FLOW_HOURS`. The interrupting command runs
as usual; right after its answer the person is offered, once, to carry on or start again.
Opening the same flow again makes the same offer. Each flow declares how to ask the question
of each of its states again, so carrying on re-shows exactly where they were.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import (Application, BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler,
                          MessageHandler, TypeHandler, filters)

from storage.times import from_db, to_db
from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import callback_parts, keyboard
from domain.words import clean_typed
from handlers.common import Handler, acknowledge, clear_buttons, say, stale_button as unknown_button

CANCEL = filters.Regex(r"^/cancel(@\w+)?$")
INTERRUPTING = filters.COMMAND & ~CANCEL
END = ConversationHandler.END
PAUSED = "paused_flows"  # drafts key: flow name -> {"state": ..., "at": ...}
PREFIX = "fl"  # fl:go:<flow> carries on, fl:new:<flow> starts again


@dataclass(frozen=True)
class Step:
    """One state: how to ask its question (again), and what answers it accepts."""

    ask: Handler
    handlers: Sequence[BaseHandler[Any, Any, Any]]


def step(ask: Handler, *handlers: BaseHandler[Any, Any, Any]) -> Step:
    return Step(ask, handlers)


@dataclass(frozen=True)
class Flow:
    """A conversation as data, so every flow gets pausing, resuming and honest buttons alike.

    `start` opens the flow afresh ("Start again"); its entry points offer to carry on instead
    when the flow is paused. `prefixes` are the callback prefixes of the flow's own buttons:
    another feature's button, like any command but /cancel, pauses the flow and runs as usual.
    """

    name: str
    noun: str  # N_("your claim"): what the flow is, in "Carry on with your claim"
    states: Mapping[str, Step]
    entry_points: Sequence[BaseHandler[Any, Any, Any]]
    cancel: Handler
    prefixes: tuple[str, ...]
    drafts: tuple[str, ...] = ()
    start: Handler | None = None
    command: str | None = None
    handler: ConversationHandler[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "handler", self._build())

    def _build(self) -> ConversationHandler[Any]:
        for entry in self.entry_points:
            reopens = self.start is not None and entry.callback is self.start
            entry.callback = _opening(self, entry.callback, reopens=reopens)
        states: dict[object, list[BaseHandler[Any, Any, Any]]] = {}
        for name, declared in self.states.items():
            again = _ask_again(self, declared.ask)
            states[name] = [Interruption(self, name), *(_within(self, h) for h in declared.handlers),
                            MessageHandler(~CANCEL, again), CallbackQueryHandler(again)]
        return ConversationHandler(
            entry_points=[CallbackQueryHandler(_carry_on(self), pattern=f"^{PREFIX}:go:{self.name}$"),
                          CallbackQueryHandler(_start_again(self), pattern=f"^{PREFIX}:new:{self.name}$"),
                          *(_within(self, h) for h in self.entry_points)],
            states=states,
            fallbacks=[CommandHandler("cancel", _ending_with(self, self.cancel))],
            name=self.name,
            persistent=True,
        )

    def owns(self, data: str) -> bool:
        return data.split(":", 1)[0] in self.prefixes

    def forget(self, context: BotContext) -> None:
        for key in self.drafts:
            context.drafts.pop(key, None)
        context.drafts.get(PAUSED, {}).pop(self.name, None)
        if not context.drafts.get(PAUSED):
            context.drafts.pop(PAUSED, None)


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
            "state": self.state, "at": to_db(context.services.clock.now())}
        context.interrupted.append(self.flow.name)
        return END


def interrupter(flows: Sequence[Flow],
                others: Sequence[BaseHandler[Any, Any, Any]]) -> TypeHandler[Update, BotContext, None]:
    """Runs before the features: pauses the flow an update would otherwise be stuck in. That is
    any command but /cancel, and a button that is not the flow's own but one of `others` takes."""

    def taken_elsewhere(flow: Flow, update: Update) -> bool:
        data = update.callback_query.data if update.callback_query else None
        if data is None or flow.owns(data):
            return False
        checks = (handler.check_update(update) for handler in others if handler is not flow.handler)
        return any(check is not None and check is not False for check in checks)

    async def interrupt(update: Update, context: BotContext) -> None:
        for flow in flows:
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
    await say(update, context, _("You have paused {what}. Carry on where you left off?").format(what=_(flow.noun)),
              keyboard([[(_("▶️ Carry on with {what}").format(what=_(flow.noun)), f"{PREFIX}:go:{flow.name}")],
                        [(again, f"{PREFIX}:new:{flow.name}")]]))


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


def _within(flow: Flow, handler: BaseHandler[Any, Any, Any]) -> BaseHandler[Any, Any, Any]:
    """Let `ending()` know which flow is handling the update."""
    inner = handler.callback

    async def callback(update: Update, context: BotContext) -> Any:
        context.flow_name = flow.name
        return await inner(update, context)

    if not getattr(inner, "_within", False):
        callback._within = True  # type: ignore[attr-defined]  # a marker, so a shared handler is wrapped once
        handler.callback = callback
    return handler


def _opening(flow: Flow, callback: Handler, *, reopens: bool) -> Handler:
    """Opening a paused flow again offers to carry on; any other way in replaces the paused one."""

    async def opening(update: Update, context: BotContext) -> Any:
        if reopens and _paused_state(context, flow) is not None:
            await acknowledge(update)
            await offer_to_carry_on(update, context, flow)
            return END
        context.drafts.get(PAUSED, {}).pop(flow.name, None)
        return await callback(update, context)

    return opening


def _carry_on(flow: Flow) -> Handler:
    async def carry_on(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await clear_buttons(update)
        context.flow_name = flow.name
        if _expired(context, flow):
            await say(update, context, _with_way_on(flow, _("You paused that more than {hours} hours ago, so I let it "
                                                             "go.").format(hours=context.services.settings.paused_flow_hours)))
            return END
        state = _paused_state(context, flow)
        if state is None:
            await say(update, context, _with_way_on(flow, _("There is nothing to carry on with: it has finished or "
                                                             "was stopped.")))
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


def _ask_again(flow: Flow, ask: Handler) -> Handler:
    async def again(update: Update, context: BotContext) -> Any:
        context.flow_name = flow.name
        query = update.callback_query
        if query and flow.owns(query.data or ""):
            await acknowledge(update, _("That button was for an earlier question in {what}. Here is the question "
                                        "you are on now.").format(what=_(flow.noun)))
        elif query:
            await acknowledge(update, _("That button no longer works. You are in the middle of {what}: here is "
                                        "the question.").format(what=_(flow.noun)))
        return await ask(update, context)

    return again


def _ending_with(flow: Flow, cancel: Handler) -> Handler:
    async def cancelling(update: Update, context: BotContext) -> Any:
        context.flow_name = flow.name
        await ending(update, context)
        flow.forget(context)
        return await cancel(update, context)

    return cancelling


async def ending(update: Update, context: BotContext) -> None:
    """Save that the flow has ended now, before its last reply, so a crash right after that
    reply can never bring the finished flow back."""
    chat, user = update.effective_chat, update.effective_user
    persistence = context.application.persistence
    if context.flow_name and chat and user and persistence is not None:
        await persistence.update_conversation(context.flow_name, (chat.id, user.id), None)


def cancel_paused(flows: Sequence[Flow]) -> CommandHandler[Any, Any]:
    """/cancel with no flow under way forgets the paused ones."""

    async def cancel(update: Update, context: BotContext) -> None:
        paused = [flow for flow in flows if flow.name in context.drafts.get(PAUSED, {})]
        for flow in paused:
            flow.forget(context)
        await say(update, context, _("Stopped. Nothing was changed.") if paused else
                  _("There is nothing to stop. Send /help to see what you can do."))

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
        elif flow.command:
            await acknowledge(update, _("That button is from {what}, which has finished. Send /{command} to start "
                                        "again.").format(what=_(flow.noun), command=flow.command), alert=True)
        else:
            await unknown_button(update, context)

    return CallbackQueryHandler(old_button)


def conversations(flows: Sequence[Flow]) -> list[ConversationHandler[Any]]:
    return [flow.handler for flow in flows]


def registered(application: Application[Any, Any, Any, Any, Any, Any]) -> Sequence[Flow]:
    """Every flow the application runs, for tests that go through each one."""
    flows: Sequence[Flow] = application.bot_data["flows"]
    return flows


def typed_text() -> filters.BaseFilter:
    """Words a person typed, not a command."""
    return filters.TEXT & ~filters.COMMAND


def typed(update: Update, *, one_line: bool = True) -> str:
    """The words of a message (or a photo's caption), cleaned for storing: the one way free text
    comes in, so nothing invisible reaches whoever reads it later."""
    message = update.effective_message
    raw = (message.text or message.caption) if message else None
    return clean_typed(raw, one_line=one_line)


async def read_text(update: Update, context: BotContext, limit: int, *, one_line: bool = True) -> str | None:
    """What the person typed, cleaned; None (after saying why) if it is empty or too long."""
    text = typed(update, one_line=one_line)
    if not text or len(text) > limit:
        await say(update, context, _("Please answer in up to {limit} characters.").format(limit=limit))
        return None
    return text


async def picked(update: Update, options: Collection[str]) -> str | None:
    """The option a button `area:what:<option>` chose, if it is one on offer.

    Stops the spinner either way; takes the buttons away only for a valid choice, so a
    stale or forged button leaves the question standing.
    """
    await acknowledge(update)
    parts = callback_parts(update.callback_query.data if update.callback_query else None, 3)
    if parts is None or parts[2] not in options:
        return None
    await clear_buttons(update)
    return parts[2]


async def nothing_sent(update: Update, context: BotContext, key: str) -> Any:
    """ "Don't send" on a flow's last step: the draft goes, and nothing was sent."""
    await clear_buttons(update)
    context.drafts.pop(key, None)
    await say(update, context, _("Stopped. Nothing was sent."))
    return END


def cancel_clearing(*keys: str) -> Handler:
    """A /cancel that forgets the flow's drafts and says nothing was changed."""

    async def cancel(update: Update, context: BotContext) -> Any:
        for key in keys:
            context.drafts.pop(key, None)
        await say(update, context, _("Stopped. Nothing was changed."))
        return ConversationHandler.END

    return cancel
