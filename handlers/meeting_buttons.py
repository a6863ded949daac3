"""The organiser's buttons on a meeting: its results, closing the poll, confirming or moving the
time, attendance, and cancelling. Only the meeting's own organiser (staff, or the group's
co-lead who set it up) or an admin may press them: the GroupRight.ORGANISER right."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, GroupRight, Needs

ORGANISER = Needs(group=GroupRight.ORGANISER, via="meeting")
LIST = 0  # the attendance list itself, rather than one person on it


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
