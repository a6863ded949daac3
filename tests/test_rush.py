"""Rush hour: taps answered at once, true reach, replies within the per-chat limit."""

from __future__ import annotations

import asyncio

from storage.db import Database
from tests.harness import TestBed
from tests.test_opportunities import progress_of, staff, write_opportunity


async def _answered(bed: TestBed, query_id: str, timeout: float = 5.0) -> None:
    """Wait for the emulator to record the bot's answer to a tap (an event, not a clock)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while query_id not in bed.server.callback_answers:
        assert loop.time() < deadline, "the tap was never answered"
        await asyncio.sleep(0.01)


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
    other = Database(bed.settings.database_path)
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
    participant = await other.fetchone("SELECT registered_at FROM participants WHERE telegram_id = ?", (sam.id,))
    assert participant["registered_at"] is None, "the join was not saved yet"
    assert len(sam.messages) == seen, "nothing was said yet: the answer came first"
    release.set()
    await holder
    await other.close()
    await bed.settle(again_id)
    assert "All set, Sam" in " ".join(m.get("text", "") for m in sam.messages[seen:])
    assert (await bed.services.participants.by_telegram_id(sam.id)).registered


async def test_a_quick_refusal_still_shows_as_an_alert_on_the_tap(bed: TestBed):
    rex = await bed.joined("Rex")
    await rex.press(1, "ap:ok:1")
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
