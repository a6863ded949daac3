"""Choices a resident makes about themselves during onboarding and in /profile."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.marks import N_
from domain.words import clean_typed

NAME_MAX = 64
AREA_MAX = 64


class ActingFor(StrEnum):
    SELF = "self"
    CARED_FOR = "cared_for"
    ADVOCATED_FOR = "advocated_for"


ACTING_FOR_LABELS: dict[ActingFor, str] = {
    ActingFor.SELF: N_("For myself"),
    ActingFor.CARED_FOR: N_("For someone I care for"),
    ActingFor.ADVOCATED_FOR: N_("For someone I speak up for"),
}


@dataclass(frozen=True)
class QuietHours:
    """Hours (local time) when we send nothing that can wait: start inclusive, end exclusive."""

    start: int
    end: int

    def contains(self, hour: int) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= hour < self.end
        return hour >= self.start or hour < self.end


QUIET_CHOICES: dict[str, QuietHours | None] = {
    "21-8": QuietHours(21, 8),
    "22-7": QuietHours(22, 7),
    "20-9": QuietHours(20, 9),
    "none": None,
}


def clean_text(value: str, limit: int) -> str | None:
    """Trim what a person typed; None if nothing usable is left or it is too long."""
    cleaned = clean_typed(value)
    if not cleaned or len(cleaned) > limit:
        return None
    return cleaned
