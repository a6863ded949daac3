"""Typed drafts (handlers/kit/drafts.py): a claim or a meeting carries on after a restart with its
dataclass draft, a draft stored before drafts were typed still reads, and one that cannot be read
starts the flow again with a kind word instead of trapping the person in a step."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest

from claims.draft import ClaimDraft, ClaimItem
from domain.papers import Version
from handlers.kit.drafts import DraftSlot, Unreadable, read
from handlers.meetings.meeting_papers import PapersDraft
from tests.harness import Person, TestBed
from tests.test_meetings import group_with
from tests.test_opportunities import staff


@dataclass
class Inner:
    name: str
    count: int = 0


@dataclass
class Outer:
    inner: Inner | None = None
    many: list[Inner] = field(default_factory=list)
    tags: dict[str, float] = field(default_factory=dict)
    flag: bool = False


def test_a_stored_draft_reads_into_its_dataclass_with_defaults_for_new_fields():
    outer = read(
        Outer,
        {"inner": {"name": "a"}, "many": [{"name": "b", "count": 2}], "tags": {"x": 1}, "dropped_since": "ignored"},
    )
    assert outer == Outer(Inner("a"), [Inner("b", 2)], {"x": 1.0})
    assert read(Outer, {"inner": None}) == Outer()


@pytest.mark.parametrize(
    "stored",
    [
        {"inner": "a"},
        {"many": {"name": "b"}},
        {"many": [{"count": 2}]},
        {"inner": {"name": "a", "count": "2"}},
        {"inner": {"name": "a", "count": True}},
        {"flag": 1},
        {"tags": {"x": "1"}},
        ["not", "a", "dict"],
    ],
)
def test_data_that_does_not_fit_is_unreadable(stored: Any):
    with pytest.raises((Unreadable, TypeError)):
        read(Outer, stored)


def test_a_str_enum_reads_from_its_value_and_only_from_one_of_its_values():
    assert read(PapersDraft, {"meeting": 1, "version": "easy"}) == PapersDraft(1, Version.EASY)
    with pytest.raises(Unreadable):
        read(PapersDraft, {"meeting": 1, "version": "braille"})


def test_a_keeper_is_checked_when_declared_and_keeps_an_answer_in_its_fields_type():
    outer = DraftSlot("outer", Outer)
    for wrong in ("meting", "inner", "flag", "tags"):  # not a field; fields no answer can fill
        with pytest.raises(TypeError):
            outer.keeper(wrong)
    slot = DraftSlot("papers", PapersDraft)
    context = SimpleNamespace(drafts={"papers": {"meeting": 1, "version": "standard"}})
    slot.keeper("version")(context, "easy")  # type: ignore[arg-type]
    assert slot.of(context) == PapersDraft(1, Version.EASY)  # type: ignore[arg-type]
    slot.keeper("meeting")(context, "7")  # type: ignore[arg-type]  # a choice's key, for a number field
    assert slot.of(context) == PapersDraft(7, Version.EASY)  # type: ignore[arg-type]
    assert context.drafts["papers"]["meeting"] == 7


def test_a_claim_draft_from_before_typing_reads_as_it_was():
    old = {
        "items": [{"category": "food", "amount": 320}],
        "key": "abc",
        "activity": "Ran the stall",
        "title": "Ran the stall",
        "current": {"category": "mileage", "vehicle": "car"},
    }
    assert read(ClaimDraft, old) == ClaimDraft(
        key="abc",
        title="Ran the stall",
        activity="Ran the stall",
        items=[ClaimItem("food", 320)],
        current=ClaimItem("mileage", vehicle="car"),
    )


async def _claim_for_the_stall(bed: TestBed) -> Person:
    ann = await bed.joined("Ann")
    await ann.send("/claim")
    await ann.tap("Something else")
    await ann.send("Ran the stall on 1 November")
    return ann


async def _store_then_restart(bed: TestBed, person: Person, draft: object, key: str = "claim_draft") -> None:
    """What the database holds for the person's draft when the bot comes back."""
    stored = json.loads(await bed.db.fetchval("SELECT data FROM user_drafts WHERE telegram_id = ?", (person.id,)))
    if draft is None:
        stored.pop(key)
    else:
        stored[key] = draft
    await bed.db.execute("UPDATE user_drafts SET data = ? WHERE telegram_id = ?", (json.dumps(stored), person.id))
    await bed.restart()


async def test_a_restart_mid_claim_carries_on_with_the_typed_draft(bed: TestBed):
    ann = await _claim_for_the_stall(bed)
    await ann.tap("Food and drink")
    await ann.send("3.20")
    await ann.tap("Mileage")
    await ann.tap("Car")
    await bed.restart()
    await ann.send("12")
    assert "give anyone a lift" in ann.reply_text
    await bed.restart()
    await ann.tap("0")
    assert "Claim for: Ran the stall on 1 November" in ann.reply_text
    assert "Food and drink: £3.20" in ann.reply_text and "Mileage (12 miles)" in ann.reply_text
    for label in ("Review and send", "Skip", "Vouchers", "Send my claim"):
        await ann.tap(label)
    assert "Your claim C-2026-0001 has been sent" in ann.reply_text
    participant = await bed.services.participants.by_telegram_id(ann.id)
    items = await bed.db.fetchall("SELECT category, miles, vehicle, passengers FROM claim_items")
    assert [(i["category"], i["miles"], i["vehicle"], i["passengers"]) for i in items] == [
        ("food", None, None, None),
        ("mileage", "12", "car", 0),
    ]
    assert await bed.db.fetchval("SELECT participant_id FROM claims") == participant.id


