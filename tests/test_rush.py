"""Rush hour: taps answered at once, true reach, replies within the per-chat limit."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from datetime import timedelta

from approvals.buttons import ClaimDecisionButton
from emulator import RateLimits
from storage.engines import database_for
from tests.harness import TestBed, until
from tests.test_decisions import _group, closed_below_quorum
from tests.test_feedback import give_feedback
from tests.test_meetings import group_with
from tests.test_opportunities import progress_of, staff, write_opportunity


async def _answered(bed: TestBed, query_id: str, timeout: float = 5.0) -> None:
    """Wait for the emulator to record the bot's answer to a tap (an event, not a clock)."""
    await until(lambda: query_id in bed.server.callback_answers, timeout, "the tap was never answered")


async def test_a_tap_is_answered_before_a_slow_database_write_finishes(bed: TestBed):
    sam = bed.person("Sam")
    await sam.send("/start")
    await sam.tap("English")
    await sam.tap("Yes, I agree")
    await sam.send("Sam")
    await sam.tap("For myself")
    await sam.tap("Done")
    await sam.tap("»")
    message, data = sam.find_button("Any time")
    other = database_for(bed.settings.database)
    await other.open()
    locked, release = asyncio.Event(), asyncio.Event()

    async def hold_the_lock() -> None:
        async with other.transaction():  # finishing joining must wait for this writer
            locked.set()
            await release.wait()

    holder = asyncio.create_task(hold_the_lock())
    await locked.wait()
    seen = len(sam.messages)
    update_id, query_id = bed.server.push_callback(sam.id, message["message_id"], data)
    # A double tap: the second waits for the first, which waits for the database.
    again_id, again_query = bed.server.push_callback(sam.id, message["message_id"], data)
    await _answered(bed, query_id)
    await _answered(bed, again_query)
    # A third connection looks: `other`'s own reads wait for its open transaction, as they should.
    peek = database_for(bed.settings.database)
    await peek.open()
    participant = await peek.fetchone("SELECT registered_at FROM participants WHERE telegram_id = ?", (sam.id,))
    await peek.close()
    assert participant["registered_at"] is None, "the join was not saved yet"
    assert len(sam.messages) == seen, "nothing was said yet: the answer came first"
    release.set()
    await holder
    await other.close()
    await bed.settle(again_id)
    assert "All set, Sam" in " ".join(m.get("text", "") for m in sam.messages)
    assert (await bed.services.participants.by_telegram_id(sam.id)).registered


async def test_a_quick_refusal_still_shows_as_an_alert_on_the_tap(bed: TestBed):
    rex = await bed.joined("Rex")
    await rex.press(1, ClaimDecisionButton(1, "a").pack())
    answer = rex.callback_answer()
    assert "can't do that" in answer["text"] and answer.get("show_alert")


