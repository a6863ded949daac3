"""Access needs: what people need to take part, and what a venue offers.

Needs are sensitive. Organisers see them only as counts for the people likely to come to
their own meeting, next to the venue's features, so gaps show up before the day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from domain.marks import N_
from domain.meetings import TimeOfDay

NEEDS: dict[str, str] = {
    "step_free": N_("Step-free access"),
    "wheelchair_space": N_("Wheelchair space"),
    "hearing_loop": N_("Hearing loop"),
    "bsl": N_("BSL interpreter"),
    "large_print": N_("Large print"),
    "easy_read": N_("Easy Read papers"),
    "screen_reader": N_("Screen-reader friendly documents"),
    "quiet_breaks": N_("Quiet space or breaks"),
    "carer_pa": N_("A carer or personal assistant comes with me"),
    "taxi": N_("Travel help: taxi"),
    "parking": N_("Travel help: parking"),
    "childcare": N_("Childcare or respite cover"),
    "dietary": N_("Dietary needs"),
}

VENUE_FEATURES: dict[str, str] = {
    "step_free": N_("Step-free access"),
    "wheelchair_space": N_("Wheelchair space"),
    "hearing_loop": N_("Hearing loop"),
    "lift": N_("Lift"),
    "wide_doors": N_("Wide doors"),
    "accessible_toilet": N_("Accessible toilet"),
    "signage": N_("Clear signs"),
    "evacuation_plan": N_("Evacuation plan for disabled people"),
    "parking": N_("Parking"),
    "quiet_room": N_("Quiet room"),
}

# Which venue feature answers which need; needs met by people (BSL, large print...) are not here.
NEED_FEATURE: dict[str, str] = {
    "step_free": "step_free",
    "wheelchair_space": "wheelchair_space",
    "hearing_loop": "hearing_loop",
    "parking": "parking",
    "quiet_breaks": "quiet_room",
}

PREFERENCES: dict[str, str] = {
    "online": N_("Online"),
    "in_person": N_("In person"),
    "phone": N_("By phone"),
    "any": N_("No preference"),
}

TIMES: dict[str, str] = {
    TimeOfDay.MORNING: N_("Mornings"),
    TimeOfDay.AFTERNOON: N_("Afternoons"),
    TimeOfDay.EVENING: N_("Evenings"),
    TimeOfDay.WEEKEND: N_("Weekends"),
}

LONGEST: dict[str, str] = {
    "30": N_("30 minutes"),
    "60": N_("1 hour"),
    "120": N_("2 hours"),
    "240": N_("Half a day"),
    "none": N_("No limit"),
}

OTHER_MAX = 500


@dataclass(frozen=True)
class AccessProfile:
    needs: frozenset[str] = field(default_factory=frozenset)
    prefers: str | None = None
    times: frozenset[str] = field(default_factory=frozenset)
    longest: str | None = None
    other: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.needs or self.prefers or self.times or self.longest or self.other)


def summarise(profiles: Iterable[AccessProfile]) -> dict[str, int]:
    """How many people in a group have each need, most common first."""
    counts: Counter[str] = Counter()
    for profile in profiles:
        counts.update(need for need in profile.needs if need in NEEDS)
    return dict(counts.most_common())


def _venue_lacks(need: str, venue_features: set[str]) -> bool:
    return need in NEED_FEATURE and NEED_FEATURE[need] not in venue_features


def venue_warnings(counts: dict[str, int], venue_features: set[str]) -> list[tuple[str, int]]:
    """Needs some people have that the venue does not record meeting."""
    return [(need, count) for need, count in counts.items() if _venue_lacks(need, venue_features)]


def unmet_needs(needs: Iterable[str], venue_features: set[str]) -> list[str]:
    """One person's needs that the venue does not record meeting, in the order of NEEDS, so
    their invitation can say so plainly."""
    mine = set(needs)
    return [need for need in NEEDS if need in mine and _venue_lacks(need, venue_features)]


def met_needs(needs: Iterable[str], venue_features: set[str]) -> list[str]:
    """One person's needs that the venue records meeting, so their invitation can say so too."""
    mine = set(needs)
    return [need for need in NEEDS if need in mine and need in NEED_FEATURE and NEED_FEATURE[need] in venue_features]


def times_that_suit(profile: AccessProfile) -> set[TimeOfDay]:
    return {TimeOfDay(value) for value in profile.times if value in TIMES}
