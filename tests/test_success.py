"""Success the group defines, end to end: a member proposes a success statement from the
group's card, the group agrees it through a proposal, members give the baseline, a meeting's
check-in asks the four 'I' statements and then progress (with a typed and a spoken comment),
the trend arrives as a chart, and staff's 'We' answers show beside residents' in /impact.
Also: a chart with too few answers, Urdu, and the buttons' permissions."""

from __future__ import annotations

import json
import struct
from datetime import timedelta

from emulator.driver import Person
from success.buttons import BaselineButton, OfficerWeButton, ProgressButton, WeButton
from tests.harness import TestBed
from tests.test_claims import mark_attended
from tests.test_feedback import OGG
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff
from tests.test_typed_drafts import _store_then_restart

STATEMENT = "Carers can get help at the weekend."
I_ANSWERS = ("Strongly agree", "Agree", "Not sure", "Agree")


async def _open_card(person: Person) -> None:
    await person.send("/groups")
    await person.tap("Carers' café group")


async def agreed_statement(bed: TestBed) -> tuple[Person, list[Person]]:
    """Ann proposes from the card, three members agree, the lead records it as agreed."""
    cora = await staff(bed)
    people = await group_with(bed, cora, "Ann", "Bob", "Cy")
    ann = people[0]
    await _open_card(ann)
    await ann.tap("Propose what success looks like")
    await ann.send(STATEMENT)
    await ann.tap("Carers")
    await ann.send("Calls answered on Saturdays")
    assert "Sent to the group as a proposal" in ann.reply_text
    await bed.services.sender.drain()
    for person in people:
        card = next(m for m in reversed(person.messages) if m.get("reply_markup") and STATEMENT in m.get("text", ""))
        assert "How we will know: Calls answered on Saturdays" in card["text"]
        await person.tap("Agree")
    bed.clock.advance(timedelta(days=7, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert await bed.db.fetchval("SELECT agreed_at FROM success_statements") is None, "not before its outcome"
    await cora.tap("Record the outcome")
    await cora.tap("Agreed")
    await cora.send("We agree this is what success looks like for carers.")
    await cora.tap("No review")
    assert await bed.db.fetchval("SELECT agreed_at FROM success_statements") is not None
    return cora, people


async def all_came(bed: TestBed, cora: Person, people: list[Person]) -> None:
    """A meeting of the group, and Ann, Bob and Cy came: their check-ins are on the way."""
    await create_meeting(cora)
    await bed.services.sender.drain()
    await people[0].tap("1 ✅")
    await people[0].tap("Send my answers")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    await mark_attended(bed, cora, "Ann")
    for name in ("Bob", "Cy"):
        await cora.tap(name)
    await bed.services.sender.drain()


async def rating_progress(bed: TestBed) -> Person:
    """Ann, after a meeting's check-in, has rated progress and is asked for a comment."""
    cora, people = await agreed_statement(bed)
    await all_came(bed, cora, people)
    ann = people[0]
    for answer in ("🙂", "😀", *I_ANSWERS, "4"):
        await ann.tap(answer)
    return ann


async def test_a_statement_agreed_rated_charted_and_beside_the_we_answers(bed: TestBed):
    cora, people = await agreed_statement(bed)
    ann, bob, cy = people
    olive = await staff(bed, "Officer", "Olive")

    # Everyone is asked where we are now, through the outbox.
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    for person, score in zip(people, ("2", "2", "3"), strict=True):
        assert "Where are we now?" in person.last_text and STATEMENT in person.last_text
        await person.tap(score)
        assert f"You said {score} out of 5" in person.last_text
    await _open_card(bob)
    await bob.tap("How are we doing?")
    assert "At the start: 2.3. Latest: not enough answers yet." in bob.reply_text

    await all_came(bed, cora, people)

    # The check-in: two moods, the four 'I' statements, then progress on the statement.
    comments = {ann: "More Saturday calls now", bob: None, cy: ""}
    for person, progress in zip(people, ("4", "4", "5"), strict=True):
        assert "How did you feel at the start?" in person.last_text
        await person.tap("🙂")
        await person.tap("😀")
        statements = []
        for answer in I_ANSWERS:
            statements.append(person.last_text)
            await person.tap(answer)
        assert "How far have we got with" in person.last_text and STATEMENT in person.last_text
        await person.tap(progress)
        assert "Anything to add?" in person.last_text
        if comments[person]:
            await person.send(comments[person])
        elif comments[person] is None:
            await person.send_voice(OGG)
        else:
            await person.tap("Next »")
        assert "This helps us run better meetings" in person.last_text
    for words in ("valued", "strengths", "respect and dignity", "help shape"):
        assert any(words in text for text in statements), words
    row = await bed.db.fetchone(
        "SELECT c.* FROM checkins c JOIN participants p ON p.id = c.participant_id WHERE p.display_name = 'Ann'"
    )
    assert (row["valued"], row["strengths"], row["respect"], row["influence"]) == (5, 4, 3, 4)
    saved = await bed.db.fetchall(
        "SELECT score, comment, comment_voice FROM success_ratings WHERE meeting_id > 0 ORDER BY participant_id"
    )
    assert [r["score"] for r in saved] == [4, 4, 5]
    assert saved[0]["comment"] == "More Saturday calls now" and saved[1]["comment_voice"] and not saved[2]["comment"]

    # How are we doing: baseline against latest, and the trend as a chart.
    await _open_card(bob)
    await bob.tap("How are we doing?")
    assert "At the start: 2.3. Latest: 4.3." in bob.reply_text
    await bob.tap("Chart:")
    photo = bob.replies[-1]
    png = bed.server.file_bytes(photo["photo"][-1]["file_id"])
    assert png.startswith(b"\x89PNG") and struct.unpack(">II", png[16:24])[0] == 1080
    assert STATEMENT in photo["caption"]

    # Staff answer the 'We' statements: the lead from the card, an officer from /impact.
    await _open_card(cora)
    await cora.tap("Our 'We' answers")
    assert "equal partners" in cora.reply_text
    for answer in ("Yes", "Partly", "Not yet", "Partly"):
        await cora.tap(answer)
    assert "Your answers show in /impact" in cora.last_text
    await olive.send("/impact")
    await olive.tap("'We' answers: Carers")
    await olive.tap("Yes")  # the officer changes the first answer
    await olive.send("/impact")
    shown = olive.reply_text
    assert "What residents say after meetings (1 to 5):" in shown
    assert "My contribution was valued. 5.0" in shown and "respect and dignity. 3.0" in shown
    assert "What staff say about how we work:" in shown
    assert "equal partners and decide together. Yes" in shown and "other groups and services. Partly" in shown
    assert "focus on what matters to people. Partly" in shown

    # What Ann rated and said is in her own data.
    await ann.send("/mydata")
    exported = json.loads(bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]))
    assert [(r["score"], r["comment"]) for r in exported["success_ratings"]] == [
        (2, None),
        (4, "More Saturday calls now"),
    ]


