"""The buttons of recognition: a person's own record and certificate, what they know about,
and the organiser's choices of who an opportunity is for. Each declares who may press it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ANYONE, CallbackData, Needs
from domain.roles import ORGANISERS

STAFF = Needs(roles=ORGANISERS)


@dataclass(frozen=True)
class CertificateButton(CallbackData, prefix="rc", needs=ANYONE):
    """Send me my certificate: the handler only ever reads the presser's own record."""


@dataclass(frozen=True)
class ExperienceOpen(CallbackData, prefix="rx", needs=ANYONE):
    """ "What I know about" on /profile."""


@dataclass(frozen=True)
class ExperienceTick(CallbackData, prefix="rk", needs=ANYONE):
    """Tick or untick one thing I know about."""

    skill: str


@dataclass(frozen=True)
class ExperienceStep(CallbackData, prefix="rn", needs=ANYONE):
    """Next, Skip, or my answer to "may we use this?"."""

    choice: str


@dataclass(frozen=True)
class AudienceChoice(CallbackData, prefix="ra", needs=STAFF):
    """In /opportunity: target people who know about something, or who worked on a group."""

    choice: str


@dataclass(frozen=True)
class AudienceSkillTick(CallbackData, prefix="rt", needs=STAFF):
    skill: str


@dataclass(frozen=True)
class AudienceGroup(CallbackData, prefix="rg", needs=STAFF):
    """Invite back the people who worked with us on this group."""

    group: int
