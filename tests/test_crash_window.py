"""The narrow window a crash can hit: the last step of a flow is committed, but the bot dies
before the conversation's new state is written. After the restart the person sees the old
step and taps again. That second tap must not create a second record or send anything twice.

The test recreates the window exactly: it keeps the conversation state from before the tap,
lets the tap happen, and puts the old state back across a restart.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import Person, TestBed
from tests.test_claims import attended_meeting, mark_attended
from tests.test_meetings import group_with
from tests.test_opportunities import staff, write_opportunity

pytestmark = pytest.mark.slow  # a real bot process or browser: left out of the quick set


async def _state(bed: TestBed) -> tuple[list[Any], list[Any]]:
    conversations = [tuple(r) for r in await bed.db.fetchall("SELECT name, key, state FROM conversation_states")]
    drafts = [tuple(r) for r in await bed.db.fetchall("SELECT telegram_id, data FROM user_drafts")]
    return conversations, drafts


async def tap_then_lose_the_new_state(bed: TestBed, person: Person, label: str) -> None:
    """Tap; then restart as if the process had died before recording where the flow was."""
    conversations, drafts = await _state(bed)
    message, data = person.find_button(label)
    await person.press(message["message_id"], data)
    await bed.services.sender.drain()
    await bed.stop()
    from storage.engines import database_for

    db = database_for(bed.settings.database)
    await db.open()
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM conversation_states")
        await conn.execute("DELETE FROM user_drafts")
        await conn.executemany("INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)", conversations)
        await conn.executemany("INSERT INTO user_drafts (telegram_id, data) VALUES (?, ?)", drafts)
    await db.close()
    await bed.start()
    await person.press(message["message_id"], data)  # the same button, tapped again
    await bed.services.sender.drain()


async def test_consent_given_twice_is_one_record(bed: TestBed):
    ann = bed.person("Ann")
    await ann.send("/start")
    await ann.tap("English")
    await tap_then_lose_the_new_state(bed, ann, "Yes, I agree")
    assert "What should we call you" in ann.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM participants") == 1
    assert await bed.db.fetchval("SELECT COUNT(*) FROM consents") == 1


async def test_an_opportunity_sent_twice_reaches_each_person_once(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora, send=False)
    before = len(ann.messages)
    await tap_then_lose_the_new_state(bed, cora, "Send now")
    assert "already been sent" in cora.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM opportunities") == 1
    assert len(ann.messages) == before + 1


async def test_a_claim_sent_twice_is_one_claim(bed: TestBed):
    cora, ann = await attended_meeting(bed)
    await mark_attended(bed, cora)
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Parking")
    await ann.send("4")
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.tap("Vouchers")
    await tap_then_lose_the_new_state(bed, ann, "Send my claim")
    assert "C-2026-0001" in ann.reply_text, "the same reference again"
    assert await bed.db.fetchval("SELECT COUNT(*) FROM claims") == 1


async def test_a_poll_sent_twice_goes_out_once(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await cora.send("/meeting")
    await cora.send("Planning")
    await cora.send("Plan things.")
    await cora.tap("Consult")
    await cora.tap("Online")
    await cora.send("https://meet.example.org/x")
    await cora.tap("1 hour")
    await cora.send("3/12 18:30\n5/12 10:00")
    await cora.tap("Done")
    await cora.tap("In 2 days")
    await cora.tap("Members of")
    await cora.tap("Done ✔")
    await cora.tap("Only me")
    await tap_then_lose_the_new_state(bed, cora, "Send the poll")
    assert "already been sent" in cora.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM meetings") == 1
    assert sum("Which times can you make" in (m.get("text") or "") for m in ann.messages) == 1