async def test_too_few_answers_give_no_chart_and_urdu_gets_one(bed: TestBed):
    cora, people = await agreed_statement(bed)
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    await people[0].tap("3")
    await people[1].tap("Skip")
    assert "Skipped" in people[1].last_text
    await _open_card(people[0])
    await people[0].tap("How are we doing?")
    assert "At the start: not enough answers yet." in people[0].reply_text
    await people[0].tap("Chart:")
    assert "Not enough answers yet for a chart" in people[0].reply_text
    # A skip took the buttons away; pressing one again (from an old copy) still counts.
    await people[1].press(people[1].messages[-1]["message_id"], BaselineButton(1, 1, 4).pack())
    await people[2].tap("5")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM success_ratings") == 3
    statement = (await bed.services.success.agreed(1))[0]
    from bot.i18n import language
    from success.work import trend_chart

    with language("ur"):
        chart = await trend_chart(bed.services, statement)
    assert chart is not None and chart.png.startswith(b"\x89PNG") and chart.values == [4.0]


async def test_rating_buttons_refuse_people_who_may_not_press_them(bed: TestBed):
    cora, people = await agreed_statement(bed)
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    ann = people[0]
    outsider = await bed.joined("Otto")
    before = await bed.db.fetchval("SELECT COUNT(*) FROM success_ratings")
    last = ann.messages[-1]["message_id"]
    for data in (BaselineButton(1, 1, 5).pack(), WeButton(1, 0, 3).pack(), OfficerWeButton(1, 0, 3).pack()):
        await outsider.press(last, data)
        assert "can't do that" in outsider.callback_answer()["text"], data
    # A member who was not at the meeting can't rate its progress; a member can't answer for staff.
    await ann.press(last, ProgressButton(1, 1, 1, 4).pack())
    assert "no longer active" in ann.callback_answer()["text"]
    await ann.press(last, WeButton(1, 0, 3).pack())
    assert "can't do that" in ann.callback_answer()["text"]
    await ann.press(last, BaselineButton(1, 99, 5).pack())
    assert "no longer active" in ann.callback_answer()["text"]
    assert await bed.db.fetchval("SELECT COUNT(*) FROM success_ratings") == before
    assert await bed.db.fetchval("SELECT COUNT(*) FROM we_answers") == 0
    refused = {row["action"] for row in await bed.db.fetchall("SELECT action FROM audit_log WHERE outcome = 'refused'")}
    assert {"button.ub", "button.uw", "button.uo"} <= refused


