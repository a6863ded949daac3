"""Every button of success statements and the 'We' self-assessment, each saying who may press it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, Needs
from decide.buttons import JOINED_GROUP, LEAD_OF_GROUP, MEMBER_OF_GROUP
from domain.roles import OFFICERS


@dataclass(frozen=True)
class SuccessButton(CallbackData, prefix="us", needs=JOINED_GROUP):
    """From the group's card: "propose" a statement (members and leads: checked when it is sent),
    or "status" (how are we doing?); "skip" leaves out the indicators while proposing."""

    group: int
    action: str


@dataclass(frozen=True)
class ViewButton(CallbackData, prefix="uv", needs=MEMBER_OF_GROUP):
    """Whose point of view a proposed statement is from."""

    group: int
    view: str


@dataclass(frozen=True)
class BaselineButton(CallbackData, prefix="ub", needs=MEMBER_OF_GROUP):
    """Where are we now? 1-5 for an agreed statement (0: skip)."""

    group: int
    statement: int
    score: int


@dataclass(frozen=True)
class ProgressButton(CallbackData, prefix="up", needs=MEMBER_OF_GROUP):
    """After a meeting: progress on a statement 1-5 (0: on to the next one)."""

    group: int
    meeting: int
    statement: int
    score: int


@dataclass(frozen=True)
class ChartButton(CallbackData, prefix="ut", needs=JOINED_GROUP):
    """The trend of one statement as a chart."""

    group: int
    statement: int


@dataclass(frozen=True)
class WeButton(CallbackData, prefix="uw", needs=LEAD_OF_GROUP):
    """A staff lead answers the 'We' statements from the group's card (score 0: show the item)."""

    group: int
    item: int
    score: int


@dataclass(frozen=True)
class OfficerWeButton(CallbackData, prefix="uo", needs=Needs(roles=OFFICERS)):
    """The same answers, given by an officer from /impact."""

    group: int
    item: int
    score: int
