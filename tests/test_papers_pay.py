"""Papers ahead of a meeting, what is paid, and time paid beyond meetings, end to end: an organiser
attaches a PDF and an Easy Read version that go with the invitation and the two-day reminder; the
poll and the invitation say what is paid from the group's settings; a taxi on a meeting that does
not pay travel is flagged to the approver; preparation time is paid at its own rate; and time for
"something else" is paid once the organiser agreed it. Then the pure rules underneath."""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import language
from domain.papers import Paper, PaperKind, Reader, Version, papers_missing, suited, version_for
from domain.pay import PayChoices, WhatIsPaid, not_covered, settle, time_rate
from meetings.pay_words import what_is_paid
from tests.harness import Person, TestBed
from tests.test_access import fill_access
from tests.test_claims import MEETING, PNG, mark_attended, officer
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff

PDF = b"%PDF-1.4 the agenda: 1. welcome 2. the menu"


async def group_pays(cora: Person) -> None:
    """The group pays £15 an hour and carer cover, but not travel."""
    await cora.send("/groups")
    await cora.tap("Carers' café group")
    await cora.tap("What is paid")
    assert "£20.00 an hour for your time" in cora.reply_text, "HOURLY_RATE until the group says otherwise"
    await cora.tap("Travel: paid")
    assert "Travel: not paid" in " ".join(cora.buttons())
    await cora.tap("Meeting time")
    await cora.send("15")
    assert "£15.00 an hour for your time" in cora.reply_text
    assert "Carer cover is paid back, but travel is not" in cora.reply_text


async def answer_and_confirm(bed: TestBed, cora: Person, *people: Person) -> None:
    for person in people:
        await person.tap("1 ✅")
        await person.tap("2 ✅")
        await person.tap("Send my answers")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()


def papers_in(person: Person) -> list[dict]:
    return [m for m in person.messages if "papers for" in (m.get("text") or m.get("caption") or "")]


async def test_papers_go_with_the_invitation_and_the_reminder_and_what_is_paid_is_said(bed: TestBed):
    cora = await staff(bed)
    ann, eve = await group_with(bed, cora, "Ann", "Eve")
    await fill_access(eve, "Easy Read papers")
    await group_pays(cora)
    await create_meeting(cora)
    await bed.services.sender.drain()
    poll = ann.last_text
    assert "Which times can you make" in poll and "£15.00 an hour for your time" in poll
    assert "Carer cover is paid back, but travel is not." in poll

    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Papers")
    assert "Papers: none yet" in cora.reply_text and "Easy Read version: none yet" in cora.reply_text
    await cora.tap("Add or change the papers")
    await cora.send_document("agenda.pdf", PDF, "application/pdf")
    assert "Papers: a PDF" in cora.reply_text
    assert "1 person invited needs Easy Read or large print" in cora.reply_text
    await cora.tap("Add or change the Easy Read version")
    await cora.send("We meet. We say hello.\nWe choose the food for the café.")
    assert "Easy Read version: typed text" in cora.reply_text and "needs Easy Read" not in cora.reply_text

    await answer_and_confirm(bed, cora, ann, eve)
    invitation = next(m for m in ann.messages if "It's on" in (m.get("caption") or ""))
    assert "£15.00 an hour for your time" in invitation["caption"]
    (pdf,) = papers_in(ann)
    assert pdf["document"]["file_name"] == "agenda.pdf" and bed.server.file_bytes(pdf["document"]["file_id"]) == PDF
    (easy,) = papers_in(eve)
    assert "Easy Read papers" in easy["text"] and "We choose the food" in easy["text"] and "document" not in easy

    await ann.tap("Going")
    await eve.tap("Going")
    await bed.restart()  # the papers wait in the outbox, by file_id, like every other message
    bed.clock.set(MEETING - timedelta(days=2))
    await bed.services.sender.drain()
    assert "Reminder" in " ".join(m.get("text", "") for m in ann.messages[-2:])
    assert len(papers_in(ann)) == 2 and papers_in(ann)[-1]["document"]["file_id"] == pdf["document"]["file_id"]
    assert len(papers_in(eve)) == 2 and "We choose the food" in papers_in(eve)[-1]["text"]
    bed.clock.set(MEETING - timedelta(hours=2))
    await bed.services.sender.drain()
    assert len(papers_in(ann)) == 2, "only the two-day reminder carries the papers"


