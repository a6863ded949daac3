"""People who take part without Telegram, end to end: a coordinator adds someone who agreed on
the phone, answers a meeting poll and takes down feedback for them; an officer's "we did" for
that feedback comes out as a printable letter in their language; their export marks what staff
entered; erasing them through staff leaves nothing they said. (Residents forging these buttons:
tests/test_forged_callbacks.py.)"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from bot.i18n import language, load_catalogs
from bot.pages import LARGE_PRINT
from handlers.kit.letters import letter_page
from storage.assisted import Letter
from tests.builders import members, new_group
from tests.engines import leaks
from tests.harness import Person, TestBed
from tests.test_claims import PNG, mark_attended
from tests.test_feedback import group
from tests.test_meetings import create_meeting
from tests.test_opportunities import staff
from tests.test_typed_drafts import _store_then_restart

NAME, ADDRESS, SAID = "Zofia zqxname", "12 High Street zqxaddress", "The bus stop is too far zqxfeedback"


async def add_person(cora: Person, group: str | None = "Library futures") -> None:
    """Zofia agreed on the phone, reads Polish and needs large print; she joins Cora's group, if
    Cora leads one."""
    await cora.send("/addperson")
    await cora.send(NAME)
    await cora.tap("By phone")
    await cora.tap("They said yes on the phone")
    await cora.tap("Polski")
    await cora.tap("Large print")
    await cora.tap("Next »")
    if group:
        await cora.tap(group)
    await cora.send(ADDRESS)


class Page(HTMLParser):
    """The `lang` of a page's <html> and the words a reader sees."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.lang: str | None = None
        self.words: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")

    def handle_data(self, data: str) -> None:
        self.words.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.words)


def document(bed: TestBed, person: Person) -> bytes:
    return bed.server.file_bytes(person.replies[-1]["document"]["file_id"])


async def test_a_person_without_telegram_takes_part_through_staff_and_is_erased(bed: TestBed):
    cora = await staff(bed)
    olive = await staff(bed, "Officer", "Olive")
    await group(bed, cora)
    await add_person(cora)
    assert "is added" in cora.reply_text
    zofia = await bed.db.fetchone("SELECT * FROM participants WHERE display_name = ?", (NAME,))
    assert zofia["telegram_id"] is None and zofia["takes_part"] == "phone" and zofia["consent_how"] == "phone"
    assert zofia["language"] == "pl" and zofia["registered_at"] is not None
    assert await bed.db.fetchval("SELECT COUNT(*) FROM consents WHERE participant_id = ?", (zofia["id"],)) == 1
    assert (await bed.services.access.get(zofia["id"])).needs == {"large_print"}

    await create_meeting(cora)
    await bed.services.sender.drain()
    assert "on its way to 1 person" in cora.reply_text, "Zofia, the group's one member, gets it as a letter"
    await cora.send("/people")
    await cora.tap(NAME)
    assert "1 letter waiting" in cora.reply_text and ADDRESS in cora.reply_text
    await cora.tap("Answer a meeting poll for them")
    await cora.tap("Café planning")
    await cora.tap("1 ✅")
    await cora.tap("2 ❌")
    await cora.tap("Send their answers")
    assert "Their answers are in" in cora.reply_text
    votes = await bed.services.meetings.votes(1)
    assert sorted(answer.value for slot in votes.values() for answer in slot.values()) == ["no", "yes"]

    await cora.tap("Take down their feedback")
    await cora.send(SAID)
    assert "F-2026-0001" in cora.reply_text
    feedback = await bed.services.feedback.by_id(1)
    assert feedback.participant_id == zofia["id"] and feedback.text == SAID

    await olive.send("/inbox")
    assert SAID in olive.reply_text
    await olive.tap("Add to a")
    await olive.tap("A new theme")
    await olive.send("Bus stops are too far away")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("We moved the bus stop closer to the library.")
    await olive.tap("Send it")
    assert "On its way to 1 person" in olive.reply_text
    await bed.services.sender.drain()

    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Letters to send")
    html = document(bed, cora).decode()
    page = Page(html)
    assert page.lang == "pl" and f"font-size:{LARGE_PRINT}" in html, "in Polish, in large print"
    assert "Zrobiliśmy: We moved the bus stop closer to the library." in page.text, "the Polish 'we did'"
    assert "Bus stops are too far away" in page.text and "☐" in page.text, "the difference question to tick"
    await cora.tap("Posted or read out")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM letters WHERE posted_at IS NULL") == 0

    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Their data, to give them")
    export = json.loads(document(bed, cora))
    assert export["feedback"][0]["text"] == SAID
    entered = {(row["kind"], row["ref"], row["entered_by"]) for row in export["entered_by_staff"]}
    assert {("joined", None, "Cora"), ("poll", "1", "Cora"), ("feedback", "F-2026-0001", "Cora")} <= entered
    audited = {
        row["action"]
        for row in await bed.db.fetchall(
            "SELECT action FROM audit_log WHERE subject = ? AND actor_telegram_id = ?", (str(zofia["id"]), cora.id)
        )
    }
    assert {"assisted.add", "assisted.poll", "assisted.feedback", "assisted.export"} <= audited

    await cora.tap("Erase their data")
    await cora.tap("Yes, erase their data")
    assert "erased" in cora.reply_text
    assert await leaks(bed.db, ("zqx",)) == []
    assert (await bed.services.feedback.by_id(1)).text is None
    await cora.send("/people")
    assert NAME not in cora.reply_text


