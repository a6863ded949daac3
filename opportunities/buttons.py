"""Every button of opportunities. The organiser's (stop sending it, see who is interested, invite
them to a group) are for organisers only; the handlers check the opportunity is the presser's
own (or that they are an admin) and that they lead the group. A resident's answer is checked
against the opportunity having been sent to them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.callbacks import ANYONE, CallbackData, Needs, StepChoice
from domain.roles import ORGANISERS


@dataclass(frozen=True)
class FormChoice(StepChoice, CallbackData, prefix="on", needs=Needs(roles=ORGANISERS)):
    """A choice in the organiser's own opportunity draft, `on:<step>:<value>` as before. The
    shared ladder and checklist steps build theirs (`on:level:`, `on:topic:`) in the same layout."""


@dataclass(frozen=True)
class StopSendingButton(CallbackData, prefix="os", needs=Needs(roles=ORGANISERS)):
    """Stop the rest of an opportunity's outbox batch."""

    batch: int


@dataclass(frozen=True)
class InterestedButton(CallbackData, prefix="ol", needs=Needs(roles=ORGANISERS)):
    """Who said they are interested in an opportunity."""

    opportunity: int


@dataclass(frozen=True)
class InviteInterestedButton(CallbackData, prefix="oj", needs=Needs(roles=ORGANISERS)):
    """Invite everyone interested in an opportunity to join one of the presser's groups."""

    opportunity: int
    group: int


class Reply(StrEnum):
    INTERESTED = "in"
    NOT_FOR_ME = "no"
    MORE = "more"  # Tell me more
    PAUSE = "pause"  # pause (1) or resume (0) all opportunities: not about one opportunity


@dataclass(frozen=True)
class ReplyButton(CallbackData, prefix="op", needs=ANYONE):
    """A resident's answer to an opportunity they were sent, or pausing them all. One kind for
    both, so the `op:<reply>:<number>` of buttons already on people's phones still parse: `ref`
    is the opportunity, or for PAUSE 1 to pause and 0 to resume."""

    reply: Reply
    ref: int
