"""Staff-typed words are plain too, end to end: a preview scores what staff typed with the bot's
own measure and flags jargon (sending anyway still works), and a version in another language
reaches the readers of that language while others are told there is none in theirs yet."""

from __future__ import annotations

from tests.harness import TestBed
from tests.test_languages import in_, join_in
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
    for _field in range(5):
        await cora.tap("Same as the original")
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
