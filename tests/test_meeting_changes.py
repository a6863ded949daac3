"""A confirmed meeting that moves, moves back, moves again and is cancelled: every invitee gets
every notice, in their language, with a calendar file that updates the event they already have;
answers are asked for again after each move; reminders follow only the latest time; nothing
comes after the cancellation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar

from domain.access import unmet_needs
from domain.calendar import meeting_ics
from tests.builders import answer_startup_check
from tests.harness import Person, TestBed
from tests.test_access import fill_access
from tests.test_languages import in_
from tests.test_meetings import create_meeting
from tests.test_opportunities import staff

THURSDAY = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
SATURDAY = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
MONDAY = datetime(2026, 12, 7, 18, 0, tzinfo=UTC)
POLISH_DATES = {
    THURSDAY: "czwartek 3 grudnia 2026, 18:30",
    SATURDAY: "sobota 5 grudnia 2026, 10:00",
    MONDAY: "poniedziałek 7 grudnia 2026, 18:00",
}


async def join_group(cora: Person, *people: Person) -> None:
    """Cora creates a group and the people join it with its link."""
    await cora.send("/newproject")
    await cora.send("Carers' café group")
    await cora.send("Runs the café.")
    await answer_startup_check(cora)
    await cora.tap("Co-produce")
    payload = cora.replies[-1]["caption"].split("start=")[1].split()[0]
    for person in people:
        await person.send(f"/start {payload}")


async def invite_ann_and_ola(bed: TestBed) -> tuple[Person, Person, Person]:
    """A coordinator's group with Ann (English) and Ola (Polish), and a poll over three times."""
    cora = await staff(bed)
    ann, ola = await bed.joined("Ann"), await bed.joined("Ola", "pl")
    await join_group(cora, ann, ola)
    await create_meeting(cora, slots="3/12 18:30\n5/12 10:00\n7/12 18:00")
    await bed.services.sender.drain()
    return cora, ann, ola


async def confirm(bed: TestBed, cora: Person, label: str) -> str:
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap(f"Confirm {label}")
    answer = cora.reply_text
    await bed.services.sender.drain()
    return answer


def calendar_event(bed: TestBed, message: dict[str, Any]) -> tuple[icalendar.Calendar, Any]:
    assert message["document"]["file_name"] == "meeting.ics"
    calendar = icalendar.Calendar.from_ical(bed.server.file_bytes(message["document"]["file_id"]))
    return calendar, next(iter(calendar.walk("VEVENT")))


def notices(person: Person) -> list[dict[str, Any]]:
    return [m for m in person.messages if "document" in m]


def reminders(person: Person) -> list[str]:
    return [m["text"] for m in person.messages if m.get("text", "").startswith("⏰")]