async def test_a_blocked_person_leaves_the_reach_count_and_comes_back_when_they_unblock(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await bed.joined("Cat", topics=("Carers",))
    await bed.settle(bed.server.block(ann.id, tell_bot=True))
    await write_opportunity(cora, send=False)
    assert "It will reach 1 person." in cora.reply_text
    await cora.tap("Send now")
    await bed.services.sender.drain()
    assert "Sent: 1 · Not reachable: 0 · Still to go: 0" in progress_of(cora)
    await bed.settle(bed.server.unblock(ann.id, tell_bot=True))
    await write_opportunity(cora, title="Library open day", send=False)
    assert "It will reach 2 people." in cora.reply_text


async def test_an_inbox_of_20_items_keeps_to_the_per_chat_limit(bed: TestBed):
    olive = await staff(bed, "Officer", "Olive")
    ann = await bed.joined("Ann")
    for index in range(20):
        await give_feedback(ann, "Something else", f"Idea number {index}", hide=False)
    bed.configure(messages_per_second=30.0, chat_interval_seconds=1.0)
    await bed.restart()
    bed.server.limits = RateLimits(global_per_second=30, per_chat_per_second=1, per_chat_burst=3)
    first_call = len(bed.server.calls)
    await olive.send("/inbox")
    assert "Idea number 19" in olive.reply_text and "Idea number 16" not in olive.reply_text
    assert "seen 3 of 20" in olive.last_text
    await olive.tap("Show 3 more")
    assert "Idea number 16" in olive.reply_text and "seen 6 of 20" in olive.last_text
    sends = [c for c in bed.server.calls[first_call:] if c.params.get("chat_id") == olive.id]
    assert len(sends) == 8 and not [c for c in sends if c.status == 429], "paged, and never slowed by a 429"
    for call in sends:
        assert sum(call.at <= c.at < call.at + 1 for c in sends) <= 3, "at most three in any second"


async def _costs(bed: TestBed, act: Awaitable[object]) -> list[str]:
    """What one step sent or edited, in order."""
    first_call = len(bed.server.calls)
    await act
    return [c.method for c in bed.server.calls[first_call:] if c.method.startswith(("send", "edit"))]


async def test_a_step_answered_by_a_button_costs_one_edit_and_no_new_message(bed: TestBed):
    sam = bed.person("Sam")
    await sam.send("/start")
    for label, next_question in (
        ("English", "Your privacy"),
        ("Yes, I agree", "What should we call you"),
        ("Call me Sam", "for yourself"),
        ("For myself", "Which topics"),
        ("Done", "Which area"),
        ("Skip »", "When should we NOT"),
    ):
        sent = await _costs(bed, sam.tap(label))
        assert sent == ["editMessageText"], (label, sent)
        assert f"✔ {label}" in sam.reply_text and next_question in sam.reply_text
    assert len(sam.messages) == 1, "joining so far moved one message on, in place"


async def test_a_claims_steps_answered_by_a_button_cost_one_edit_and_the_sent_summary_stays(bed: TestBed):
    sam = await bed.joined("Sam")

    await sam.send("/claim")
    assert await _costs(bed, sam.tap("Something else I did for the council")) == ["editMessageText"]
    assert "✔ Something else" in sam.reply_text and "what did you do" in sam.reply_text
    assert await _costs(bed, sam.send("Ran the stall")) == ["sendMessage"], "a typed answer: the next question below it"
    for label, next_question in (
        ("Food and drink", "How much was it"),
        ("Review and send", "Anything to add"),
        ("Skip", "How would you like to be paid"),
        ("Vouchers", "Your claim"),
    ):
        if label == "Review and send":
            assert await _costs(bed, sam.send("3.20")) == ["sendMessage"]
        assert await _costs(bed, sam.tap(label)) == ["editMessageText"], label
        assert next_question in sam.reply_text, label
    summary = sam.messages[-1]["message_id"]
    assert await _costs(bed, sam.tap("Send my claim")) == ["editMessageReplyMarkup", "sendMessage"]
    sent = next(m for m in sam.messages if m["message_id"] == summary)
    assert "£3.20" in sent["text"] and not sent.get("reply_markup"), "what was sent stays on screen, without buttons"
    assert "has been sent" in sam.last_text


async def test_feedbacks_steps_answered_by_a_button_cost_one_edit(bed: TestBed):
    """/feedback's "about" and "which one" used to cost a keyboard edit and a new message each."""
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await ann.send("/feedback")
    assert await _costs(bed, ann.tap("One of my groups")) == ["editMessageText"]
    assert "✔ One of my groups" in ann.reply_text and "Which one?" in ann.reply_text
    assert await _costs(bed, ann.tap("Carers' café group")) == ["editMessageText"]
    assert "in your own words" in ann.reply_text
    assert await _costs(bed, ann.send("More seats, please")) == ["sendMessage"]
    assert await _costs(bed, ann.tap("Yes, but not my name")) == ["editMessageReplyMarkup", "sendMessage"]
    assert "F-2026-0001" in ann.last_text


async def test_a_charters_choices_answered_by_a_button_cost_one_edit(bed: TestBed):
    """The charter's choices (how we decide, quorum, who proposes, anonymous answers) were each
    a keyboard edit and a new message."""
    cora, _payload = await _group(bed)
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Write the charter")
    for words in ("To make the library work.", "Opening hours.", "The building and the budget."):
        await cora.send(words)
    for label, next_question in (("By consent", "must answer"), ("Half of members", ""), ("Any member", "")):
        assert await _costs(bed, cora.tap(label)) == ["editMessageText"], label
        assert f"✔ {label}" in cora.reply_text and next_question in cora.reply_text, label


async def test_an_opportunitys_taps_cost_one_edit(bed: TestBed):
    """The level, "What is paid?" and the audience were each answered by a keyboard edit and a
    new message."""
    cora = await staff(bed)
    await cora.send("/opportunity")
    await cora.send("Carers' café")
    await cora.send("Help us plan a monthly café for carers.")
    assert await _costs(bed, cora.tap("Co-design")) == ["editMessageText"]
    assert "✔ " in cora.reply_text
    for words in ("The day and the time.", "The budget.", "Two 1-hour meetings", "Evenings in January"):
        await cora.send(words)
    assert await _costs(bed, cora.tap("Expenses paid")) == ["editMessageText"]
    assert "✔ Expenses paid" in cora.reply_text
    await cora.send("Step-free library room.")
    await cora.send("20/12")
    assert "Who should get it?" in cora.reply_text
    assert await _costs(bed, cora.tap("Everyone")) == ["editMessageText"], "the audience is chosen in place"
    assert "Everyone who has joined" in cora.reply_text
    assert await _costs(bed, cora.tap("Area")) == ["editMessageText"]
    assert "Type the area or ward" in cora.reply_text


async def test_a_votes_steps_answered_by_a_button_cost_one_edit(bed: TestBed):
    """/vote's kind and dots used to be answered by a keyboard edit and a new message."""
    cora, _payload = await _group(bed)
    await cora.send("/vote")
    assert await _costs(bed, cora.tap("Dot vote")) == ["editMessageText"]
    assert "✔ 🔵 Dot vote" in cora.reply_text and "What is the question?" in cora.reply_text
    await cora.send("What should we work on first?")
    await cora.send("Longer opening hours\nA quiet room")
    assert await _costs(bed, cora.tap("5")) == ["editMessageText"]
    assert "When should it close?" in cora.reply_text


async def test_a_new_groups_check_and_level_cost_one_edit_each(bed: TestBed):
    """/newproject's last check answer brought the level question, and the level the reason
    question, each as a keyboard edit and a new message."""
    cora = await staff(bed)
    await cora.send("/newproject")
    await cora.send("Bins")
    await cora.send("When the bins are collected.")
    for label in ("No", "Yes", "Most of it", "Not yet"):
        assert await _costs(bed, cora.tap(label)) == ["editMessageText"], label
    assert "we suggest: Inform" in cora.reply_text
    assert await _costs(bed, cora.tap("Co-produce")) == ["editMessageText"]
    assert "✔ Co-produce" in cora.reply_text and "Please say why" in cora.reply_text


async def test_access_needs_and_what_i_know_about_move_on_in_place(bed: TestBed):
    """The last question of /access and both after the checklist of "What I know about" came
    as a keyboard edit and a new message."""
    ann = await bed.joined("Ann")
    await ann.send("/access")
    await ann.tap("Next")
    await ann.tap("In person")
    await ann.tap("Next")
    assert await _costs(bed, ann.tap("1 hour")) == ["editMessageText"]
    assert "Anything else we should know?" in ann.reply_text
    await ann.tap("Skip")
    await ann.send("/profile")
    await ann.tap("What I know about")
    assert await _costs(bed, ann.tap("Next »")) == ["editMessageText"]
    assert "Anything else you know about?" in ann.reply_text
    assert await _costs(bed, ann.tap("Skip »")) == ["editMessageText"]
    assert "May we use this" in ann.reply_text


async def test_a_meetings_steps_answered_by_a_button_cost_one_edit(bed: TestBed):
    """/meeting's declared steps (level, format, length) and its own (times, closing) each move
    the question on in place when answered by a tap; a typed answer gets the next one below."""
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await cora.send("/meeting")
    await cora.send("Café planning")
    await cora.send("Choose the menu and the day.")
    for kind, value, next_question in (
        ("tap", "Co-design", "How will people take part"),
        ("tap", "In person", "Where is it"),
        ("text", "Bracknell Library", "What does the venue have"),
        ("tap", "Done", "How long"),
        ("tap", "1 hour", "Which times could work"),
        ("text", "3/12 18:30\n5/12 10:00", "Thursday 3 December"),
        ("tap", "Done", "When should the poll close"),
        ("tap", "In 2 days", "Who should be invited"),
    ):
        act = cora.tap(value) if kind == "tap" else cora.send(value)
        assert await _costs(bed, act) == (["editMessageText"] if kind == "tap" else ["sendMessage"]), value
        assert next_question in cora.reply_text, value


async def test_a_cycles_steps_answered_by_a_button_cost_one_edit_and_a_stale_press_asks_again(bed: TestBed):
    """Preparing a cycle: pace, who and the summary with its dates each move on in place; a
    press left over from an earlier question asks the current one again and keeps nothing;
    "Don't start" ends it with nothing sent."""
    cora, _payload = await _group(bed)
    await cora.send("/cycle")
    await cora.tap("Start a cycle for Library friends")
    await cora.send("How can the library work better for carers?")
    pace, pace_data = cora.find_button("A week for each step")
    for label, next_question in (
        ("A week for each step", "Who takes part"),
        ("Every member", "Start it now?"),
        ("Change a date", "Which step's closing date"),
    ):
        assert await _costs(bed, cora.tap(label)) == ["editMessageText"], label
        answered, _blank, asked = cora.reply_text.partition("\n\n")
        assert answered.startswith("✔") and label in answered and next_question in asked, label
    await cora.press(pace["message_id"], pace_data)
    assert "Which step's closing date" in cora.reply_text, "a stale press asks the current question again"
    await cora.tap("Collect")
    await cora.send("not a date")
    assert "like 15/12" in cora.reply_text
    await cora.send("/cancel")
    await cora.send("/cycle")
    await cora.tap("Start a cycle for Library friends")
    await cora.send("What should the café sell?")
    await cora.tap("Two weeks for each step")
    await cora.tap("Every member")
    assert await _costs(bed, cora.tap("Don't start")) == ["editMessageReplyMarkup", "sendMessage"]
    assert "Nothing was sent" in cora.last_text
    await cora.send("/cycle")
    assert "What should the café sell?" not in cora.reply_text, "no cycle was started"


async def test_recording_an_outcome_moves_on_in_place_and_keeps_the_review_chosen(bed: TestBed):
    cora, bob = await closed_below_quorum(bed)
    await cora.tap("Record the outcome")
    assert await _costs(bed, cora.tap("Not agreed")) == ["editMessageText"]
    assert "What happens next" in cora.reply_text
    assert await _costs(bed, cora.send("We will ask again at the next meeting.")) == ["sendMessage"]
    assert "look at this again" in cora.reply_text
    await cora.tap("In 6 months")
    await bed.services.sender.drain()
    assert "Not agreed" in bob.last_text
    for days, prompted in ((92, False), (91, True)):  # six months on, not three
        bed.clock.advance(timedelta(days=days))
        await bed.services.scheduler.run_due()
        await bed.services.sender.drain()
        assert ("Time to look again" in cora.last_text) is prompted, days


async def test_buttons_taken_off_after_a_press_go_once_the_press_is_handled(bed: TestBed):
    """A handler that takes the buttons away and then says something new below: the old
    message ends without buttons (one edit, after the handler), so it can't be pressed twice."""
    sam = await bed.joined("Sam")
    await sam.send("/delete")
    asked, _data = sam.find_button("No, keep it")
    first_call = len(bed.server.calls)
    await sam.tap("No, keep it")
    calls = [c for c in bed.server.calls[first_call:] if c.method.startswith(("send", "edit"))]
    assert [c.method for c in calls] == ["editMessageReplyMarkup", "sendMessage"], "off first, then the answer"
    assert calls[0].params.get("message_id") == asked["message_id"]
    assert not next(m for m in sam.messages if m["message_id"] == asked["message_id"]).get("reply_markup")
    assert "Nothing was deleted" in sam.last_text


async def test_a_tap_answered_in_place_is_not_held_up_by_a_crowds_answers_waiting_for_the_budget(bed: TestBed):
    """130 people scan the poster at once: after the first second's 30, their first answers queue
    for the 30 new messages a second. Someone who already has the first question taps it
    meanwhile. The next question comes by an edit, which that budget does not limit, so it must
    not wait behind the crowd's updates."""
    bed.configure(messages_per_second=30.0, chat_interval_seconds=1.0)
    await bed.restart()
    bed.server.limits = RateLimits(global_per_second=30, per_chat_per_second=1, per_chat_burst=3)
    sam = bed.person("Sam")
    await sam.send("/start")
    message, data = sam.find_button("English")
    crowd = {bed.server.add_user(f"Poster{n}").id for n in range(130)}
    for person in crowd:
        bed.server.push_message(person, "/start")

    def crowd_answers() -> int:
        return sum(
            1
            for c in bed.server.calls
            if c.method == "sendMessage" and c.status == 200 and c.params["chat_id"] in crowd
        )

    # The first second's answers are out; the rest wait for the budget.
    await until(lambda: crowd_answers() >= 30, 30, "the crowd was not answered")
    before = crowd_answers()
    first_call = len(bed.server.calls)
    bed.server.push_callback(sam.id, message["message_id"], data)
    await until(
        lambda: any(
            c.method == "editMessageText" and c.params["chat_id"] == sam.id for c in bed.server.calls[first_call:]
        ),
        30,
        "the tap's next question never came",
    )
    assert crowd_answers() - before < 10, "the edit waited while the crowd's answers went out"
    assert "Your privacy" in sam.reply_text
    # Everyone in the crowd is answered too, within the limits.
    await until(lambda: crowd_answers() == len(crowd), 30, "part of the crowd was never answered")
    assert not [c for c in bed.server.calls if c.status == 429]
