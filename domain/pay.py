"""What is paid for taking part, as plain rules: a group's settings, a meeting's own on top, the
default rate under both; the rate for each kind of time; which claimed costs the settings do not
cover. The "What is paid" sentence every poll and invitation carries is in meetings/pay_words.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from enum import StrEnum

from domain.marks import N_


class Activity(StrEnum):
    """Kinds of time paid for, each with its own rate."""

    MEETING = "meeting"
    PREPARATION = "preparation"  # preparing for a meeting and reading its papers
    OTHER = "other"  # "something else I did", once the organiser agreed it


# The claim category each kind of time is claimed under (domain.claims keeps time apart from costs).
TIME_CATEGORIES: dict[str, Activity] = {
    "involvement": Activity.MEETING,
    "preparation": Activity.PREPARATION,
    "other_time": Activity.OTHER,
}
TRAVEL_CATEGORIES = frozenset({"public_transport", "taxi", "mileage", "parking"})
CARER_CATEGORIES = frozenset({"carer_cover"})
ACTIVITY_NAMES = {
    Activity.MEETING: N_("Meeting time"),
    Activity.PREPARATION: N_("Preparation and reading"),
    Activity.OTHER: N_("Something else I did"),
}


@dataclass(frozen=True)
class PayChoices:
    """One level's settings (a group's, or a meeting's); None means "as the level below"."""

    meeting_pence: int | None = None
    preparation_pence: int | None = None
    other_pence: int | None = None
    travel: bool | None = None
    carer_cover: bool | None = None

    def over(self, below: PayChoices) -> PayChoices:
        """These choices, falling back to `below` where they say nothing."""
        return replace(
            below, **{f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        )


@dataclass(frozen=True)
class WhatIsPaid:
    """Settled: every rate in pence an hour, and whether travel and carer cover are refunded."""

    meeting_pence: int
    preparation_pence: int
    other_pence: int
    travel: bool
    carer_cover: bool

    def rate(self, activity: Activity) -> int:
        return {
            Activity.MEETING: self.meeting_pence,
            Activity.PREPARATION: self.preparation_pence,
            Activity.OTHER: self.other_pence,
        }[activity]


def settle(default_pence: int, group: PayChoices | None = None, meeting: PayChoices | None = None) -> WhatIsPaid:
    """The meeting's own choices over the group's, over the defaults: every rate `default_pence`
    (HOURLY_RATE), travel and carer cover refunded, as the council always did before settings."""
    base = PayChoices(default_pence, default_pence, default_pence, True, True)
    chosen = (meeting or PayChoices()).over((group or PayChoices()).over(base))
    return WhatIsPaid(
        meeting_pence=chosen.meeting_pence or 0,
        preparation_pence=chosen.preparation_pence or 0,
        other_pence=chosen.other_pence or 0,
        travel=bool(chosen.travel),
        carer_cover=bool(chosen.carer_cover),
    )


def time_rate(paid: WhatIsPaid, category: str) -> int:
    """Pence an hour for a time claim in this category."""
    return paid.rate(TIME_CATEGORIES[category])


def not_covered(categories: Iterable[str], paid: WhatIsPaid) -> list[str]:
    """Claimed costs the settings say are not paid: the approver is shown them before deciding."""
    return [
        category
        for category in categories
        if (category in TRAVEL_CATEGORIES and not paid.travel)
        or (category in CARER_CATEGORIES and not paid.carer_cover)
    ]