async def test_every_change_reaches_everyone_with_a_calendar_file_that_updates_theirs(bed: TestBed):
    cora, ann, ola = await invite_ann_and_ola(bed)

    assert "Confirmed for Thursday 3 December" in await confirm(bed, cora, "Thursday 3 December")
    await ann.tap("Going")
    await ola.tap("Może")
    first_invitation = ola.messages[-1]

    moved = await confirm(bed, cora, "Saturday 5 December")
    assert "Moved from Thursday 3 December 2026, 18:30 to Saturday 5 December 2026, 10:00" in moved
    assert "2 people are being told" in moved and "Confirmed" not in moved
    # Going and Maybe were for the old time: nobody is counted as coming until they answer again.
    await cora.send("/meetings")
    await cora.tap("📊")
    assert "Going: 0 · Maybe: 0" in cora.reply_text
    await ola.press(
        first_invitation["message_id"], first_invitation["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    )
    assert (
        in_("pl", "The time has changed since this message. Please answer on the latest one.")
        == ola.callback_answer()["text"]
    )
    await ann.tap("Going")

    # Back to a time confirmed before: a new notice, not a repeat the outbox would drop.
    assert "2 people are being told" in await confirm(bed, cora, "Thursday 3 December")
    await ann.tap("Going")
    assert "2 people are being told" in await confirm(bed, cora, "Monday 7 December")
    await ann.tap("Going")

    for person in (ann, ola):
        files = [calendar_event(bed, message) for message in notices(person)]
        assert [event.decoded("dtstart") for _calendar, event in files] == [THURSDAY, SATURDAY, THURSDAY, MONDAY]
        sequences = [int(event.get("sequence")) for _calendar, event in files]
        assert sequences == sorted(set(sequences)), sequences
        assert len({str(event.get("uid")) for _calendar, event in files}) == 1
        assert all(str(calendar.get("method")) == "PUBLISH" for calendar, _event in files)
    english, polish = [m["caption"] for m in notices(ann)], [m["caption"] for m in notices(ola)]
    assert english[0].startswith("📅 It's on") and all(text.startswith("📅 Time changed") for text in english[1:])
    assert "When: Monday 7 December 2026, 18:00" in english[3] and "It was: Thursday 3 December" in english[3]
    assert polish[0].startswith("📅 Spotkanie się odbędzie")
    assert all(text.startswith("📅 Zmiana terminu") for text in polish[1:])
    for text, start in zip(polish, (THURSDAY, SATURDAY, THURSDAY, MONDAY), strict=True):
        assert f"Kiedy: {POLISH_DATES[start]}" in text and "Gdzie: Bracknell Library" in text
    assert "Will you come?" in english[0] and "answer again" in english[3]

    # Reminders only for the latest time, and only for those who answered again.
    bed.clock.set(MONDAY - timedelta(days=2))
    await bed.services.sender.drain()
    assert len(reminders(ann)) == 1 and "Monday 7 December 2026, 18:00" in reminders(ann)[0]
    assert reminders(ola) == []

    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Cancel the meeting")
    assert "Cancelled" in cora.reply_text
    await bed.services.sender.drain()
    for person, cancelled in ((ann, "has been cancelled"), (ola, "zostało odwołane")):
        last = person.messages[-1]
        assert cancelled in last["caption"]
        calendar, event = calendar_event(bed, last)
        earlier = calendar_event(bed, notices(person)[-2])[1]
        assert str(calendar.get("method")) == "CANCEL" and str(event.get("status")) == "CANCELLED"
        assert str(event.get("uid")) == str(earlier.get("uid"))
        assert int(event.get("sequence")) > int(earlier.get("sequence"))
    await ola.tap("Będę")
    assert "odwołane" in ola.callback_answer()["text"]

    counts = (len(ann.messages), len(ola.messages))
    for moment in (MONDAY - timedelta(hours=2), MONDAY + timedelta(hours=1)):
        bed.clock.set(moment)
        await bed.services.scheduler.run_due()
        await bed.services.sender.drain()
    assert (len(ann.messages), len(ola.messages)) == counts
    assert len(reminders(ann)) == 1


async def test_reminders_of_an_old_time_never_come(bed: TestBed):
    """Ann answers Going for Thursday; the meeting moves to Monday; Thursday's reminders are
    cancelled, and Monday's come only once she says she can still come."""
    cora, ann, _ola = await invite_ann_and_ola(bed)
    await confirm(bed, cora, "Thursday 3 December")
    await ann.tap("Going")
    await confirm(bed, cora, "Monday 7 December")
    bed.clock.set(THURSDAY + timedelta(hours=1))
    await bed.services.sender.drain()
    assert reminders(ann) == []
    await ann.tap("Going")
    bed.clock.set(MONDAY - timedelta(hours=2))
    await bed.services.sender.drain()
    assert len(reminders(ann)) == 2 and all("Monday 7 December" in text for text in reminders(ann))


async def test_an_invitation_says_which_of_my_needs_the_venue_does_not_meet(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await bed.joined("Ann"), await bed.joined("Bob")
    await fill_access(ann, "Step-free", "Hearing loop")
    await join_group(cora, ann, bob)
    await create_meeting(cora)  # the venue has step-free access only
    await bed.services.sender.drain()
    await confirm(bed, cora, "Thursday 3 December")
    invitation = ann.messages[-1]["caption"]
    assert "Access: Step-free access" in invitation
    assert "You told us you need: Hearing loop. The venue has not said it has this." in invitation
    assert "/feedback" in invitation
    assert "You told us you need" not in bob.messages[-1]["caption"]


def test_unmet_needs_are_only_the_venues_to_meet():
    assert unmet_needs({"step_free", "hearing_loop", "bsl"}, {"step_free"}) == ["hearing_loop"]
    assert unmet_needs({"quiet_breaks", "parking"}, {"quiet_room", "parking"}) == []
    assert unmet_needs(set(), set()) == []


def test_a_calendar_file_escapes_folds_and_cancels():
    start = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
    title = "Café; planning, with a very long title that must be folded across lines " * 2
    data = meeting_ics(
        uid="meeting-1@x",
        title=title,
        description="Line one\nLine two",
        start=start,
        minutes=90,
        location="Room 2, Library",
        url="https://meet.example.org/a",
        now=start,
        sequence=4,
        cancelled=True,
    )
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    assert str(event.get("summary")) == title and str(event.get("description")) == "Line one\nLine two"
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)
    assert (int(event.get("sequence")), str(event.get("status"))) == (4, "CANCELLED")
    assert b"METHOD:CANCEL" in data
