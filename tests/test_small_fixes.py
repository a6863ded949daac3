"""Small things found by trying the bot as a new user would (issue 20, section 5), each driven
end to end through the emulator: a closed poll in /meetings, an officer's own claim, the
/invite buttons, people's words on their own line, durations, the inbox card after a status
tap, the digest with no group and a forged digest press, invisible characters in free text,
and who may be quoted in "You said, we did". The invite's consent order is in test_roles."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.i18n import format_duration, language
from domain.words import clean_typed, visible
from feedback.buttons import DigestToGroupButton
from storage.engines import database_for
from storage.feedback import FeedbackStore
from tests.conftest import ADMIN_ID
from tests.engines import fresh_database
from tests.harness import Person, TestBed
from tests.test_claims import attended_meeting, mark_attended, officer
from tests.test_feedback import give_feedback, group
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff

RLO, ZWSP, LRI, PDI, BOM = "\u202e", "\u200b", "\u2066", "\u2069", "\ufeff"
INVISIBLE = (RLO, ZWSP, LRI, PDI, BOM, "\x00", "\x1b")


def buttons_of(message: dict[str, Any]) -> list[str]:
    return [button["text"] for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for button in row]


def message_with(person: Person, text: str) -> dict[str, Any]:
    return next(m for m in reversed(person.messages) if text in (m.get("text") or ""))


async def claim_something_else(person: Person, activity: str, note: str | None = None) -> None:
    await person.send("/claim")
    await person.tap("Something else")
    await person.send(activity)
    await person.tap("Food and drink")
    await person.send("3.20")
    await person.tap("Review and send")
    if note:
        await person.send(note)
    else:
        await person.tap("Skip")
    await person.tap("Bank transfer")
    await person.tap("Send my claim")


async def published_theme(bed: TestBed, olive: Person, *contributors: tuple[Person, str, str]) -> None:
    """Each (person, words, quote choice) gives feedback; all go into one theme, published."""
    for person, words, choice in contributors:
        await give_feedback(person, "Something else", words, hide=False, quote=choice)
    await olive.send("/inbox")
    cards = [m for m in olive.replies if "F-2026-" in (m.get("text") or "")]
    for number, card in enumerate(sorted(cards, key=lambda m: m["text"])):
        await olive.press(card["message_id"], f"fb:{number + 1}:t")
        await olive.tap("A new theme" if number == 0 else "Benches")
        if number == 0:
            await olive.send("Benches for the park")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("Six new benches went in along the river path.")
    await olive.tap("Send it")
    await bed.services.sender.drain()


# --- /meetings while a poll is closed ---------------------------------------------------------


async def test_meetings_says_the_poll_has_closed_and_a_time_is_coming(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    assert "How long: 1 hour" in ann.last_text and "minutes" not in ann.last_text
    bed.clock.advance(timedelta(days=2, minutes=1))
    await bed.services.scheduler.run_due()
    assert (await bed.services.meetings.by_id(1)).status == "closed"
    await ann.send("/meetings")
    assert "Meetings you are invited to" in ann.reply_text
    assert "Café planning &lt;1&gt;" not in ann.reply_text, "the title is escaped once, not twice"
    assert "Café planning <1> – the poll has closed. A time will be confirmed soon." in ann.reply_text


@pytest.mark.parametrize(
    ("minutes", "said"),
    [
        (120, "2 hours"),
        (60, "1 hour"),
        (90, "1 hour and 30 minutes"),
        (45, "45 minutes"),
        (61, "1 hour and 1 minute"),
    ],
)
def test_durations_are_said_in_hours_and_minutes(minutes: int, said: str):
    with language("en"):
        assert format_duration(minutes) == said


# --- an officer's own claim ---------------------------------------------------------------------


async def test_an_officers_own_claim_shows_no_decision_buttons(bed: TestBed):
    olive = await officer(bed)
    otto = await staff(bed, "Officer", "Otto")
    await claim_something_else(olive, "Ran the stall on 1 December")
    await olive.send("/approvals")
    card = message_with(olive, "C-2026-0001")
    assert "This is your own claim, so another officer must decide." in card["text"]
    assert buttons_of(card) == []
    await olive.press(card["message_id"], "ap:1:a")  # the server still refuses a forged press
    assert "can't do that" in olive.callback_answer()["text"]
    await otto.send("/approvals")
    card = message_with(otto, "C-2026-0001")
    assert "another officer must decide" not in card["text"]
    assert "✅ Approve" in buttons_of(card)
    assert (await bed.services.claims.by_id(1)).status == "submitted"


async def test_an_officers_own_request_in_advance_shows_no_decision_buttons(bed: TestBed):
    cora = await staff(bed)
    olive = await officer(bed)
    otto = await staff(bed, "Officer", "Otto")
    await group_with(bed, cora)
    payload = next(m["caption"] for m in reversed(cora.messages) if "start=" in (m.get("caption") or ""))
    await olive.send("/start " + payload.split("start=")[1].split()[0])
    await create_meeting(cora)
    await bed.services.sender.drain()
    for tap in ("1 ✅", "2 ✅", "Send my answers"):
        await olive.tap(tap)
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    await olive.tap("Going")
    await olive.send("/claim")
    for tap in ("Ask in advance", "Café planning", "Taxi"):
        await olive.tap(tap)
    await olive.send("18")
    await olive.send("/approvals")
    request = message_with(olive, "Asked in advance by Olive")
    assert "You asked for this yourself, so another officer must decide." in request["text"]
    assert buttons_of(request) == []
    await otto.send("/approvals")
    assert "✅ Agree" in buttons_of(message_with(otto, "Asked in advance by Olive"))


# --- /invite, and people's words in a notice ------------------------------------------------------


async def test_invite_buttons_are_capitalised(bed: TestBed):
    ada = await bed.joined("Ada", user_id=ADMIN_ID)
    await ada.send("/invite")
    assert ada.buttons() == ["Coordinator", "Officer"]


async def test_an_answer_that_ends_a_sentence_gets_no_second_full_stop(bed: TestBed):
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
    await olive.send("/approvals")
    await olive.tap("Ask a question")
    await olive.send("Was it a return ticket?")
    await bed.services.sender.drain()
    await ann.tap("Reply")
    await ann.send("It was a return ticket.")
    await bed.services.sender.drain()
    notice = olive.last_text
    assert "It was a return ticket.\n" in notice and ".." not in notice
    await olive.send("/approvals")
    await olive.tap("Reject")
    await olive.send("Parking is free at the library!")
    await bed.services.sender.drain()
    assert "Parking is free at the library!\n" in ann.last_text and "!." not in ann.last_text


# --- the inbox card after a status tap ------------------------------------------------------------


async def test_a_status_tap_edits_the_card_and_keeps_its_actions(bed: TestBed):
    olive = await officer(bed)
    ann = await bed.joined("Ann")
    await give_feedback(ann, "Something else", "The lift is broken again", hide=False)
    await olive.send("/inbox")
    card = message_with(olive, "F-2026-0001")
    assert "Status: Received" in card["text"]
    sent = len(olive.messages)
    await olive.press(card["message_id"], "fb:1:l")
    assert "The person has been told" in olive.callback_answer()["text"]
    edited = next(m for m in olive.messages if m["message_id"] == card["message_id"])
    assert "Status: Being looked at" in edited["text"] and "The lift is broken again" in edited["text"]
    assert buttons_of(edited) == buttons_of(card), "every action stays, Add to theme included"
    assert len(olive.messages) == sent, "the card changed in place"
    await olive.press(card["message_id"], "fb:1:l")
    assert "already" in olive.callback_answer()["text"]
    await olive.tap("Add to a")
    await olive.tap("A new theme")
    await olive.send("The lift keeps breaking")
    assert (await bed.services.feedback.by_id(1)).theme_id is not None
    await bed.services.sender.drain()
    assert "Being looked at" in ann.last_text

    await olive.press(card["message_id"], "fb:1:c")
    await olive.send("The landlord must fix it, not the council.")
    edited = next(m for m in olive.messages if m["message_id"] == card["message_id"])
    assert "Status: Can't do" in edited["text"] and buttons_of(edited) == buttons_of(card)


# --- the digest: no group, and a forged press ---------------------------------------------------


async def test_a_coordinator_who_leads_no_group_is_told_how_to_go_on(bed: TestBed):
    olive = await officer(bed)
    ann = await bed.joined("Ann")
    await published_theme(bed, olive, (ann, "More benches please", "named"))
    carl = await staff(bed, "Coordinator", "Carl")
    await carl.send("/yousaidwedid")
    await carl.tap("Send this to a group")
    assert "You don't lead a group yet" in carl.reply_text and "/newproject" in carl.reply_text
    assert "Which group should get it?" not in carl.reply_text


async def test_a_forged_digest_press_is_answered_once_with_the_refusal(bed: TestBed):
    cora = await staff(bed)
    olive = await officer(bed)
    await group(bed, cora)
    ann = await bed.joined("Ann")
    await published_theme(bed, olive, (ann, "More benches please", "named"))
    carl = await staff(bed, "Coordinator", "Carl")
    await carl.send("/yousaidwedid")
    cora_row = await bed.services.participants.by_telegram_id(cora.id)
    project_id = (await bed.services.projects.led_by(cora_row.id))[0].id
    await carl.press(carl.messages[-1]["message_id"], DigestToGroupButton(project_id).pack())
    assert "can't do that" in carl.callback_answer()["text"]
    assert not [entry for entry in bed.server.rejected if entry[0] == "answerCallbackQuery"], "answered twice"
    assert (
        await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'digest.send' AND outcome = 'refused'")
        == 1
    )
    assert await bed.db.fetchval("SELECT COUNT(*) FROM outbox_batches WHERE kind = 'digest'") == 0


# --- invisible characters in free text ----------------------------------------------------------


def test_the_cleaning_rule_keeps_what_people_see_and_drops_what_hides_or_reorders():
    assert visible(f"gpj{RLO}.exe{ZWSP}{BOM}\x00") == "gpj.exe"
    assert visible(f"{LRI}Ann{PDI}") == "Ann"
    family, wheelchair = "👩‍👩‍👧", "👩‍🦽"
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert visible(f"{family} {wheelchair} {england}") == f"{family} {wheelchair} {england}", "emoji stay whole"
    assert visible("می‌خواهم") == "می‌خواهم", "a zero-width non-joiner shapes the word"
    assert visible("tag\U000e0041 alone") == "tag alone"
    assert clean_typed(f"  two\t words{ZWSP}  ") == "two words"
    assert clean_typed("first line\n\n\n\nsecond  line\n", one_line=False) == "first line\n\nsecond line"
    assert clean_typed(f"{RLO}{ZWSP}") == ""


async def test_invisible_characters_typed_in_free_text_never_reach_staff(bed: TestBed):
    olive = await officer(bed)
    ann = await bed.joined("Ann")
    await give_feedback(ann, "Something else", f"The {RLO}lift{ZWSP} is broken{LRI}\x1b", hide=False)
    await claim_something_else(ann, f"Helped at the {RLO}fair", note=f"Bus{BOM} both ways")
    await olive.send("/inbox")
    await olive.send("/approvals")
    shown = olive.server.bot_messages(olive.id)
    staff_text = "\n".join((m.get("text") or "") + str(m.get("reply_markup") or "") for m in shown)
    assert "The lift is broken" in staff_text and "Helped at the fair" in staff_text and "Bus both ways" in staff_text
    assert not [c for c in INVISIBLE if c in staff_text]
    stored = await bed.db.fetchone("SELECT f.text, c.activity, c.note FROM feedback f, claims c")
    assert not [c for c in INVISIBLE for value in stored if c in value], "stored clean, too"
    # Words an older version stored as typed are cleaned where they are shown.
    await bed.db.execute("UPDATE feedback SET text = ?", (f"Old {RLO}words{ZWSP} here",))
    await olive.send("/inbox")
    assert "Old words here" in olive.reply_text and RLO not in olive.reply_text and ZWSP not in olive.reply_text


async def test_feedback_made_only_of_invisible_characters_is_asked_for_again(bed: TestBed):
    ann = await bed.joined("Ann")
    await ann.send("/feedback")
    await ann.tap("Something else")
    await ann.send(f"{RLO}{ZWSP}")
    assert "Tell us in your own words" in ann.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM feedback") == 0


# --- quoting in "You said, we did" -----------------------------------------------------------


async def test_only_words_people_agreed_to_share_are_quoted_and_names_only_if_they_said_so(bed: TestBed):
    olive = await officer(bed)
    ann, bob, cat = await bed.joined("Ann"), await bed.joined("Bob"), await bed.joined("Cat")
    await ann.send("/feedback")
    await ann.tap("Something else")
    await ann.send("More benches please")
    assert "may we quote your words?" in ann.reply_text
    assert ann.buttons() == ["Yes, with my name", "Yes, but not my name", "No, please don't quote me"]
    await ann.send("/cancel")
    await published_theme(
        bed,
        olive,
        (ann, "More benches please", "named"),
        (bob, "Somewhere to sit by the river", "unnamed"),
        (cat, "My knees hurt on the walk", "no"),
    )
    await olive.send("/inbox")  # nothing open now; the choices are on the stored items
    assert [(await bed.services.feedback.by_id(n)).may_quote for n in (1, 2, 3)] == [True, True, False]
    dan = await bed.joined("Dan")
    await dan.send("/yousaidwedid")
    digest = dan.reply_text
    assert "“More benches please” – Ann" in digest
    assert "“Somewhere to sit by the river” – someone who asked not to be named" in digest and "Bob" not in digest
    assert "My knees hurt" not in digest and "Cat" not in digest
    assert "Six new benches" in digest


async def test_the_inbox_card_tells_staff_how_each_person_may_be_quoted(bed: TestBed):
    olive = await officer(bed)
    ann, bob = await bed.joined("Ann"), await bed.joined("Bob")
    await give_feedback(ann, "Something else", "Open on Sundays", hide=True)
    await give_feedback(bob, "Something else", "Longer hours", hide=False, quote="no")
    await olive.send("/inbox")
    assert "Ann · may be quoted without their name" in olive.reply_text
    assert "Bob · not to be quoted" in olive.reply_text


async def test_feedback_given_before_the_quoting_question_keeps_its_promise(tmp_path):
    """Before, people were asked only whether their name could be shown "if we share what people
    said": a yes is a yes to being quoted with their name; asking to stay anonymous means no quote."""
    path = await fresh_database(tmp_path, empty=True)
    old = database_for(path)
    await old.open(up_to=15)
    await old.execute("INSERT INTO themes (id, title, created_at) VALUES (1, 'Benches', 'x')")
    for number, (name, anonymous) in enumerate((("Ann", 0), ("Bob", 1)), 1):
        await old.execute(
            "INSERT INTO participants (id, telegram_id, language, created_at, display_name)"
            " VALUES (?, ?, 'en', 'x', ?)",
            (number, number, name),
        )
        await old.execute(
            "INSERT INTO feedback (reference, participant_id, about, text, anonymous, theme_id,"
            " received_at) VALUES (?, ?, 'general', ?, ?, 1, 'x')",
            (f"F-2026-000{number}", number, f"{name}'s words", anonymous),
        )
    await old.close()
    db = database_for(path)
    await db.open()
    assert [(name, text) for _who, name, text in await FeedbackStore(db).quotes(1)] == [("Ann", "Ann's words")]
    await db.close()
