"""Staff-typed words are plain too, end to end: a preview scores what staff typed with the bot's
own measure and flags jargon (sending anyway still works), and a version in another language
reaches the readers of that language while others are told there is none in theirs yet."""

from __future__ import annotations

from tests.harness import TestBed
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
    assert "Caffi i ofalwyr" in cai.reply_text and "The budget, which is already set." in cai.reply_text, \
        "a field the version kept as the original reads as the original"
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
    bob, = await group_with(bed, cora, "Bob")
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


async def test_a_meeting_poll_preview_has_the_same_note(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
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
    summary = cora.reply_text
    assert "1 person will be invited." in summary and "✍️ Plain words" in summary
    assert "“stakeholder”: say who you mean" in summary and "“engagement”: say “talking with you”" in summary
    await cora.tap("Send the poll")
    assert "The poll is on its way to 1 person" in cora.reply_text
