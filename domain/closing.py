"""Closing a group: the feelings members can say closing left them with, and how the group's
record sums them up. Like every measure here, too few answers say more about those people
than about the group, so below `MIN_ANSWERS` the summary is "not enough answers yet" (None)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from domain.marks import N_
from domain.success import MIN_ANSWERS

OUTCOMES_MAX = 1000
CHANGED_MAX = 1000
LEARNED_MAX = 500

FEELINGS: dict[int, str] = {
    5: N_("😀 Great"),
    4: N_("🙂 Good"),
    3: N_("😐 Mixed"),
    2: N_("🙁 Not good"),
    1: N_("😞 Bad"),
}


def feelings_summary(felt: Iterable[int]) -> dict[int, int] | None:
    """How many chose each feeling, best first and only those chosen; None below `MIN_ANSWERS`."""
    counts = Counter(value for value in felt if value in FEELINGS)
    if sum(counts.values()) < MIN_ANSWERS:
        return None
    return {value: counts[value] for value in FEELINGS if counts[value]}