async def test_papers_attached_after_people_said_going_still_come_with_the_reminder(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await answer_and_confirm(bed, cora, ann)
    await ann.tap("Going")
    assert not papers_in(ann)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Papers")
    await cora.tap("Add or change the papers")
    await cora.send_photo(PNG, caption="Page one of the agenda")
    bed.clock.set(MEETING - timedelta(days=2))
    await bed.services.sender.drain()
    (photo,) = papers_in(ann)
    assert photo["photo"] and "Page one of the agenda" in photo["caption"]
    assert sum("⏰ Reminder" in m.get("text", "") for m in ann.messages) == 1, "the reminder is not doubled"

    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Saturday 5 December")
    await bed.services.sender.drain()
    assert any("Time changed" in (m.get("caption") or "") for m in ann.messages[-2:])
    assert len(papers_in(ann)) == 1, "a change of time does not send the papers again; its reminder will"


async def test_a_taxi_on_a_meeting_without_paid_travel_is_flagged_and_preparation_has_its_own_rate(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    olive = await officer(bed)
    await group_pays(cora)
    await create_meeting(cora)
    await bed.services.sender.drain()
    await answer_and_confirm(bed, cora, ann)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("What is paid")
    await cora.tap("Preparation and reading")
    await cora.send("12")
    assert "Time to read and get ready: £12.00 an hour" in cora.reply_text
    await ann.tap("Going")
    await mark_attended(bed, cora)

    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Taxi")
    await ann.send("12.50")
    await ann.send_photo(PNG)
    await ann.tap("Preparation and reading time")
    assert "We pay £12.00 an hour" in ann.reply_text
    await ann.tap("2")
    await ann.tap("Payment for my time")
    assert "We pay £15.00 an hour" in ann.reply_text
    await ann.tap("1")
    assert "Preparation and reading time (2 hours): £24.00" in ann.reply_text
    assert "Payment for my time (1 hours): £15.00" in ann.reply_text
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.tap("Bank transfer")
    summary = ann.reply_text
    assert "Costs: £12.50" in summary and "Time: £39.00" in summary
    assert "does not say it pays for some of these costs" in summary
    await ann.tap("Send my claim")

    await olive.send("/approvals")
    assert "This meeting does not pay for: Taxi. Check before you approve." in olive.reply_text
    items = await bed.db.fetchall("SELECT kind, category, amount_pence FROM claim_items ORDER BY id")
    assert [tuple(row) for row in items] == [
        ("expense", "taxi", 1250),
        ("involvement", "preparation", 2400),
        ("involvement", "involvement", 1500),
    ]


async def test_something_else_is_paid_once_the_organiser_agreed_it(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    rita = await bed.joined("Rita")
    olive = await officer(bed)
    await create_meeting(cora)
    await bed.services.sender.drain()

    await ann.send("/claim")
    await ann.tap("Ask to be paid for time on something else")
    await ann.press(ann.messages[-1]["message_id"], "cl:tam:999")  # not a meeting she is invited to
    assert "Which meeting was it for?" in ann.reply_text
    await ann.tap("Café planning")
    await ann.send("I asked ten neighbours what they think")
    await ann.press(ann.messages[-1]["message_id"], "cl:tah:40")  # not an amount on offer
    assert "How many hours did it take?" in ann.reply_text
    await ann.tap("2")
    assert "Sent to the organiser" in ann.reply_text
    await bed.services.sender.drain()
    ask = cora.messages[-1]
    assert "Ann asks to be paid" in ask["text"] and "2 hours at £20.00 an hour" in ask["text"]
    agree = next(
        b["callback_data"]
        for row in ask["reply_markup"]["inline_keyboard"]
        for b in row
        if "Agree" in b["text"] and "Don't" not in b["text"]
    )

    await ann.send("/claim")
    assert "I asked ten neighbours" not in " ".join(ann.buttons()), "not claimable before it is agreed"
    await ann.send("/cancel")
    await rita.press(rita.messages[-1]["message_id"], agree)
    assert "can't do that" in rita.callback_answer()["text"]
    assert await bed.db.fetchval("SELECT status FROM time_asks") == "asked"
    assert await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'button.kt' AND outcome = 'refused'")

    await cora.tap("Agree")
    await bed.services.sender.drain()
    assert "agreed to pay for your time: I asked ten neighbours" in ann.last_text
    await cora.press(ask["message_id"], agree)
    assert "answered already" in cora.callback_answer()["text"]

    await ann.send("/claim")
    await ann.tap("I asked ten neighbours")
    assert "Agreed time for something else (2 hours): £40.00" in ann.reply_text
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.tap("Bank transfer")
    assert "Time: £40.00" in ann.reply_text
    await ann.tap("Send my claim")
    await ann.send("/claim")
    assert "I asked ten neighbours" not in " ".join(ann.buttons()), "claimed once only"
    await ann.send("/cancel")

    await olive.send("/approvals")
    assert "agreed first by the organiser" in olive.reply_text
    await olive.tap("Approve")
    await olive.tap("Mark paid")
    await bed.services.sender.drain()
    assert "has been paid" in ann.last_text
    await ann.send("/mydata")
    export = bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]).decode()
    assert "I asked ten neighbours" in export


# --- the pure rules ----------------------------------------------------------------------


def test_a_meeting_setting_wins_over_its_group_and_the_group_over_the_default():
    group = PayChoices(meeting_pence=1500, travel=False)
    meeting = PayChoices(preparation_pence=1200, travel=True)
    assert settle(2000) == WhatIsPaid(2000, 2000, 2000, True, True)
    assert settle(2000, group) == WhatIsPaid(1500, 2000, 2000, False, True)
    assert settle(2000, group, meeting) == WhatIsPaid(1500, 1200, 2000, True, True)
    assert settle(2000, PayChoices(meeting_pence=0)).meeting_pence == 0, "a rate of nothing is a choice"
    paid = settle(2000, group, meeting)
    assert [time_rate(paid, c) for c in ("involvement", "preparation", "other_time")] == [1500, 1200, 2000]


def test_costs_the_settings_do_not_pay_are_named():
    nothing = WhatIsPaid(2000, 2000, 2000, travel=False, carer_cover=False)
    assert not_covered(["taxi", "mileage", "carer_cover", "food", "involvement"], nothing) == [
        "taxi",
        "mileage",
        "carer_cover",
    ]
    assert not_covered(["taxi", "carer_cover"], settle(2000)) == []


def test_what_is_paid_says_it_plainly():
    with language("en"):
        assert what_is_paid(settle(2000)) == (
            "💷 What is paid: £20.00 an hour for your time. Travel and carer cover are paid back."
        )
        assert what_is_paid(WhatIsPaid(0, 0, 0, False, False)) == (
            "💷 What is paid: your time is not paid. Travel and carer cover are not paid back."
        )
        assert "Travel is paid back, but carer cover is not." in what_is_paid(WhatIsPaid(1, 1, 1, True, False))


def test_who_lacks_a_version_of_the_papers():
    pdf = Paper(Version.STANDARD, PaperKind.DOCUMENT, None, "f1")
    easy = Paper(Version.EASY, PaperKind.TEXT, "We meet.", None)
    plain, large = Reader("en", frozenset()), Reader("en", frozenset({"large_print"}))
    easy_need, easy_language = Reader("en", frozenset({"easy_read"})), Reader("easy", frozenset())
    everyone = [plain, large, easy_need, easy_language]
    assert papers_missing({}, everyone) == 0, "no papers, nothing to make a version of"
    assert papers_missing({Version.STANDARD: pdf}, everyone) == 3
    assert papers_missing({Version.STANDARD: pdf, Version.EASY: easy}, everyone) == 1, "large print still lacks one"
    typed = Paper(Version.STANDARD, PaperKind.TEXT, "Agenda", None)
    assert papers_missing({Version.STANDARD: typed, Version.EASY: easy}, everyone) == 0
    assert version_for({Version.STANDARD: pdf, Version.EASY: easy}, easy_language) is easy
    assert version_for({Version.STANDARD: pdf, Version.EASY: easy}, plain) is pdf
    assert version_for({Version.EASY: easy}, plain) is easy
    assert suited({Version.STANDARD: pdf, Version.EASY: easy}, easy_need) == {"easy_read", "large_print"}
    assert suited({Version.STANDARD: pdf, Version.EASY: easy}, large) == frozenset(), "a PDF is not large print"
    assert suited({}, easy_need) == frozenset()
