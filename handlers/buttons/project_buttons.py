"""The buttons of groups. Staff buttons (creating a group, naming its other lead, printing its
join poster) are for organisers only, and their handlers check the presser leads the group (or
is an admin). A member's own Leave button may be pressed by anyone: leaving a group one is not
in changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.callbacks import CallbackData, Needs, StepChoice
from domain.roles import ORGANISERS

STAFF = Needs(roles=ORGANISERS)


@dataclass(frozen=True)
class NewGroupChoice(StepChoice, CallbackData, prefix="np", needs=STAFF):
    """A choice while creating a group: its level on the ladder (`np:level:<level>`, built by the
    shared ladder step from this prefix)."""


@dataclass(frozen=True)
class OtherLeadButton(CallbackData, prefix="pl", needs=STAFF):
    """Make this staff member the group's other lead (coordinator or officer)."""

    group: int
    person: int


@dataclass(frozen=True)
class PosterButton(CallbackData, prefix="pq", needs=STAFF):
    """The group's join link as a QR code to print."""

    group: int


class Membership(StrEnum):
    """What a member does to their own membership from /projects. Only leaving so far; the word is
    in the button so the `pj:leave:<group>` buttons already on people's phones still work."""

    LEAVE = "leave"


@dataclass(frozen=True)
class LeaveButton(CallbackData, prefix="pj", needs=Needs()):
    """Leave the group (the handler checks the presser is in it)."""

    act: Membership
    group: int
