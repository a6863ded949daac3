"""Buttons sent before opportunities' and claims' buttons were typed are still on people's
phones: each old layout must parse as its declared kind and pack back to the same string."""

from __future__ import annotations

import pytest

from bot.callbacks import kind_of
from approvals.buttons import ClaimReplyButton
from claims.buttons import ClaimChoice
from opportunities.buttons import FormChoice, Reply, ReplyButton

OLD_LAYOUTS = [
    "op:in:12", "op:no:12", "op:more:12", "op:pause:1", "op:pause:0",
    "cl:for:3", "cl:for:t4", "cl:for:other", "cl:add:taxi", "cl:review", "cl:veh:car", "cl:pas:2", "cl:hrs:1.5",
    "cl:note:skip", "cl:pay:bank", "cl:send:0f3a", "cl:more", "cl:paychange", "cl:cancel", "cl:pre:5",
    "cl:precat:taxi", "cl:stmt:2026", "cl:tam:5", "cl:tah:2",
    "cr:9",
    "on:pays:both", "on:aud:everyone", "on:lang:cy", "on:topics:done", "on:topic:housing", "on:level:consult",
    "on:send:go", "on:edit:title",
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


@pytest.mark.parametrize("data", ["op:list:1", "op:in:x", "cl:a:b:c", "cr:x"])
def test_a_malformed_button_does_not_parse(data: str):
    kind = kind_of(data)
    assert kind is not None and kind.unpack(data) is None
