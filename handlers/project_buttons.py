"""The staff buttons of a group: name its other lead, and print its join poster. Only organisers
may press them; the handlers check the presser leads the group (or is an admin)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, Needs
from domain.roles import ORGANISERS


@dataclass(frozen=True)
class OtherLeadButton(CallbackData, prefix="pl", needs=Needs(roles=ORGANISERS)):
    """Make this staff member the group's other lead (coordinator or officer)."""

    group: int
    person: int


@dataclass(frozen=True)
class PosterButton(CallbackData, prefix="pq", needs=Needs(roles=ORGANISERS)):
    """The group's join link as a QR code to print."""

    group: int
