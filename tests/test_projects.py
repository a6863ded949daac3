"""Projects: a coordinator creates one, gets a QR poster, residents join by link and leave."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from emulator.driver import Person
from handlers.groups.project_form import ProjectDraft
from projects.startup import CHECKS
from tests.builders import SHARING_ANSWERS, answer_startup_check
from tests.conftest import ADMIN_ID
from tests.harness import TestBed


async def _coordinator(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    await admin.send("/invite")
    await admin.tap("Coordinator")
    payload = next(line for line in admin.reply_text.splitlines() if "start=" in line).split("start=")[1]
    cora = await bed.joined("Cora")
    await cora.send(f"/start {payload}")
    return cora


async def test_create_project_join_by_link_and_leave(bed: TestBed):
    cora = await _coordinator(bed)
    await cora.send("/newproject")
    await cora.send("Carers' café <planning>")
    await cora.send("We plan the monthly café together.")
    await answer_startup_check(cora)
    assert "Co-produce" in cora.buttons()
    await cora.tap("Co-design")
    poster = cora.replies[-1]
    assert poster["photo"], "a QR code image is sent"
    assert bed.server.file_bytes(poster["photo"][-1]["file_id"]).startswith(b"\x89PNG")
    payload = poster["caption"].split("start=")[1].split()[0]
    assert "Carers' café <planning>" in cora.reply_text and "You help design it" in cora.reply_text

    rosa = await bed.joined("Rosa")
    await rosa.send(f"/start {payload}")
    assert "Welcome to the group" in rosa.reply_text
    await rosa.send(f"/start {payload}")
    assert "already in this group" in rosa.reply_text
    await rosa.send("/projects")
    assert "Carers' café" in rosa.reply_text
    await rosa.tap("Leave")
    assert "You have left" in rosa.reply_text
    await cora.send("/projects")
    assert "0 members" in cora.reply_text


async def _poster_payload(bed: TestBed, description: str) -> str:
    """A coordinator's new group "Library futures", and the start payload of its poster."""
    cora = await _coordinator(bed)
    await cora.send("/newproject")
    await cora.send("Library futures")
    await cora.send(description)
    await answer_startup_check(cora)
    await cora.tap("Consult")
    return cora.replies[-1]["caption"].split("start=")[1].split()[0]


async def _join_up_to_quiet_hours(bed: TestBed, payload: str) -> Person:
    sam = bed.person("Sam")
    await sam.send(f"/start {payload}")
    assert "Which language" in sam.reply_text
    await sam.tap("English")
    await sam.tap("Yes, I agree")
    await sam.send("Sam")
    await sam.tap("For myself")
    await sam.tap("Done")
    await sam.tap("Skip")
    return sam


async def test_project_link_before_joining_waits_for_onboarding(bed: TestBed):
    sam = await _join_up_to_quiet_hours(bed, await _poster_payload(bed, "Shape what the library offers."))
    first_call = len(bed.server.calls)
    await sam.tap("Any time")
    welcome = sam.reply_text
    assert "All set, Sam!" in welcome and "Welcome to the group" in welcome and "Library futures" in welcome
    assert welcome.index("Library futures") < welcome.index("what you need to take part"), "the card, then the ask"
    assert "♿ What I need to take part" in sam.buttons()
    sent = [c.method for c in bed.server.calls[first_call:] if c.method.startswith(("send", "edit"))]
    assert sent == ["editMessageText"], "thanked and shown the group in one edit: no new message in a rush"
    await sam.tap("What I need to take part")
    assert "What do you need to take part?" in sam.reply_text


async def test_a_group_card_too_long_to_share_the_welcome_comes_below_it(bed: TestBed):
    # 999 characters that HTML escaping makes 4,329: the welcome counts the escaped length, never less
    # than what Telegram counts, so the card goes below it rather than risk a refused message
    sam = await _join_up_to_quiet_hours(bed, await _poster_payload(bed, "<&>" * 333))
    first_call = len(bed.server.calls)
    await sam.tap("Any time")
    sent = [c for c in bed.server.calls[first_call:] if c.method.startswith(("send", "edit"))]
    assert [c.method for c in sent] == ["editMessageText", "sendMessage"]
    assert "All set, Sam!" in sent[0].params["text"] and "Welcome to the group" in sent[1].params["text"]
    assert all(c.status == 200 for c in sent)


