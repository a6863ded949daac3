"""The counting rules of deciding together, directly: answers and quorum, dot votes, ranked
choice (ties included), and the level a group's start-up check supports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.decisions import (
    Answer,
    DecidesBy,
    Fixed,
    Share,
    StartupAnswers,
    above_suggestion,
    dot_totals,
    ranked_choice,
    remind_at,
    suggest_level,
    tally,
    top,
    valid_dots,
)
from domain.participation import Level


def test_tally_counts_answers_carers_and_quorum():
    counted = tally([(Answer.AGREE, False), (Answer.BLOCK, True), (Answer.ABSTAIN, False)], members=10)
    assert counted.answered == 3 and counted.on_behalf == 1 and counted.counts[Answer.DISAGREE] == 0
    assert counted.quorum_met(30) and not counted.quorum_met(31)
    assert tally([], members=0).quorum_met(0) and not tally([], members=0).quorum_met(50)


def test_consent_fails_on_one_block_and_majority_counts_heads():
    one_block = tally([(Answer.AGREE, False)] * 5 + [(Answer.BLOCK, False)], members=6)
    assert not one_block.passes(DecidesBy.CONSENT) and one_block.passes(DecidesBy.MAJORITY)
    split = tally([(Answer.AGREE, False), (Answer.DISAGREE, False)], members=2)
    assert split.passes(DecidesBy.CONSENT) and not split.passes(DecidesBy.MAJORITY)
    assert not tally([(Answer.ABSTAIN, False)], members=1).passes(DecidesBy.CONSENT), "nobody agreed"


def test_dot_votes_add_up_and_report_ties():
    ballots = [{1: 3, 2: 2}, {2: 3, 3: 2}, {1: 2, 3: 1}]
    assert dot_totals(ballots, [1, 2, 3]) == {1: 5, 2: 5, 3: 3}
    assert top(dot_totals(ballots, [1, 2, 3])) == [1, 2], "a tie is reported, not broken by chance"
    assert top(dot_totals([], [1, 2])) == [], "nobody voted"
    assert dot_totals([{9: 4}], [1, 2]) == {1: 0, 2: 0}, "an option not on offer counts for nothing"
    assert valid_dots({1: 2, 2: 3}, 5) and not valid_dots({1: 6}, 5) and not valid_dots({1: -1}, 5)


def test_a_changed_ballot_replaces_the_first():
    first, changed = {1: 5}, {2: 5}
    assert top(dot_totals([changed], [1, 2])) == [2]
    assert top(dot_totals([first], [1, 2])) == [1]


@pytest.mark.parametrize(
    ("ballots", "winners"),
    [
        ([[1, 2, 3], [1, 2, 3], [2, 1, 3], [3, 2, 1], [3, 2, 1]], [1]),  # 2 drops out, its vote goes to 1
        ([[1], [1], [2]], [1]),  # a majority at once
        ([[1, 2], [2, 1]], [1, 2]),  # a true tie shares the win
        ([[1, 3], [2, 3], [3, 1], [3, 2], [1], [2]], [3]),  # 1 and 2 tie last and go together
        ([], []),  # nobody voted
        ([[2], [2], [1, 2], [3]], [2]),  # short ballots still count
    ],
)
def test_ranked_choice_by_instant_run_off(ballots, winners):
    assert ranked_choice(ballots, [1, 2, 3]).winners == winners


def test_ranked_choice_keeps_its_rounds():
    result = ranked_choice([[1, 2], [2, 1], [3, 1]], [1, 2, 3])
    assert result.rounds[0] == {1: 1, 2: 1, 3: 1}
    assert result.winners == [1]


@pytest.mark.parametrize(
    ("answers", "level"),
    [
        (StartupAnswers(Share.YES, True, Fixed.LITTLE, True), Level.CO_PRODUCE),
        (StartupAnswers(Share.YES, True, Fixed.SOME, True), Level.CO_DESIGN),
        (StartupAnswers(Share.PARTLY, True, Fixed.LITTLE, True), Level.CO_DESIGN),
        (StartupAnswers(Share.YES, True, Fixed.LITTLE, False), Level.CO_DESIGN),
        (StartupAnswers(Share.YES, False, Fixed.LITTLE, True), Level.ENGAGE),
        (StartupAnswers(Share.PARTLY, True, Fixed.MOST, True), Level.ENGAGE),
        (StartupAnswers(Share.NO, True, Fixed.SOME, True), Level.CONSULT),
        (StartupAnswers(Share.NO, True, Fixed.MOST, True), Level.INFORM),
    ],
)
def test_the_start_up_check_suggests_the_honest_level(answers, level):
    assert suggest_level(answers) is level


def test_a_level_above_the_suggestion_needs_a_reason():
    assert above_suggestion(Level.CO_PRODUCE, Level.ENGAGE)
    assert not above_suggestion(Level.CONSULT, Level.ENGAGE) and not above_suggestion(Level.ENGAGE, Level.ENGAGE)


def test_one_reminder_a_day_before_or_half_way():
    opened = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert remind_at(opened, opened + timedelta(days=7)) == opened + timedelta(days=6)
    assert remind_at(opened, opened + timedelta(hours=10)) == opened + timedelta(hours=5)
