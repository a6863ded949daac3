"""The organiser's buttons on an opportunity they sent: stop sending it, see who is interested,
and invite them to a group. Only organisers may press them; the handlers check the opportunity
is the presser's own (or that they are an admin) and that they lead the group."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, Needs
from domain.roles import ORGANISERS


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
