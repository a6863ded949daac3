"""A resident joins, in two languages, through the real bot and the emulator."""

from __future__ import annotations

import json
from typing import Any

from tests.builders import new_group
from tests.harness import Person, TestBed
from tests.test_opportunities import staff


async def test_onboarding_in_english_stores_profile_and_consent(bed: TestBed):
    ann = bed.person("Ann", "en")
    await ann.send("/start")
    assert "Which language" in ann.reply_text
    assert {"English", "Polski"} <= set(ann.buttons())
    await ann.tap("English")
    assert "Your privacy" in ann.reply_text and "/mydata" in ann.reply_text
    await ann.tap("Yes, I agree")
    assert "What should we call you" in ann.reply_text
    await ann.send("Annie <b>")
    assert "for yourself" in ann.reply_text
    await ann.tap("someone I care for")
    assert "agree" in ann.reply_text
    await ann.tap("Yes, they agree")
    await ann.tap("Carers")
    await ann.tap("Housing")
    await ann.tap("Housing")  # tapping again un-picks it
    assert "✅ Carers" in ann.buttons() and "▫️ Housing" in ann.buttons()
    await ann.tap("Done")
    await ann.send("Bracknell North")
    await ann.tap("Not between 21:00 and 8:00")
    assert "All set, Annie &lt;b&gt;" not in ann.reply_text  # the emulator shows parsed text
    assert "All set, Annie <b>!" in ann.reply_text

    participant = await bed.services.participants.by_telegram_id(ann.id)
    assert participant.registered and participant.display_name == "Annie <b>"
    assert participant.acting_for == "cared_for" and participant.other_consent_at is not None
    assert participant.area == "Bracknell North"
    assert (participant.quiet_hours.start, participant.quiet_hours.end) == (21, 8)
    assert await bed.services.participants.topics(participant.id) == ["carers"]
    consents = await bed.services.participants.consents(participant.id)
    assert [c["notice_version"] for c in consents] == ["2026-11"]


async def test_onboarding_in_polish_follows_telegram_language(bed: TestBed):
    ola = bed.person("Ola", "pl")
    await ola.send("/start")
    assert "Który język" in ola.reply_text or "język" in ola.reply_text
    await ola.tap("Polski")
    await ola.tap("Tak, zgadzam się")
    await ola.send("Ola")
    await ola.tap("Dla siebie")
    await ola.tap("Gotowe")
    await ola.tap("Pomiń")
    await ola.tap("O dowolnej porze")
    assert "Ola" in ola.reply_text
    assert "What would you like" not in ola.reply_text
    participant = await bed.services.participants.by_telegram_id(ola.id)
    assert participant.language == "pl" and participant.registered and participant.quiet_hours is None


async def test_back_and_skip_and_stray_input_never_lose_the_way(bed: TestBed):
    ben = bed.person("Ben")
    await ben.send("/start")
    await ben.tap("English")
    await ben.tap("Back")
    assert "Which language" in ben.reply_text
    await ben.tap("English")
    await ben.tap("Yes, I agree")
    await ben.tap("Call me Ben")
    await ben.send("hello?")  # typed text where a button is expected: asked again
    assert "for yourself" in ben.reply_text
    await ben.send("/projects")  # another command mid-flow: it answers, and joining is paused
    assert "join first" in ben.reply_text and "Carry on with joining" in ben.buttons()[0]
    await ben.tap("Carry on with joining")
    assert "for yourself" in ben.reply_text
    await ben.tap("For myself")
    await ben.tap("Back")
    assert "for yourself" in ben.reply_text


async def test_a_press_that_is_not_on_offer_asks_again_and_saves_nothing(bed: TestBed):
    """An old or forged button (a quiet-hours or agreement value nobody was shown) used to
    finish joining with the default quiet hours, or count as "Not yet"; now the question comes
    again and nothing is saved until a real answer."""
    cat = bed.person("Cat")
    await cat.send("/start")
    await cat.tap("English")
    await cat.tap("Yes, I agree")
    await cat.tap("Call me Cat")
    await cat.tap("someone I care for")
    on_screen = cat.messages[-1]["message_id"]
    await cat.press(on_screen, "ob:other:maybe")
    assert "agree to you sharing" in cat.reply_text and "Yes, they agree" in cat.buttons()
    participant = await bed.services.participants.by_telegram_id(cat.id)
    assert participant.acting_for == "cared_for", "a forged answer is not taken as Not yet"
    await cat.tap("Yes, they agree")
    await cat.tap("Done")
    await cat.tap("Skip")
    await cat.press(cat.messages[-1]["message_id"], "ob:quiet:3-4")
    assert "NOT send you messages" in cat.reply_text and "Any time is fine" in cat.buttons()
    participant = await bed.services.participants.by_telegram_id(cat.id)
    assert not participant.registered and participant.quiet_hours is None
    await cat.press(cat.messages[-1]["message_id"], "ob:lang:xx")  # a stale language button from the start
    assert not (await bed.services.participants.by_telegram_id(cat.id)).registered
    await cat.tap("Any time is fine")
    assert "All set, Cat" in cat.reply_text
    assert (await bed.services.participants.by_telegram_id(cat.id)).registered


