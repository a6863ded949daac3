"""'You said, we did' as plain rules: statuses, what counts as answered, and the measures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from domain.marks import N_

STATUSES: dict[str, str] = {
    "received": N_("Received"),
    "looking": N_("Being looked at"),
    "planned": N_("Action planned"),
    "done": N_("Done"),
    "cant": N_("Can't do"),
}
ABOUT: dict[str, str] = {
    "project": N_("One of my groups"),
    "meeting": N_("A meeting"),
    "service": N_("A council service"),
    "general": N_("Something else"),
}


@dataclass(frozen=True)
class QuoteChoice:
    """What someone said about quoting their words to other residents, and how staff see it."""

    label: str
    staff_note: str
    quoted: bool
    named: bool


QUOTE_CHOICES: dict[str, QuoteChoice] = {
    "named": QuoteChoice(N_("Yes, with my name"), N_("may be quoted with their name"), quoted=True, named=True),
    "unnamed": QuoteChoice(
        N_("Yes, but not my name"), N_("may be quoted without their name"), quoted=True, named=False
    ),
    "no": QuoteChoice(N_("No, please don't quote me"), N_("not to be quoted"), quoted=False, named=False),
}


def quote_choice(quoted: bool, anonymous: bool) -> QuoteChoice:
    """The choice a stored feedback item records."""
    return next(
        choice
        for choice in QUOTE_CHOICES.values()
        if choice.quoted == quoted and choice.named == (quoted and not anonymous)
    )


DIFFERENCE: dict[str, str] = {"yes": N_("Yes"), "bit": N_("A bit"), "no": N_("No"), "not_sure": N_("Not sure")}
MOODS = ("😞", "🙁", "😐", "🙂", "😀")
AGREEMENT: dict[int, str] = {
    5: N_("Strongly agree"),
    4: N_("Agree"),
    3: N_("Not sure"),
    2: N_("Disagree"),
    1: N_("Strongly disagree"),
}
# The guide's four 'I' statements, asked after each meeting in the order the guide gives them.
STATEMENTS: dict[str, str] = {
    "valued": N_("My contribution was valued."),
    "strengths": N_("People saw my strengths, not only my needs."),
    "respect": N_("I was treated with respect and dignity."),
    "influence": N_("I could help shape what happens."),
}
# Every answer a check-in stores; "listened" was asked before the four statements and still counts.
CHECKIN_KEYS = ("mood_start", "mood_end", "listened", *STATEMENTS)
MADE_A_DIFFERENCE = frozenset({"yes", "bit"})
ASK_AGAIN = frozenset({"no", "not_sure"})  # "not yet": asked again at the follow-up


def reason_ok(reason: str | None) -> bool:
    """'Can't do' must say why, in words a resident can read: a few words at least."""
    return reason is not None and len(reason.split()) >= 3


@dataclass(frozen=True)
class Measures:
    received: int
    median_days_to_response: float | None
    themes: int
    themes_published: int
    answered_difference: int
    made_difference: int
    checkin_averages: dict[str, float]

    @property
    def share_published(self) -> float | None:
        return self.themes_published / self.themes if self.themes else None

    @property
    def share_made_difference(self) -> float | None:
        return self.made_difference / self.answered_difference if self.answered_difference else None


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86_400


def measures(
    received: Iterable[tuple[datetime, datetime | None]],
    themes: Iterable[bool],
    differences: Iterable[str],
    checkins: Iterable[dict[str, int | None]],
) -> Measures:
    """received: (received_at, responded_at); themes: published?; differences: latest answer each."""
    received = list(received)
    waits = [days_between(start, end) for start, end in received if end is not None]
    themes = list(themes)
    differences = list(differences)
    checkins = list(checkins)
    averages = {}
    for key in CHECKIN_KEYS:
        values = [row[key] for row in checkins if row.get(key) is not None]
        if values:
            averages[key] = sum(values) / len(values)  # type: ignore[arg-type]
    return Measures(
        received=len(received),
        median_days_to_response=median(waits) if waits else None,
        themes=len(themes),
        themes_published=sum(1 for published in themes if published),
        answered_difference=len(differences),
        made_difference=sum(1 for answer in differences if answer in MADE_A_DIFFERENCE),
        checkin_averages=averages,
    )
