"""Every "tap all that apply" list: tick and untick edit the message on screen; stray text, a
sticker and a tap on an old copy keep the ticks; Done saves exactly what was last shown.

The lists are found in the handler modules, so a new one fails here until it has a way in."""

from __future__ import annotations

import importlib
import json
import pkgutil
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

import handlers
from handlers.kit.checklist import TICKED, Checklist
from tests.builders import members
from tests.harness import Person, TestBed
from tests.test_decisions import _group
from tests.test_meetings import group_with
from tests.test_opportunities import staff, write_opportunity


@dataclass(frozen=True)
class Way:
    """How to reach a list, the button that moves on from it, what finishes the flow, and what was saved."""

    reach: Callable[[TestBed], Awaitable[Person]]
    done: str
    finish: tuple[str, ...]  # labels to tap; "send:<text>" types text instead
    saved: Callable[[TestBed, Person], Awaitable[set[str]]]


async def _participant_id(bed: TestBed, person: Person) -> int:
    return (await bed.services.participants.by_telegram_id(person.id)).id


async def _joining(bed: TestBed) -> Person:
    sam = bed.person("Sam")
    await sam.send("/start")
    for label in ("English", "Yes, I agree", "Call me Sam", "For myself"):
        await sam.tap(label)
    return sam


async def _topics(bed: TestBed, person: Person) -> set[str]:
    return set(await bed.services.participants.topics(await _participant_id(bed, person)))


async def _access(bed: TestBed) -> Person:
    ann = await bed.joined("Ann")
    await ann.send("/access")
    return ann


async def _access_times(bed: TestBed) -> Person:
    ann = await _access(bed)
    await ann.tap("Next")
    await ann.tap("In person")
    return ann


async def _needs(bed: TestBed, person: Person) -> set[str]:
    return set((await bed.services.access.get(await _participant_id(bed, person))).needs)


async def _times(bed: TestBed, person: Person) -> set[str]:
    return set((await bed.services.access.get(await _participant_id(bed, person))).times)


async def _meeting(bed: TestBed, *, people: tuple[str, ...] = ("Ann",)) -> Person:
    cora = await staff(bed)
    await group_with(bed, cora, *people)
    await cora.send("/meeting")
    await cora.send("Café planning")
    await cora.send("Choose the menu.")
    for label in ("Co-design", "In person"):
        await cora.tap(label)
    await cora.send("Bracknell Library")
    return cora


async def _essential_list(bed: TestBed) -> Person:
    cora = await _meeting(bed, people=("Ann", "Bob", "Cat"))
    for label in ("Done", "1 hour"):
        await cora.tap(label)
    await cora.send("3/12 18:30\n5/12 10:00")
    for label in ("Done", "In 2 days", "Members of"):
        await cora.tap(label)
    return cora


async def _features(bed: TestBed, person: Person) -> set[str]:
    return set(json.loads(await bed.db.fetchval("SELECT venue_features FROM meetings")))


async def _essential(bed: TestBed, person: Person) -> set[str]:
    rows = await bed.db.fetchall("SELECT participant_id FROM meeting_invitees WHERE required = 1")
    return {str(row["participant_id"]) for row in rows}


async def _audience(bed: TestBed) -> Person:
    cora = await staff(bed)
    await write_opportunity(cora, topic=None, send=False)
    await cora.tap("Change who gets it")
    await cora.tap("Topics")
    return cora


async def _audience_topics(bed: TestBed, person: Person) -> set[str]:
    return set(json.loads(await bed.db.fetchval("SELECT target_topics FROM opportunities")))


async def _know_about(bed: TestBed) -> Person:
    ann = await bed.joined("Ann")
    await ann.send("/profile")
    await ann.tap("What I know about")
    return ann


async def _skills(bed: TestBed, person: Person) -> set[str]:
    return set((await bed.services.involvement.experience(await _participant_id(bed, person))).skills)


async def _adding_person(bed: TestBed) -> Person:
    cora = await staff(bed)
    await cora.send("/addperson")
    await cora.send("Zofia")
    for label in ("By phone", "They said yes on the phone", "English"):
        await cora.tap(label)
    return cora


async def _their_needs(bed: TestBed, person: Person) -> set[str]:
    added = await bed.db.fetchval("SELECT id FROM participants WHERE takes_part IS NOT NULL")
    return set((await bed.services.access.get(added)).needs)


async def _cycle_members(bed: TestBed) -> Person:
    cora, payload = await _group(bed)
    await members(bed, payload, "Ann", "Bob", "Cat")
    await cora.send("/cycle")
    await cora.tap("Start a cycle for Library friends")
    await cora.send("How can the library work better for carers?")
    await cora.tap("A week for each step")
    await cora.tap("I will pick members")
    return cora


async def _cycle_participants(bed: TestBed, person: Person) -> set[str]:
    rows = await bed.db.fetchall("SELECT participant_id FROM cycle_participants")
    return {str(row["participant_id"]) for row in rows}


