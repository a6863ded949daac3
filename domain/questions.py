"""Questions both ways: what an item's thread is about, who answers it, and when it is overdue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from domain.marks import N_

QUESTION_MAX = 1000


class Kind(StrEnum):
    OPPORTUNITY = "opportunity"
    MEETING = "meeting"
    GROUP = "group"
    FEEDBACK = "feedback"


KIND_NAMES = {
    Kind.OPPORTUNITY: N_("Opportunity"),
    Kind.MEETING: N_("Meeting"),
    Kind.GROUP: N_("Group"),
    Kind.FEEDBACK: N_("Feedback"),
}


class Outcome(StrEnum):
    """What happened to an opportunity, told to everyone who was interested."""

    WENT = "went"  # it went ahead; each hears whether they were invited
    DECIDED = "decided"  # something was decided, said in words
    NOT = "not"  # it did not go ahead, and why


def organisers(
    kind: Kind,
    *,
    creator: int | None = None,
    leads: Iterable[int] = (),
    coleads: Iterable[int] = (),
    officers: Iterable[int] = (),
) -> frozenset[int]:
    """Who answers questions about an item: its creator (an opportunity, a meeting), the
    group's leads and co-leads (a group), or the officers (feedback)."""
    if kind is Kind.GROUP:
        return frozenset([*leads, *coleads])
    if kind is Kind.FEEDBACK:
        return frozenset(officers)
    return frozenset([creator] if creator is not None else [])


def is_overdue(waiting_since: datetime | None, now: datetime, hours: int) -> bool:
    """A question is overdue once it has waited `hours` with no answer."""
    return waiting_since is not None and now - waiting_since >= timedelta(hours=hours)