async def test_staff_say_they_are_coming_and_take_their_check_in(bed: TestBed):
    cora = await staff(bed)
    await group(bed, cora)
    await add_person(cora)
    await create_meeting(cora)
    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Answer a meeting poll for them")
    await cora.tap("Café planning")
    for answer in ("1 ✅", "2 ✅", "Send their answers"):
        await cora.tap(answer)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    assert await bed.db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id = 0") == 0, "letters never wait for a chat"
    letters = await bed.db.fetchall("SELECT text, options FROM letters ORDER BY id")
    assert len(letters) == 2 and "Café planning" in letters[1]["text"] and "Będę" in letters[1]["options"], (
        "the invitation, in Polish, with its replies to tick"
    )

    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Say if they are coming")
    await cora.tap("Café planning")
    await cora.tap("Going")
    pid = (await bed.db.fetchone("SELECT id FROM participants WHERE display_name = ?", (NAME,)))["id"]
    assert (await bed.services.meetings.invitee(1, pid)).rsvp == "going"

    await mark_attended(bed, cora, NAME)
    await bed.services.sender.drain()
    assert "Dziękujemy za przybycie" in (await bed.db.fetchval("SELECT text FROM letters ORDER BY id DESC LIMIT 1"))
    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Their check-in")
    await cora.tap("Café planning")
    for tap in ("🙂", "😀", "Strongly agree", "Agree", "Not sure", "Agree"):  # the four 'I' statements
        await cora.tap(tap)
    assert "Their answers are saved" in cora.last_text
    row = await bed.db.fetchone("SELECT * FROM checkins WHERE participant_id = ?", (pid,))
    assert (row["mood_start"], row["mood_end"], row["valued"], row["strengths"], row["respect"], row["influence"]) == (
        4,
        5,
        5,
        4,
        3,
        4,
    )

    olive = await staff(bed, "Officer", "Olive")
    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Take down their travel claim")
    await cora.tap("Café planning")
    await cora.tap("Taxi")
    await cora.send("12.50")
    assert "photo of their receipt" in cora.reply_text, "the residents' receipt rule"
    await cora.send_photo(PNG)
    await cora.tap("Bank transfer")
    assert "C-2026-0001 is sent" in cora.reply_text
    claim = await bed.db.fetchone("SELECT * FROM claims")
    assert (claim["participant_id"], claim["status"], claim["payment_preference"]) == (
        pid,
        "submitted",
        "bank_transfer",
    )
    await olive.send("/approvals")
    assert "C-2026-0001" in olive.reply_text and "Zofia" in olive.reply_text
    await olive.tap("Approve")
    await bed.services.sender.drain()
    assert "C-2026-0001" in await bed.db.fetchval("SELECT text FROM letters ORDER BY id DESC LIMIT 1"), (
        "the decision, as a letter"
    )
    kinds = [row["kind"] for row in await bed.db.fetchall("SELECT kind FROM staff_entries ORDER BY id")]
    assert kinds == ["joined", "poll", "rsvp", "checkin", "claim"]


