"""Typed drafts of /inbox, /themes, questions and replies, and an officer's words on a claim:
a draft stored the way the version before typed drafts wrote it (a bare id, a [theme, outcome]
pair, a question's "as") carries on after the upgrade and finishes; a lost one ends kindly."""

from __future__ import annotations

import json

from tests.harness import Person, TestBed
from tests.test_feedback import in_the_inbox
from tests.test_opportunities import staff
from tests.test_questions import _asked
from tests.test_typed_drafts import _claim_for_the_stall, _store_then_restart


async def test_a_cant_do_reason_stored_as_a_bare_id_and_card_carries_on(bed: TestBed):
    olive, ann = await in_the_inbox(bed)
    card = next(m for m in olive.replies if "F-2026-0001" in (m.get("text") or ""))["message_id"]
    await olive.tap("Can't do")
    await _store_then_restart(bed, olive, 1, "inbox_item")
    await _store_then_restart(bed, olive, card, "inbox_card")
    await olive.send("There is no budget for Sunday staff this year.")
    assert "Noted, with your reason" in olive.reply_text
    assert (await bed.services.feedback.by_id(1)).status == "cant"
    edits = [call for call in bed.server.calls if call.method == "editMessageText"]
    assert edits and edits[-1].params["message_id"] == card, "the card shows the new status"
    await bed.services.sender.drain()
    assert "no budget for Sunday staff" in ann.last_text


async def test_a_new_theme_stored_as_a_bare_id_carries_on(bed: TestBed):
    olive, _ann = await in_the_inbox(bed)
    await olive.tap("Add to a “You said” theme")
    await olive.tap("A new theme")
    await _store_then_restart(bed, olive, 1, "inbox_item")
    await olive.send("The library is shut when people are free")
    assert "New theme “The library is shut when people are free” with F-2026-0001" in olive.reply_text


async def _themed(bed: TestBed) -> tuple[Person, Person]:
    olive, ann = await in_the_inbox(bed)
    await olive.tap("Add to a “You said” theme")
    await olive.tap("A new theme")
    await olive.send("The library is shut when people are free")
    await olive.send("/themes")
    return olive, ann


async def test_a_we_did_stored_as_a_theme_and_outcome_pair_is_previewed_and_sent(bed: TestBed):
    olive, ann = await _themed(bed)
    await olive.tap("We can't, and here is why")
    await _store_then_restart(bed, olive, [1, "cant"], "inbox_item")
    await olive.send("There is no budget for Sunday staff this year.")
    assert "This is what they will get" in olive.messages[-2]["text"]
    assert "We can't do this, and here is why" in olive.messages[-2]["text"]
    await _store_then_restart(
        bed,
        olive,
        {
            "theme": 1,
            "title": "The library is shut when people are free",
            "outcome": "cant",
            "we_did": "No budget for Sunday staff.",
        },
        "we_did_draft",
    )
    await olive.tap("Send it")
    assert "On its way to 1 person" in olive.reply_text
    await bed.services.sender.drain()
    assert "No budget for Sunday staff." in ann.last_text
    left = json.loads(await bed.db.fetchval("SELECT data FROM user_drafts WHERE telegram_id = ?", (olive.id,)))
    assert not {"inbox_item", "we_did_draft"} & set(left), "both drafts went with the sending"


async def test_a_lost_we_did_draft_ends_kindly(bed: TestBed):
    olive, _ann = await _themed(bed)
    await olive.tap("We did it")
    await _store_then_restart(bed, olive, None, "inbox_item")
    await olive.send("We open on Sundays from March.")
    assert "tap the button you began with again" in olive.reply_text
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("We open on Sundays from March.")
    assert "This is what they will get" in olive.messages[-2]["text"]


async def test_a_reply_stored_with_the_old_as_field_carries_on(bed: TestBed):
    cora, ann = await _asked(bed)
    await cora.tap("Reply")
    await _store_then_restart(bed, cora, {"thread": 1, "as": "organiser"}, "question")
    await cora.send("Yes, two spaces.")
    assert "Their answer will come to you here" in cora.reply_text
    await bed.services.sender.drain()
    assert "Yes, two spaces." in ann.last_text
    await ann.tap("Reply")
    await _store_then_restart(bed, ann, {"thread": 1, "as": "resident"}, "question")
    await ann.send("Thank you, I will come.")
    await bed.services.sender.drain()
    assert "Ann wrote again" in cora.last_text and "Thank you, I will come." in cora.last_text


async def test_a_new_question_stored_as_the_old_dict_carries_on(bed: TestBed):
    cora, ann = await _asked(bed)
    await ann.tap("Ask a question")
    await _store_then_restart(bed, ann, {"ask": ["opportunity", 1]}, "question")
    await ann.send("Is it step-free?")
    assert "The organiser will answer you here" in ann.reply_text
    await bed.services.sender.drain()
    assert "Is it step-free?" in cora.last_text


async def _claim_sent(bed: TestBed) -> tuple[Person, Person]:
    ann = await _claim_for_the_stall(bed)
    await ann.tap("Food and drink")
    await ann.send("3.20")
    for label in ("Review and send", "Skip", "Vouchers", "Send my claim"):
        await ann.tap(label)
    olive = await staff(bed, "Officer", "Olive")
    await olive.send("/approvals")
    return olive, ann


async def test_a_reject_reason_stored_as_a_bare_claim_id_carries_on(bed: TestBed):
    olive, ann = await _claim_sent(bed)
    await olive.tap("Reject")
    await _store_then_restart(bed, olive, 1, "approval_claim")
    await olive.send("Food is not paid for this stall.")
    assert "Rejected C-2026-0001" in olive.reply_text
    assert (await bed.services.claims.by_id(1)).status == "rejected"


async def test_a_question_and_its_answer_stored_as_bare_claim_ids_carry_on(bed: TestBed):
    olive, ann = await _claim_sent(bed)
    await olive.tap("Ask a question")
    await _store_then_restart(bed, olive, 1, "approval_claim")
    await olive.send("What food was it?")
    assert "Their answer will come back into the claim" in olive.reply_text
    await bed.services.sender.drain()
    await ann.tap("Reply")
    await _store_then_restart(bed, ann, 1, "approval_claim")
    await ann.send("Squash for the volunteers.")
    assert "Your answer has been added to your claim" in ann.reply_text


async def test_a_lost_approval_draft_ends_kindly(bed: TestBed):
    olive, _ann = await _claim_sent(bed)
    await olive.tap("Reject")
    await _store_then_restart(bed, olive, {"claim": "one"}, "approval_claim")
    await olive.send("Food is not paid for this stall.")
    assert "tap the button you began with again" in olive.reply_text
    assert (await bed.services.claims.by_id(1)).status == "submitted"
