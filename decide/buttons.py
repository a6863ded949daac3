"""Every button of deciding together, each declaring who may press it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, GroupRight, Needs, StepChoice

MEMBER_OF_DECISION = Needs(group=GroupRight.MEMBER, via="decision")
LEAD_OF_DECISION = Needs(group=GroupRight.LEAD, via="decision")
MEMBER_OF_GROUP = Needs(group=GroupRight.MEMBER, via="group")
JOINED_GROUP = Needs(group=GroupRight.JOINED, via="group")
LEAD_OF_GROUP = Needs(group=GroupRight.LEAD, via="group")


@dataclass(frozen=True)
class AnswerButton(CallbackData, prefix="dq", needs=MEMBER_OF_DECISION):
    """Agree / Abstain / Disagree / Block on a proposal."""

    decision: int
    answer: str


@dataclass(frozen=True)
class HideNameButton(CallbackData, prefix="dh", needs=MEMBER_OF_DECISION):
    """Take part without my name, where the charter allows it."""

    decision: int
    hide: bool


@dataclass(frozen=True)
class MeaningsButton(CallbackData, prefix="dm", needs=ANYONE):
    """What do the four answers mean?"""


@dataclass(frozen=True)
class DotButton(CallbackData, prefix="dd", needs=MEMBER_OF_DECISION):
    """Add (+1) or take away (-1) one dot on an option."""

    decision: int
    option: int
    change: int


@dataclass(frozen=True)
class RankButton(CallbackData, prefix="dk", needs=MEMBER_OF_DECISION):
    """Put this option next in my order (option 0: start my order again)."""

    decision: int
    option: int


@dataclass(frozen=True)
class SendBallotButton(CallbackData, prefix="ds", needs=MEMBER_OF_DECISION):
    decision: int


@dataclass(frozen=True)
class ShowDecisionButton(CallbackData, prefix="dv", needs=MEMBER_OF_DECISION):
    """Show a decision's card again, with my answer and the counts so far."""

    decision: int


@dataclass(frozen=True)
class OutcomeButton(CallbackData, prefix="do", needs=LEAD_OF_DECISION):
    """A lead starts recording the outcome of a closed decision."""

    decision: int


@dataclass(frozen=True)
class CloseNowButton(CallbackData, prefix="dx", needs=LEAD_OF_DECISION):
    decision: int


@dataclass(frozen=True)
class GroupButton(CallbackData, prefix="gc", needs=JOINED_GROUP):
    """Open one group's card from /groups."""

    group: int


@dataclass(frozen=True)
class GroupActionButton(CallbackData, prefix="ga", needs=JOINED_GROUP):
    """What any member can do in a group: see open decisions, the log, the charter; stand."""

    group: int
    action: str


@dataclass(frozen=True)
class OpenPageButton(CallbackData, prefix="gn", needs=JOINED_GROUP):
    """ "Show N more" under the last of a page of the group's open decisions."""

    group: int
    start: int


@dataclass(frozen=True)
class LeadActionButton(CallbackData, prefix="gd", needs=LEAD_OF_GROUP):
    """What a lead or co-lead can do: appoint a co-lead, hold an election, download the log."""

    group: int
    action: str


@dataclass(frozen=True)
class AppointButton(CallbackData, prefix="gp", needs=LEAD_OF_GROUP):
    group: int
    member: int


@dataclass(frozen=True)
class AgreeCharterButton(CallbackData, prefix="gh", needs=JOINED_GROUP):
    """A new member agrees the group's charter before taking part."""

    group: int
    charter: int


@dataclass(frozen=True)
class DraftChoice(StepChoice, CallbackData, prefix="dn", needs=ANYONE):
    """A choice in the person's own draft (a proposal, a vote, an outcome, a charter): which
    step it answers and what was chosen. The use case re-checks rights when the draft is sent."""


@dataclass(frozen=True)
class PlayVoiceButton(CallbackData, prefix="dp", needs=MEMBER_OF_DECISION):
    """Hear the voice note that explains a proposal."""

    decision: int


@dataclass(frozen=True)
class PlayReasonButton(CallbackData, prefix="dr", needs=LEAD_OF_DECISION):
    """A lead hears a member's spoken reason (a voice identifies its speaker, so only leads)."""

    decision: int
    member: int
