"""The offer on a paused flow is a declared button: the strings already on people's phones
("fl:go:<flow>", "fl:new:<flow>") still work, each flow takes only its own offer, and a
malformed one is turned away without touching the paused flow."""

from __future__ import annotations

import pytest

from bot.callbacks import kind_of
from handlers.kit.flow import PAUSED, ResumeButton, registered
from handlers.kit.flow_pause import Way
from tests.harness import TestBed
from tests.test_flows import _claim


async def test_every_flows_offer_packs_to_the_old_strings_and_back(bed: TestBed):
    for flow in registered(bed.running.application):
        for way in Way:
            data = f"fl:{way.value}:{flow.name}"
            assert ResumeButton(way, flow.name).pack() == data
            assert kind_of(data) is ResumeButton and ResumeButton.unpack(data) == ResumeButton(way, flow.name)


@pytest.mark.parametrize("data", ["fl:stop:claim", "fl:go", "fl:go:claim:1"])
def test_a_malformed_offer_does_not_parse(data: str):
    assert ResumeButton.unpack(data) is None


async def test_an_old_carry_on_string_puts_the_person_back_in_their_flow(bed: TestBed):
    ann, _none = await _claim(bed)
    await ann.send("/help")
    await ann.press(ann.messages[-1]["message_id"], "fl:go:claim")
    assert "Claim for: Ran the stall on 1 November" in ann.reply_text
    assert "claim" not in bed.running.application.user_data[ann.id].get(PAUSED, {})


async def test_another_flows_offer_leaves_the_paused_flow_paused(bed: TestBed):
    ann, _none = await _claim(bed)
    await ann.send("/help")
    await ann.press(ann.messages[-1]["message_id"], "fl:go:feedback")
    assert "nothing to carry on with" in ann.reply_text
    assert "claim" in bed.running.application.user_data[ann.id][PAUSED]
    await ann.press(ann.messages[-1]["message_id"], "fl:stop:claim")
    assert "no longer active" in ann.callback_answer()["text"]
    await ann.send("/claim")
    await ann.tap("Carry on with")
    assert "Claim for: Ran the stall on 1 November" in ann.reply_text
