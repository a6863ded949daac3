"""Typed drafts: a flow's answers so far are a dataclass, so mypy checks `draft.title` where a
dict would take any key and any value.

The person's drafts stay plain JSON, because they are written to the database after every
update and read back after a restart or by another instance. So a `DraftSlot` reads its key of
the drafts into the dataclass on the way in and writes it back on the way out, explicitly
(`save`, or `editing`, which saves when the step is done with it).

What is stored may be older than the code. A field added since takes its default and a field
dropped since is ignored, so a conversation paused before a change carries on after it. Keys
the dataclass does not declare are kept when it is saved: the toolkits written for dict drafts
(`handlers.kit.checklist`, `handlers.kit.text_versions`) keep their bookkeeping there, in `stored`. Data
that does not fit the dataclass any more, or no draft at all in the middle of a flow, is a
`DraftLost`: `restarting` turns it into a kind word and the flow's first question (or its end,
for a flow only a button opens), so no one is left in a step whose earlier answers are gone.
"""

from __future__ import annotations

import functools
import logging
import types
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, is_dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar, Union, cast, get_args, get_origin, get_type_hints

from telegram import Update

from bot.context import BotContext
from bot.i18n import _
from handlers.kit.common import Handler, acknowledge, say
from handlers.kit.flow import END, Step

log = logging.getLogger(__name__)

T = TypeVar("T")


class DraftLost(Exception):
    """The step needs a draft that is not there, or that this version of the code cannot read."""


class Unreadable(ValueError):
    """Stored data that does not fit the declared types."""


@dataclass(frozen=True)
class DraftSlot(Generic[T]):
    """Where one flow keeps its draft: `key` of the person's drafts, holding a `kind`.

    `kind` is a dataclass whose fields are str, int, float, bool, None, StrEnums, lists and dicts
    of them, or other such dataclasses, so that `dataclasses.asdict` is its JSON form."""

    key: str
    kind: type[T]

    def begin(self, context: BotContext, draft: T) -> T:
        """A new draft replaces whatever was there."""
        self.drop(context)
        self.save(context, draft)
        return draft

    def stored(self, context: BotContext) -> dict[str, Any]:
        """The JSON form itself, for a toolkit that keeps its own keys in the flow's draft."""
        stored: dict[str, Any] = context.drafts.setdefault(self.key, {})
        return stored

    def of(self, context: BotContext) -> T:
        stored = context.drafts.get(self.key)
        if not stored:  # a begun draft always has its fields
            raise DraftLost(self.key)
        try:
            return read(self.kind, stored)
        except (Unreadable, TypeError) as exc:
            log.warning("Dropped a %s draft this version cannot read: %s", self.key, exc)
            self.drop(context)
            raise DraftLost(self.key) from exc

    def save(self, context: BotContext, draft: T) -> None:
        self.stored(context).update(asdict(cast(Any, draft)))

    @contextmanager
    def editing(self, context: BotContext) -> Iterator[T]:
        """The draft to change; saved when the block ends without an error."""
        draft = self.of(context)
        yield draft
        self.save(context, draft)

    def pop(self, context: BotContext) -> T:
        """The draft, for its last step: it is gone from the drafts."""
        draft = self.of(context)
        self.drop(context)
        return draft

    def drop(self, context: BotContext) -> None:
        context.drafts.pop(self.key, None)

    def keeper(self, name: str) -> Callable[[BotContext, str], None]:
        """Keeps a declared step's answer (a choice's key, typed words) as the draft's field `name`,
        read as the field's type: text, a StrEnum, or a whole number (a choice's key such as "25",
        which the step has already checked is one on offer). A field that is not there or cannot
        hold an answer fails when the flow is declared, at start-up, rather than when someone
        answers."""
        hint = _hints(self.kind).get(name) if is_dataclass(self.kind) else None
        numeric = hint is not None and _holds(hint, lambda arg: arg is int)
        if hint is None or not (numeric or _holds(hint, _is_text)):
            raise TypeError(f"{getattr(self.kind, '__name__', self.kind)} has no field {name!r} for an answer")

        def keep(context: BotContext, answer: str) -> None:
            with self.editing(context) as draft:
                setattr(draft, name, _value(hint, int(answer) if numeric else answer))

        return keep


def read(kind: type[T], data: object) -> T:
    """`data` as a `kind`, every field's type checked; Unreadable (or TypeError, for a missing
    field without a default) when it does not fit."""
    return cast(T, _value(kind, data))


def _value(hint: Any, data: object) -> object:
    if isinstance(hint, type) and is_dataclass(hint):
        if not isinstance(data, dict):
            raise Unreadable(f"{hint.__name__} from {type(data).__name__}")
        hints = _hints(hint)
        return hint(**{f.name: _value(hints[f.name], data[f.name]) for f in fields(hint) if f.name in data})
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, types.UnionType):
        if data is None and type(None) in args:
            return None
        for arg in args:
            try:
                return _value(arg, data)
            except Unreadable:
                continue
        raise Unreadable(f"{data!r} is none of {args}")
    if origin is list and isinstance(data, list):
        return [_value(args[0], item) for item in data]
    if origin is dict and isinstance(data, dict):
        return {str(key): _value(args[1], item) for key, item in data.items()}
    if hint is Any:
        return data
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        if data not in {member.value for member in hint}:
            raise Unreadable(f"{data!r} is not a {hint.__name__}")
        return hint(data)
    if hint is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if isinstance(hint, type) and isinstance(data, hint) and not (isinstance(data, bool) and hint is not bool):
        return data
    raise Unreadable(f"{data!r} is not {hint}")


def _holds(hint: Any, kind: Callable[[Any], bool]) -> bool:
    """Whether `hint`, or one of the types of a union (None aside), is of `kind`."""
    if get_origin(hint) in (Union, types.UnionType):
        return any(_holds(arg, kind) for arg in get_args(hint) if arg is not type(None))
    return kind(hint)


def _is_text(hint: Any) -> bool:
    return hint is str or (isinstance(hint, type) and issubclass(hint, StrEnum))


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    """The fields' declared types, resolved once per kind (the modules say `from __future__ import annotations`)."""
    return get_type_hints(kind)


def restarting(states: Mapping[str, Step], start: Handler | None) -> dict[str, Step]:
    """The flow's steps, each answering a lost draft by saying so and starting the flow again;
    a flow with no `start` (one a button opens, with what the button carried) ends instead."""

    def kept(callback: Handler) -> Handler:
        async def step(update: Update, context: BotContext) -> Any:
            try:
                return await callback(update, context)
            except DraftLost:
                await acknowledge(update)
                if start is None:
                    await say(
                        update,
                        context,
                        _("Sorry, I could not keep your answers so far. Please tap the button you began with again."),
                    )
                    return END
                await say(update, context, _("Sorry, I could not keep your answers so far. Let us start again."))
                return await start(update, context)

        return step

    for declared in states.values():  # the handlers are wrapped in place, as Flow wraps them
        for handler in declared.handlers:
            handler.callback = kept(handler.callback)
    return {name: Step(kept(declared.ask), declared.handlers) for name, declared in states.items()}
