"""What people know about from their own lives, and the record of what they did with us.

Both are plain data and rules: the list people choose from, and how the hours they gave are
counted for their certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.marks import N_

OWN_WORDS_MAX = 300

# Keys are stored and sent in buttons; labels are translated where they are shown.
SKILLS: dict[str, str] = {
    "caring": N_("Caring for a parent or partner"),
    "wheelchair": N_("Using a wheelchair"),
    "send": N_("A child with SEND"),
    "mental": N_("Mental health"),
    "sight": N_("Sight or hearing loss"),
    "illness": N_("A long-term illness"),
    "housing": N_("Having no home"),
    "money": N_("Living on a low income"),
    "care": N_("Growing up in care"),
    "language": N_("English as a second language"),
}


@dataclass(frozen=True)
class Experience:
    skills: frozenset[str]
    own_words: str | None
    agreed_at: datetime | None  # when they agreed we may match them on it


NO_EXPERIENCE = Experience(frozenset(), None, None)


@dataclass(frozen=True)
class Attended:
    """A meeting they came to, and the hours of an approved claim for their time there, if any."""

    title: str
    starts_at: datetime | None
    minutes: int
    claimed_hours: str | None


@dataclass(frozen=True)
class Record:
    """A person's own record: what /myinvolvement shows and the certificate confirms."""

    since: datetime | None
    groups: tuple[tuple[str, datetime], ...]  # name, joined
    meetings: tuple[Attended, ...]
    decisions: tuple[tuple[str, str], ...]  # title, group
    we_did: tuple[tuple[str, str], ...]  # what they said (the theme), what was done

    @property
    def empty(self) -> bool:
        return not (self.groups or self.meetings or self.decisions or self.we_did)


EMPTY_RECORD = Record(None, (), (), (), ())


def minutes_given(meetings: tuple[Attended, ...]) -> int:
    """The time someone gave: for each meeting, the hours an officer approved for it, else the
    meeting's length. A claim is the better record (people stay on to help), but most people
    never claim, and their time counts too."""
    total = 0
    for meeting in meetings:
        claimed = int(Decimal(meeting.claimed_hours) * 60) if meeting.claimed_hours else 0
        total += claimed or meeting.minutes
    return total
