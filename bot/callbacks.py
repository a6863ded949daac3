"""Typed button data: one small declaration per button kind.

A kind names its prefix, its typed fields and who may press it; from that one declaration
come the callback string (checked against Telegram's 64-byte limit), the parsed value, the
handler's pattern and the permission gate, so a button can't exist without saying who may
press it. Learned from aiogram's `CallbackData`, written for PTB.

    @dataclass(frozen=True)
    class AnswerButton(CallbackData, prefix="dq", needs=Needs(group=GroupRight.MEMBER, via="decision")):
        decision: int
        answer: str
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Any, ClassVar, Self

from domain.roles import Role

CALLBACK_LIMIT = 64
SEPARATOR = ":"


class GroupRight(StrEnum):
    JOINED = "joined"  # a member of the group, even before agreeing its charter
    MEMBER = "member"  # a member who has agreed the group's charter, if it has one
    LEAD = "lead"  # a staff lead of the group or one of its resident co-leads
    ORGANISER = "organiser"  # whoever organises the meeting the button is about (or an admin)


@dataclass(frozen=True)
class Needs:
    """Who may press a button: anyone, a staff role, or a right in the group it is about.

    `via` names the field that says which group: "group" holds a group id, "decision" a
    decision id and "thread" a question thread id, whose group is looked up; "meeting" a meeting
    id, for the ORGANISER right.
    """

    roles: frozenset[Role] | None = None
    group: GroupRight | None = None
    via: str | None = None


ANYONE = Needs()
REGISTRY: dict[str, type[CallbackData]] = {}


class CallbackData:
    prefix: ClassVar[str]
    needs: ClassVar[Needs]
    # A kind whose last field may be left off (`cl:review`, `pv:stay`): the layout of buttons
    # already on people's phones. Empty (or 0), it packs without it, and parses back so.
    bare_last: ClassVar[bool] = False

    def __init_subclass__(cls, *, prefix: str, needs: Needs, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not re.fullmatch(r"[a-z]{2,3}", prefix) or prefix in REGISTRY:
            raise TypeError(f"button prefix {prefix!r} must be 2-3 letters and unique")
        if (needs.group is None) != (needs.via is None):
            raise TypeError("a group right needs the field that names the group")
        cls.prefix = prefix
        cls.needs = needs
        REGISTRY[prefix] = cls

    @classmethod
    def _fields(cls) -> tuple[tuple[str, Any], ...]:
        return _fields_of(cls)

    def pack(self) -> str:
        fields = self._fields()
        values = [_text(name, getattr(self, name)) for name, _kind in fields]
        if self.bare_last and fields and not getattr(self, fields[-1][0]):
            values.pop()
        data = SEPARATOR.join([self.prefix, *values])
        if len(data.encode()) > CALLBACK_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
        return data

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """The typed value, or None for anything malformed (forged or from an old version)."""
        if not data:
            return None
        parts = data.split(SEPARATOR)
        fields = cls._fields()
        if cls.bare_last and len(parts) == len(fields):
            parts.append("0" if fields[-1][1] in (int, bool) else "")
        if parts[0] != cls.prefix or len(parts) != len(fields) + 1:
            return None
        values: dict[str, Any] = {}
        for (name, kind), text in zip(fields, parts[1:], strict=True):
            try:
                if kind is int:
                    if not re.fullmatch(r"-?\d{1,18}", text):
                        return None
                    values[name] = int(text)
                elif kind is bool:
                    if text not in ("0", "1"):
                        return None
                    values[name] = text == "1"
                elif kind is date:
                    values[name] = date.fromisoformat(text)
                else:
                    values[name] = kind(text)
            except ValueError:
                return None
        return cls(**values)

    @classmethod
    def pattern(cls) -> str:
        field = SEPARATOR + "[^:]*"
        count = len(cls._fields())
        if cls.bare_last and count:
            return "^" + re.escape(cls.prefix) + field * (count - 1) + f"({field})?$"
        return "^" + re.escape(cls.prefix) + field * count + "$"

    @classmethod
    def pattern_where(cls, **only: Field | tuple[Field, ...]) -> str:
        """The pattern of this kind's presses whose named fields hold one of the given values, so
        that one kind's presses (a group card's "vote" and "close", say) reach different handlers.
        A name that is not a field, or a value not of its field's type, is a mistake in our code."""
        fields = dict(cls._fields())
        if unknown := set(only) - set(fields):
            raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
        parts = []
        for name, kind in fields.items():
            wanted = only.get(name)
            if wanted is None:
                parts.append("[^:]*")
                continue
            values = wanted if isinstance(wanted, tuple) else (wanted,)
            if not values or not all(_is_kind(value, kind) for value in values):
                raise TypeError(f"{cls.__name__}.{name} holds {kind!r}, not {wanted!r}")
            parts.append("(?:" + "|".join(re.escape(_text(name, value)) for value in values) + ")")
        return "^" + re.escape(cls.prefix) + "".join(SEPARATOR + part for part in parts) + "$"


Field = str | int | date | Enum  # what a button's field can hold (bool is an int)


_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _fields_of(kind: type) -> tuple[tuple[str, Any], ...]:
    """A kind's fields and their types, worked out once: every button on every screen packs
    through here, and resolving type hints is slow enough to show in a rush's profile."""
    fields = _FIELDS.get(kind)
    if fields is None:
        hints = typing.get_type_hints(kind)
        fields = _FIELDS[kind] = tuple((f.name, hints[f.name]) for f in dataclasses.fields(kind))
    return fields


def _text(name: str, value: Field) -> str:
    """A field's value as it is written in the callback string."""
    text = value.value if isinstance(value, Enum) else str(int(value) if isinstance(value, bool) else value)
    if SEPARATOR in text:
        raise ValueError(f"{SEPARATOR!r} in button field {name}")
    return text


def _is_kind(value: object, kind: Any) -> bool:
    return isinstance(value, kind) and (kind is bool or not isinstance(value, bool))


def kind_of(data: str | None) -> type[CallbackData] | None:
    """The declared kind a callback string belongs to, if any."""
    if not data:
        return None
    return REGISTRY.get(data.split(SEPARATOR, 1)[0])


@dataclass(frozen=True)
class StepChoice:
    """What was tapped at one step of a declared flow: the step it answers and the choice. Button
    kinds built on it differ only in their prefix and who may press them."""

    prefix: ClassVar[str]  # set by CallbackData on the kinds built on this
    step: str
    value: str

    @classmethod
    def chosen(cls, pressed: object, step: str) -> str | None:
        """What was chosen, if the press is this kind's choice at this step."""
        return pressed.value if isinstance(pressed, cls) and pressed.step == step else None

    @classmethod
    def at(cls, step: str, value: str | None = "[^:]*") -> str:
        """The pattern of this kind's presses at `step` (a regex, like "more|cancel") whose value
        matches `value`, or with no value at all for None, for a flow state's handler: a press
        from another step is not taken as this one's answer, so the flow asks its question again."""
        return f"^{cls.prefix}{SEPARATOR}({step})" + ("" if value is None else f"{SEPARATOR}{value}") + "$"
