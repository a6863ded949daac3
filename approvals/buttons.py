"""The buttons on claims: officers decide a claim, page through the queue, agree a cost asked
for in advance, and pick the dates of the finance export (only officers and admins may press
those; the handlers also check nobody decides on their own claim); the claimant replies to a
question about their claim."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.callbacks import ANYONE, CallbackData, Needs
from domain.roles import OFFICERS


@dataclass(frozen=True)
class ClaimDecisionButton(CallbackData, prefix="ap", needs=Needs(roles=OFFICERS)):
    """Approve (a), reject (r), ask a question (q) or mark paid (p)."""

    claim: int
    action: str


@dataclass(frozen=True)
class MoreApprovalsButton(CallbackData, prefix="am", needs=Needs(roles=OFFICERS)):
    """The next page of the approval queue, from this place in it."""

    start: int


@dataclass(frozen=True)
class PreapprovalButton(CallbackData, prefix="pa", needs=Needs(roles=OFFICERS)):
    """Agree or decline a cost a resident asked about before the meeting."""

    request: int
    agree: bool


@dataclass(frozen=True)
class ExportButton(CallbackData, prefix="ex", needs=Needs(roles=OFFICERS)):
    """The finance export of claims between two dates."""

    start: date
    end: date


@dataclass(frozen=True)
class ClaimReplyButton(CallbackData, prefix="cr", needs=ANYONE):
    """The claimant answers an officer's question; the handler checks the claim is theirs."""

    claim: int
