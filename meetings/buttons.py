"""Every button of meetings, each declaring who may press it.

The organiser's buttons (its results, closing the poll, confirming or moving the time,
attendance, cancelling) need the GroupRight.ORGANISER right: the meeting's own organiser (staff,
or the group's co-lead who set it up) or an admin. An invitee's buttons (the poll, its answers,
the reply to an invitation) may be pressed by anyone: the use case checks the presser is invited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Self

from bot.callbacks import ANYONE, SEPARATOR, CallbackData, GroupRight, Needs, StepChoice
from bot.keyboards import Button
from domain.meetings import Answer

ORGANISER = Needs(group=GroupRight.ORGANISER, via="meeting")
LIST = 0  # the attendance list itself, rather than one person on it
ANSWER_CODES = {"y": Answer.YES, "m": Answer.IF_NEED_BE, "n": Answer.NO}
RSVP_CODES = {"g": "going", "m": "maybe", "c": "cant"}
SKIP = "skip"  # a VoteButton answer: no reason for "If need be"
# The questions feature's "Ask a question" button for a meeting, passed in by the handlers, so
# this package imports none of theirs.
AskAbout = Callable[[int], Button]


@dataclass(frozen=True)
class ResultsButton(CallbackData, prefix="mt", needs=ORGANISER):
    """The poll's ranking and the organiser's actions on the meeting."""

    meeting: int


@dataclass(frozen=True)
class ClosePollButton(CallbackData, prefix="mx", needs=ORGANISER):
    """Close the time poll now rather than at its closing time."""

    meeting: int


@dataclass(frozen=True)
class ConfirmSlotButton(CallbackData, prefix="mc", needs=ORGANISER):
    """Confirm this time, or move a confirmed meeting to it."""

    meeting: int
    slot: int


@dataclass(frozen=True)
class AttendanceButton(CallbackData, prefix="ma", needs=ORGANISER):
    """Show who came (LIST), or flip whether this person came."""

    meeting: int
    person: int


@dataclass(frozen=True)
class CancelMeetingButton(CallbackData, prefix="mz", needs=ORGANISER):
    """Cancel the meeting and tell everyone invited."""

    meeting: int


@dataclass(frozen=True)
class ShowPollButton(CallbackData, prefix="mp", needs=ANYONE):
    """An invitee opens the time poll again from /meetings."""

    meeting: int


@dataclass(frozen=True)
class VoteButton(CallbackData, prefix="mv", needs=ANYONE):
    """An invitee's answer (an ANSWER_CODES key) for one time, or SKIP for the reason asked after
    "If need be"."""

    slot: int
    answer: str

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """Skip buttons sent before it named a slot are `mv:skip`: the slot asked about is in the draft."""
        return super().unpack(
            f"{cls.prefix}{SEPARATOR}0{SEPARATOR}{SKIP}" if data == f"{cls.prefix}{SEPARATOR}{SKIP}" else data
        )

    @classmethod
    def answer_pattern(cls) -> str:
        """The presses that answer a time: yes, if need be or no."""
        return cls.pattern_where(answer=tuple(ANSWER_CODES))

    @classmethod
    def skip_pattern(cls) -> str:
        """Skip's presses, the `mv:skip` sent before it named a slot among them."""
        return cls.pattern_where(answer=SKIP) + f"|^{re.escape(cls.prefix + SEPARATOR + SKIP)}$"


@dataclass(frozen=True)
class SendAnswersButton(CallbackData, prefix="ms", needs=ANYONE):
    """An invitee sends their answers to the time poll."""

    meeting: int


@dataclass(frozen=True)
class RsvpButton(CallbackData, prefix="mr", needs=ANYONE):
    """An invitee's reply (an RSVP_CODES key) to the notice of the meeting's `sequence`-th time."""

    meeting: int
    sequence: int
    answer: str

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """Buttons sent before changes were counted carry no count: they belong to the first invitation."""
        parts = (data or "").split(SEPARATOR)
        if len(parts) == 3:
            parts.insert(2, "0")
        return super().unpack(SEPARATOR.join(parts))

    @classmethod
    def pattern(cls) -> str:
        return r"^mr:\d+:(\d+:)?[gmc]$"


@dataclass(frozen=True)
class MeetingChoice(StepChoice, CallbackData, prefix="mn", needs=ANYONE):
    """A choice in the organiser's own meeting draft: which step it answers and what was chosen.
    Only an organiser can be in that flow; who is invited is checked again when it is chosen."""
