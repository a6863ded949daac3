"""Claims end to end: receipt → question → answer → approve → paid → export, with
advance approval, permissions, double taps, bad input, erasure and nudges."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from tests.conftest import ADMIN_ID
from tests.harness import Person, TestBed
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x9a\x9b\xa5\x00\x00\x00\x00IEND\xaeB`\x82"
)
MEETING = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)


async def attended_meeting(bed: TestBed) -> tuple[Person, Person]:
    """A coordinator's confirmed meeting on 3 December that Ann attended."""
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await ann.tap("1 ✅")
    await ann.tap("2 ✅")
    await ann.tap("Send my answers")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    await ann.tap("Going")
    return cora, ann


async def mark_attended(bed: TestBed, cora: Person, name: str = "Ann") -> None:
    bed.clock.set(MEETING + timedelta(hours=2))
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Attendance")
    await cora.tap(name)


async def officer(bed: TestBed) -> Person:
    return await staff(bed, "Officer", "Olive")


async def claiming_for_the_meeting(bed: TestBed) -> Person:
    """Ann, who came to the meeting, at the list of items of a /claim for it."""
    cora, ann = await attended_meeting(bed)
    await mark_attended(bed, cora)
    await ann.send("/claim")
    await ann.tap("Café planning")
    return ann


async def test_a_lift_or_hours_nobody_was_offered_asks_the_question_again(bed: TestBed):
    """A stale or forged answer to "Did you give anyone a lift?" used to get no answer at all."""
    ann = await claiming_for_the_meeting(bed)
    await ann.tap("Mileage")
    await ann.press(ann.messages[-1]["message_id"], "cl:veh:rocket")
    assert "How did you travel?" in ann.reply_text
    await ann.tap("Car")
    await ann.send("12")
    await ann.press(ann.messages[-1]["message_id"], "cl:pas:9")
    assert "Did you give anyone a lift" in ann.reply_text
    await ann.tap("1")
    await ann.tap("Payment for my time")
    await ann.press(ann.messages[-1]["message_id"], "cl:hrs:100")
    assert "How many hours did you give" in ann.reply_text and "½" in "".join(ann.buttons())
    await ann.tap("2")
    assert "Mileage (12 miles): £6.00" in ann.reply_text and "£40.00" in ann.reply_text


async def test_a_long_note_for_the_checker_is_explained_not_cut(bed: TestBed):
    """The note used to be cut at 300 characters without a word; now the person is told the
    limit and asked again, a press that is not Skip asks again, and what they sent is kept whole."""
    ann = await claiming_for_the_meeting(bed)
    await ann.tap("Mileage")
    await ann.tap("Car")
    await ann.send("12")
    await ann.tap("1")
    await ann.tap("Review and send")
    await ann.send("The bus was cancelled, so I drove. " * 10)
    assert "up to 300 characters" in ann.reply_text
    await ann.press(ann.messages[-1]["message_id"], "cl:note:later")
    assert "Anything to add for the person checking" in ann.reply_text
    note = "The bus was cancelled, so I drove. " * 8
    await ann.send(note)
    await ann.tap("Bank transfer")
    await ann.tap("Send my claim")
    participant = await bed.services.participants.by_telegram_id(ann.id)
    (claim,) = await bed.services.claims.mine(participant.id)
    assert claim.note == note.strip()


