"""Every button of a Working Together for Change cycle, each declaring who may press it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, GroupRight, Needs

MEMBER = Needs(group=GroupRight.MEMBER, via="group")
LEAD = Needs(group=GroupRight.LEAD, via="group")


@dataclass(frozen=True)
class StartCycleButton(CallbackData, prefix="jn", needs=LEAD):
    """A lead or co-lead starts preparing a cycle for the group."""

    group: int


@dataclass(frozen=True)
class LeadStepButton(CallbackData, prefix="jm", needs=LEAD):
    """What a lead does next in a cycle: draft themes, ask about causes, write success
    statements, add an action, or move to the next step."""

    group: int
    cycle: int
    action: str


@dataclass(frozen=True)
class DraftThemeButton(CallbackData, prefix="jt", needs=LEAD):
    """The lead puts a statement in one of the draft themes."""

    group: int
    statement: int
    theme: int


@dataclass(frozen=True)
class AnswerCycleButton(CallbackData, prefix="ja", needs=MEMBER):
    """A participant starts (or redoes) their answers to Collect."""

    group: int
    cycle: int


@dataclass(frozen=True)
class PlaceButton(CallbackData, prefix="jp", needs=MEMBER):
    """A participant says which theme a statement belongs to (theme 0: show the statement)."""

    group: int
    statement: int
    theme: int


@dataclass(frozen=True)
class AgreeThemesButton(CallbackData, prefix="jg", needs=MEMBER):
    """A participant agrees the themes and their "I" statements."""

    group: int
    cycle: int


@dataclass(frozen=True)
class ProposeActionButton(CallbackData, prefix="jo", needs=MEMBER):
    """A participant proposes an action while the plan is made."""

    group: int
    cycle: int


@dataclass(frozen=True)
class ActionUpdateButton(CallbackData, prefix="ju", needs=MEMBER):
    """An action's owner posts an update (the handler checks they own it)."""

    group: int
    action: int


@dataclass(frozen=True)
class RateSuccessButton(CallbackData, prefix="jr", needs=MEMBER):
    """A participant says where things are now for a success statement, from 1 to 5 (the handler
    checks they take part, and whether this is the baseline or the review)."""

    group: int
    success: int
    score: int


@dataclass(frozen=True)
class CyclesPageButton(CallbackData, prefix="jc", needs=ANYONE):
    """/cycle from the `start`-th of the person's groups with a cycle; each shows only its own."""

    start: int


@dataclass(frozen=True)
class InterestedButton(CallbackData, prefix="ji", needs=ANYONE):
    """A resident who is not taking part asks for the report at the review."""

    group: int
    cycle: int
