"""Closing a group: a co-lead closes it with its outcomes, members say how it felt and what
they learned, and the group leaves people's lists while its record stays."""

from __future__ import annotations

import json

from decide.buttons import LeadActionButton
from decide.closing_buttons import ConfirmCloseButton
from domain.closing import feelings_summary
from tests.builders import members
from tests.harness import TestBed
from tests.test_decisions import _appoint, _group, _propose
from tests.test_feedback import OGG
from tests.test_languages import in_
from tests.test_opportunities import staff
from tests.test_typed_drafts import _store_then_restart

OUTCOMES = "We ran six reading sessions and chose new books for teenagers."
CHANGED = "The library now opens on Sunday mornings."


def test_feelings_are_counted_only_once_three_people_answered():
    assert feelings_summary([5, 4]) is None
    assert feelings_summary([5, 4, 9]) is None  # a feeling not on offer does not count
    assert feelings_summary([4, 5, 4]) == {5: 1, 4: 2}


async def test_a_co_lead_closes_a_group_and_its_record_stays(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob, cy = await members(bed, payload, "Ann", "Bob", "Cy")
    (ola,) = await members(bed, payload, "Ola", language="pl")
    await _appoint(cora, "Ann")
    await bed.services.sender.drain()
    group_id = await bed.db.fetchval("SELECT id FROM projects WHERE name = 'Library friends'")

    # A member can't close the group, even with a forged button.
    for data in (LeadActionButton(group_id, "close").pack(), ConfirmCloseButton(group_id, True).pack()):
        await bob.press(bob.messages[-1]["message_id"], data)
        assert "can't do that" in bob.callback_answer()["text"]
        assert (
            await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND subject = ?", (data,))
            == 1
        )
    assert await bed.db.fetchval("SELECT closed_at FROM projects WHERE id = ?", (group_id,)) is None

    await ann.send("/groups")
    await ann.tap("Library friends")
    await ann.tap("🏁 Close the group")
    await ann.send(OUTCOMES)
    await ann.send(CHANGED)
    assert "Close Library friends?" in ann.reply_text and CHANGED in ann.reply_text
    await ann.tap("🏁 Close the group")
    assert "sent its outcomes to 3 members" in ann.reply_text
    await bed.services.sender.drain()

    # Every other member hears the outcomes, in their language, and answers.
    closed = in_("pl", "🏁 <b>{group}</b> has closed. Thank you for taking part.").format(group="Library friends")
    assert closed.replace("<b>", "").replace("</b>", "") in ola.messages[-1]["text"]
    assert OUTCOMES in bob.reply_text and CHANGED in bob.reply_text
    await bob.tap("🙂 Good")
    assert "What did you learn" in bob.reply_text
    await bob.send("How the library chooses what to buy.")
    assert "without your name" in bob.reply_text
    await ola.tap(in_("pl", "😀 Great"))
    await ola.send_voice(OGG)
    await cy.tap("🙂 Good")
    await cy.tap("Skip »")
    assert await bed.db.fetchval("SELECT COUNT(*) FROM group_reflections WHERE felt IS NOT NULL") == 3

    # It leaves people's lists and can't be joined or closed again.
    await bob.send("/groups")
    assert "not in any group" in bob.reply_text
    await bob.send("/projects")
    assert "Library friends" not in bob.reply_text
    dan = await bed.joined("Dan")
    await dan.send(f"/start {payload}")
    assert "has closed, so it takes no new members" in dan.reply_text
    assert not await bed.services.projects.is_member(
        group_id, (await bed.services.participants.by_telegram_id(dan.id)).id
    )
    # A closed group has no leads' buttons left: its old ones are refused.
    await ann.press(ann.messages[-1]["message_id"], LeadActionButton(group_id, "close").pack())
    assert "can't do that" in ann.callback_answer()["text"]

    # Its record stays, without anyone's name.
    await bob.send("/myinvolvement")
    await bob.tap("🏁 Library friends (closed)")
    record = bob.reply_text
    assert "Closed on" in record and OUTCOMES in record and CHANGED in record
    assert "How the library chooses what to buy." in record and "And 1 voice note." in record
    assert "😀 Great 1, 🙂 Good 2" in record and "Bob" not in record

    olive = await staff(bed, "Officer", "Olive")
    await olive.send("/impact")
    impact = next(m["text"] for m in olive.messages if "Closed groups" in (m.get("text") or ""))
    assert "Library friends" in impact and OUTCOMES in impact and "2 members said what they learned" in impact

    await bob.send("/mydata")
    data = json.loads(bed.server.file_bytes(bob.replies[-1]["document"]["file_id"]))
    assert data["group_reflections"][0]["learned"] == "How the library chooses what to buy."
    assert data["group_reflections"][0]["felt"] == 4


async def test_a_group_with_an_open_decision_is_not_closed_until_it_is_decided(bed: TestBed):
    cora, payload = await _group(bed)
    (bob,) = await members(bed, payload, "Bob")
    await _propose(bob)
    await bed.services.sender.drain()
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("🏁 Close the group")
    assert "still has 1 open decision" in cora.reply_text
    await cora.send(OUTCOMES)  # not taken as outcomes: no closing is under way
    assert await bed.db.fetchval("SELECT closed_at FROM projects") is None


async def test_a_closing_stored_before_drafts_were_typed_carries_on(bed: TestBed):
    cora, payload = await _group(bed)
    (bob,) = await members(bed, payload, "Bob")
    group_id = await bed.db.fetchval("SELECT id FROM projects WHERE name = 'Library friends'")
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("🏁 Close the group")
    await cora.send("Outcomes typed after the upgrade.")
    await _store_then_restart(bed, cora, {"group": group_id, "key": "0a1b", "outcomes": OUTCOMES}, "group_close")
    await cora.send(CHANGED)
    assert "Close Library friends?" in cora.reply_text and OUTCOMES in cora.reply_text
    await cora.tap("🏁 Close the group")
    assert "sent its outcomes to 1 member" in cora.reply_text
    closed = await bed.db.fetchone("SELECT outcomes, what_changed FROM projects WHERE id = ?", (group_id,))
    assert dict(closed) == {"outcomes": OUTCOMES, "what_changed": CHANGED}

    # A member paused on what they learned, with the draft as it was kept then, carries on too.
    await bed.services.sender.drain()
    await bob.tap("🙂 Good")
    await _store_then_restart(bed, bob, {"group": group_id}, "group_reflection")
    await bob.send("How the library chooses what to buy.")
    assert "without your name" in bob.reply_text
    assert (
        await bed.db.fetchval(
            "SELECT learned FROM group_reflections WHERE project_id = ? AND learned IS NOT NULL", (group_id,)
        )
        == "How the library chooses what to buy."
    )


async def test_a_lost_closing_draft_ends_kindly_and_closes_nothing(bed: TestBed):
    cora, _payload = await _group(bed)
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("🏁 Close the group")
    await cora.send(OUTCOMES)
    await _store_then_restart(bed, cora, {"group": "Library friends"}, "group_close")
    await cora.send(CHANGED)
    assert "tap the button you began with again" in cora.reply_text
    assert await bed.db.fetchval("SELECT closed_at FROM projects") is None
    await cora.tap("🏁 Close the group")
    await cora.send(OUTCOMES)
    await cora.send(CHANGED)
    assert "Close Library friends?" in cora.reply_text
