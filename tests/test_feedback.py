"""'You said, we did' end to end: feedback in text, voice and photo, anonymity, the inbox,
themes, "we did" to every contributor in their language, the follow-up, measures."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from feedback.buttons import InboxViewButton, ThemesPageButton
from tests.builders import answer_startup_check
from tests.harness import Person, TestBed
from tests.test_claims import PNG
from tests.test_opportunities import staff
from tests.test_typed_drafts import _store_then_restart

OGG = b"OggS\x00\x02" + b"\x00" * 60


async def group(bed: TestBed, cora: Person) -> str:
    await cora.send("/newproject")
    await cora.send("Library futures")
    await cora.send("Shape the library.")
    await answer_startup_check(cora)
    await cora.tap("Co-design")
    return cora.replies[-1]["caption"].split("start=")[1].split()[0]


async def give_feedback(
    person: Person,
    about: str,
    say: str | bytes,
    *,
    hide: bool,
    pick: str | None = None,
    service: str | None = None,
    photo: bool = False,
    quote: str | None = None,
) -> None:
    """`hide` quotes them without their name (or with it); `quote` says another choice ("no")."""
    await person.send("/feedback")
    await person.tap(about)
    if pick:
        await person.tap(pick)
    if service:
        await person.send(service)
    if photo:
        await person.send_photo(PNG, caption=str(say))
    elif isinstance(say, bytes):
        await person.settle(person.server.push_message(person.id, voice=say))
    else:
        await person.send(say)
    choice = quote or ("unnamed" if hide else "named")
    await person.press(person.messages[-1]["message_id"], f"fe:quote:{choice}")  # in any language


async def in_the_inbox(bed: TestBed, words: str = "Open the library on Sundays") -> tuple[Person, Person]:
    """Olive, an officer, looking at /inbox, and Ann, whose feedback is in it."""
    olive = await staff(bed, "Officer", "Olive")
    ann = await bed.joined("Ann")
    await give_feedback(ann, "Something else", words, hide=False)
    await olive.send("/inbox")
    return olive, ann


async def test_feedback_to_we_did_to_follow_up(bed: TestBed):
    cora = await staff(bed)
    olive = await staff(bed, "Officer", "Olive")
    payload = await group(bed, cora)
    ann = await bed.joined("Ann")
    await ann.send(f"/start {payload}")
    bob = await bed.joined("Bob")
    cat = await bed.joined("Cat", "pl")

    await give_feedback(ann, "One of my groups", "The room was too cold <b>brr</b>", hide=True, pick="Library")
    assert "F-2026-0001" in ann.reply_text
    await give_feedback(bob, "A council service", OGG, hide=False, service="Library")
    assert "F-2026-0002" in bob.last_text
    await give_feedback(cat, "Coś innego", "Zimno w sali", hide=False, photo=True)
    assert "F-2026-0003" in cat.last_text

    await olive.send("/inbox")
    inbox = olive.reply_text
    assert "The room was too cold <b>brr</b>" in inbox, "typed HTML is shown literally"
    assert "Ann · may be quoted without their name" in inbox and "Voice note below" in inbox
    assert any(m.get("voice") for m in olive.replies) and any(m.get("photo") for m in olive.replies)

    first = next(m for m in olive.replies if "F-2026-0001" in m.get("text", ""))
    await olive.press(first["message_id"], "fb:1:l")
    await bed.services.sender.drain()
    assert "Being looked at" in ann.last_text
    await olive.press(first["message_id"], "fb:1:t")
    await olive.tap("A new theme")
    await olive.send("Rooms are too cold in winter")
    for feedback_id in (2, 3):
        await olive.press(first["message_id"], f"fb:{feedback_id}:t")
        await olive.tap("Rooms are too cold")

    await olive.send("/themes")
    assert "from 3 people" in olive.reply_text
    await olive.tap("We did it")
    await olive.send("We fixed the heating in Room 2.")
    assert "This is what they will get" in olive.messages[-2]["text"], "a preview first"
    await olive.tap("Send it")
    assert "On its way to 3 people" in olive.reply_text
    await bed.services.sender.drain()
    assert "We did: We fixed the heating in Room 2." in ann.last_text
    assert "Rooms are too cold in winter" in bob.last_text
    assert "Zrobiliśmy" in cat.last_text and "Has this made" not in cat.last_text, "in Cat's own language"

    await ann.tap("Not sure")
    await bob.tap("Yes")
    await bob.send("Much warmer now")
    assert (await bed.services.feedback.answers(1, 1)) == {
        (await bed.services.participants.by_telegram_id(ann.id)).id: "not_sure",
        (await bed.services.participants.by_telegram_id(bob.id)).id: "yes",
    }

    counts = {p.id: len(p.messages) for p in (ann, bob, cat)}
    bed.clock.advance(timedelta(weeks=6, hours=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert len(ann.messages) == counts[ann.id] + 1 and "A few weeks on" in ann.last_text
    assert len(cat.messages) == counts[cat.id] + 1
    assert len(bob.messages) == counts[bob.id], "Bob said it made a difference: not asked again"

    dan = await bed.joined("Dan")
    await dan.send("/yousaidwedid")
    digest = dan.reply_text
    assert "Rooms are too cold in winter" in digest and "We fixed the heating" in digest
    assert "Ann" not in digest and "someone who asked not to be named" in digest
    assert "Zimno w sali" in digest and "Cat" in digest

    await olive.send("/impact")
    assert "Feedback received: 3" in olive.reply_text and "Said it made a difference: 50%" in olive.reply_text
    rows = list(
        csv.DictReader(io.StringIO(bed.server.file_bytes(olive.replies[-1]["document"]["file_id"]).decode("utf-8-sig")))
    )
    assert rows[0]["scope"] == "All groups" and rows[0]["feedback_received"] == "3"


async def test_cant_do_needs_a_reason_and_officers_only(bed: TestBed):
    olive = await staff(bed, "Officer", "Olive")
    ann = await bed.joined("Ann")
    await give_feedback(ann, "Something else", "Open the library on Sundays", hide=False)
    rex = await bed.joined("Rex")
    for data in ("fb:1:d", "fb:1:c", "fb:1:t", "ft:1:0", "th:1:done", InboxViewButton("n", 0, 0).pack()):
        await rex.press(rex.messages[-1]["message_id"], data)
        assert "can't do that" in rex.callback_answer()["text"], data
    for command in ("/inbox", "/themes", "/overdue", "/impact"):
        await rex.send(command)
        assert "can't do that" in rex.reply_text, command
    await olive.send("/inbox")
    await olive.tap("Can't do")
    await olive.send("no money")
    assert "reason of a few words" in olive.reply_text
    assert (await bed.services.feedback.by_id(1)).status == "received"
    await olive.send("There is no budget for Sunday staff this year.")
    await bed.services.sender.drain()
    assert "Can't do" in ann.last_text and "no budget for Sunday staff" in ann.last_text
    await rex.press(rex.messages[-1]["message_id"], "yd:1:1:yes")
    assert "no longer active" in rex.callback_answer()["text"]


async def test_unanswered_feedback_nudges_officers_and_shows_as_overdue(bed: TestBed):
    olive = await staff(bed, "Officer", "Olive")
    ann = await bed.joined("Ann")
    await give_feedback(ann, "Something else", "Bins were missed", hide=False)
    bed.clock.advance(timedelta(days=11))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert "F-2026-0001 has had no answer for 10 days" in olive.last_text
    await olive.send("/overdue")
    assert "No response after 10 days: 1" in olive.reply_text and "F-2026-0001" in olive.reply_text


async def test_check_in_after_attendance(bed: TestBed):
    from tests.test_claims import attended_meeting, mark_attended

    cora, ann = await attended_meeting(bed)
    await mark_attended(bed, cora)
    await bed.services.sender.drain()
    assert "How did you feel at the start?" in ann.last_text
    for tap in ("🙁", "🙂", "Strongly agree", "Agree", "Not sure", "Disagree"):
        await ann.tap(tap)
    assert "This helps us run better meetings" in ann.last_text
    row = await bed.db.fetchone("SELECT * FROM checkins")
    assert (row["mood_start"], row["mood_end"], row["valued"], row["strengths"], row["respect"], row["influence"]) == (
        2,
        4,
        5,
        4,
        3,
        2,
    )


async def test_coordinator_sends_the_digest_to_a_group(bed: TestBed):
    cora = await staff(bed)
    olive = await staff(bed, "Officer", "Olive")
    payload = await group(bed, cora)
    ann = await bed.joined("Ann")
    await ann.send(f"/start {payload}")
    await give_feedback(ann, "Something else", "More benches in the park please", hide=False)
    await olive.send("/inbox")
    await olive.tap("Add to a")
    await olive.tap("A new theme")
    await olive.send("We need more places to sit")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("Six new benches went in along the river path.")
    await olive.tap("Send it")
    await bed.services.sender.drain()
    await cora.send("/yousaidwedid")
    await cora.tap("Send this to a group")
    await cora.tap("Library futures")
    await bed.services.sender.drain()
    assert "Six new benches" in ann.last_text and "You said, we did" in ann.last_text
    await ann.send("/yousaidwedid")
    assert "Send this to a group" not in " ".join(ann.buttons())


async def test_a_press_not_on_offer_asks_the_feedback_question_again(bed: TestBed):
    """A stale or forged answer (a group they are not in, a quote choice nobody was shown) used
    to get no answer at all; now the question comes again, and nothing is sent until a real one."""
    ann = await bed.joined("Ann")
    await ann.send("/feedback")
    await ann.press(ann.messages[-1]["message_id"], "fe:about:everything")
    assert "What is your feedback about?" in ann.reply_text
    await ann.tap("One of my groups")  # in none yet: feedback in general
    assert "in your own words" in ann.reply_text
    await ann.send("The lift is broken")
    await ann.press(ann.messages[-1]["message_id"], "fe:quote:loudly")
    assert "may we quote your words?" in ann.reply_text
    assert await bed.services.feedback.by_id(1) is None
    await ann.tap("Yes, but not my name")
    assert "F-2026-0001" in ann.reply_text
    assert (await bed.services.feedback.by_id(1)).about == "general"


async def test_a_feedback_draft_stored_before_typed_drafts_carries_on(bed: TestBed):
    ann = await bed.joined("Ann")
    await ann.send("/feedback")
    await ann.tap("A council service")
    await ann.send("Libraries")
    await _store_then_restart(bed, ann, {"about": "service", "service": "Library"}, "feedback_draft")
    await ann.send("The lift is broken")
    await ann.press(ann.messages[-1]["message_id"], "fe:quote:named")
    assert "F-2026-0001" in ann.reply_text
    item = await bed.services.feedback.by_id(1)
    assert (item.about, item.service, item.text, item.anonymous) == ("service", "Library", "The lift is broken", False)


async def test_feedback_begun_empty_before_typed_drafts_takes_its_first_answer(bed: TestBed):
    ann = await bed.joined("Ann")
    await ann.send("/feedback")
    await _store_then_restart(bed, ann, {}, "feedback_draft")  # how /feedback began a draft then
    await ann.tap("A council service")
    await ann.send("Library")
    await ann.send("The lift is broken")
    await ann.press(ann.messages[-1]["message_id"], "fe:quote:named")
    assert "F-2026-0001" in ann.reply_text
    assert (await bed.services.feedback.by_id(1)).service == "Library"


async def test_an_unreadable_feedback_draft_starts_again_kindly(bed: TestBed):
    ann = await bed.joined("Ann")
    await ann.send("/feedback")
    await ann.tap("A council service")
    await ann.send("Library")
    await _store_then_restart(bed, ann, {"about": "service", "service": ["Library"]}, "feedback_draft")
    await ann.send("The lift is broken")
    assert "could not keep your answers" in ann.reply_text and "What is your feedback about?" in ann.reply_text
    await ann.tap("Something else")
    await ann.send("The lift is broken")
    await ann.press(ann.messages[-1]["message_id"], "fe:quote:named")
    item = await bed.services.feedback.by_id(1)
    assert (item.about, item.service, item.text) == ("general", None, "The lift is broken")


async def test_themes_come_a_page_at_a_time_within_one_chats_burst(bed: TestBed):
    olive, ann = await in_the_inbox(bed)
    await olive.tap("Add to a “You said” theme")
    await olive.tap("A new theme")
    await olive.send("The library is shut when people are free")
    officer = await bed.services.participants.by_telegram_id(olive.id)
    for title in ("Buses", "Benches", "Toilets", "Lights"):  # four more waiting, said by nobody yet
        await bed.services.feedback.create_theme(title, None, officer.id, bed.clock.now())

    first_call = len(bed.server.calls)
    await olive.send("/themes")
    cards = [c.params for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(cards) == 3, "one page: no more at once than one chat may get"
    assert "The library is shut when people are free</b> – from 1 person" in cards[0]["text"]
    assert "Benches" in cards[2]["text"] and "Show 2 more" in olive.buttons()
    assert not any(c.status == 429 for c in bed.server.calls)

    first_call = len(bed.server.calls)
    await olive.tap("Show 2 more")
    cards = [c.params for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert ["Toilets" in cards[0]["text"], "Lights" in cards[1]["text"]] == [True, True]
    assert "from 0 people" in cards[1]["text"] and not any("more" in b for b in olive.buttons())

    await ann.press(olive.replies[-1]["message_id"], ThemesPageButton(3).pack())  # a resident forging it
    assert "can't do that" in ann.callback_answer()["text"]
