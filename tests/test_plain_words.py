"""Staff-typed words are plain too, end to end: a preview scores what staff typed with the bot's
own measure and flags jargon (sending anyway still works), and a version in another language
reaches the readers of that language while others are told there is none in theirs yet."""

from __future__ import annotations

import json
from datetime import timedelta

import icalendar

from tests.harness import Person, TestBed
from tests.test_feedback import give_feedback
from tests.test_languages import in_, join_in
from tests.test_meetings import group_with
from tests.test_opportunities import staff, write_opportunity

NO_VERSION = "There is no version in your language yet, so this is the original."


async def test_an_opportunity_preview_flags_jargon_and_a_welsh_version_reaches_welsh_readers(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann")
    cai, _since = await join_in(bed, "cy", "Cai")
    pia, _since = await join_in(bed, "pl", "Pia")
    await write_opportunity(cora, title="Commissioning the carers' café", topic=None, send=False)
    note = cora.reply_text
    assert "✍️ Plain words" in note and "“commissioning”: say what will happen" in note
    assert "send it as it is" in note and "🚀 Send now" in cora.buttons()

    await cora.tap("Add a version in another language")
    assert "Cymraeg" in cora.buttons() and "English" not in cora.buttons(), "not the language it is written in"
    await cora.tap("Cymraeg")
    assert "Commissioning the carers' café" in cora.reply_text, "the original is shown to translate from"
    await cora.send("Caffi i ofalwyr")
    await cora.send("Helpwch ni i gynllunio caffi misol i ofalwyr.")
    await cora.tap("Same as the original")
    assert "Cannot change" in cora.reply_text, "the next field"
    await cora.tap("Done: the rest as the original")
    assert "Versions: Cymraeg" in cora.reply_text and "It will reach" in cora.reply_text
    await cora.tap("Send now")
    await bed.services.sender.drain()

    assert "Caffi i ofalwyr" in cai.last_text and "Helpwch ni" in cai.last_text
    assert "Commissioning" not in cai.last_text and in_("cy", NO_VERSION) not in cai.last_text
    assert "Commissioning the carers' café" in pia.last_text and in_("pl", NO_VERSION) in pia.last_text
    assert "Commissioning the carers' café" in ann.last_text and NO_VERSION not in ann.last_text
    await cai.tap(in_("cy", "ℹ️ Tell me more"))
    assert "Caffi i ofalwyr" in cai.reply_text and "The budget, which is already set." in cai.reply_text, (
        "a field the version kept as the original reads as the original"
    )
    await pia.tap(in_("pl", "ℹ️ Tell me more"))
    assert "Commissioning the carers' café" in pia.reply_text and in_("pl", NO_VERSION) in pia.reply_text


async def test_plain_words_say_nothing_when_there_is_nothing_to_say(bed: TestBed):
    cora = await staff(bed)
    await write_opportunity(cora, title="Carers' café", topic=None, send=False)
    assert "✍️ Plain words" not in cora.reply_text and "It will reach" in cora.reply_text


async def test_a_we_did_preview_has_the_same_note_and_a_polish_version_reaches_polish_contributors(bed: TestBed):
    olive = await staff(bed, "Officer", "Olive")
    ann = await bed.joined("Ann")
    pia = await bed.joined("Pia", "pl")
    await give_feedback(ann, "Something else", "More benches please", hide=False)
    await give_feedback(pia, "Coś innego", "Więcej ławek", hide=False)
    await olive.send("/inbox")
    cards = sorted((m for m in olive.replies if "F-2026-" in (m.get("text") or "")), key=lambda m: m["text"])
    for number, card in enumerate(cards):
        await olive.press(card["message_id"], f"fb:{number + 1}:t")
        await olive.tap("A new theme" if number == 0 else "Benches")
        if number == 0:
            await olive.send("Benches for the park")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("We will facilitate a stakeholder engagement session about benches.")
    assert "We did: We will facilitate" in olive.messages[-2]["text"], "the copy people will get"
    note = olive.reply_text
    assert "✍️ Plain words" in note and "“facilitate”: say “help” or “run”" in note
    assert "“stakeholder”" in note and "“engagement”" in note and "send it as it is" in note

    await olive.tap("Add a version in another language")
    await olive.tap("Polski")
    await olive.tap("Same as the original")
    await olive.send("Spotkamy się w sprawie ławek.")
    assert "Versions: Polski" in olive.reply_text
    await olive.tap("Send it")
    assert "On its way to 2 people" in olive.reply_text
    await bed.services.sender.drain()
    assert "Spotkamy się w sprawie ławek." in pia.last_text and "facilitate" not in pia.last_text
    assert "Benches for the park" in pia.last_text, "the field kept as the original"
    assert "We will facilitate" in ann.last_text and NO_VERSION not in ann.last_text


async def test_a_proposal_preview_has_the_same_note(bed: TestBed):
    cora = await staff(bed)
    (bob,) = await group_with(bed, cora, "Bob")
    await bob.send("/propose")
    await bob.send("Leverage the outcomes framework")
    await bob.send("We would utilise the room on Sundays.")
    await bob.tap("In 3 days")
    await bob.tap("Half of members")
    note = bob.reply_text
    assert "✍️ Plain words" in note and "“leverage”: say “use”" in note and "“utilise”: say “use”" in note
    assert "“outcomes framework”" in note
    await bob.tap("Send it")
    assert "Sent. Members can answer" in bob.reply_text


async def meeting_summary(cora: Person) -> None:
    """Cora writes a meeting for her group's members, up to the summary before it is sent."""
    await cora.send("/meeting")
    await cora.send("Stakeholder engagement session")
    await cora.send("Choose the menu and the day.")
    await cora.tap("Co-design")
    await cora.tap("In person")
    await cora.send("Bracknell Library, Room 2")
    await cora.tap("Done")
    await cora.tap("1 hour")
    await cora.send("3/12 18:30\n5/12 10:00")
    await cora.tap("Done")
    await cora.tap("In 2 days")
    await cora.tap("Members of")
    await cora.tap("Done ✔")
    await cora.tap("Only me")


async def members_in(bed: TestBed, cora: Person, *languages: tuple[str, str]) -> list[Person]:
    """A group of Cora's with members who read the given languages: (name, language code)."""
    await group_with(bed, cora)
    payload = cora.replies[-1]["caption"].split("start=")[1].split()[0]
    people = []
    for name, code in languages:
        person = await bed.joined(name) if code == "en" else (await join_in(bed, code, name))[0]
        await person.send(f"/start {payload}")
        people.append(person)
    return people


async def test_a_meeting_poll_preview_has_the_same_note(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await meeting_summary(cora)
    summary = cora.reply_text
    assert "1 person will be invited." in summary and "✍️ Plain words" in summary
    assert "“stakeholder”: say who you mean" in summary and "“engagement”: say “talking with you”" in summary
    await cora.tap("Send the poll")
    assert "The poll is on its way to 1 person" in cora.reply_text


async def test_a_welsh_version_of_a_meeting_reaches_welsh_invitees_in_the_poll_and_the_invitation(bed: TestBed):
    cora = await staff(bed)
    cai, pia, ann = await members_in(bed, cora, ("Cai", "cy"), ("Pia", "pl"), ("Ann", "en"))
    await meeting_summary(cora)
    await cora.tap("Add a version in another language")
    await cora.tap("Cymraeg")
    assert "Stakeholder engagement session" in cora.reply_text, "the original is shown to translate from"
    await cora.send("Cyfarfod am y caffi")
    assert "Choose the menu and the day." in cora.reply_text, "then the description"
    await cora.send("Dewiswch y fwydlen a'r diwrnod.")
    assert "Versions: Cymraeg" in cora.reply_text and "3 people will be invited." in cora.reply_text
    await cora.tap("Send the poll")
    await bed.services.sender.drain()

    welsh_none, polish_none = in_("cy", NO_VERSION), in_("pl", NO_VERSION)
    poll = cai.last_text
    assert "Cyfarfod am y caffi" in poll and "Dewiswch y fwydlen" in poll and "Stakeholder" not in poll
    assert welsh_none not in poll and "Bracknell Library" in poll, "the venue is a place's name, not versioned"
    assert "Stakeholder engagement session" in pia.last_text and pia.last_text.count(polish_none) == 1
    assert "Stakeholder engagement session" in ann.last_text and NO_VERSION not in ann.last_text
    await cai.tap("1 ✅")
    assert "Cyfarfod am y caffi" in cai.last_text, "the poll, redrawn after an answer, keeps the version"

    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    invitation = cai.last_text
    assert "Cyfarfod am y caffi" in invitation and "Dewiswch y fwydlen" in invitation
    assert "Stakeholder" not in invitation and welsh_none not in invitation
    calendar = icalendar.Calendar.from_ical(bed.server.file_bytes(cai.messages[-1]["document"]["file_id"]))
    assert str(next(iter(calendar.walk("VEVENT"))).get("summary")) == "Cyfarfod am y caffi"
    assert "Stakeholder engagement session" in pia.last_text and pia.last_text.count(polish_none) == 1
    assert "Stakeholder engagement session" in ann.last_text and NO_VERSION not in ann.last_text


async def test_a_welsh_version_of_a_residents_proposal_reaches_welsh_members_cards(bed: TestBed):
    cora = await staff(bed)
    ann, cai, pia = await members_in(bed, cora, ("Ann", "en"), ("Cai", "cy"), ("Pia", "pl"))
    await ann.send("/propose")
    await ann.send("A quiet hour")
    await ann.send("No music from 2 to 3.")
    await ann.tap("In 3 days")
    await ann.tap("No minimum")
    await ann.tap("Add a version in another language")
    await ann.tap("Cymraeg")
    await ann.send("Awr dawel")
    await ann.tap("Same as the original")
    assert "Versions: Cymraeg" in ann.reply_text
    await ann.tap("Send it")
    await bed.services.sender.drain()

    card = cai.last_text
    assert "Awr dawel" in card and "A quiet hour" not in card, "the title in Welsh"
    assert "No music from 2 to 3." in card, "the meaning kept as the original"
    assert in_("cy", NO_VERSION) not in card
    assert "A quiet hour" in pia.last_text and pia.last_text.count(in_("pl", NO_VERSION)) == 1
    await cai.tap(in_("cy", "Agree"))
    assert "Awr dawel" in cai.last_text, "the card, redrawn after an answer, keeps the version"
    await pia.tap(in_("pl", "Agree"))
    assert "A quiet hour" in pia.last_text and in_("pl", NO_VERSION) in pia.last_text

    bed.clock.advance(timedelta(days=3, minutes=1))
    assert await bed.services.scheduler.run_due() >= 1
    await bed.services.sender.drain()
    assert "Awr dawel" in cai.last_text and "A quiet hour" not in cai.last_text, "the closing notice too"
    assert "A quiet hour" in pia.last_text and in_("pl", NO_VERSION) in pia.last_text
    assert "A quiet hour" in cora.last_text and NO_VERSION not in cora.last_text, "the lead's prompt"

    await ann.send("/mydata")
    data = json.loads(bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]))
    proposed = next(row for row in data["decisions"] if row["what"] == "proposed")
    assert proposed["versions"] == {"cy": {"title": "Awr dawel"}}, "her words in Welsh are hers too"


async def test_a_vote_has_no_explanation_to_version(bed: TestBed):
    cora = await staff(bed)
    (cai,) = await members_in(bed, cora, ("Cai", "cy"))
    await cora.send("/vote")
    await cora.tap("Dot vote")
    await cora.send("What should we work on first?")
    await cora.send("Menu\nOpening hours")
    await cora.tap("5")
    await cora.tap("In 3 days")
    await cora.tap("Add a version in another language")
    await cora.tap("Cymraeg")
    await cora.send("Beth ddylen ni weithio arno gyntaf?")
    assert "Versions: Cymraeg" in cora.reply_text, "straight back to the preview: a vote has only its question"
    await cora.tap("Send it")
    await bed.services.sender.drain()
    assert "Beth ddylen ni weithio arno gyntaf?" in cai.last_text and "Menu" in cai.last_text