SLOTS = "send:3/12 18:30\n5/12 10:00"
WAYS: dict[str, Way] = {
    "ob:topic": Way(_joining, "Done", (), _topics),
    "ac:need": Way(_access, "Next", ("In person", "Next", "1 hour", "Skip"), _needs),
    "ac:time": Way(_access_times, "Next", ("1 hour", "Skip"), _times),
    "mn:feat": Way(
        _meeting,
        "Done",
        ("1 hour", SLOTS, "Done", "In 2 days", "Members of", "Done", "Only me", "Send the poll"),
        _features,
    ),
    "mn:need": Way(_essential_list, "Done", ("Only me", "Send the poll"), _essential),
    "on:topic": Way(_audience, "Done", ("Preview", "Send now"), _audience_topics),
    "rk": Way(_know_about, "Next »", ("Skip »", "Yes, tell me"), _skills),
    "wn": Way(_adding_person, "Next »", ("Skip",), _their_needs),
    "jw": Way(_cycle_members, "Done", ("Start the cycle",), _cycle_participants),
}


def _checklists() -> dict[str, Checklist]:
    found = {}
    for module in pkgutil.walk_packages(handlers.__path__, "handlers."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, Checklist):
                found[value.prefix] = value
    return found


def test_every_checklist_has_a_way_in():
    assert sorted(_checklists()) == sorted(WAYS)


def _live(person: Person, prefix: str) -> dict[str, Any]:
    """The newest message with this list's buttons."""
    return next(
        m
        for m in reversed(person.messages)
        if any(
            b.get("callback_data", "").startswith(prefix + ":")
            for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        )
    )


def _options(message: dict[str, Any], prefix: str) -> list[tuple[str, str, bool]]:
    """(key, callback data, ticked) for each option on the message."""
    return [
        (b["callback_data"].removeprefix(prefix + ":"), b["callback_data"], not b["text"].startswith("▫️"))
        for row in message["reply_markup"]["inline_keyboard"]
        for b in row
        if b.get("callback_data", "").startswith(prefix + ":")
    ]


def _ticked(message: dict[str, Any], prefix: str) -> set[str]:
    return {key for key, _data, ticked in _options(message, prefix) if ticked}


def _sticker(person: Person) -> dict[str, Any]:
    user = person.user.as_user()
    return {
        "message": {
            "message_id": 800_000 + int(time.time_ns() % 100_000),
            "date": int(time.time()),
            "from": user,
            "chat": {"id": person.id, "type": "private", "first_name": user["first_name"]},
            "sticker": {
                "file_id": "stk",
                "file_unique_id": "u1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        }
    }


@pytest.mark.parametrize("prefix", sorted(WAYS))
async def test_ticks_survive_everything_and_done_saves_what_is_shown(bed: TestBed, prefix: str):
    way = WAYS[prefix]
    person = await way.reach(bed)
    first = _live(person, prefix)
    keys = [key for key, _data, _ticked in _options(first, prefix)]
    assert len(keys) >= 3, f"{prefix}: the test needs three options"
    before = _ticked(first, prefix)
    a, b, c = keys[:3]
    count = len(person.messages)
    for key in (a, b, a):
        await person.press(first["message_id"], f"{prefix}:{key}")
    assert len(person.messages) == count, f"{prefix}: a tap edits the list, it sends nothing new"
    assert _live(person, prefix)["message_id"] == first["message_id"]
    shown = _ticked(_live(person, prefix), prefix)
    assert shown == before ^ {b}, f"{prefix}: tick and untick show on the same message"

    await person.send("ok")
    assert _ticked(_live(person, prefix), prefix) == shown, f"{prefix}: stray text re-shows the same ticks"
    await bed.settle(bed.server.push_update(_sticker(person)))
    live = _live(person, prefix)
    assert _ticked(live, prefix) == shown, f"{prefix}: so does a sticker"
    assert live["message_id"] != first["message_id"]
    await person.press(first["message_id"], f"{prefix}:{c}")  # the first copy is out of date now
    assert "out of date" in person.callback_answer().get("text", "")
    assert _ticked(_live(person, prefix), prefix) == shown

    await person.tap(way.done)
    for label in way.finish:
        await (person.send(label.removeprefix("send:")) if label.startswith("send:") else person.tap(label))
    assert await way.saved(bed, person) == shown, f"{prefix}: saved exactly what was last shown"


async def test_a_returning_member_untick_stays_unticked_through_stray_text(bed: TestBed):
    ann = await bed.joined("Ann", topics=("Housing", "Libraries"))
    await ann.send("/profile")
    await ann.tap("Change topics")
    await ann.tap("✅ Housing")
    await ann.send("ok")
    assert "▫️ Housing" in ann.buttons() and f"{TICKED}Libraries" in ann.buttons()
    await ann.tap("Done")
    assert await _topics(bed, ann) == {"libraries"}
    assert "Topics: Libraries" in ann.reply_text
