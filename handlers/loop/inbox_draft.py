"""The drafts of /inbox and /themes, typed: the feedback an officer gives a reason for or starts a
theme from, and the theme whose "we did" they write (the "we did" itself is
`we_did_preview.WE_DID`). Both are kept under the key an earlier version used for a bare value:
the feedback's id (with its card's message id under a key of its own), or a `[theme, outcome]`
pair. The slots read those as the drafts they are now, so an officer paused mid-answer carries on."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import BotContext
from handlers.kit.drafts import DraftSlot

WORKING = "inbox_item"
CARD = "inbox_card"  # where an earlier version kept `ItemDraft.card`


@dataclass
class ItemDraft:
    item: int  # the feedback's id
    card: int | None = None  # the message id of the card whose "Can't do" waits for a reason


@dataclass
class PublishDraft:
    theme: int
    outcome: str  # "done" or "cant"


class _ItemSlot(DraftSlot[ItemDraft]):
    def of(self, context: BotContext) -> ItemDraft:
        stored = context.drafts.get(self.key)
        if isinstance(stored, int) and not isinstance(stored, bool):
            context.drafts[self.key] = {"item": stored, "card": context.drafts.pop(CARD, None)}
        return super().of(context)


class _PublishSlot(DraftSlot[PublishDraft]):
    def of(self, context: BotContext) -> PublishDraft:
        stored = context.drafts.get(self.key)
        if isinstance(stored, list):
            context.drafts[self.key] = dict(zip(("theme", "outcome"), stored, strict=False))
        return super().of(context)


ITEM = _ItemSlot(WORKING, ItemDraft)
PUBLISHING = _PublishSlot(WORKING, PublishDraft)