async def test_staff_cannot_act_for_someone_on_telegram(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann")
    ann_id = (await bed.services.participants.by_telegram_id(ann.id)).id
    for data in (f"wp:{ann_id}", f"wx:{ann_id}", f"we:{ann_id}:{int(bed.clock.now().timestamp())}"):
        await cora.press(cora.messages[-1]["message_id"], data)
        assert "no longer active" in cora.callback_answer()["text"], data
    assert (await bed.services.participants.by_id(ann_id)).telegram_id == ann.id


def test_a_letter_in_urdu_reads_right_to_left_and_keeps_the_message_formatting():
    load_catalogs()
    letter = Letter(
        id=1,
        text="📣 <b>Café</b>\nline two",
        options=("Yes <maybe>",),
        written_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
        posted_at=None,
    )
    with language("ur"):
        html = letter_page("Amir <b>", [letter], ZoneInfo("Europe/London"), large_print=False)
    page = Page(html)
    assert page.lang == "ur" and "dir='rtl'" in html
    assert "<b>Café</b><br>line two" in html, "the message's own HTML, its lines kept"
    assert "☐ Yes &lt;maybe&gt;" in html and "Amir &lt;b&gt;" in html, "labels and names are escaped"


async def test_a_proposal_counts_only_members_who_can_answer_it(bed: TestBed):
    """Staff can't answer a proposal for someone who takes part through them yet, so a group's
    quorum leaves them out rather than counting someone who could never have answered."""
    cora = await staff(bed)
    payload = await new_group(cora, "Library futures", "We shape the library together.", "Co-produce")
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await add_person(cora)
    assert await bed.db.fetchval("SELECT COUNT(*) FROM project_members") == 3
    await bob.send("/propose")
    await bob.send("Open on Sunday mornings")
    await bob.send("The library would open 10 to 1 on Sundays, instead of late on Thursdays.")
    await bob.tap("In 3 days")
    await bob.tap("Half of members")
    assert "Send it to 2 members of Library futures?" in bob.reply_text
    await bob.tap("Send it")
    await bed.services.sender.drain()
    await ann.tap("Agree")
    assert "1 of 2 members answered" in ann.last_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM letters") == 0, "no letter asks them to answer"


async def test_adding_begun_empty_before_typed_drafts_takes_the_name(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/addperson")
    await _store_then_restart(bed, cora, {}, "assisted_draft")  # how /addperson began a draft then
    await cora.send(NAME)
    for label in ("By phone", "They said yes on the phone", "Polski", "Large print", "Next »"):
        await cora.tap(label)
    await cora.send(ADDRESS)
    assert "is added" in cora.reply_text
    assert await bed.db.fetchval("SELECT language FROM participants WHERE display_name = ?", (NAME,)) == "pl"


async def test_an_adding_draft_stored_before_typed_drafts_carries_on(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/addperson")
    await cora.send("Zofia")
    await cora.tap("By phone")
    await _store_then_restart(bed, cora, {"name": NAME, "way": "partner", "partner": "Age UK"}, "assisted_draft")
    for label in ("They said yes on the phone", "Polski", "Large print", "Next »"):
        await cora.tap(label)
    await cora.send(ADDRESS)
    assert "is added" in cora.reply_text
    zofia = await bed.db.fetchone("SELECT * FROM participants WHERE display_name = ?", (NAME,))
    assert (zofia["takes_part"], zofia["partner_name"], zofia["language"]) == ("partner", "Age UK", "pl")
    assert (await bed.services.access.get(zofia["id"])).needs == {"large_print"}


async def test_an_unreadable_adding_draft_starts_again_kindly(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/addperson")
    await cora.send("Zofia")
    for label in ("By phone", "They said yes on the phone", "English", "Next »"):
        await cora.tap(label)
    await _store_then_restart(bed, cora, {"name": ["Zofia"], "way": "phone"}, "assisted_draft")
    await cora.send(ADDRESS)
    assert "could not keep your answers" in cora.reply_text and "What is their name?" in cora.reply_text
    await cora.send("Zofia Nowak")
    for label in ("By phone", "They said yes on the phone", "English", "Next »"):
        await cora.tap(label)
    await cora.send(ADDRESS)
    assert "Zofia Nowak is added" in cora.reply_text


async def taking_down_their_taxi(bed: TestBed) -> Person:
    """Cora is taking down the taxi fare of someone without Telegram who came to a meeting."""
    cora = await staff(bed)
    await group(bed, cora)
    await add_person(cora)
    await create_meeting(cora)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await mark_attended(bed, cora, NAME)
    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Take down their travel claim")
    await cora.tap("Café planning")
    await cora.tap("Taxi")
    return cora


async def test_a_claim_for_them_stored_before_typed_drafts_carries_on(bed: TestBed):
    cora = await taking_down_their_taxi(bed)
    pid = await bed.db.fetchval("SELECT id FROM participants WHERE display_name = ?", (NAME,))
    await _store_then_restart(
        bed, cora, {"person": pid, "key": "0a1b", "meeting_id": 1, "category": "parking"}, "claim_for"
    )
    await cora.send("3.50")
    await cora.tap("Bank transfer")
    assert "C-2026-0001 is sent" in cora.reply_text
    claim = await bed.db.fetchone("SELECT * FROM claims")
    assert (claim["participant_id"], claim["submission_key"]) == (pid, "0a1b")
    item = await bed.db.fetchone("SELECT category, amount_pence, receipt_file_id FROM claim_items")
    assert dict(item) == {"category": "parking", "amount_pence": 350, "receipt_file_id": None}


async def test_their_feedback_stored_before_typed_drafts_carries_on(bed: TestBed):
    cora = await staff(bed)
    await add_person(cora, group=None)
    zofia = await bed.db.fetchval("SELECT id FROM participants WHERE display_name = ?", (NAME,))
    await cora.send("/people")
    await cora.tap(NAME)
    await cora.tap("Take down their feedback")
    await _store_then_restart(bed, cora, {"person": zofia}, "feedback_for")  # as it was written then
    await cora.send(SAID)
    assert "Their feedback F-2026-0001 is with the team" in cora.reply_text
    assert (await bed.services.feedback.by_id(1)).participant_id == zofia
