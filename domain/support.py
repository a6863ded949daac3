"""Arranged support as plain rules: which tasks an organiser has for a confirmed meeting, whether a
meeting is longer than people can manage, and what an invitation should offer.

A person's needs become named tasks only with their separate consent to show their name to the
organiser; without it, they stay counts, as before. Needs the venue already meets need no task.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from domain.access import NEED_FEATURE, NEEDS, AccessProfile
from domain.marks import N_

PHONE = "phone"  # not a need but a way of taking part: someone has to call them

# One task per person: the organiser books or arranges something for them by name.
PERSONAL: dict[str, str] = {
    "taxi": N_("Book a taxi for {name}"),
    "parking": N_("Keep a parking space for {name}"),
    "bsl": N_("Book a BSL interpreter for {name}"),
    "carer_pa": N_("Keep a place for {name}'s carer"),
    "childcare": N_("Arrange childcare or respite cover for {name}"),
    "dietary": N_("Note {name}'s dietary needs for the food"),
    "step_free": N_("Arrange step-free access for {name}"),
    "wheelchair_space": N_("Keep a wheelchair space for {name}"),
    "hearing_loop": N_("Arrange a hearing loop for {name}"),
    PHONE: N_("Call {name} so they can join by phone"),
}
# One task for everyone who needs it: papers are printed, a room is booked, once. Its label
# depends on how many (handlers/meetings/support.py words it, since a count needs a plural form).
SHARED = ("easy_read", "large_print", "screen_reader", "quiet_breaks")
# What the person is told when the task is ticked done.
DONE: dict[str, str] = {
    "taxi": N_("Your taxi is booked."),
    "parking": N_("A parking space is kept for you."),
    "bsl": N_("A BSL interpreter is booked."),
    "carer_pa": N_("A place is kept for your carer."),
    "childcare": N_("Your childcare or respite cover is arranged."),
    "dietary": N_("Your dietary needs are noted for the food."),
    "step_free": N_("Step-free access is arranged."),
    "wheelchair_space": N_("A wheelchair space is kept for you."),
    "hearing_loop": N_("A hearing loop is arranged."),
    "easy_read": N_("Your Easy Read papers are ready."),
    "large_print": N_("Your large-print papers are ready."),
    "screen_reader": N_("Your screen-reader friendly papers are ready."),
    "quiet_breaks": N_("A quiet room is ready for you."),
    PHONE: N_("The organiser will call you so you can join by phone."),
}
# Nothing to arrange for these when everyone joins online.
IN_PERSON_ONLY = frozenset(
    {"taxi", "parking", "dietary", "step_free", "wheelchair_space", "hearing_loop", "quiet_breaks", "carer_pa"}
)
SHARED_TASK = 0  # the participant id a shared task is stored under
NOTE_MAX = 100


@dataclass(frozen=True)
class Attendee:
    """Someone likely to come, with what they told us and whether they agreed to be named."""

    participant_id: int
    name: str
    profile: AccessProfile
    consented: bool
    papers_suit: frozenset[str] = frozenset()  # paper needs the meeting's attached papers already meet


@dataclass(frozen=True)
class Task:
    need: str
    participant_id: int  # SHARED_TASK for a shared task
    name: str | None  # whose task, for a personal one
    count: int  # how many people it is for
    tell: tuple[int, ...]  # who is told when it is done: only people who agreed to be named


@dataclass(frozen=True)
class SupportList:
    tasks: tuple[Task, ...]
    own_words: tuple[tuple[str, str], ...]  # (name, their "anything else" words), only with consent
    unnamed: dict[str, int]  # personal needs of people who did not agree, as counts


def _needs_arranging(need: str, venue_features: frozenset[str], online: bool) -> bool:
    if online and need in IN_PERSON_ONLY:
        return False
    return not (need in NEED_FEATURE and NEED_FEATURE[need] in venue_features)


def asks(profile: AccessProfile) -> set[str]:
    """What a person asks to have arranged: their needs, and a call if they join by phone."""
    return set(profile.needs) | ({PHONE} if wants_phone(profile) else set())


def support_list(attendees: Iterable[Attendee], venue_features: frozenset[str], *, online: bool) -> SupportList:
    """Personal tasks by name for people who consented, one shared task per kind of paper or room
    (counting everyone, named or not), and counts for everyone else's personal needs."""
    people = sorted(attendees, key=lambda person: (person.name.casefold(), person.participant_id))
    tasks: list[Task] = []
    unnamed: Counter[str] = Counter()
    for person in people:
        for need in (n for n in PERSONAL if n in asks(person.profile) and _needs_arranging(n, venue_features, online)):
            if person.consented:
                tasks.append(Task(need, person.participant_id, person.name, 1, (person.participant_id,)))
            else:
                unnamed[need] += 1
    for need in SHARED:
        if not _needs_arranging(need, venue_features, online):
            continue
        having = [person for person in people if need in person.profile.needs and need not in person.papers_suit]
        if having:
            tasks.append(
                Task(
                    need,
                    SHARED_TASK,
                    None,
                    len(having),
                    tuple(person.participant_id for person in having if person.consented),
                )
            )
    words = tuple((person.name, person.profile.other) for person in people if person.consented and person.profile.other)
    return SupportList(tuple(tasks), words, {need: unnamed[need] for need in PERSONAL if unnamed[need]})


# --- how long people can manage -------------------------------------------------------------

LONGEST_MINUTES = {"30": 30, "60": 60, "120": 120, "240": 240}  # "none": no limit


@dataclass(frozen=True)
class LengthWarning:
    people: int  # how many said they can manage less than the meeting's length
    shortest: int  # the shortest session any of them can manage, in minutes
    breaks: int  # breaks needed so no part is longer than that


def length_warning(minutes: int, profiles: Iterable[AccessProfile]) -> LengthWarning | None:
    """Whether the meeting is longer than some people said they can manage, and how many breaks
    keep every part within the shortest of their limits."""
    limits = [
        limit
        for profile in profiles
        if (limit := LONGEST_MINUTES.get(profile.longest or "")) is not None and limit < minutes
    ]
    if not limits:
        return None
    shortest = min(limits)
    return LengthWarning(len(limits), shortest, math.ceil(minutes / shortest) - 1)


def wants_phone(profile: AccessProfile | None) -> bool:
    """Someone who prefers to take part by phone is offered a phone option on the invitation."""
    return profile is not None and profile.prefers == "phone"


def has_needs(profile: AccessProfile | None) -> bool:
    return profile is not None and any(need in NEEDS for need in profile.needs)
