"""The residents' buttons of feedback: the steps of /feedback, the answer to "has it made a
difference?" and the after-meeting check-in. Anyone may press them; each handler checks the
presser is the one asked (a contributor to the theme, an attendee of the meeting)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, StepChoice

SKIP = "skip"  # a DifferenceButton answer: nothing to add after answering


@dataclass(frozen=True)
class FeedbackChoice(StepChoice, CallbackData, prefix="fe", needs=ANYONE):
    """A choice in the person's own feedback: what it is about, which group or meeting, whether
    we may quote it. The handler checks the group or meeting is one of theirs."""


@dataclass(frozen=True)
class DifferenceButton(CallbackData, prefix="yd", needs=ANYONE):
    """A contributor's answer to "has this made a difference?" on a theme's first or second
    round, or SKIP for the comment asked after it."""

    theme: int
    round: int
    answer: str


@dataclass(frozen=True)
class CheckinButton(CallbackData, prefix="ci", needs=ANYONE):
    """An attendee's answer (1 to 5) to one question of a meeting's check-in."""

    meeting: int
    step: int
    answer: int
