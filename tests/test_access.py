"""Access needs: the checklist, editing, privacy, and what organisers see for a meeting."""

from __future__ import annotations

import json

import pytest

from domain.access import AccessProfile, summarise, times_that_suit, venue_warnings
from domain.meetings import TimeOfDay
from tests.harness import TestBed
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff
from tests.test_typed_drafts import _store_then_restart


def test_summary_counts_and_venue_warnings():
    people = [
        AccessProfile(needs=frozenset({"step_free", "bsl"})),
        AccessProfile(needs=frozenset({"step_free"})),
        AccessProfile(),
    ]
    counts = summarise(people)
    assert counts == {"step_free": 2, "bsl": 1}
    assert venue_warnings(counts, {"hearing_loop"}) == [("step_free", 2)]
    assert venue_warnings(counts, {"step_free"}) == []
    assert times_that_suit(AccessProfile(times=frozenset({"evening", "bogus"}))) == {TimeOfDay.EVENING}


async def fill_access(person, *needs: str, times: tuple[str, ...] = (), other: str | None = None) -> None:
    await person.send("/access")
    for need in needs:
        await person.tap(need)
    await person.tap("Next")
    await person.tap("In person")
    for time in times:
        await person.tap(time)
    await person.tap("Next")
    await person.tap("1 hour")
    if other:
        await person.send(other)
    else:
        await person.tap("Skip")


async def test_checklist_saves_what_was_tapped_and_edits_keep_it(bed: TestBed):
    ann = await bed.joined("Ann")
    assert "What I need to take part" in " ".join(
        b
        for m in ann.messages
        for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in [x["text"] for x in row]
    )
    await fill_access(ann, "Step-free", "Hearing loop", times=("Evenings",), other="I use a <b>walker</b>")
    assert "Saved" in ann.reply_text and "I use a <b>walker</b>" in ann.reply_text
    participant = await bed.services.participants.by_telegram_id(ann.id)
    profile = await bed.services.access.get(participant.id)
    assert profile.needs == {"step_free", "hearing_loop"} and profile.times == {"evening"}
    assert profile.prefers == "in_person" and profile.longest == "60" and profile.other == "I use a <b>walker</b>"

    await ann.tap("Change")
    assert "✅ Step-free access" in ann.buttons() and "▫️ BSL interpreter" in ann.buttons()
    await ann.tap("BSL")
    await bed.restart()  # half-way through; carries on after the restart
    for _step in ("needs", "how", "times", "longest"):
        await ann.tap("Next")
    await ann.tap("Skip")
    profile = await bed.services.access.get(participant.id)
    assert profile.needs == {"step_free", "hearing_loop", "bsl"} and profile.times == {"evening"}


async def test_not_registered_is_told_to_start(bed: TestBed):
    stranger = bed.person("Stranger")
    await stranger.send("/access")
    assert "/start" in stranger.reply_text


async def test_needs_are_in_mydata_and_erased_with_delete(bed: TestBed):
    ann = await bed.joined("Ann")
    await fill_access(ann, "Large print")
    await ann.send("/mydata")
    data = json.loads(bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]))
    assert data["access_needs"]["needs"] == ["large_print"]
    await ann.send("/delete")
    await ann.tap("Yes, delete my data")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM access_needs") == 0


async def test_forged_access_buttons_only_touch_your_own_needs(bed: TestBed):
    ann = await bed.joined("Ann")
    await fill_access(ann, "Step-free")
    rex = await bed.joined("Rex")
    await rex.press(ann.messages[-1]["message_id"], "ac:need:bsl")  # not in the checklist: nothing happens
    ann_id = (await bed.services.participants.by_telegram_id(ann.id)).id
    assert (await bed.services.access.get(ann_id)).needs == {"step_free"}
    rex_id = (await bed.services.participants.by_telegram_id(rex.id)).id
    assert (await bed.services.access.get(rex_id)).empty


async def test_organiser_sees_counts_and_venue_warnings_but_not_names(bed: TestBed):
    cora = await staff(bed)
    ann, bob = await group_with(bed, cora, "Ann", "Bob")
    await fill_access(ann, "Step-free", "Hearing loop", times=("Evenings",))
    await fill_access(bob, "Hearing loop")
    await create_meeting(cora)  # the venue records step-free access only
    await bed.services.sender.drain()
    assert "1. Thursday 3 December 2026, 18:30 – ✅ Yes" in ann.last_text, "pre-filled from the evenings that suit"
    await cora.send("/meetings")
    await cora.tap("📊")
    text = cora.reply_text
    assert "Hearing loop: 2" in text and "Step-free access: 1" in text
    assert "2 people need “Hearing loop”, and the venue has none recorded" in text
    assert "Step-free access”, and the venue" not in text
    assert "walker" not in text
    assert "Hearing loop" not in bob.last_text and "Step-free access: 1" not in bob.last_text


async def test_an_access_draft_stored_before_typed_drafts_carries_on(bed: TestBed):
    ann = await bed.joined("Ann")
    await ann.send("/access")
    await ann.tap("Step-free")
    await ann.tap("Next")
    await _store_then_restart(
        bed,
        ann,
        {"needs": ["bsl"], "prefers": None, "times": ["evening"], "longest": None, "other": None},
        "access_draft",
    )
    await ann.tap("Online")
    await ann.tap("Next")
    await ann.tap("2 hours")
    await ann.send("A quiet room, please")
    assert "Saved" in ann.reply_text
    participant = await bed.services.participants.by_telegram_id(ann.id)
    assert await bed.services.access.get(participant.id) == AccessProfile(
        needs=frozenset({"bsl"}),
        prefers="online",
        times=frozenset({"evening"}),
        longest="120",
        other="A quiet room, please",
    )


@pytest.mark.parametrize("answer", ["tapped", "typed"])
async def test_an_unreadable_access_draft_starts_again_kindly(bed: TestBed, answer: str):
    ann = await bed.joined("Ann")
    await ann.send("/access")
    await ann.tap("Step-free")
    await ann.tap("Next")
    if answer == "typed":
        for label in ("In person", "Next", "1 hour"):
            await ann.tap(label)
    await _store_then_restart(bed, ann, {"needs": "step_free", "prefers": "in_person"}, "access_draft")
    await (ann.tap("Online") if answer == "tapped" else ann.send("A quiet room, please"))
    assert "could not keep your answers" in ann.reply_text and "What do you need to take part?" in ann.reply_text
    for label in ("Large print", "Next", "In person", "Next", "1 hour", "Skip"):
        await ann.tap(label)
    assert "Saved" in ann.reply_text
    participant = await bed.services.participants.by_telegram_id(ann.id)
    assert (await bed.services.access.get(participant.id)).needs == {"large_print"}
