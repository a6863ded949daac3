"""What someone is writing into, typed: a new question about an item, a thread they answer, or
the thread of a piece of feedback an officer writes about (see `questions.work`).

It is stored under the key the dict draft had, with its field names, except the writer's side:
the dict called it "as", which a field cannot be called, so the slot reads an "as" stored by an
earlier version as `side`, and someone paused mid-message carries on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.context import BotContext
from handlers.kit.drafts import DraftSlot


class Side(StrEnum):
    ORGANISER = "organiser"
    RESIDENT = "resident"


@dataclass
class QuestionDraft:
    ask: list[str | int] = field(default_factory=list)  # [an items.Kind value, the item's id]: a new question
    thread: int | None = None  # a thread being answered
    feedback: int | None = None  # the feedback an officer writes to the person behind
    side: Side = Side.RESIDENT
    mode: str | None = None  # for feedback: "r" replies, "q" asks more

    def target(self) -> dict[str, Any]:
        """The draft as `questions.work.thread_to_write` reads it: only what it names."""
        named = {"ask": self.ask or None, "thread": self.thread, "feedback": self.feedback, "as": self.side.value}
        return {key: value for key, value in named.items() if value is not None}


class _QuestionSlot(DraftSlot[QuestionDraft]):
    def of(self, context: BotContext) -> QuestionDraft:
        stored = context.drafts.get(self.key)
        if isinstance(stored, dict) and "as" in stored:
            stored["side"] = stored.pop("as")
        return super().of(context)


QUESTION = _QuestionSlot("question", QuestionDraft)
