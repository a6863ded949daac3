"""The officers' buttons on the feedback inbox: a card's status and theme, publishing a theme's
"we did", and paging, sorting and filtering the inbox. Only officers (and admins) may press them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, Needs
from domain.roles import OFFICERS


@dataclass(frozen=True)
class FeedbackActionButton(CallbackData, prefix="fb", needs=Needs(roles=OFFICERS)):
    """A status code (see inbox.STATUS_CODES), "c" for can't do (asks why), or "t" to pick a theme."""

    feedback: int
    action: str


@dataclass(frozen=True)
class ThemeChoiceButton(CallbackData, prefix="ft", needs=Needs(roles=OFFICERS)):
    """Put the feedback in this unpublished theme, or in a new one (theme 0)."""

    feedback: int
    theme: int


@dataclass(frozen=True)
class PublishThemeButton(CallbackData, prefix="th", needs=Needs(roles=OFFICERS)):
    """Say what was done about a theme ("done") or why it can't be ("cant")."""

    theme: int
    outcome: str


@dataclass(frozen=True)
class InboxViewButton(CallbackData, prefix="ib", needs=Needs(roles=OFFICERS)):
    """The inbox newest ("n") or oldest ("o") first, of one group (0 for all), from a place in it."""

    order: str
    group: int
    start: int
