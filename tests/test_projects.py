"""Projects: a coordinator creates one, gets a QR poster, residents join by link and leave."""

from __future__ import annotations

from tests.conftest import ADMIN_ID
from tests.builders import answer_startup_check
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


async def test_project_link_before_joining_waits_for_onboarding(bed: TestBed):
    cora = await _coordinator(bed)
    await cora.send("/newproject")
    await cora.send("Library futures")
    await cora.send("Shape what the library offers.")
    await answer_startup_check(cora)
    await cora.tap("Consult")
    payload = cora.replies[-1]["caption"].split("start=")[1].split()[0]
    sam = bed.person("Sam")
    await sam.send(f"/start {payload}")
    assert "Which language" in sam.reply_text
    await sam.tap("English")
    await sam.tap("Yes, I agree")
    await sam.send("Sam")
    await sam.tap("For myself")
    await sam.tap("Done")
    await sam.tap("Skip")
    first_call = len(bed.server.calls)
    await sam.tap("Any time")
    assert "Welcome to the group" in sam.reply_text and "Library futures" in sam.reply_text
    sent = [c.method for c in bed.server.calls[first_call:] if c.method.startswith(("send", "edit"))]
    assert sent == ["editMessageText", "sendMessage"], "thanked in place, then the group: within the chat's burst"


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