async def test_restart_half_way_continues_where_they_were(bed: TestBed):
    cat = bed.person("Cat")
    await cat.send("/start")
    await cat.tap("English")
    await cat.tap("Yes, I agree")
    await cat.send("Cat")
    await bed.restart()
    await cat.tap("For myself")  # the button from before the restart still works
    assert "Which topics" in cat.reply_text
    await bed.restart()
    await cat.send("/start")  # or they simply send /start again, and carry on
    assert "Carry on with joining" in cat.buttons()[0]
    await cat.tap("Carry on with joining")
    assert "Which topics" in cat.reply_text


async def test_consent_refused_stores_nothing(bed: TestBed):
    dan = bed.person("Dan")
    await dan.send("/start")
    await dan.tap("English")
    await dan.tap("No, thank you")
    assert "not kept anything" in dan.reply_text and "/start" in dan.reply_text
    assert await bed.services.participants.by_telegram_id(dan.id) is None
    assert await bed.db.fetchval("SELECT COUNT(*) FROM participants") == 0
    assert await bed.db.fetchval("SELECT COUNT(*) FROM user_drafts") == 0
    assert await bed.db.fetchval("SELECT COUNT(*) FROM conversation_states") == 0


async def test_start_again_shows_menu_and_does_not_reset(bed: TestBed):
    eve = await bed.joined("Eve", topics=("Libraries",))
    await eve.send("/start")
    assert "Hello, Eve!" in eve.reply_text and "/profile" in eve.reply_text
    participant = await bed.services.participants.by_telegram_id(eve.id)
    assert await bed.services.participants.topics(participant.id) == ["libraries"]


async def test_profile_shows_and_edits_answers(bed: TestBed):
    fay = await bed.joined("Fay", area="Crowthorne")
    await fay.send("/profile")
    assert "Crowthorne" in fay.reply_text and "Fay" in fay.reply_text
    await fay.tap("Change area")
    await fay.send("Sandhurst")
    assert "Sandhurst" in fay.reply_text and "Your details" in fay.reply_text
    await fay.tap("Language")
    await fay.tap("Polski")
    participant = await bed.services.participants.by_telegram_id(fay.id)
    assert participant.language == "pl" and participant.area == "Sandhurst"
    await fay.send("/help")
    assert "/profile" in fay.reply_text and "What I can do" not in fay.reply_text


async def test_unknown_command_and_free_text_get_a_pointer(bed: TestBed):
    gus = bed.person("Gus")
    await gus.send("hello")
    assert "/start" in gus.reply_text
    gus = await bed.joined("Gil")
    await gus.send("/frobnicate")
    assert "/help" in gus.reply_text
    await gus.send("what now?")
    assert "/help" in gus.reply_text
    await gus.press(gus.messages[-1]["message_id"], "zz:nothing:1")
    assert "no longer active" in gus.callback_answer().get("text", "")


async def test_group_chats_never_collect_personal_data(bed: TestBed):
    hal = bed.person("Hal")
    group = bed.server.add_group("Carers' café")
    update_id = bed.server.push_message(hal.id, "/start", chat_id=group)
    await bed.settle(update_id)
    said = [m["text"] for m in bed.server.bot_messages(group)]
    assert said and "private chat" in said[-1]
    assert "call you" not in said[-1]
    assert await bed.services.participants.by_telegram_id(hal.id) is None

    # Someone who has joined, in the group: nothing of theirs is asked for or shown there.
    ann = await bed.joined("Ann", area="Bracknell North")
    for text in ("/profile", "/claim", "/mydata", "/access", "Bracknell North is my area"):
        await bed.settle(bed.server.push_message(ann.id, text, chat_id=group))
    await bed.settle(
        bed.server.push_callback(
            ann.id, bed.server.bot_messages(group)[-1]["message_id"], "pf:edit:area", chat_id=group
        )[0]
    )
    said = [m.get("text") or m.get("caption") or "" for m in bed.server.bot_messages(group)]
    assert all("private chat" in text for text in said if text), said
    assert not [m for m in bed.server.bot_messages(group) if m.get("document")], "no data file in a group"


async def test_cancel_mid_way_keeps_answers_and_start_resumes(bed: TestBed):
    ivo = bed.person("Ivo")
    await ivo.send("/start")
    await ivo.tap("English")
    await ivo.tap("Yes, I agree")
    await ivo.send("Ivo")
    await ivo.send("/cancel")
    assert "saved" in ivo.reply_text and "/start" in ivo.reply_text
    await ivo.send("/start")
    assert "for yourself" in ivo.reply_text  # the name was kept; the next question is asked


async def test_an_unexpected_fault_gets_a_kind_answer_and_the_bot_keeps_going(bed: TestBed):
    ann = await bed.joined("Ann")
    await bed.db.execute("ALTER TABLE participant_topics RENAME TO broken_topics")  # a real fault, not a mock
    await ann.send("/profile")
    assert "something went wrong on our side" in ann.reply_text
    assert "Traceback" not in ann.reply_text
    await ann.send("/help")
    assert "/profile" in ann.reply_text