async def test_a_draft_stored_before_typing_carries_on_after_the_upgrade(bed: TestBed):
    ann = await _claim_for_the_stall(bed)
    await ann.tap("Mileage")
    await ann.tap("Car")
    await _store_then_restart(
        bed,
        ann,
        {
            "items": [{"category": "food", "amount": 320}],
            "key": "0a1b",
            "activity": "Ran the stall",
            "title": "Ran the stall",
            "current": {"category": "mileage", "vehicle": "car"},
        },
    )
    await ann.send("12")
    await ann.tap("0")
    assert "Claim for: Ran the stall" in ann.reply_text
    assert "Food and drink: £3.20" in ann.reply_text and "Mileage (12 miles)" in ann.reply_text


@pytest.mark.parametrize(
    "stored",
    [{"items": [{"amount": 320}], "key": "0a1b"}, {"items": "food"}, None],
    ids=["item-without-category", "wrong-shape", "missing"],
)
async def test_a_draft_that_cannot_be_read_starts_the_claim_again_kindly(bed: TestBed, stored: object):
    ann = await _claim_for_the_stall(bed)
    await ann.tap("Food and drink")
    await _store_then_restart(bed, ann, stored)
    await ann.send("3.20")
    assert "could not keep your answers" in ann.reply_text
    assert "What is this claim for?" in ann.reply_text
    await ann.tap("Something else")
    await ann.send("Ran the stall again")
    await ann.tap("Food and drink")
    await ann.send("3.20")
    assert "Claim for: Ran the stall again" in ann.reply_text and "Food and drink: £3.20" in ann.reply_text


async def _meeting_at_the_venue(bed: TestBed) -> Person:
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await cora.send("/meeting")
    await cora.send("Café planning")
    await cora.send("Choose the menu and the day.")
    await cora.tap("Co-design")
    await cora.tap("In person")
    await cora.send("Bracknell Library, Room 2")
    await cora.tap("Step-free")
    return cora


async def test_a_restart_mid_meeting_keeps_its_answers_and_the_ticks(bed: TestBed):
    cora = await _meeting_at_the_venue(bed)
    await bed.restart()
    await cora.tap("Done")
    await cora.tap("1 hour")
    await cora.send("3/12 18:30\n5/12 10:00")
    await bed.restart()
    for label in ("Done", "In 2 days", "Members of", "Done ✔", "Only me"):
        await cora.tap(label)
    assert "Café planning" in cora.reply_text and "1 person will be invited" in cora.reply_text
    await cora.tap("Send the poll")
    assert "on its way to 1 person" in cora.reply_text
    meeting = await bed.db.fetchone("SELECT title, venue, venue_features, duration_minutes FROM meetings")
    assert dict(meeting) == {
        "title": "Café planning",
        "venue": "Bracknell Library, Room 2",
        "venue_features": json.dumps(["step_free"]),
        "duration_minutes": 60,
    }


async def test_an_unreadable_meeting_draft_starts_the_meeting_again_kindly(bed: TestBed):
    cora = await _meeting_at_the_venue(bed)
    await _store_then_restart(bed, cora, {"title": ["not", "text"], "features": ["step_free"]}, "meeting_draft")
    await cora.tap("Done")
    assert "could not keep your answers" in cora.reply_text and "What is the meeting called?" in cora.reply_text


async def test_a_lost_draft_of_a_flow_a_button_opens_ends_it_kindly(bed: TestBed):
    cora = await staff(bed)
    await group_with(bed, cora, "Ann")
    await cora.send("/groups")
    await cora.tap("Carers' café group")
    await cora.tap("What is paid")
    await cora.tap("Meeting time")
    await _store_then_restart(bed, cora, {"scope": "project", "ref": "one"}, "pay_rate")
    await cora.send("15.00")
    assert "tap the button you began with again" in cora.reply_text
    await cora.send("15.00")
    assert "not sure what you mean" in cora.reply_text, "the flow has ended"


async def test_a_restart_mid_opportunity_keeps_its_answers_and_who_gets_it(bed: TestBed):
    cora = await staff(bed)
    await bed.joined("Ann", topics=("Carers",))
    await bed.joined("Bob", topics=("Housing",))
    await cora.send("/opportunity")
    for answer in ("Carers' café", "Help us plan a monthly café for carers."):
        await cora.send(answer)
    await cora.tap("Co-design")
    for answer in ("The day and the time.", "The budget.", "Two 1-hour meetings", "Evenings in January"):
        await cora.send(answer)
    await bed.restart()
    await cora.tap("Expenses paid")
    await cora.send("Step-free library room.")
    await cora.send("20/12")
    await cora.tap("Topics")
    await cora.tap("Carers")
    await bed.restart()
    await cora.tap("Done")
    assert "Topics: Carers" in cora.reply_text
    await cora.tap("Preview")
    assert "Carers' café" in cora.reply_text and "Two 1-hour meetings" in cora.reply_text
    await cora.tap("Send now")
    await bed.services.sender.drain()
    row = await bed.db.fetchone("SELECT title, time_needed, target_topics FROM opportunities")
    assert dict(row) == {
        "title": "Carers' café",
        "time_needed": "Two 1-hour meetings",
        "target_topics": json.dumps(["carers"]),
    }


async def test_a_lost_draft_at_a_tapped_step_starts_again_taking_the_buttons_off_once(bed: TestBed):
    ann = await bed.joined("Ann")
    await ann.send("/profile")
    await ann.tap("What I know about")
    await ann.tap("Next »")
    await ann.tap("Skip »")
    await _store_then_restart(bed, ann, {"skills": "caring"}, "experience_draft")
    await ann.tap("Yes, tell me")
    assert "could not keep your answers" in ann.reply_text and "Next »" in ann.buttons()
    clears = [call for call in bed.server.calls if call.method == "editMessageReplyMarkup"]
    assert [call.status for call in clears[-1:]] == [200], "one edit took them off, and none was refused"
