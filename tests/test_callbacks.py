"""A handler can take only some of one kind's presses: the pattern narrowed to chosen field values
matches exactly those presses, and a narrowing our code gets wrong fails at start, not silently."""

from __future__ import annotations

import re

import pytest

from cycle.buttons import LeadStepButton
from decide.buttons import HideNameButton, LeadActionButton
from opportunities.buttons import Reply, ReplyButton


def test_a_pattern_narrowed_to_one_value_matches_only_presses_with_that_value():
    vote = LeadActionButton.pattern_where(action="vote")
    assert re.match(vote, LeadActionButton(12, "vote").pack())
    assert not re.match(vote, LeadActionButton(12, "close").pack())
    assert not re.match(vote, LeadActionButton(12, "voter").pack())
    assert not re.match(vote, "gd:12:vote:1")


def test_a_pattern_narrowed_to_several_values_matches_each_and_nothing_else():
    starts = LeadStepButton.pattern_where(action=("themes", "causes"))
    assert all(re.match(starts, LeadStepButton(1, 2, action).pack()) for action in ("themes", "causes"))
    assert not re.match(starts, LeadStepButton(1, 2, "next").pack())


def test_narrowing_by_a_number_an_enum_or_a_yes_no_field_uses_the_packed_text():
    assert re.match(LeadActionButton.pattern_where(group=7), "gd:7:vote")
    assert not re.match(LeadActionButton.pattern_where(group=7), "gd:71:vote")
    assert re.match(ReplyButton.pattern_where(reply=Reply.PAUSE), ReplyButton(Reply.PAUSE, 1).pack())
    assert not re.match(ReplyButton.pattern_where(reply=Reply.PAUSE), ReplyButton(Reply.MORE, 1).pack())
    assert re.match(HideNameButton.pattern_where(hide=True), "dh:3:1")
    assert not re.match(HideNameButton.pattern_where(hide=True), "dh:3:0")


def test_unnarrowed_it_is_the_kinds_whole_pattern():
    assert LeadActionButton.pattern_where() == LeadActionButton.pattern()


@pytest.mark.parametrize("only", [{"act": "vote"}, {"group": "7"}, {"hide": 1}, {"action": ()}, {"action": "a:b"}])
def test_a_narrowing_that_cannot_match_a_real_press_is_refused(only: dict[str, object]):
    kind = HideNameButton if "hide" in only else LeadActionButton
    with pytest.raises((TypeError, ValueError)):
        kind.pattern_where(**only)  # type: ignore[arg-type]
