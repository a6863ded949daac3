"""How one tap changes a member's unsent dots or ranking. A pure rule, so the buttons, and any
other way of building a ballot, change it the same way; nothing counts until it is sent."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum

from domain.decisions import Kind

Ballot = dict[int, int]  # option id -> dots given, or place in the order (1 first)


class Refusal(StrEnum):
    NO_DOTS_LEFT = "no_dots_left"
    NO_DOT_THERE = "no_dot_there"


def ranked(ballot: Mapping[int, int], option: int, options: Collection[int]) -> Ballot:
    """Put `option` next in the order; option 0 starts the order again. An option already placed,
    or not on this decision, changes nothing."""
    if option == 0:
        return {}
    if option in options and option not in ballot:
        return {**ballot, option: len(ballot) + 1}
    return dict(ballot)


def dotted(
    ballot: Mapping[int, int], option: int, change: int, dots: int, options: Collection[int]
) -> Ballot | Refusal:
    """Add (change > 0) or take away one dot on `option`. With a single dot (an election), adding
    moves it; otherwise a member can't give more dots than they have or take away one not there."""
    if option not in options:
        return dict(ballot)
    if dots == 1 and change > 0:
        return {option: 1}
    if change > 0 and sum(ballot.values()) >= dots:
        return Refusal.NO_DOTS_LEFT
    if change < 0 and ballot.get(option, 0) == 0:
        return Refusal.NO_DOT_THERE
    given = {**ballot, option: ballot.get(option, 0) + (1 if change > 0 else -1)}
    return {key: value for key, value in given.items() if value > 0}


def changed(
    kind: Kind, ballot: Mapping[int, int], option: int, change: int | None, dots: int, options: Collection[int]
) -> Ballot | Refusal:
    """The ballot after one tap: a ranking tap (`change` None) on a ranked choice, a dot tap on a
    dot vote or an election; a tap of the other sort leaves it as it was."""
    if change is None:
        return ranked(ballot, option, options) if kind is Kind.RANKED else dict(ballot)
    return dotted(ballot, option, change, dots, options) if kind in (Kind.DOTS, Kind.ELECTION) else dict(ballot)
