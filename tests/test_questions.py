"""Questions both ways, end to end: a resident asks, the organiser replies, the resident answers
again; group leads and officers do the same; unanswered questions are overdue and nudge once;
interested people hear what happened next; a forged Reply is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.questions import Kind, is_overdue, organisers
from tests.builders import members, new_group
from tests.harness import Person, TestBed
from tests.test_feedback import OGG, in_the_inbox
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff, write_opportunity
from tests.test_typed_drafts import _store_then_restart

TITLE = "Carers' café <plans>"


async def _asked(bed: TestBed, question: str = "Is there <b>parking</b>?") -> tuple[Person, Person]:
    """Cora's opportunity reaches Ann, who asks a question about it."""
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("Tell me more")
    await ann.tap("Ask a question")
    await ann.send(question)
    assert "The organiser will answer you here" in ann.reply_text
    await bed.services.sender.drain()
    return cora, ann


def _nudges(person: Person) -> int:
    return sum("has waited 48 hours" in (m.get("text") or "") for m in person.messages)


async def test_a_question_about_an_opportunity_is_answered_and_answered_again(bed: TestBed):
    cora, ann = await _asked(bed)
    assert f"A question about “{TITLE}” from Ann" in cora.last_text and "Is there <b>parking</b>?" in cora.last_text
    await cora.tap("Reply")
    assert "Is there <b>parking</b>?" in cora.reply_text, "the organiser sees the conversation so far"
    await cora.send("Yes, two <i>blue badge</i> spaces.")
    assert "Their answer will come to you here" in cora.reply_text
    await bed.services.sender.drain()
    assert f"An answer about “{TITLE}”" in ann.last_text and "Yes, two <i>blue badge</i> spaces." in ann.last_text
    await ann.tap("Reply")
    await ann.send("Thank you, I will come.")
    await bed.services.sender.drain()
    assert "Ann wrote again" in cora.last_text and "Thank you, I will come." in cora.last_text
    said = await bed.db.fetchall("SELECT from_resident, text FROM question_messages ORDER BY id")
    assert [(row["from_resident"], row["text"]) for row in said] == [
        (1, "Is there <b>parking</b>?"),
        (0, "Yes, two <i>blue badge</i> spaces."),
        (1, "Thank you, I will come."),
    ]


async def _asked_a_colead(bed: TestBed) -> tuple[Person, Person, Person]:
    """Cora leads a group and appoints Ann co-lead; Bob, a member, asks the leads a question."""
    cora = await staff(bed)
    payload = await new_group(cora, "Library friends", "We shape the library together.", "Co-produce")
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Appoint a co-lead")
    await cora.tap("Ann")
    await bob.send("/groups")
    await bob.tap("Library friends")
    await bob.tap("Ask the leads")
    await bob.send("Can we meet on Saturdays?")
    await bed.services.sender.drain()
    return cora, ann, bob


async def test_a_group_question_reaches_a_colead_who_answers(bed: TestBed):
    cora, ann, bob = await _asked_a_colead(bed)
    assert "A question about “Library friends” from Bob" in ann.last_text, "the co-lead gets it"
    assert "Can we meet on Saturdays?" in cora.last_text, "and so does the staff lead"
    await ann.tap("Reply")
    await ann.send("Yes, from January.")
    await bed.services.sender.drain()
    assert "Yes, from January." in bob.last_text and "Library friends" in bob.last_text


async def test_a_colead_who_stops_co_leading_mid_answer_sends_nothing_and_is_audited(bed: TestBed):
    """Who may write into a thread is checked again when the words are sent, not only at Reply."""
    _cora, ann, bob = await _asked_a_colead(bed)
    await ann.tap("Reply")
    await bed.db.execute("DELETE FROM project_coleads")  # she steps down while writing
    before = len(bob.messages)
    await ann.send("Yes, from January.")
    await bed.services.sender.drain()
    assert "can't do that" in ann.reply_text
    assert len(bob.messages) == before, "the resident is sent nothing"
    assert await bed.db.fetchval("SELECT COUNT(*) FROM question_messages WHERE from_resident = 0") == 0
    assert (
        await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'question.reply' AND outcome = 'refused'")
        == 1
    )


async def test_an_officer_asks_more_about_feedback_and_the_resident_answers(bed: TestBed):
    olive, ann = await in_the_inbox(bed, "The bus was late again")
    await olive.tap("Ask them more")
    await olive.send("Which bus, and at what time?")
    await bed.services.sender.drain()
    assert "A question about your feedback F-2026-0001" in ann.last_text
    await ann.tap("Reply")
    await ann.send("The 9.15 number 3.")
    await bed.services.sender.drain()
    assert "The 9.15 number 3." in olive.last_text and "F-2026-0001" in olive.last_text