async def _half_way_with_drafts(bed: TestBed, stored: dict[str, object]) -> Person:
    """Sam has answered up to the topics; the database then holds `stored` among their drafts."""
    sam = bed.person("Sam")
    await sam.send("/start")
    for label in ("English", "Yes, I agree"):
        await sam.tap(label)
    await sam.send("Sam")
    await sam.tap("For myself")
    assert "Which topics" in sam.reply_text
    drafts = json.loads(await bed.db.fetchval("SELECT data FROM user_drafts WHERE telegram_id = ?", (sam.id,)))
    await bed.db.execute(
        "UPDATE user_drafts SET data = ? WHERE telegram_id = ?", (json.dumps({**drafts, **stored}), sam.id)
    )
    await bed.restart()
    return sam


async def test_joining_half_way_before_an_upgrade_keeps_its_ticks_and_the_group_link(bed: TestBed):
    cora = await staff(bed)
    payload = await new_group(cora, "Parks", "Parks plan.", "Engage")
    sam = await _half_way_with_drafts(
        bed, {"ob_mode": "onboarding", "ob_pending_link": payload, "ob_topics": ["carers"]}
    )  # as the running version keeps them
    first_call = len(bed.server.calls)
    for label in ("Done", "Skip", "Any time"):
        await sam.tap(label)
    assert "Welcome to the group" in sam.reply_text and "Parks" in sam.reply_text
    participant = await bed.services.participants.by_telegram_id(sam.id)
    assert participant.registered and await bed.services.participants.topics(participant.id) == ["carers"]
    edits = [c.method for c in bed.server.calls[first_call:] if c.method.startswith(("send", "edit"))]
    assert edits == ["editMessageText", "editMessageText", "editMessageText"]


async def test_a_kept_link_that_is_not_text_is_ignored_and_joining_ends_at_the_menu(bed: TestBed):
    sam = await _half_way_with_drafts(bed, {"ob_pending_link": ["not", "a", "link"]})
    for label in ("Done", "Skip", "Any time"):
        await sam.tap(label)
    assert "All set, Sam!" in sam.replies[-2]["text"]
    assert "What would you like to do?" in sam.replies[-1]["text"], "the menu, not an apology for a fault"
    assert (await bed.services.participants.by_telegram_id(sam.id)).registered


async def parks_link(bed: TestBed) -> str:
    """A coordinator's group, Parks; returns its join link's payload."""
    return await new_group(await staff(bed), "Parks", "Parks plan.", "Engage")


async def at_the_last_question(bed: TestBed, start: str) -> tuple[Person, tuple[dict[str, Any], str]]:
    """Sam, joining after `start`, has answered up to joining's last question; returns Sam and
    its "Any time is fine" button (message, data)."""
    sam = bed.person("Sam")
    await sam.send(start)
    for label in ("English", "Yes, I agree", "Call me Sam", "For myself", "Done", "Skip"):
        await sam.tap(label)
    return sam, sam.find_button("Any time is fine")


async def test_a_welcome_lost_on_the_way_comes_when_the_last_answer_is_tapped_again(bed: TestBed):
    """Joining's end is saved before its welcome, so a welcome Telegram lost (or a crash ate)
    cannot reopen joining; tapping the last answer again brings the welcome and the group they
    came for, once. The same press after that is an old button of a finished flow."""
    sam, (message, data) = await at_the_last_question(bed, "/start " + await parks_link(bed))
    for method in ("editMessageText", "sendMessage"):  # the welcome in place, then below as a new message
        bed.server.fail_next(method, 400, description="Bad Request: lost on the way")
    await sam.press(message["message_id"], data)
    assert "All set" not in sam.reply_text and "something went wrong" in sam.reply_text
    assert (await bed.services.participants.by_telegram_id(sam.id)).registered
    # The error handler's "sorry" tries to answer the already answered tap too; that is not this test's.
    bed.server.rejected[:] = [entry for entry in bed.server.rejected if entry[0] != "answerCallbackQuery"]
    await bed.restart()
    await sam.press(message["message_id"], data)
    assert "All set, Sam!" in sam.reply_text
    assert "already in this group" in sam.reply_text and "Parks" in sam.reply_text, "joined the first time"
    await sam.press(message["message_id"], data)
    assert "which has finished" in sam.callback_answer().get("text", "")
    await sam.send("Hello")
    assert "not sure what you mean" in sam.reply_text, "joining does not come back"


async def test_joinings_last_answer_from_a_paused_joining_offers_to_carry_on(bed: TestBed):
    sam, (message, data) = await at_the_last_question(bed, "/start")
    await sam.send("/help")
    await sam.press(message["message_id"], data)
    assert "joining, which you paused" in sam.callback_answer().get("text", "")
    assert not (await bed.services.participants.by_telegram_id(sam.id)).registered
