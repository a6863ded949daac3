"""Buttons sent before opportunities', claims', joining's, access's and privacy's buttons were
typed are still on people's phones: each old layout must parse as its declared kind and pack
back to the same string."""

from __future__ import annotations

import re

import pytest

from approvals.buttons import ClaimReplyButton
from bot.callbacks import kind_of
from claims.buttons import ClaimChoice
from decide.buttons import DraftChoice
from domain.participation import Level
from handlers.buttons.profile_buttons import AccessChoice, JoinChoice, ProfileChoice
from handlers.kit import ladder
from opportunities.buttons import FormChoice, Reply, ReplyButton
from privacy.buttons import Answer, PrivacyButton

OLD_LAYOUTS = [
    "op:in:12",
    "op:no:12",
    "op:more:12",
    "op:pause:1",
    "op:pause:0",
    "cl:for:3",
    "cl:for:t4",
    "cl:for:other",
    "cl:add:taxi",
    "cl:review",
    "cl:veh:car",
    "cl:pas:2",
    "cl:hrs:1.5",
    "cl:note:skip",
    "cl:pay:bank",
    "cl:send:0f3a",
    "cl:more",
    "cl:paychange",
    "cl:cancel",
    "cl:pre:5",
    "cl:precat:taxi",
    "cl:stmt:2026",
    "cl:tam:5",
    "cl:tah:2",
    "cr:9",
    "on:pays:both",
    "on:aud:everyone",
    "on:lang:cy",
    "on:topics:done",
    "on:topic:housing",
    "on:level:consult",
    "on:send:go",
    "on:edit:title",
    "ob:lang:cy",
    "ob:consent:yes",
    "ob:consent:no",
    "ob:name:telegram",
    "ob:acting:cared_for",
    "ob:other:no",
    "ob:topics:done",
    "ob:topic:housing",
    "ob:quiet:21-8",
    "ob:back",
    "ob:skip",
    "pf:edit:acting_for",
    "pf:edit:language",
    "ac:pref:in_person",
    "ac:long:120",
    "ac:need:bsl",
    "ac:time:1",
    "ac:back",
    "ac:next",
    "ac:open",
    "pv:erase:1764600000",
    "pv:stay",
    "mn:level:consult",
]


@pytest.mark.parametrize("data", OLD_LAYOUTS)
def test_an_old_button_parses_as_its_kind_and_packs_back_the_same(data: str):
    kind = kind_of(data)
    assert kind is not None, data
    value = kind.unpack(data)
    assert value is not None, data
    assert value.pack() == data


def test_the_parsed_values_are_what_the_old_strings_meant():
    assert ReplyButton.unpack("op:in:12") == ReplyButton(Reply.INTERESTED, 12)
    assert ClaimChoice.unpack("cl:review") == ClaimChoice("review", "")
    assert ClaimChoice.chosen(ClaimChoice.unpack("cl:for:t4"), "for") == "t4"
    assert ClaimReplyButton.unpack("cr:9") == ClaimReplyButton(9)
    assert FormChoice.chosen(FormChoice.unpack("on:send:go"), "send") == "go"
    assert JoinChoice.unpack("ob:back") == JoinChoice("back", "")
    assert JoinChoice.chosen(JoinChoice.unpack("ob:lang:cy"), "lang") == "cy"
    assert ProfileChoice.chosen(ProfileChoice.unpack("pf:edit:quiet"), "edit") == "quiet"
    assert AccessChoice.unpack("ac:open") == AccessChoice("open", "")
    assert PrivacyButton.unpack("pv:erase:1764600000") == PrivacyButton(Answer.ERASE, 1764600000)
    assert PrivacyButton.unpack("pv:stay") == PrivacyButton(Answer.STAY)
    assert ladder.chosen_level(FormChoice.unpack("on:level:consult")) is Level.CONSULT


def test_a_keep_button_from_before_parses_as_keep():
    """It carried a 0 where erase carries the time /delete was asked; keep needs none, so it now packs without."""
    assert PrivacyButton.unpack("pv:keep:0") == PrivacyButton(Answer.KEEP)
    assert PrivacyButton(Answer.KEEP).pack() == "pv:keep"


def test_a_bare_last_field_is_only_left_off_when_empty():
    assert JoinChoice("quiet", "0").pack() == "ob:quiet:0"
    assert PrivacyButton(Answer.ERASE, 5).pack() == "pv:erase:5"


def test_a_ladder_answer_needs_its_step_and_a_level():
    assert ladder.chosen_level(DraftChoice("share", "consult")) is None
    assert ladder.chosen_level(DraftChoice("level", "nonsense")) is None
    assert ladder.chosen_level(DraftChoice("level", "inform")) is Level.INFORM
    assert ladder.chosen_level(None) is None


@pytest.mark.parametrize(
    "data",
    ["op:list:1", "op:in:x", "cl:a:b:c", "cr:x", "pv:erase:soon", "pv:forget:1", "pv", "ob:lang:cy:x", "ac:a:b:c"],
)
def test_a_malformed_button_does_not_parse(data: str):
    kind = kind_of(data)
    assert kind is not None and kind.unpack(data) is None


@pytest.mark.parametrize(
    ("data", "matches"),
    [("pv:stay", True), ("pv:erase:5", True), ("pv:keep:0", True), ("pv", False), ("pv:erase:5:6", False)],
)
def test_a_bare_last_kinds_pattern_takes_both_layouts(data: str, matches: bool):
    assert bool(re.match(PrivacyButton.pattern(), data)) is matches
