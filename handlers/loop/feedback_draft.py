"""The drafts of /feedback and of the comment after "has it made a difference?", typed.

They are stored under the keys, and with the field names, the dict drafts had, so a resident
paused in the middle carries on after an upgrade. The comment's target was kept as a pair
`[theme, round]`: `difference` reads such a pair as the draft it is now."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import BotContext
from handlers.kit.drafts import DraftSlot


@dataclass
class FeedbackDraft:
    """What the feedback is about and what they said, as `feedback.work.submit_feedback` takes it."""

    about: str = "general"  # a domain.feedback.ABOUT key
    project_id: int | None = None
    meeting_id: int | None = None
    service: str | None = None
    text: str | None = None
    voice: str | None = None  # Telegram's file id
    photo: str | None = None  # Telegram's file id


@dataclass
class DifferenceDraft:
    """The theme and the round ("has it made a difference?" is asked twice) a comment is about."""

    theme: int
    round: int


FEEDBACK = DraftSlot("feedback_draft", FeedbackDraft)
DIFFERENCE = DraftSlot("difference", DifferenceDraft)


def difference(context: BotContext) -> DifferenceDraft:
    """The comment's target, also from the `[theme, round]` pair an earlier version kept."""
    stored = context.drafts.get(DIFFERENCE.key)
    if isinstance(stored, list):
        context.drafts[DIFFERENCE.key] = dict(zip(("theme", "round"), stored, strict=False))
    return DIFFERENCE.of(context)