async def test_poster_button_is_for_the_lead_only(bed: TestBed):
    cora = await _coordinator(bed)
    await cora.send("/newproject")
    await cora.send("Parks")
    await cora.send("Parks plan.")
    await answer_startup_check(cora)
    await cora.tap("Engage")
    await cora.send("/projects")
    message, data = cora.find_button("Poster")
    rosa = await bed.joined("Rosa")
    await rosa.press(message["message_id"], data)
    assert "can't do that" in rosa.callback_answer()["text"]
    assert not any(m.get("photo") for m in rosa.messages)


async def test_the_creator_picks_the_other_lead(bed: TestBed):
    from tests.test_opportunities import staff

    olive = await staff(bed, "Officer", "Olive")
    cora = await staff(bed, "Coordinator", "Cora")
    await cora.send("/newproject")
    await cora.send("Youth panel")
    await cora.send("Young people shape youth services.")
    await answer_startup_check(cora)
    await cora.tap("Co-produce")
    assert "Who is the lead officer" in cora.reply_text
    assert cora.replies[-1].get("photo"), "the poster still comes last"
    message, data = cora.find_button("👤 Olive")
    rex = await bed.joined("Rex")
    await rex.press(message["message_id"], data)
    assert "can't do that" in rex.callback_answer()["text"]
    await cora.press(message["message_id"], data)
    assert "Olive now leads this group with you" in cora.callback_answer()["text"]
    project = (await bed.services.projects.led_by((await bed.services.participants.by_telegram_id(cora.id)).id))[0]
    olive_id = (await bed.services.participants.by_telegram_id(olive.id)).id
    assert project.id in [p.id for p in await bed.services.projects.led_by(olive_id)]
    assert (await bed.services.projects.by_id(project.id)).lead_officer_id == olive_id


def test_every_start_up_question_is_kept_in_its_own_field_of_the_draft():
    assert {name for name, _question, _choices in CHECKS} <= {f.name for f in fields(ProjectDraft)}


async def _draft_then_restart(bed: TestBed, person: Person, draft: object) -> None:
    """The new group's draft as the database holds it when the bot comes back."""
    found = await bed.db.fetchval("SELECT data FROM user_drafts WHERE telegram_id = ?", (person.id,))
    stored = {**json.loads(found or "{}"), "project_draft": draft}
    await bed.db.execute(
        "INSERT INTO user_drafts (telegram_id, data) VALUES (?, ?) ON CONFLICT (telegram_id) "
        "DO UPDATE SET data = excluded.data",
        (person.id, json.dumps(stored)),
    )
    await bed.restart()


@pytest.mark.parametrize(
    ("typed", "stored", "answers"),
    [
        ((), {}, ("Parks and green spaces", "We plan the parks together.", *SHARING_ANSWERS)),
        (
            ("Parks", "Parks plan.", *SHARING_ANSWERS[:2]),
            {
                "name": "Parks and green spaces",
                "description": "We plan the parks together.",
                "share": "yes",
                "time": "1",
            },
            SHARING_ANSWERS[2:],
        ),
    ],
    ids=["at-the-name", "mid-check"],
)
async def test_a_new_group_begun_before_drafts_were_typed_carries_on(
    bed: TestBed, typed: tuple[str, ...], stored: dict[str, str], answers: tuple[str, ...]
):
    """The draft as the version before typed drafts wrote it: empty at first, then the answers."""
    cora = await _coordinator(bed)
    await cora.send("/newproject")
    for answer in typed:
        await (cora.send(answer) if answer in ("Parks", "Parks plan.") else cora.tap(answer))
    await _draft_then_restart(bed, cora, stored)
    for answer in answers:
        await (cora.tap(answer) if answer in SHARING_ANSWERS else cora.send(answer))
    await cora.tap("Co-design")
    assert "Your group is ready" in cora.reply_text
    group = await bed.db.fetchone("SELECT name, description, level FROM projects")
    assert dict(group) == {
        "name": "Parks and green spaces",
        "description": "We plan the parks together.",
        "level": "co_design",
    }


async def test_an_unreadable_new_group_draft_starts_again_kindly(bed: TestBed):
    cora = await _coordinator(bed)
    await cora.send("/newproject")
    await cora.send("Parks")
    await cora.send("Parks plan.")
    await _draft_then_restart(bed, cora, {"name": ["not", "text"], "description": "Parks plan."})
    await cora.tap(SHARING_ANSWERS[0])
    assert "could not keep your answers" in cora.reply_text and "What is it called?" in cora.reply_text
    await cora.send("Parks again")
    await cora.send("Parks plan.")
    await answer_startup_check(cora)
    await cora.tap("Engage")
    assert "Your group is ready" in cora.reply_text
    assert await bed.db.fetchval("SELECT name FROM projects") == "Parks again"
