"""Meetings end to end: create, vote, auto-close on the clock, confirm, invitations with a
real .ics, RSVP, reminders exactly once across a restart, attendance, permissions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import icalendar

from tests.builders import answer_startup_check
from tests.harness import Person, TestBed
from tests.test_opportunities import staff


async def group_with(bed: TestBed, cora: Person, *names: str) -> list[Person]:
    await cora.send("/newproject")
    await cora.send("Carers' café group")
    await cora.send("Runs the café.")
    await answer_startup_check(cora)
    await cora.tap("Co-produce")
    payload = cora.replies[-1]["caption"].split("start=")[1].split()[0]
    people = []
    for name in names:
        person = await bed.joined(name)
        await person.send(f"/start {payload}")
        people.append(person)
    return people


async def create_meeting(
    cora: Person,
    *,
    slots: str = "3/12 18:30\n5/12 10:00",
    open_poll: bool = False,
    essential: tuple[str, ...] = (),
    length: str = "1 hour",
    send: bool = True,
) -> None:
    await start_meeting(cora, slots=slots, length=length)
    await cora.tap("In 2 days")
    chosen = await cora.tap("Members of")
    assert len(chosen) == 1 and "will be invited.\n\nIs anyone essential" in chosen[0]["text"]  # one edit
    for name in essential:
        await cora.tap(name)
    await cora.tap("Done ✔")
    await cora.tap("Everyone invited" if open_poll else "Only me")
    if send:
        await cora.tap("Send the poll")


async def start_meeting(cora: Person, *, slots: str = "3/12 18:30\n5/12 10:00", length: str = "1 hour") -> None:
    """/meeting up to the question of when the poll closes."""
    opening = await cora.send("/meeting")
    said = [m.get("text", "") for m in opening if "Let's set up a meeting" in m.get("text", "")]
    assert len(said) == 1 and "What is the meeting called?" in said[0]  # one message, not two
    await cora.send("Café planning <1>")
    await cora.send("Choose the menu and the day.")
    await cora.tap("Co-design")
    await cora.tap("In person")
    await cora.send("Bracknell Library, Room 2")
    await cora.tap("Step-free")
    await cora.tap("Done")
    await cora.tap(length)
    await cora.send(slots)
    await cora.tap("Done")


async def test_a_press_not_on_the_summary_shows_it_again_and_keeps_the_draft(bed: TestBed):
    """Any press under the summary but Send used to cancel the meeting; an old or forged one now
    shows the summary again, and Send still sends."""
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await create_meeting(cora, send=False)
    await cora.press(cora.messages[-1]["message_id"], "mn:go:later")
    assert "Café planning" in cora.reply_text and "📨 Send the poll" in cora.buttons()
    assert "No meeting was created" not in cora.reply_text
    await cora.tap("Send the poll")
    assert "on its way to 1 person" in cora.reply_text


async def test_who_is_invited_offers_only_their_own_and_an_empty_group_asks_again(bed: TestBed):
    cora = await staff(bed)
    await start_meeting(cora)
    await cora.tap("In 2 days")
    assert "no groups or opportunities" in cora.reply_text, "nothing to invite from: the way on is said"
    await group_with(bed, cora)  # a group with nobody in it yet
    await start_meeting(cora)
    await cora.tap("In 2 days")
    await cora.press(cora.messages[-1]["message_id"], "mn:who:p999")  # not theirs
    assert "Who should be invited?" in cora.reply_text
    await cora.tap("Members of")
    assert "No one is there to invite yet" in cora.reply_text and "Who should be invited?" in cora.reply_text
    await cora.send("/cancel")
    assert "No meeting was created" in cora.reply_text


async def test_a_closing_time_nobody_was_offered_asks_again(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await start_meeting(cora)
    for forged in ("mn:close:30", "mn:close:99999999"):  # a month on is after the first time; the other no date
        await cora.press(cora.messages[-1]["message_id"], forged)
        assert "When should the poll close?" in cora.reply_text and "wrong" not in cora.reply_text, forged
    await cora.tap("In 2 days")
    assert "Who should be invited?" in cora.reply_text


async def test_vote_close_confirm_invite_rsvp_and_remind(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await create_meeting(cora)
    assert "on its way to 2 people" in cora.reply_text
    await bed.services.sender.drain()
    assert "Café planning <1>" in ann.last_text and "Which times can you make" in ann.last_text
    await ann.tap("1 ✅")
    await ann.tap("2 🤔")
    assert "say why" in ann.reply_text
    await ann.send("only if " + "my carer can come, " * 10)  # 196 characters: the limit is said, nothing is cut
    assert "up to 120 characters" in ann.reply_text
    await ann.send("only if carer cover is arranged")
    await ann.tap("Send my answers")
    assert "Thank you!" in ann.reply_text
    await bob.tap("1 ❌")
    await bob.tap("2 ✅")
    assert "Ann" not in bob.last_text and "yes, " not in bob.last_text  # a closed poll hides others' answers

    await cora.send("/meetings")
    await cora.tap("📊")
    results = cora.reply_text
    assert "Answered: 1 of 2" in results and "Not answered yet: Bob" in results
    assert "only if carer cover is arranged" in results

    # The poll closes by itself at its closing time, on the bot's clock.
    bed.clock.advance(timedelta(days=2, minutes=1))
    assert await bed.services.scheduler.run_due() >= 1
    assert "The poll has closed" in cora.last_text
    await bob.tap("1 ✅")
    assert "closed" in bob.callback_answer()["text"]

    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    invitation = ann.messages[-1]
    assert invitation["document"]["file_name"] == "meeting.ics"
    calendar = icalendar.Calendar.from_ical(bed.server.file_bytes(invitation["document"]["file_id"]))
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    assert str(event.get("summary")) == "Café planning <1>" and "Room 2" in str(event.get("location"))
    assert "Going" in " ".join(ann.buttons())

    await ann.tap("Going")
    await bob.tap("Can't")
    start = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    count = len(ann.messages)
    bed.clock.set(start - timedelta(days=2))
    await bed.services.sender.drain()
    assert len(ann.messages) == count + 1 and "Reminder" in ann.last_text
    await bed.restart()
    bed.clock.set(start - timedelta(hours=2))
    await bed.services.sender.drain()
    await bed.restart()
    await bed.services.sender.drain()
    reminders = [m for m in ann.messages if "⏰ Reminder" in m.get("text", "")]
    assert len(reminders) == 2, [m["text"] for m in reminders]
    assert not any("⏰ Reminder" in m.get("text", "") for m in bob.messages)

    bed.clock.set(start + timedelta(hours=1))
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Attendance")
    await cora.tap("Ann")
    meeting_id = (await bed.services.meetings.created_by((await bed.services.participants.by_telegram_id(cora.id)).id))[
        0
    ].id
    ann_id = (await bed.services.participants.by_telegram_id(ann.id)).id
    assert (await bed.services.meetings.invitee(meeting_id, ann_id)).attended is True


async def test_only_non_responders_are_reminded_and_missed_reminders_expire(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await ann.tap("1 ✅")
    await ann.tap("2 ✅")
    await ann.tap("Send my answers")
    bed.clock.advance(timedelta(days=1, hours=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert "Please answer the poll" in bob.last_text
    assert not any("Please answer the poll" in m.get("text", "") for m in ann.messages)


async def test_open_poll_shows_counts_to_invitees(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await create_meeting(cora, open_poll=True)
    await bed.services.sender.drain()
    await ann.tap("1 ✅")
    await ann.tap("2 ✅")
    await ann.tap("Send my answers")
    await bob.tap("1 ✅")
    assert "[1 yes, 0 if need be]" in bob.last_text or "[2 yes" in bob.last_text


async def test_bad_slots_and_closing_times_are_explained(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await cora.send("/meeting")
    await cora.send("Title")
    await cora.send("Purpose")
    await cora.tap("Consult")
    await cora.tap("Online")
    await cora.send("not a link")
    assert "https://" in cora.reply_text
    await cora.send("https://meet.example.org/abc")
    await cora.tap("2 hours")
    await cora.send("1/11/2026 10:00\n28/3/2027 01:30\nsoon\n4/12 18:00\n4/12 18:00")
    text = cora.reply_text
    assert "has passed" in text and "does not exist" in text and "could not read" in text
    assert "already on the list" in text and "at least 1 more time" in text
    await cora.send("10/12 18:00")
    await cora.tap("Done")
    await cora.send("5/12 09:00")
    assert "before the first time" in cora.reply_text
    await cora.send("/cancel")
    assert "No meeting was created" in cora.reply_text


async def test_meeting_buttons_are_for_the_organiser_only(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    meeting = (await bed.services.meetings.created_by((await bed.services.participants.by_telegram_id(cora.id)).id))[0]
    slot_id = next(iter(await bed.services.meetings.slots(meeting.id)))
    rex = await bed.joined("Rex")
    other = await staff(bed, "Coordinator", "Olly")
    for person in (ann, rex, other):
        last = person.messages[-1]["message_id"]
        for data in (
            f"mt:{meeting.id}",
            f"mc:{meeting.id}:{slot_id}",
            f"mx:{meeting.id}",
            f"mz:{meeting.id}",
            f"ma:{meeting.id}:0",
        ):
            await person.press(last, data)
            assert "can't do that" in person.callback_answer()["text"], (person.user.first_name, data)
    await rex.press(rex.messages[-1]["message_id"], f"mv:{slot_id}:y")
    assert "no longer active" in rex.callback_answer()["text"]
    assert (await bed.services.meetings.by_id(meeting.id)).status == "polling"
    assert await bed.services.meetings.votes(meeting.id) == {}


async def test_reminders_respect_quiet_hours_and_blocked_invitees_are_counted(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await ann.send("/profile")
    await ann.tap("Change quiet hours")
    await ann.tap("Not between 21:00 and 8:00")
    bed.server.block(bob.id)
    await create_meeting(cora, slots="3/12 09:00\n4/12 09:00")
    await bed.services.sender.drain()
    meeting = (await bed.services.meetings.created_by((await bed.services.participants.by_telegram_id(cora.id)).id))[0]
    batch = await bed.db.fetchval("SELECT id FROM outbox_batches WHERE kind = 'meeting_poll'")
    progress = await bed.services.outbox.progress(batch)
    assert (progress.sent, progress.unreachable) == (1, 1)
    await ann.tap("1 ✅")
    await ann.tap("2 ✅")
    await ann.tap("Send my answers")
    await bed.services.meetings.set_status(meeting.id, "closed", only_from=("polling",))
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    await ann.tap("Going")
    due = [
        row["not_before"]
        for row in await bed.db.fetchall(
            "SELECT not_before FROM outbox WHERE dedupe_key LIKE 'rem:%' ORDER BY not_before"
        )
    ]
    # 09:00 meeting: two hours before is 07:00, inside 21:00-08:00, so it moves to 20:59 the evening before.
    assert due == ["2026-12-01T09:00:00+00:00", "2026-12-02T20:59:00+00:00"]


async def test_tapping_the_same_answer_again_changes_nothing(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await ann.tap("1 ✅")
    edits = sum(1 for call in bed.server.calls if call.method == "editMessageText")
    await ann.tap("1 ✅")
    assert "Already noted: Yes" in ann.callback_answer()["text"]
    assert sum(1 for call in bed.server.calls if call.method == "editMessageText") == edits


async def test_a_polish_invitee_votes_in_polish_and_invitations_list_access(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/newproject")
    await cora.send("Grupa")
    await cora.send("Opis.")
    await answer_startup_check(cora)
    await cora.tap("Co-produce")
    payload = cora.replies[-1]["caption"].split("start=")[1].split()[0]
    ola = await bed.joined("Ola", "pl")
    await ola.send(f"/start {payload}")
    await create_meeting(cora)
    await bed.services.sender.drain()
    assert "Które terminy Ci pasują?" in ola.last_text and "czwartek 3 grudnia 2026, 18:30" in ola.last_text
    await ola.tap("1 ✅")
    await ola.tap("2 🤔")
    assert "Chcesz napisać dlaczego?" in ola.reply_text
    await ola.send("tylko z opieką dla mamy")
    await ola.tap("Wyślij moje odpowiedzi")
    assert "Dziękujemy!" in ola.reply_text
    await cora.send("/meetings")
    await cora.tap("📊")
    assert "Answered: 1 of 1" in cora.reply_text and "tylko z opieką dla mamy" in cora.reply_text
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    assert "Dostępność: Wejście bez schodów" in ola.last_text

    rex = await bed.joined("Rex")
    meeting_id = (await bed.services.meetings.created_by((await bed.services.participants.by_telegram_id(cora.id)).id))[
        0
    ].id
    for data in (f"mr:{meeting_id}:g", f"ms:{meeting_id}", f"mp:{meeting_id}"):
        await rex.press(rex.messages[-1]["message_id"], data)
        assert "no longer active" in rex.callback_answer()["text"], data
    assert await bed.db.fetchval("SELECT COUNT(*) FROM meeting_invitees WHERE rsvp IS NOT NULL") == 0


async def test_results_for_a_big_group_fit_in_one_message(bed: TestBed):
    from bot.text import fit_lines, some_of

    assert some_of([str(n) for n in range(30)], most=3) == "0, 1, 2 and 27 more"
    assert fit_lines(["a" * 10, "b" * 10, "c" * 10], limit=21) == "a" * 10 + "\n" + "b" * 10
    cora = await staff(bed)
    await group_with(bed, cora)
    project = (await bed.services.projects.led_by((await bed.services.participants.by_telegram_id(cora.id)).id))[0]
    for index in range(300):
        user = bed.server.add_user(f"Member number {index} with a long name")
        person = await bed.services.participants.create_with_consent(user.id, "en", "2026-11", bed.clock.now())
        await bed.services.participants.update(person.id, display_name=user.first_name)
        await bed.services.participants.mark_registered(person.id, bed.clock.now())
        await bed.services.projects.join(project.id, person.id, bed.clock.now())
    await create_meeting(cora)
    await bed.services.sender.drain()
    await cora.send("/meetings")
    await cora.tap("📊")
    results = cora.reply_text
    assert "Answered: 0 of 300" in results and "and 275 more" in results and len(results) <= 4096


async def test_a_time_an_essential_person_cannot_make_ranks_last(bed: TestBed):
    cora = await staff(bed)
    ann, bob, cat = await group_with(bed, cora, "Ann", "Bob", "Cat")
    await create_meeting(cora, essential=("Bob",))
    await bed.services.sender.drain()
    for person, answers in ((ann, ("1 ✅", "2 ❌")), (cat, ("1 ✅", "2 🤔")), (bob, ("1 ❌", "2 ✅"))):
        for answer in answers:
            await person.tap(answer)
        if answer.endswith("🤔"):
            await person.tap("Skip")
        await person.tap("Send my answers")
    await cora.send("/meetings")
    await cora.tap("📊")
    ranking = cora.reply_text.split("Best times first")[1]
    assert ranking.index("Saturday 5 December") < ranking.index("Thursday 3 December")
    assert "Bob cannot come" in ranking


async def test_a_reason_begun_before_drafts_were_typed_is_kept_after_the_upgrade(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await ann.tap("2 🤔")
    assert "say why" in ann.reply_text
    slot = await bed.db.fetchval("SELECT MAX(id) FROM meeting_slots")
    stored = json.loads(await bed.db.fetchval("SELECT data FROM user_drafts WHERE telegram_id = ?", (ann.id,)))
    stored["reason_slot"] = slot  # the bare id the code before typed drafts kept
    await bed.db.execute("UPDATE user_drafts SET data = ? WHERE telegram_id = ?", (json.dumps(stored), ann.id))
    await bed.restart()
    await ann.send("only if carer cover is arranged")
    assert "Thank you, noted" in ann.reply_text
    assert (
        await bed.db.fetchval("SELECT reason FROM meeting_votes WHERE slot_id = ?", (slot,))
        == "only if carer cover is arranged"
    )