async def test_an_unanswered_question_is_overdue_and_nudges_the_organiser_once(bed: TestBed):
    cora, _ann = await _asked(bed)
    olive = await staff(bed, "Officer", "Olive")
    await olive.send("/overdue")
    assert "Questions with no answer after 48 hours: 0" in olive.reply_text
    bed.clock.advance(timedelta(hours=47))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert _nudges(cora) == 0, "not before the configured time"
    bed.clock.advance(timedelta(hours=2))
    await olive.send("/overdue")
    assert "Questions with no answer after 48 hours: 1" in olive.reply_text and TITLE in olive.reply_text
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert _nudges(cora) == 1
    await bed.services.scheduler.run_due()
    await bed.restart()
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert _nudges(cora) == 1, "only once, also after a restart"
    await cora.tap("Reply")
    await cora.send("Sorry for the wait: yes, there is parking.")
    await olive.send("/overdue")
    assert "Questions with no answer after 48 hours: 0" in olive.reply_text


async def test_the_nudge_time_is_a_setting(bed: TestBed):
    bed.configure(question_nudge_hours=2)
    await bed.restart()
    cora, _ann = await _asked(bed)
    bed.clock.advance(timedelta(hours=3))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert sum("has waited 2 hours" in (m.get("text") or "") for m in cora.messages) == 1


