"""The draft of a meeting flow that waits for one typed answer about one thing (a poll's time, a
support task). Before drafts were typed such a flow kept that thing's bare id under its key, not
a dict; `IdSlot` reads one of those as its dataclass's `field`, so a person who paused mid-step
before the upgrade carries on after it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from bot.context import BotContext
from handlers.kit.drafts import DraftSlot

T = TypeVar("T")


@dataclass(frozen=True)
class IdSlot(DraftSlot[T]):
    """A `DraftSlot` whose stored draft may still be the bare id of the code before it."""

    field: str = "id"

    def of(self, context: BotContext) -> T:
        stored = context.drafts.get(self.key)
        if isinstance(stored, int) and not isinstance(stored, bool):
            context.drafts[self.key] = {self.field: stored}
        return super().of(context)
