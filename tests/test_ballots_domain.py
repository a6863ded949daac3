"""One tap on a dot or ranking button: what the unsent ballot becomes."""

from __future__ import annotations

from domain.ballots import Refusal, changed, dotted, ranked
from domain.decisions import Kind

OPTIONS = {11, 12, 13}


def test_ranking_puts_each_option_next_once_and_zero_starts_again():
    assert ranked({}, 12, OPTIONS) == {12: 1}
    assert ranked({12: 1}, 11, OPTIONS) == {12: 1, 11: 2}
    assert ranked({12: 1}, 12, OPTIONS) == {12: 1}
    assert ranked({12: 1}, 99, OPTIONS) == {12: 1}
    assert ranked({12: 1, 11: 2}, 0, OPTIONS) == {}


def test_dots_can_be_added_up_to_the_limit_and_taken_away_only_where_given():
    assert dotted({11: 2}, 11, +1, 3, OPTIONS) == {11: 3}
    assert dotted({11: 3}, 12, +1, 3, OPTIONS) is Refusal.NO_DOTS_LEFT
    assert dotted({11: 1, 12: 1}, 11, -1, 3, OPTIONS) == {12: 1}
    assert dotted({11: 1}, 12, -1, 3, OPTIONS) is Refusal.NO_DOT_THERE
    assert dotted({11: 1}, 99, +1, 3, OPTIONS) == {11: 1}


def test_a_single_dot_moves_to_the_option_tapped():
    assert dotted({11: 1}, 13, +1, 1, OPTIONS) == {13: 1}


def test_a_tap_of_the_other_sort_leaves_the_ballot_as_it_was():
    assert changed(Kind.DOTS, {11: 1}, 12, None, 5, OPTIONS) == {11: 1}
    assert changed(Kind.RANKED, {11: 1}, 12, +1, 5, OPTIONS) == {11: 1}
    assert changed(Kind.RANKED, {11: 1}, 12, None, 5, OPTIONS) == {11: 1, 12: 2}
    assert changed(Kind.ELECTION, {}, 12, +1, 1, OPTIONS) == {12: 1}
