"""Every button of feedback, each declaring who may press it.

Residents' (anyone may press them; each handler checks the presser is the one asked, a
contributor to the theme or an attendee of the meeting): the steps of /feedback, the answer to
"has it made a difference?" and the after-meeting check-in. Officers' (only officers and
admins): a card's status and theme, publishing a theme's "we did", and paging, sorting and
filtering the inbox. Organisers': sending the digest to a group they lead."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, Needs, StepChoice
from domain.roles import OFFICERS, ORGANISERS

SKIP = "skip"  # a DifferenceButton answer: nothing to add after answering
CHOOSE_GROUP = 0  # a DigestToGroupButton with no group yet: list the groups the organiser leads


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
class ThemesPageButton(CallbackData, prefix="tm", needs=Needs(roles=OFFICERS)):
    """/themes from the `start`-th theme waiting for its "we did"."""

    start: int


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


@dataclass(frozen=True)
class DigestToGroupButton(CallbackData, prefix="ys", needs=Needs(roles=ORGANISERS)):
    """Send the digest to this group's members, or (CHOOSE_GROUP) choose the group first; the
    handler checks they lead the group."""

    group: int
