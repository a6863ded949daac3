"""Privacy rights: /privacy, /mydata as a JSON file, /delete with confirmation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.retention import cutoffs, next_sweep
from tests.engines import leaks, snapshot
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


def test_retention_cutoffs_give_a_month_of_notice():
    today = date(2028, 11, 22)
    limits = cutoffs(today, keep_days=730)
    assert limits.warn_if_last_used_by == today - timedelta(days=700)
    assert limits.erase_if_last_used_by == today - timedelta(days=730)
    assert limits.erase_if_warned_by == today - timedelta(days=30)
    tz = ZoneInfo("Europe/London")
    # 23:30 UTC on 28 October is already the 29th in London; clocks go back that night.
    assert next_sweep(datetime(2028, 10, 28, 23, 30, tzinfo=UTC), tz) == datetime(2028, 10, 30, 10, 0, tzinfo=UTC)
    assert next_sweep(datetime(2028, 7, 1, 12, 0, tzinfo=UTC), tz) == datetime(2028, 7, 2, 9, 0, tzinfo=UTC)


async def test_people_silent_for_two_years_are_warned_then_erased_unless_they_stay(bed: TestBed):
    joined = bed.clock.now()
    bed.clock.set(joined - timedelta(days=40))
    dan = await bed.joined("Dan", user_id=765_432_198)  # silent longest, but only warned with the others
    bed.clock.set(joined)
    ann = await bed.joined("Ann")
    bob = await bed.joined("Bob", user_id=876_543_219)
    cat = await bed.joined("Cat")

    async def day(number: int) -> None:
        bed.clock.set(joined + timedelta(days=number))
        await bed.services.scheduler.run_due()
        await bed.services.sender.drain()

    await day(650)
    await cat.send("/help")  # used recently: never warned
    seen = {person.id: len(person.messages) for person in (ann, bob, cat)}
    await day(699)
    assert {person.id: len(person.messages) for person in (ann, bob, cat)} == seen, "nobody is warned early"
    assert "we will erase it on" in dan.last_text, "739 days silent, but never erased without a warning"
    await day(700)
    for person in (ann, bob):
        assert "we will erase it on" in person.last_text and "Keep my account" in person.buttons()
    assert len(cat.messages) == seen[cat.id]
    await ann.tap("Keep my account")
    assert "keep your account" in ann.reply_text and "Keep my account" not in ann.buttons()

    await day(728)
    assert await bed.services.participants.by_telegram_id(dan.id) is not None, "a full month's notice"
    await day(729)
    assert await bed.services.participants.by_telegram_id(dan.id) is None
    assert await bed.services.participants.by_telegram_id(bob.id) is not None
    await day(730)
    assert await bed.services.participants.by_telegram_id(bob.id) is None
    assert await leaks(bed.db, (str(bob.id), "bob")) == [], "erased exactly as /delete does"
    assert await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'privacy.expire'") == 2
    for person in (ann, cat):
        assert await bed.services.participants.by_telegram_id(person.id) is not None
    await bob.send("/start")
    assert "Which language" in bob.reply_text  # they can join again as someone new


async def test_last_use_is_written_once_a_day_not_on_every_update(bed: TestBed):
    eve = await bed.joined("Eve")
    await bed.services.scheduler.run_due()  # nothing else writes while we count

    async def written_by_help() -> set[str]:
        before = await snapshot(bed.db)
        await eve.send("/help")
        after = await snapshot(bed.db)
        return {table for table, rows in after.items() if rows != before[table]}

    assert await written_by_help() == set()
    bed.clock.advance(timedelta(days=1))
    await bed.services.scheduler.run_due()
    assert await written_by_help() == {"participants"}
    assert await written_by_help() == set()
    row = await bed.db.fetchone("SELECT active_on FROM participants")
    assert row["active_on"] == bed.clock.now().date().isoformat()


async def test_a_keep_button_from_before_still_keeps_and_a_forged_erase_erases_nothing(bed: TestBed):
    lee = await bed.joined("Lee")
    await lee.send("/delete")
    asked = lee.messages[-1]["message_id"]
    await lee.press(asked, "pv:keep:0")  # the layout /delete sent before its buttons were typed
    assert "Nothing was deleted" in lee.reply_text
    await lee.send("/delete")
    await lee.press(lee.messages[-1]["message_id"], "pv:erase:soon")
    assert "no longer active" in lee.callback_answer()["text"]
    assert await bed.services.participants.by_telegram_id(lee.id) is not None
