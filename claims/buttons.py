"""Every button of a resident's claim. They only act on the presser's own draft or claim: the
handlers check the meeting was attended, the claim is theirs, and so on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from bot.callbacks import ANYONE, SEPARATOR, CallbackData, StepChoice


@dataclass(frozen=True)
class ClaimChoice(StepChoice, CallbackData, prefix="cl", needs=ANYONE):
    """A choice at one step of /claim, `cl:<step>:<value>`, or a step that is a choice by itself
    (`cl:review`, `cl:more`): the layout of buttons already on people's phones, so a step
    with no value packs and parses without its last separator."""

    def pack(self) -> str:
        packed = super().pack()
        return packed if self.value else packed.removesuffix(SEPARATOR)

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        alone = data is not None and data.count(SEPARATOR) == 1
        return super().unpack(data + SEPARATOR if alone and data else data)

    @classmethod
    def at(cls, step: str, value: str | None = "[^:]*") -> str:
        """The pattern of the presses at `step` (a regex, like "more|cancel"), whose value
        matches `value`; None for steps without one."""
        return f"^{cls.prefix}{SEPARATOR}({step})" + ("" if value is None else f"{SEPARATOR}{value}") + "$"


@dataclass(frozen=True)
class ReplyButton(CallbackData, prefix="cr", needs=ANYONE):
    """The resident answers an officer's question about their own claim (checked by the handler)."""

    claim: int
