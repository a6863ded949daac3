"""The organiser's button under the "You said, we did" digest: send it to a group they lead.
Only organisers may press it; the handler checks they lead the group."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, Needs
from domain.roles import ORGANISERS

CHOOSE_GROUP = 0  # no group yet: list the groups the organiser leads


@dataclass(frozen=True)
class DigestToGroupButton(CallbackData, prefix="ys", needs=Needs(roles=ORGANISERS)):
    """Send the digest to this group's members, or (CHOOSE_GROUP) choose the group first."""

    group: int