async def test_whole_journey_claim_query_answer_approve_paid_export(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    olive = await officer(bed)
    await mark_attended(bed, cora)

    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Taxi")
    await ann.send("£12,50")
    assert "Did you mean £12.50?" in ann.reply_text
    await ann.send("twelve")
    assert "in numbers" in ann.reply_text
    await ann.send("12.50")
    assert "receipt" in ann.reply_text
    await ann.send_document("sticker.webp", b"RIFF0000WEBP", "image/webp")
    assert "photo of the receipt" in ann.reply_text
    await ann.send_photo(PNG)
    await ann.tap("Mileage")
    await ann.tap("Car")
    await ann.send("0")
    assert "from 1 to 300" in ann.reply_text
    await ann.send("12")
    await ann.tap("1")
    await ann.tap("Payment for my time")
    await ann.tap("2")
    assert "Taxi: £12.50 🧾" in ann.reply_text and "Mileage (12 miles): £6.00" in ann.reply_text
    await ann.tap("Review and send")
    await ann.tap("Skip")
    assert "never ask for bank details" in ann.reply_text
    await ann.tap("Bank transfer")
    summary = ann.reply_text
    assert "Costs to refund" in summary and "Costs: £18.50" in summary
    assert "Payment for your time" in summary and "Time: £40.00" in summary and "Total: £58.50" in summary
    await ann.tap("Send my claim")
    assert "C-2026-0001" in ann.reply_text

    await olive.send("/approvals")
    text = olive.reply_text
    assert "C-2026-0001" in text and "attended" in text and "receipt below" in text
    assert any(m.get("photo") for m in olive.replies), "the receipt is shown to the officer"
    await olive.tap("Ask a question")
    assert "What would you like to ask about C-2026-0001?" in olive.reply_text
    await olive.send("Why? " * 250)  # too long to read beside the claim: explained, nothing asked
    assert "up to 1000 characters" in olive.reply_text
    await olive.send("Was the taxi there and back?")
    await bed.services.sender.drain()
    assert "Was the taxi there and back?" in ann.last_text
    await ann.tap("Reply")
    await ann.send("Yes, both ways <b>honest</b>")
    await bed.services.sender.drain()
    assert "Yes, both ways <b>honest</b>" in olive.last_text
    await olive.send("/approvals")
    assert "They answered: Yes, both ways <b>honest</b>" in olive.reply_text
    await olive.tap("Approve")
    first_query = olive.last_query_id
    await olive.tap("Mark paid")
    await bed.services.sender.drain()
    assert "has been paid" in ann.last_text
    texts = [m.get("text", "") for m in ann.messages]
    assert any("is approved" in t for t in texts)

    await olive.send("/export_claims")
    await olive.tap("This month")
    export = olive.replies[-1]["document"]
    rows = list(csv.DictReader(io.StringIO(bed.server.file_bytes(export["file_id"]).decode("utf-8-sig"))))
    assert [(r["kind"], r["category"], r["amount_gbp"]) for r in rows] == [
        ("expense", "taxi", "12.50"),
        ("expense", "mileage", "6.00"),
        ("involvement", "involvement", "40.00"),
    ]
    assert {r["claim_reference"] for r in rows} == {"C-2026-0001"} and rows[0]["approved_by"] == "Olive"
    assert rows[0]["participant_reference"].startswith("P-") and rows[0]["status"] == "paid"
    events = [e["action"] for e in await bed.services.claims.events(1)]
    assert events == ["submitted", "question", "answer", "approve", "paid"]
    assert first_query


async def test_permissions_double_taps_and_own_claims(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    olive = await officer(bed)
    await mark_attended(bed, cora)
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Parking")
    await ann.send("4")
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.tap("Vouchers")
    await ann.tap("Send my claim")
    for person in (ann, cora):
        await person.press(person.messages[-1]["message_id"], "ap:1:a")
        assert "can't do that" in person.callback_answer()["text"]
        await person.send("/approvals")
        assert "can't do that" in person.reply_text
    await olive.send("/approvals")
    await olive.tap("Reject")
    await olive.send("no")
    assert "reason is needed" in olive.reply_text
    await olive.send("Parking is free at the library.")
    await olive.press(olive.messages[-3]["message_id"], "ap:1:a")  # the old Approve button, tapped late
    assert "already moved on" in olive.callback_answer()["text"]
    assert (await bed.services.claims.by_id(1)).status == "rejected"
    await bed.services.sender.drain()
    assert "Parking is free at the library." in ann.last_text

    # An officer's own claim is never theirs to decide.
    await olive.send("/claim")
    await olive.tap("Something else")
    await olive.send("Ran the stall on 1 December")
    await olive.tap("Food and drink")
    await olive.send("3.20")
    await olive.tap("Review and send")
    await olive.tap("Skip")
    await olive.tap("Bank transfer")
    await olive.tap("Send my claim")
    await olive.press(olive.messages[-1]["message_id"], "ap:2:a")
    assert "can't do that" in olive.callback_answer()["text"]
    assert (await bed.services.claims.by_id(2)).status == "submitted"


async def test_only_attended_meetings_and_no_double_claims(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    bob = await bed.joined("Bob")
    await bob.send("/claim")
    assert "Café planning" not in " ".join(bob.buttons())
    await bob.press(bob.messages[-1]["message_id"], "cl:for:1")  # forged: Bob was not there
    assert "only claim for a meeting" in bob.reply_text
    await mark_attended(bed, cora)
    for _round in range(2):
        await ann.send("/claim")
        await ann.tap("Café planning")
        await ann.tap("Payment for my time")
        if "already claimed" in ann.reply_text:
            break
        await ann.tap("1")
        await ann.tap("Review and send")
        await ann.tap("Skip")
        await ann.tap("Expenses only")
        await ann.tap("Send my claim")
    assert "already claimed “Payment for my time” for this meeting" in ann.reply_text


async def test_advance_approval_is_matched_to_the_later_claim(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    olive = await officer(bed)
    await ann.send("/claim")
    await ann.tap("Ask in advance")
    await ann.press(ann.messages[-1]["message_id"], "cl:pre:999")  # not a meeting of hers: asked again
    assert "Which meeting is it for?" in ann.reply_text
    await ann.tap("Café planning")
    await ann.press(ann.messages[-1]["message_id"], "cl:precat:mileage")  # not on offer in advance
    assert "What cost can't you pay upfront?" in ann.reply_text
    await ann.tap("Taxi")
    await ann.send("18")
    assert "An officer will check it" in ann.reply_text
    await olive.send("/approvals")
    assert "Asked in advance by Ann" in olive.reply_text
    await olive.tap("Agree")
    await bed.services.sender.drain()
    assert "Agreed" in ann.last_text
    await mark_attended(bed, cora)
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Taxi")
    await ann.send("9.00")
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.press(ann.messages[-1]["message_id"], "cl:pay:cash")  # not a way we pay: asked again
    assert "How would you like to be paid?" in ann.reply_text
    await ann.tap("Bank transfer")
    await ann.tap("Send my claim")
    await olive.send("/approvals")
    assert "agreed in advance" in olive.reply_text


async def test_statement_nudges_and_erasure(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    olive = await officer(bed)
    await mark_attended(bed, cora)
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Payment for my time")
    await ann.tap("3")
    await ann.tap("Review and send")
    await ann.send("I came early to set up")
    await ann.tap("Give it to a charity")
    await ann.send("Bracknell Foodbank")
    assert "Give it to a charity (Bracknell Foodbank)" in ann.reply_text
    await ann.tap("Send my claim")

    bed.clock.advance(timedelta(days=6))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert "has waited 5 days" in olive.last_text
    assert "taking longer than usual" in ann.last_text

    await olive.send("/approvals")
    await olive.tap("Approve")
    await ann.send("/statement")
    await ann.tap("2026–2027")
    page = bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]).decode()
    assert "£60.00" in page and "Payment for time" in page and "C-2026-0001" in page
    await ann.send("/claims")
    assert "C-2026-0001" in ann.reply_text and "£60.00" in ann.reply_text

    await ann.send("/delete")
    await ann.tap("Yes, delete my data")
    claim = await bed.services.claims.by_id(1)
    assert claim is not None and claim.note is None, "kept for the council, without personal notes"
    person = await bed.services.participants.by_id(claim.participant_id)
    assert person.display_name is None and person.telegram_id is None


async def test_claim_with_a_deleted_account_in_the_queue_is_withdrawn(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    olive = await officer(bed)
    await mark_attended(bed, cora)
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Food and drink")
    await ann.send("5")
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.tap("Vouchers")
    await ann.tap("Send my claim")
    await ann.send("/delete")
    await ann.tap("Yes, delete my data")
    await olive.send("/approvals")
    assert "Nothing is waiting" in olive.reply_text
    assert (await bed.services.claims.by_id(1)).status == "rejected"
    assert ADMIN_ID


async def test_a_receipt_file_that_is_too_big_is_refused_kindly(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    await mark_attended(bed, cora)
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Childcare")
    await ann.send("45")
    await ann.send_document("receipt.pdf", b"%PDF-1.4 " + b"0" * (30 * 1024 * 1024), "application/pdf")
    assert "too big" in ann.reply_text
    await ann.send_document("receipt.pdf", b"%PDF-1.4 small receipt", "application/pdf")
    assert "Childcare: £45.00 🧾" in ann.reply_text, "the amount typed before was not lost"


async def test_a_long_queue_comes_a_page_at_a_time(bed: TestBed):
    """Four asked in advance: three, with the counts and Show 1 more, then the fourth."""
    cora, ann = await attended_meeting(bed)
    olive = await officer(bed)
    person = await bed.services.participants.by_telegram_id(ann.id)
    meeting = await bed.db.fetchval("SELECT MAX(id) FROM meetings")
    for pounds in (10, 20, 30, 40):
        await bed.services.claims.ask_preapproval(person.id, meeting, "taxi", pounds * 100, bed.clock.now())

    first_call = len(bed.server.calls)
    await olive.send("/approvals")
    sent = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(sent) == 4 and "Waiting: 0 to check, 0 to pay, 4 asked in advance" in sent[3]
    assert ["£10.00" in sent[0], "£30.00" in sent[2]] == [True, True]  # oldest first
    first_call = len(bed.server.calls)
    await olive.tap("Show 1 more")
    sent = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(sent) == 2 and "£40.00" in sent[0] and "Show" not in " ".join(olive.buttons())
