"""The draft of an officer's reason or question about a claim, and of the resident's answer: the
claim the words are about. An earlier version kept the claim's id alone under the same key, so
the slot reads a bare id as the draft it is now, and someone paused mid-answer carries on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import BotContext
from handlers.kit.drafts import DraftSlot


@dataclass
class ApprovalDraft:
    claim: int  # the claim's id


class _ApprovalSlot(DraftSlot[ApprovalDraft]):
    def of(self, context: BotContext) -> ApprovalDraft:
        stored = context.drafts.get(self.key)
        if isinstance(stored, int) and not isinstance(stored, bool):
            context.drafts[self.key] = {"claim": stored}
        return super().of(context)


APPROVAL = _ApprovalSlot("approval_claim", ApprovalDraft)
