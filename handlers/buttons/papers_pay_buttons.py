"""The buttons of meeting papers, what is paid and agreed time, each declaring who may press it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, GroupRight, Needs

ORGANISER_OF_MEETING = Needs(group=GroupRight.ORGANISER, via="meeting")
LEAD_OF_GROUP = Needs(group=GroupRight.LEAD, via="group")


@dataclass(frozen=True)
class PapersButton(CallbackData, prefix="kp", needs=ORGANISER_OF_MEETING):
    """The meeting's papers screen: what is attached, and who still has no version to suit them."""

    meeting: int


@dataclass(frozen=True)
class AttachButton(CallbackData, prefix="ka", needs=ORGANISER_OF_MEETING):
    """Attach (or replace) one version of the papers: "standard" or "easy"."""

    meeting: int
    version: str


@dataclass(frozen=True)
class MeetingPayButton(CallbackData, prefix="km", needs=ORGANISER_OF_MEETING):
    """A meeting's own pay settings: "show", a yes/no to flip, or a rate to type."""

    meeting: int
    setting: str


@dataclass(frozen=True)
class GroupPayButton(CallbackData, prefix="kg", needs=LEAD_OF_GROUP):
    """The same for a group, the default for all its meetings."""

    group: int
    setting: str


@dataclass(frozen=True)
class AgreeTimeButton(CallbackData, prefix="kt", needs=ORGANISER_OF_MEETING):
    """The organiser agrees (1) or does not agree (0) to pay for "something else I did"."""

    meeting: int
    ask: int
    agree: int
