"""Success the group defines, as plain rules: points of view, the 1-5 scale, the 'We'
statements staff answer, and the measures (baseline against latest, the trend per meeting).

An average of one or two answers says more about those people than about the group, so
below `MIN_ANSWERS` a measure is "not enough answers yet" (None), never a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from domain.marks import N_

MIN_ANSWERS = 3
BASELINE = 0  # the meeting id a baseline rating is stored under
TEXT_MAX, INDICATORS_MAX, COMMENT_MAX = 120, 300, 500
BASELINE_JOB = "success.baseline"  # asks members "where are we now?" once a statement is agreed

VIEWS: dict[str, str] = {
    "users": N_("People who use the service"),
    "carers": N_("Carers"),
    "staff": N_("Staff"),
}
SCALE: dict[int, str] = {1: N_("1 Not at all"), 2: "2", 3: "3", 4: "4", 5: N_("5 We are there")}

# The guide's 'We' statements: the organisation's side of the 'I' statements, in plain words.
WE_STATEMENTS: dict[str, str] = {
    "partners": N_("We work with people as equal partners and decide together."),
    "others": N_("We work well with other groups and services."),
    "included": N_("We help people feel included and valued for what they bring."),
    "can_do": N_("We say “yes, we can” and focus on what matters to people."),
}
WE_SCALE: dict[int, str] = {3: N_("Yes"), 2: N_("Partly"), 1: N_("Not yet")}


def average(scores: Iterable[int]) -> float | None:
    """The mean, or None when too few people answered for it to mean anything."""
    values = list(scores)
    if len(values) < MIN_ANSWERS:
        return None
    return sum(values) / len(values)


@dataclass(frozen=True)
class Point:
    """One step of the trend: the baseline (meeting 0) or one meeting."""

    meeting_id: int
    answers: int
    average: float | None


@dataclass(frozen=True)
class Progress:
    baseline: Point
    trend: list[Point]  # meetings in order, only those where someone rated

    @property
    def latest(self) -> Point | None:
        return self.trend[-1] if self.trend else None

    @property
    def change(self) -> float | None:
        """Latest average minus the baseline, when both have enough answers."""
        latest = self.latest
        if latest is None or latest.average is None or self.baseline.average is None:
            return None
        return latest.average - self.baseline.average


def progress(ratings: Iterable[tuple[int, int]], meeting_order: Sequence[int]) -> Progress:
    """ratings: (meeting id or BASELINE, score); meeting_order: the group's meetings, oldest first."""
    by_meeting: dict[int, list[int]] = {}
    for meeting_id, score in ratings:
        by_meeting.setdefault(meeting_id, []).append(score)
    baseline = by_meeting.pop(BASELINE, [])
    rank = {meeting_id: i for i, meeting_id in enumerate(meeting_order)}
    ordered = sorted(by_meeting, key=lambda m: (rank.get(m, len(rank)), m))
    return Progress(
        Point(BASELINE, len(baseline), average(baseline)),
        [Point(m, len(by_meeting[m]), average(by_meeting[m])) for m in ordered],
    )


def statement_averages(checkins: Iterable[Mapping[str, int | None]], keys: Iterable[str]) -> dict[str, float | None]:
    """Each check-in statement's mean, with the same "not enough answers yet" rule."""
    rows = list(checkins)
    return {key: average(v for row in rows if (v := row.get(key)) is not None) for key in keys}