async def test_a_statement_begun_before_drafts_were_typed_is_proposed_after_the_upgrade(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    group = await bed.db.fetchval("SELECT id FROM projects")
    await _open_card(ann)
    await ann.tap("Propose what success looks like")
    await ann.send(STATEMENT)
    await _store_then_restart(
        bed, ann, {"group": group, "key": "0a1b", "text": "Carers can get help on Sundays."}, "success_draft"
    )
    await ann.tap("Carers")
    await ann.send("Calls answered on Sundays")
    assert "Sent to the group as a proposal" in ann.reply_text
    row = await bed.db.fetchone("SELECT text, view, indicators FROM success_statements")
    assert dict(row) == {
        "text": "Carers can get help on Sundays.",
        "view": "carers",
        "indicators": "Calls answered on Sundays",
    }


async def test_a_statement_draft_that_cannot_be_read_ends_kindly(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await _open_card(ann)
    await ann.tap("Propose what success looks like")
    await ann.send(STATEMENT)
    await _store_then_restart(bed, ann, {"group": "the café", "key": "0a1b", "text": STATEMENT}, "success_draft")
    await ann.tap("Carers")
    assert "tap the button you began with again" in ann.reply_text
    await ann.tap("Propose what success looks like")
    assert "What will success look like?" in ann.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM success_statements") == 0


async def test_a_comment_begun_before_drafts_were_typed_is_kept_after_the_upgrade(bed: TestBed):
    ann = await rating_progress(bed)
    assert "Anything to add?" in ann.last_text
    rated = await bed.db.fetchone("SELECT meeting_id, statement_id FROM success_ratings WHERE meeting_id > 0")
    group = await bed.db.fetchval("SELECT id FROM projects")
    await _store_then_restart(
        bed, ann, {"group": group, "meeting": rated["meeting_id"], "statement": rated["statement_id"]}, "success_rating"
    )
    await ann.send("More Saturday calls now")
    assert "The group will read it" in ann.reply_text
    assert (
        await bed.db.fetchval("SELECT comment FROM success_ratings WHERE meeting_id > 0") == "More Saturday calls now"
    )


async def test_a_lost_comment_draft_ends_kindly_and_keeps_the_rating(bed: TestBed):
    ann = await rating_progress(bed)
    await _store_then_restart(bed, ann, {"group": 1, "meeting": "Thursday"}, "success_rating")
    await ann.send("More Saturday calls now")
    assert "tap the button you began with again" in ann.reply_text
    row = await bed.db.fetchone("SELECT score, comment FROM success_ratings WHERE meeting_id > 0")
    assert dict(row) == {"score": 4, "comment": None}