async def test_interested_people_are_told_it_did_not_go_ahead_and_why(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    bob = await bed.joined("Bob", topics=("Carers",))
    cat = await bed.joined("Cat", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("I'm interested")
    await bob.tap("I'm interested")
    await cat.tap("Not for me")
    cat_seen = len(cat.messages)
    await cora.tap("Who is interested")
    await cora.tap("Close it and tell people")
    await cora.tap("It did not go ahead")
    await cora.send("No")
    assert "a reason of a few words" in cora.reply_text
    await cora.send("Too few carers could come <in January>.")
    assert "2 people will be told" in cora.reply_text
    await bed.services.sender.drain()
    for person in (ann, bob):
        assert f"“{TITLE}”, which you were interested in, did not go ahead." in person.last_text
        assert "Why: Too few carers could come <in January>." in person.last_text
    assert len(cat.messages) == cat_seen
    await cora.tap("Close it and tell people")
    assert "have been told" in cora.callback_answer()["text"], "closed once"


async def test_interested_people_hear_whether_they_were_invited(bed: TestBed):
    cora = await staff(bed)
    await new_group(cora, "Café group", "Runs the café.", "Co-produce")
    ann = await bed.joined("Ann", topics=("Carers",))
    bob = await bed.joined("Bob", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("I'm interested")
    await cora.send("/opportunities")
    await cora.tap("Carers' café")
    await cora.tap("Invite them to")
    await bob.tap("I'm interested")
    await cora.send("/opportunities")
    await cora.tap("Carers' café")
    await cora.tap("Close it and tell people")
    await cora.tap("It went ahead")
    await cora.send("The first meeting is on 12 January.")
    await bed.services.sender.drain()
    assert "you were invited to join the group “Café group”" in ann.last_text
    assert "not invited this time" in bob.last_text
    assert "What happens next: The first meeting is on 12 January." in bob.last_text


async def test_a_forged_reply_is_refused_and_audited(bed: TestBed):
    cora, ann = await _asked(bed)
    rita = await bed.joined("Rita")
    reply = next(
        button["callback_data"] for row in cora.messages[-1]["reply_markup"]["inline_keyboard"] for button in row
    )
    for forger in (rita, ann):
        await forger.press(forger.messages[-1]["message_id"], reply)
        assert "can't do that" in forger.callback_answer()["text"]
        await forger.send("Here is my forged answer.")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM question_messages") == 1
    assert (
        await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND action = 'button.qs'") == 2
    )
    thread = await bed.db.fetchval("SELECT id FROM question_threads")
    await rita.press(rita.messages[-1]["message_id"], f"qy:{thread}")
    assert "can't do that" in rita.callback_answer()["text"], "nor can anyone answer in Ann's thread"


async def test_leaving_a_reply_for_another_command_does_not_get_anyone_stuck(bed: TestBed):
    cora, ann = await _asked(bed)
    await cora.tap("Reply")
    await cora.send("/help")
    assert "You have paused your message" in cora.last_text
    await cora.tap("Carry on with your message")
    await cora.send("Yes, there is parking.")
    await bed.services.sender.drain()
    assert "Yes, there is parking." in ann.last_text
    await ann.tap("Reply")
    await ann.send("/opportunities")
    await ann.tap("Reply")  # a fresh tap on Reply starts writing again
    await ann.send("Great, thank you.")
    await bed.services.sender.drain()
    assert "Great, thank you." in cora.last_text


def test_who_answers_and_when_a_question_is_overdue():
    assert organisers(Kind.OPPORTUNITY, creator=4) == {4}
    assert organisers(Kind.GROUP, creator=4, leads={1}, coleads=[2]) == {1, 2}
    assert organisers(Kind.FEEDBACK, officers=[7, 8]) == {7, 8}
    asked = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert not is_overdue(asked, asked + timedelta(hours=47, minutes=59), 48)
    assert is_overdue(asked, asked + timedelta(hours=48), 48)
    assert not is_overdue(None, asked + timedelta(days=30), 48), "an answered question is never overdue"


async def test_an_invitee_asks_about_a_meeting_from_its_poll(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    outsider = await bed.joined("Otto")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await ann.tap("Ask a question")
    await ann.send("Is there a hearing loop in Room 2?")
    await bed.services.sender.drain()
    assert "A question about “Café planning <1>” from Ann" in cora.last_text
    await cora.tap("Reply")
    await cora.send("Yes, there is.")
    await bed.services.sender.drain()
    assert "Yes, there is." in ann.last_text
    ask = next(
        button["callback_data"]
        for message in ann.messages
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
        for button in row
        if button["text"].endswith("Ask a question")
    )
    await outsider.press(outsider.messages[-1]["message_id"], ask)
    assert "no longer active" in outsider.callback_answer()["text"], "only invitees ask about a meeting"


async def test_a_question_can_be_a_voice_note_heard_only_by_the_two_sides(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    rita = await bed.joined("Rita")
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("Tell me more")
    await ann.tap("Ask a question")
    await ann.send_voice(OGG)
    assert "The organiser will answer you here" in ann.reply_text
    await bed.services.sender.drain()
    assert "A voice note" in cora.last_text
    await cora.tap("Play")
    assert cora.messages[-1].get("voice"), "the organiser hears it"
    play = next(
        button["callback_data"]
        for row in cora.messages[-2]["reply_markup"]["inline_keyboard"]
        for button in row
        if "Play" in button["text"]
    )
    await rita.press(rita.messages[-1]["message_id"], play)
    assert "can't do that" in rita.callback_answer()["text"]
    assert not rita.messages[-1].get("voice")


async def test_when_replies_close_the_organiser_is_asked_what_happened_next(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("I'm interested")
    bed.clock.set(datetime(2026, 12, 21, 10, tzinfo=UTC))  # past the reply-by date, 20/12
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert f"Replies to “{TITLE}” have closed. 1 person said they were interested." in cora.last_text
    await cora.tap("Close it and tell people")
    await cora.tap("Say what was decided")
    await cora.send("We will run the café on Saturdays.")
    await bed.services.sender.drain()
    assert "What was decided: We will run the café on Saturdays." in ann.last_text
    await bed.services.scheduler.run_due()
    assert await bed.db.fetchval("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'qprompt:%'") == 1


async def test_a_close_stored_before_typed_drafts_as_a_pair_carries_on(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("I'm interested")
    await cora.tap("Who is interested")
    await cora.tap("Close it and tell people")
    await cora.tap("It did not go ahead")
    opportunity = await bed.db.fetchval("SELECT id FROM opportunities")
    await _store_then_restart(bed, cora, [opportunity, "decided"], "opp_outcome")  # how it was kept then
    await cora.send("Saturdays")  # too short for a reason, fine for a decision: the pair was read
    assert "1 person will be told" in cora.reply_text
    await bed.services.sender.drain()
    assert "What was decided: Saturdays" in ann.last_text


async def test_a_close_whose_draft_is_lost_asks_for_the_button_again(bed: TestBed):
    cora = await staff(bed)
    await write_opportunity(cora)
    await cora.tap("Close it and tell people")
    await cora.tap("It went ahead")
    await _store_then_restart(bed, cora, {"opportunity": "one", "outcome": "went"}, "opp_outcome")
    await cora.send("The first meeting is on 12 January.")
    assert "tap the button you began with again" in cora.reply_text
    assert await bed.db.fetchval("SELECT outcome FROM opportunities") is None
