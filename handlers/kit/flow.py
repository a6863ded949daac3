"""Multi-step conversations, declared once and built the same way: every state answers anything,
/cancel works, and a command (or another feature's button) sent mid-flow pauses the flow.

A `Flow` is the declaration; building it wires in the pausing and resuming of `flow_pause` and
asks the question of the state a person is in again whenever they answer something else. Each
flow declares how to ask the question of each of its states again, so carrying on re-shows
exactly where they were. The helpers its steps share are in `flow_steps`; every name features
use is importable from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.context import BotContext
from bot.i18n import _
from handlers.kit.common import Handler, acknowledge
from handlers.kit.flow_pause import (
    CANCEL,
    INTERRUPTING,
    PAUSED,
    PREFIX,
    Interruption,
    ResumeButton,
    cancel_paused,
    interrupter,
    offer_after_command,
    offer_to_carry_on,
    old_buttons,
    opening,
    resume_handlers,
)
from handlers.kit.flow_steps import (
    END,
    ending,
    nothing_sent,
    read_day,
    read_text,
    stopped,
    typed,
    typed_or_spoken,
    typed_text,
)

__all__ = [
    "CANCEL",
    "END",
    "INTERRUPTING",
    "PAUSED",
    "PREFIX",
    "Flow",
    "Interruption",
    "ResumeButton",
    "Step",
    "cancel_paused",
    "conversations",
    "ending",
    "interrupter",
    "nothing_sent",
    "offer_after_command",
    "offer_to_carry_on",
    "old_buttons",
    "read_day",
    "read_text",
    "registered",
    "step",
    "stopped",
    "typed",
    "typed_or_spoken",
    "typed_text",
]


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
    `lost_end` answers one of the flow's buttons pressed after it finished, when the finish's
    reply was lost on the way: True when it did, else the press is an old button.
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
    lost_end: Callable[[Update, BotContext], Awaitable[bool]] | None = None
    handler: ConversationHandler[Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "handler", self._build())

    def _build(self) -> ConversationHandler[Any]:
        for entry in self.entry_points:
            reopens = self.start is not None and entry.callback is self.start
            entry.callback = opening(self, entry.callback, reopens=reopens)
        states: dict[object, list[BaseHandler[Any, Any, Any]]] = {}
        for name, declared in self.states.items():
            again = _ask_again(self, declared.ask)
            states[name] = [
                Interruption(self, name),
                *(_within(self, h) for h in declared.handlers),
                MessageHandler(~CANCEL, again),
                CallbackQueryHandler(again),
            ]
        return ConversationHandler(
            entry_points=[*resume_handlers(self), *(_within(self, h) for h in self.entry_points)],
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


def _ask_again(flow: Flow, ask: Handler) -> Handler:
    async def again(update: Update, context: BotContext) -> Any:
        context.flow_name = flow.name
        query = update.callback_query
        if query and flow.owns(query.data or ""):
            await acknowledge(
                update,
                _("That button was for an earlier question in {what}. Here is the question you are on now.").format(
                    what=_(flow.noun)
                ),
            )
        elif query:
            await acknowledge(
                update,
                _("That button no longer works. You are in the middle of {what}: here is the question.").format(
                    what=_(flow.noun)
                ),
            )
        return await ask(update, context)

    return again


def _ending_with(flow: Flow, cancel: Handler) -> Handler:
    async def cancelling(update: Update, context: BotContext) -> Any:
        context.flow_name = flow.name
        await ending(update, context)
        flow.forget(context)
        return await cancel(update, context)

    return cancelling


def conversations(flows: Sequence[Flow]) -> list[ConversationHandler[Any]]:
    return [flow.handler for flow in flows]


def registered(application: Application[Any, Any, Any, Any, Any, Any]) -> Sequence[Flow]:
    """Every flow the application runs, for tests that go through each one."""
    flows: Sequence[Flow] = application.bot_data["flows"]
    return flows
