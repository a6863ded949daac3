"""Deep links reach the feature that declared their kind of link, and any other kind is not
followed; a group's buttons are typed, keep the strings already on people's phones, and its
start-up check holds an honest level to account."""

from __future__ import annotations

from bot.callbacks import kind_of
from domain.deeplinks import LinkKind, make_payload
from handlers.buttons.project_buttons import LeaveButton, Membership, NewGroupChoice
from projects.startup import suggested_level
from tests.builders import answer_startup_check, new_group
from tests.harness import TestBed
from tests.test_opportunities import staff


def test_the_group_buttons_already_sent_parse_as_their_kinds_and_pack_back_the_same():
    assert LeaveButton.unpack("pj:leave:7") == LeaveButton(Membership.LEAVE, 7)
    assert LeaveButton(Membership.LEAVE, 7).pack() == "pj:leave:7"
    pressed = kind_of("np:level:co_design")
    assert pressed is NewGroupChoice
    assert NewGroupChoice.chosen(pressed.unpack("np:level:co_design"), "level") == "co_design"
    assert LeaveButton.unpack("pj:qr:1") is None and LeaveButton.unpack("pj:leave:x") is None


def test_no_level_is_suggested_until_every_start_up_question_has_a_valid_answer():
    assert suggested_level({"share": "yes", "time": "1"}) is None
    assert suggested_level({"share": "maybe", "time": "1", "fixed": "little", "stake": "1"}) is None
    assert suggested_level({"share": "yes", "time": "1", "fixed": "little", "stake": "1"}) is not None


async def test_a_kind_of_link_no_feature_follows_is_not_recognised_before_or_after_joining(bed: TestBed):
    rosa = await bed.joined("Rosa")
    await rosa.send("/start " + make_payload(LinkKind.OPPORTUNITY, "abcdef"))
    assert "don't recognise that link. Send /help" in rosa.reply_text
    await rosa.send("/start zz")
    assert "don't recognise that link. Send /help" in rosa.reply_text

    sam = bed.person("Sam")
    await sam.send("/start zz")
    assert "don't recognise that link, but you can still join" in sam.reply_text
    tom = bed.person("Tom")
    await tom.send("/start " + make_payload(LinkKind.OPPORTUNITY, "abcdef"))
    assert "Which language" in tom.reply_text  # kept for after joining, like a group's link
    await tom.tap("English")
    await tom.tap("Yes, I agree")
    await tom.send("Tom")
    await tom.tap("For myself")
    await tom.tap("Done")
    await tom.tap("Skip")
    await tom.tap("Any time")
    assert any("don't recognise that link. Send /help" in (m.get("text") or "") for m in tom.messages)


async def test_a_member_leaves_only_a_group_they_are_in(bed: TestBed):
    cora = await staff(bed)
    payload = await new_group(cora, "Parks", "Parks plan.", "Engage")
    rosa = await bed.joined("Rosa")
    await rosa.send(f"/start {payload}")
    group = (await bed.services.projects.of_member((await bed.services.participants.by_telegram_id(rosa.id)).id))[0]
    bob = await bed.joined("Bob")
    await bob.press(bob.messages[-1]["message_id"], f"pj:leave:{group.id}")
    assert "not in that group" in bob.callback_answer()["text"]
    assert await bed.services.projects.member_count(group.id) == 1
    await rosa.press(rosa.messages[-1]["message_id"], f"pj:leave:{group.id}")  # as /projects drew it
    assert "You have left “Parks”" in rosa.reply_text
    assert await bed.services.projects.member_count(group.id) == 0


async def test_a_level_above_the_suggestion_needs_a_reason_that_members_then_see(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/newproject")
    await cora.send("Bins")
    await cora.send("When the bins are collected.")
    await answer_startup_check(cora, ("No", "Yes", "Most of it", "Not yet"))
    assert "we suggest: Inform" in cora.reply_text
    await cora.tap("Co-produce")
    assert "Please say why" in cora.reply_text
    await cora.send("The crews and residents will set the rota together.")
    card = next(m["text"] for m in reversed(cora.messages) if "Your group is ready" in (m.get("text") or ""))
    assert "Why this level: The crews and residents will set the rota together." in card
    group = (await bed.services.projects.led_by((await bed.services.participants.by_telegram_id(cora.id)).id))[0]
    assert group.level_reason == "The crews and residents will set the rota together."
