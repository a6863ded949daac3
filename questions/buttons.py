"""Every button of questions both ways, each declaring who may press it. The handlers then
check that the presser is the item's organiser, or the resident whose thread it is."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, GroupRight, Needs
from bot.i18n import _
from bot.keyboards import Button
from domain.questions import Kind
from domain.roles import OFFICERS, ORGANISERS


@dataclass(frozen=True)
class AskButton(CallbackData, prefix="qa", needs=ANYONE):
    """A resident asks about an item they were sent or belong to (checked by the handler)."""

    kind: str
    item: int


def ask_about_meeting(meeting_id: int) -> Button:
    """For a meeting's poll and its invitation."""
    return (_("❓ Ask a question"), AskButton(Kind.MEETING.value, meeting_id).pack())


@dataclass(frozen=True)
class StaffReplyButton(CallbackData, prefix="qs", needs=Needs(roles=ORGANISERS)):
    """An organiser answers a thread about an item with no group (an opportunity, feedback)."""

    thread: int


@dataclass(frozen=True)
class LeadReplyButton(CallbackData, prefix="ql", needs=Needs(group=GroupRight.LEAD, via="thread")):
    """A lead or co-lead answers a thread about their group or one of its meetings."""

    thread: int


@dataclass(frozen=True)
class ResidentReplyButton(CallbackData, prefix="qy", needs=ANYONE):
    """The resident answers back in their own thread (the handler checks it is theirs)."""

    thread: int


@dataclass(frozen=True)
class PlayVoiceButton(CallbackData, prefix="qv", needs=ANYONE):
    """Hear a voice note in a thread (the handler checks the presser is one of its two sides)."""

    message: int


@dataclass(frozen=True)
class FeedbackWriteButton(CallbackData, prefix="qf", needs=Needs(roles=OFFICERS)):
    """An officer writes to the person who gave feedback: a reply (r) or a follow-up question (q)."""

    feedback: int
    mode: str


@dataclass(frozen=True)
class CloseOpportunityButton(CallbackData, prefix="qc", needs=Needs(roles=ORGANISERS)):
    """The organiser closes an opportunity and tells everyone interested what happened next."""

    opportunity: int


@dataclass(frozen=True)
class OutcomeButton(CallbackData, prefix="qo", needs=Needs(roles=ORGANISERS)):
    """What happened next: went ahead, what was decided, or did not go ahead."""

    opportunity: int
    outcome: str
