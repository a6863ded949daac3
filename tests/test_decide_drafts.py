"""Typed drafts of /propose, /vote and recording an outcome (handlers/decide): a draft stored as
a plain dict, the way the bot wrote it before drafts were typed, carries on after the upgrade and
is sent; one that cannot be read ends the flow with a kind word (both flows open from a command
or a button that carried what they need), and the person can begin again."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from emulator.driver import Person
from storage.times import from_db
from tests.builders import members
from tests.harness import TestBed
from tests.test_decisions import _group, _propose
from tests.test_feedback import OGG
from tests.test_typed_drafts import _store_then_restart

LOST = "tap the button you began with again"


async def _group_id(bed: TestBed) -> int:
    group_id: int = await bed.db.fetchval("SELECT id FROM projects WHERE name = 'Library friends'")
    return group_id


async def test_a_proposal_begun_before_typed_drafts_is_sent_after_the_upgrade(bed: TestBed):
    _cora, payload = await _group(bed)
    bob, _ann = await members(bed, payload, "Bob", "Ann")
    await bob.send("/propose")
    await bob.send("Open late")
    assert "What would it mean in practice?" in bob.reply_text
    await _store_then_restart(
        bed,
        bob,
        {"key": "0a1b", "kind": "proposal", "group": await _group_id(bed), "title": "Open on Sunday mornings"},
        "decision_draft",
    )
    await bob.send_voice(OGG)  # what it would mean, in a voice note
    await bob.tap("In 3 days")
    await bob.tap("Half of members")
    assert "Open on Sunday mornings" in bob.reply_text and "Send it to 2 members of Library friends?" in bob.reply_text
    await bob.tap("Send it")
    assert "Sent. Members can answer until" in bob.reply_text
    row = await bed.db.fetchone("SELECT kind, title, body, body_voice, quorum_percent FROM decisions")
    assert (row["kind"], row["title"], row["body"], row["quorum_percent"]) == (
        "proposal",
        "Open on Sunday mornings",
        None,
        50,
    )
    assert bed.server.file_bytes(row["body_voice"]) == OGG


async def test_a_dot_vote_with_a_version_begun_before_typed_drafts_is_sent_after_the_upgrade(bed: TestBed):
    cora, payload = await _group(bed)
    await members(bed, payload, "Ann")
    await cora.send("/vote")
    await cora.tap("Dot vote")
    await cora.send("Which first?")
    await cora.send("Longer hours\nA quiet room")
    await cora.tap("5")
    await cora.tap("In a week")
    closes = bed.clock.now() + timedelta(days=3)
    await _store_then_restart(
        bed,
        cora,
        {
            "key": "0a1b",
            "kind": "dots",
            "group": await _group_id(bed),
            "title": "What should we work on first?",
            "options": ["Longer opening hours", "A quiet room", "More events for children"],
            "dots": 3,
            "closes": closes.isoformat(),
            "versions": {"cy": {"title": "Ar beth ddylen ni weithio gyntaf?"}},
        },
        "decision_draft",
    )
    await cora.tap("Send it")
    assert "Sent. Members can answer until" in cora.reply_text
    row = await bed.db.fetchone("SELECT id, kind, title, dots, closes_at FROM decisions")
    assert (row["kind"], row["title"], row["dots"]) == ("dots", "What should we work on first?", 3)
    assert from_db(row["closes_at"]) == closes, "in 3 days as stored, not in a week as tapped"
    options = await bed.db.fetchall(
        "SELECT label FROM decision_options WHERE decision_id = ? ORDER BY position", (row["id"],)
    )
    assert [o["label"] for o in options] == ["Longer opening hours", "A quiet room", "More events for children"]
    welsh = await bed.db.fetchval(
        "SELECT fields FROM text_versions WHERE item_id = ? AND language = 'cy'", (row["id"],)
    )
    assert json.loads(welsh) == {"title": "Ar beth ddylen ni weithio gyntaf?"}


@pytest.mark.parametrize(
    "stored",
    [
        {"key": "0a1b", "kind": "poll", "title": "Open late"},
        {"key": "0a1b", "kind": "proposal", "group": "Library friends"},
        {"kind": "proposal", "title": "Open late"},
        None,
    ],
    ids=["unknown-kind", "group-by-name", "without-key", "missing"],
)
async def test_a_proposal_draft_that_cannot_be_read_ends_kindly_and_can_begin_again(bed: TestBed, stored: object):
    _cora, payload = await _group(bed)
    bob, _ann = await members(bed, payload, "Bob", "Ann")
    await bob.send("/propose")
    await bob.send("Open late")
    await _store_then_restart(bed, bob, stored, "decision_draft")
    await bob.send("The library would open 10 to 1 on Sundays.")
    assert "could not keep your answers" in bob.reply_text and LOST in bob.reply_text
    await _propose(bob, "Open late on Fridays")
    assert await bed.db.fetchval("SELECT title FROM decisions") == "Open late on Fridays"


async def _outcome_asked(bed: TestBed) -> Person:
    """A proposal that closed with one block, and its lead asked what the group decided."""
    cora, payload = await _group(bed)
    bob, ann = await members(bed, payload, "Bob", "Ann")
    await _propose(bob)
    await bed.services.sender.drain()
    await ann.tap("Block")
    await ann.send("Sunday mornings are when I care for my mother.")
    bed.clock.advance(timedelta(days=3, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    await cora.tap("Record the outcome")
    await cora.tap("Not agreed")
    assert "What happens next?" in cora.reply_text
    return cora


async def test_an_outcome_begun_before_typed_drafts_is_recorded_after_the_upgrade(bed: TestBed):
    cora = await _outcome_asked(bed)
    decision = await bed.db.fetchval("SELECT id FROM decisions")
    await _store_then_restart(bed, cora, {"decision": decision, "blocks": 1, "outcome": "changed"}, "outcome_draft")
    await cora.send("We will try Sunday mornings for three months.")
    assert "Someone blocked this" in cora.reply_text
    await cora.send("We heard you, so one late evening stays.")
    await cora.tap("No review")
    assert "Saved. We are telling every member" in cora.reply_text
    row = await bed.db.fetchone("SELECT status, outcome, outcome_text, block_answer, review_on FROM decisions")
    assert dict(row) == {
        "status": "decided",
        "outcome": "changed",
        "review_on": None,
        "outcome_text": "We will try Sunday mornings for three months.",
        "block_answer": "We heard you, so one late evening stays.",
    }


@pytest.mark.parametrize(
    "stored",
    [
        {"decision": "one", "blocks": 0},
        {"blocks": 1, "outcome": "adopted"},
        {"decision": 1, "blocks": 1, "outcome": "maybe"},
        None,
    ],
    ids=["decision-as-text", "without-decision", "unknown-outcome", "missing"],
)
async def test_an_outcome_draft_that_cannot_be_read_ends_kindly_and_can_begin_again(bed: TestBed, stored: object):
    cora = await _outcome_asked(bed)
    await _store_then_restart(bed, cora, stored, "outcome_draft")
    await cora.send("We will try Sunday mornings for three months.")
    assert "could not keep your answers" in cora.reply_text and LOST in cora.reply_text
    await cora.tap("Record the outcome")
    await cora.tap("Agreed")
    await cora.send("We open on Sunday mornings from January.")
    await cora.send("We will look for a carer's sitting service on Sundays.")
    await cora.tap("No review")
    assert await bed.db.fetchval("SELECT outcome FROM decisions") == "adopted"
