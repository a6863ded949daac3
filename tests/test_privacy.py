"""Privacy rights: /privacy, /mydata as a JSON file, /delete with confirmation."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.harness import TestBed


async def test_mydata_sends_everything_as_json(bed: TestBed):
    ivy = await bed.joined("Ivy", topics=("Carers",), area="Binfield")
    await ivy.send("/mydata")
    document = ivy.replies[-1]["document"]
    assert document["file_name"] == "my-data.json"
    data = json.loads(bed.server.file_bytes(document["file_id"]))
    assert data["profile"]["display_name"] == "Ivy" and data["profile"]["area"] == "Binfield"
    assert data["topics"] == ["carers"] and data["consents"][0]["notice_version"] == "2026-11"


async def test_delete_erases_personal_data_after_confirmation(bed: TestBed):
    jo = await bed.joined("Jo", topics=("Housing",), area="Ascot")
    await jo.send("/delete")
    await jo.tap("No, keep it")
    assert await bed.services.participants.by_telegram_id(jo.id) is not None
    await jo.send("/delete")
    await jo.tap("Yes, delete my data")
    assert "erased" in jo.reply_text
    assert await bed.services.participants.by_telegram_id(jo.id) is None
    row = await bed.db.fetchone("SELECT * FROM participants")
    assert row["display_name"] is None and row["area"] is None and row["telegram_id"] is None
    assert row["erased_at"] is not None
    assert await bed.db.fetchval("SELECT COUNT(*) FROM participant_topics") == 0
    assert await bed.db.fetchval("SELECT COUNT(*) FROM consents") == 0
    assert await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE actor_telegram_id = ?", (jo.id,)) == 0
    await jo.send("/start")
    assert "Which language" in jo.reply_text  # they can join again as someone new


async def test_old_delete_confirmation_does_nothing(bed: TestBed):
    kim = await bed.joined("Kim")
    await kim.send("/delete")
    bed.clock.advance(timedelta(hours=1))
    await kim.tap("Yes, delete my data")
    assert "expired" in kim.callback_answer()["text"]
    assert await bed.services.participants.by_telegram_id(kim.id) is not None


async def test_privacy_notice_is_available_to_anyone(bed: TestBed):
    lou = bed.person("Lou")
    await lou.send("/privacy")
    assert "Your privacy" in lou.reply_text and "/delete" in lou.reply_text
    await lou.send("/delete")
    assert "nothing to delete" in lou.reply_text
