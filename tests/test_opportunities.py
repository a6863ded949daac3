"""Opportunities end to end: write, preview, send at pace, answer, stop, permissions."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from emulator.driver import message_text
from opportunities.buttons import FormChoice, InterestedButton, InviteInterestedButton, StopSendingButton
from storage.outbox import BatchProgress
from tests.builders import answer_startup_check
from tests.conftest import ADMIN_ID
from tests.harness import Person, TestBed


async def staff(bed: TestBed, role: str = "Coordinator", name: str = "Cora") -> Person:
    admin = await bed.joined("Ada", user_id=ADMIN_ID) if not bed.server.bot_messages(ADMIN_ID) else None
    admin = admin or Person(bed.server, bed.settle, bed.server.add_user("Ada", user_id=ADMIN_ID))
    await admin.send("/invite")
    await admin.tap(role)
    payload = next(line for line in admin.reply_text.splitlines() if "start=" in line).split("start=")[1]
    person = await bed.joined(name)
    await person.send(f"/start {payload}")
    return person


def progress_of(person: Person) -> str:
    """The coordinator's live progress message (their own copy of a broadcast may come after it)."""
    return next(m["text"] for m in reversed(person.messages) if "Still to go" in m.get("text", ""))


async def write_opportunity(
    cora: Person,
    *,
    title: str = "Carers' café <plans>",
    topic: str | None = "Carers",
    send: bool = True,
    closes: tuple[str, ...] = ("20/12",),
) -> None:
    await cora.send("/opportunity")
    await cora.send(title)
    await cora.send("Help us plan a monthly café for carers.")
    await cora.tap("Co-design")
    await cora.send("The day, the time and what happens.")
    await cora.send("The budget, which is already set.")
    await cora.send("Two 1-hour meetings")
    await cora.send("Evenings in January")
    await cora.tap("Expenses paid")
    await cora.send("Step-free library room; online option.")
    for typed in closes:
        await cora.send(typed)
    if topic:
        await cora.tap("Topics")
        await cora.tap(topic)
        await cora.tap("Done")
    await cora.tap("Preview")
    if send:
        await cora.tap("Send now")


async def test_a_reply_by_date_that_cannot_be_read_or_has_passed_is_asked_for_again(bed: TestBed):
    cora = await staff(bed)
    await write_opportunity(cora, closes=("next Friday", "01/01/2020", "20/12"), send=False)
    said = [message_text(m) for m in cora.messages]
    refusal = "Please type a date in the future, like 15/12 or 15/12/2026."
    asked = "What is the last day people can say they are interested? Type a date like 15/12."
    assert said.count(refusal) == 2
    assert said.index(asked) < said.index(refusal)
    assert "Reply by: 20 December 2026" in cora.reply_text  # the preview, with the date it took


async def test_one_answer_is_changed_from_the_preview_and_the_preview_comes_back(bed: TestBed):
    cora = await staff(bed)
    await write_opportunity(cora, send=False)
    summary, _data = cora.find_button("Change something")
    await cora.tap("Change something")
    assert "What would you like to change?" in cora.reply_text
    assert {"Title", "About", "Level", "Payment", "Reply by"} <= set(cora.buttons())
    summary_now = next(m for m in cora.messages if m["message_id"] == summary["message_id"])
    assert not (summary_now.get("reply_markup") or {}).get("inline_keyboard")  # no Send now left on it
    asked = cora.messages[-1]["message_id"]
    await cora.press(asked, FormChoice("edit", "nope").pack())  # not on offer
    assert "What would you like to change?" in cora.reply_text
    await cora.tap("Title")
    assert "✔ Title\n\nWhat is the opportunity called?" in cora.reply_text  # in place
    shown = await cora.send("Carers' café: the new name")
    assert len(shown) == 2  # the card under its heading, then the summary with Send now
    assert "Carers' café: the new name" in cora.reply_text and "Preview" in cora.reply_text
    assert "🚀 Send now" in cora.buttons()  # back at the preview, not at the next question


async def test_broadcast_reaches_exactly_the_people_it_previewed(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    bob = await bed.joined("Bob", topics=("Housing",))
    cat = await bed.joined("Cat", topics=("Carers", "Libraries"))
    await write_opportunity(cora, send=False)
    preview = cora.reply_text
    assert "Carers' café <plans>" in preview and "You help design it" in preview
    assert "It will reach 2 people." in preview
    before = {p.id: len(p.messages) for p in (ann, bob, cat)}
    await cora.tap("Send now")
    await bed.services.sender.drain()
    got = {p.user.first_name: len(p.messages) - before[p.id] for p in (ann, bob, cat)}
    assert got == {"Ann": 1, "Bob": 0, "Cat": 1}
    assert "Carers' café <plans>" in ann.last_text and "Expenses paid" in ann.last_text
    assert {"🙋 I'm interested", "ℹ️ Tell me more", "Not for me"} <= set(ann.buttons())
    assert "Finished. Sent: 2 · Not reachable: 0 · Still to go: 0" in progress_of(cora)


async def test_a_small_broadcast_delivered_before_its_progress_message_still_reports_finished(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora, send=False)
    held = bed.server.hold("sendMessage", cora.id)  # "Sending…" is slow to reach Telegram
    tap = asyncio.create_task(cora.tap("Send now"))
    await asyncio.wait_for(held.arrived.wait(), 10)
    await bed.services.sender.drain()  # meanwhile the whole batch goes out
    assert "Carers' café <plans>" in ann.last_text
    held.released.set()
    await tap
    await bed.services.sender.drain()
    assert "Finished. Sent: 1 · Not reachable: 0 · Still to go: 0" in progress_of(cora)
    assert "Stop sending" not in cora.buttons()


async def test_each_progress_is_shown_once_and_only_once_there_is_a_message_to_show_it_in(bed: TestBed):
    """The sender and the send handler both report a batch. A report before the progress message
    exists shows nothing (and so can't make the handler's later one look already shown), and the
    counts compared are the counts shown, so the same ones never reach Telegram twice."""
    shown: list[BatchProgress] = []

    async def hook(progress: BatchProgress) -> None:
        shown.append(progress)

    sender = bed.services.sender
    assert sender is not None
    sender.on_progress("test", hook)
    batch, _added = await bed.services.outbox.create_batch("test", None, None, bed.clock.now(), [])
    await sender.report(batch)
    assert shown == [], "no message to show progress in yet"
    await bed.services.outbox.set_progress_message(batch, ADMIN_ID, 7)
    await sender.report(batch)
    await sender.report(batch)
    assert [(p.progress_chat_id, p.progress_message_id) for p in shown] == [(ADMIN_ID, 7)]


async def test_residents_answer_ask_and_the_coordinator_sees_who_is_interested(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    cat = await bed.joined("Cat <i>", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("I'm interested")
    assert "told the organiser" in ann.reply_text
    await cat.tap("Tell me more")
    assert "You cannot change: The budget" in cat.reply_text and "Step-free" in cat.reply_text
    await cat.tap("Ask a question")
    await cat.send("Is there <b>parking</b>?")
    assert "Sent" in cat.reply_text
    await bed.services.sender.drain()  # the question reaches the organiser through the outbox
    assert "Is there <b>parking</b>?" in cora.last_text and "Cat <i>" in cora.last_text
    await cat.tap("Not for me")
    await cora.tap("Who is interested")
    assert "Interested: 1 · Not for them: 1" in cora.reply_text and "Ann" in cora.reply_text


async def test_paused_blocked_and_quiet_hours(bed: TestBed):
    bed.clock.set(bed.clock.now().replace(hour=22))  # 22:00 in London in November
    cora = await staff(bed)
    ann = await bed.joined("Ann")
    pia = await bed.joined("Pia")
    await pia.send("/opportunities")
    await pia.tap("Pause all")
    blo = await bed.joined("Blo")
    bed.server.block(blo.id)
    night = await bed.joined("Nia")
    await night.send("/profile")
    await night.tap("Change quiet hours")
    await night.tap("Not between 21:00 and 8:00")
    await write_opportunity(cora, topic=None, send=False)
    assert "It will reach 5 people." in cora.reply_text  # Ann, Blo, Nia, and staff Cora and Ada
    counts = {p.id: len(p.messages) for p in (ann, pia, night)}
    await cora.tap("Send now")
    await bed.services.sender.drain()
    assert len(ann.messages) == counts[ann.id] + 1 and len(pia.messages) == counts[pia.id]
    assert len(night.messages) == counts[night.id], "waits for the morning"
    assert "Not reachable: 1 · Still to go: 1" in progress_of(cora)
    bed.clock.advance(timedelta(hours=10))
    await bed.services.sender.drain()
    assert len(night.messages) == counts[night.id] + 1
    assert "Finished." in progress_of(cora)


async def test_stop_mid_way_cancels_the_rest(bed: TestBed):
    bed.clock.set(bed.clock.now().replace(hour=23))
    cora = await staff(bed)
    sleepers = [await bed.joined(f"Z{i}") for i in range(3)]
    for person in sleepers:
        await person.send("/profile")
        await person.tap("Change quiet hours")
        await person.tap("Not between 22:00 and 7:00")
    await write_opportunity(cora, topic=None)
    await bed.services.sender.drain()
    await cora.tap("Stop sending")
    assert "3 messages were not sent" in cora.callback_answer()["text"]
    bed.clock.advance(timedelta(hours=10))
    await bed.services.sender.drain()
    assert all(not any("Carers' café" in m.get("text", "") for m in p.messages) for p in sleepers)
    assert "Stopped." in progress_of(cora)


async def test_forged_buttons_and_commands_are_refused(bed: TestBed):
    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    opportunity = (
        await bed.services.opportunities.created_by((await bed.services.participants.by_telegram_id(cora.id)).id)
    )[0]
    rex = await bed.joined("Rex", topics=("Housing",))  # was not sent it
    await rex.send("/opportunity")
    assert "can't do that" in rex.reply_text
    last = rex.messages[-1]["message_id"]
    await rex.press(last, f"op:in:{opportunity.id}")
    assert "no longer active" in rex.callback_answer()["text"]
    await rex.press(last, StopSendingButton(opportunity.batch_id).pack())
    assert "can't do that" in rex.callback_answer()["text"]
    await rex.press(last, InterestedButton(opportunity.id).pack())
    assert "can't do that" in rex.callback_answer()["text"]
    other = await staff(bed, "Officer", "Olly")  # staff, but not the owner
    await other.press(other.messages[-1]["message_id"], InterestedButton(opportunity.id).pack())
    assert "can't do that" in other.callback_answer()["text"]
    assert await bed.services.opportunities.interested(opportunity.id) == []
    await ann.tap("I'm interested")
    bed.clock.advance(timedelta(days=60))
    await ann.tap("Not for me")
    assert "closed" in ann.callback_answer()["text"]


async def test_bad_answers_in_the_form_are_explained(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/opportunity")
    await cora.send("x" * 101)
    assert "up to 100 characters" in cora.reply_text
    await cora.send("Title")
    await cora.send("About")
    await cora.tap("Inform")
    for answer in ("can", "cannot", "time", "dates"):
        await cora.send(answer)
    await cora.tap("Unpaid")
    await cora.send("access")
    await cora.send("1/1/2020")
    assert "in the future" in cora.reply_text
    await cora.send("banana")
    assert "in the future" in cora.reply_text
    await cora.send("/cancel")
    assert "Nothing was sent" in cora.reply_text


async def test_answers_are_in_mydata_and_erased_with_delete(bed: TestBed):
    import json

    cora = await staff(bed)
    ann = await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("I'm interested")
    await ann.tap("Tell me more")
    await ann.tap("Ask a question")
    await ann.send("Can I bring my son?")
    await ann.send("/mydata")
    data = json.loads(bed.server.file_bytes(ann.replies[-1]["document"]["file_id"]))
    assert data["opportunity_answers"][0]["response"] == "interested"
    assert data["questions"][0]["text"] == "Can I bring my son?"
    await ann.send("/delete")
    await ann.tap("Yes, delete my data")
    for table in ("opportunity_responses", "question_threads", "question_messages"):
        assert await bed.db.fetchval(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert await bed.db.fetchval("SELECT COUNT(*) FROM outbox WHERE chat_id = ?", (ann.id,)) == 0


async def test_one_tap_invites_interested_people_to_a_group(bed: TestBed):
    cora = await staff(bed)
    await cora.send("/newproject")
    await cora.send("Carers' café group")
    await cora.send("Runs the café.")
    await answer_startup_check(cora)
    await cora.tap("Co-produce")
    ann = await bed.joined("Ann", topics=("Carers",))
    bob = await bed.joined("Bob", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("I'm interested")
    await cora.tap("Who is interested")
    await cora.tap("Invite them to")
    assert "on its way to 1 person" in cora.callback_answer()["text"]
    await bed.services.sender.drain()
    assert "Join the group" in ann.buttons() and "Join the group" not in bob.buttons()
    url = next(b["url"] for row in ann.messages[-1]["reply_markup"]["inline_keyboard"] for b in row)
    await ann.send("/start " + url.split("start=")[1])
    assert "Welcome to the group" in ann.reply_text
    rex = await bed.joined("Rex")
    await rex.press(rex.messages[-1]["message_id"], InviteInterestedButton(1, 1).pack())
    assert "can't do that" in rex.callback_answer()["text"]


async def test_targeting_query_agrees_with_the_rule(bed: TestBed):
    """The SQL in storage/opportunities.py must pick exactly who domain.targeting.matches picks."""
    import random

    from domain.targeting import Reachable, Target, matches

    rng = random.Random(11)
    services = bed.services
    topics = ["carers", "housing", "send", "libraries"]
    people: dict[int, Reachable] = {}
    for index in range(60):
        user = bed.server.add_user(f"T{index}")
        language = rng.choice(["en", "pl"])
        person = await services.participants.create_with_consent(user.id, language, "2026-11", bed.clock.now())
        chosen = frozenset(t for t in topics if rng.random() < 0.4)
        area = rng.choice([None, "Ascot", "ascot", "Crowthorne"])
        await services.participants.set_topics(person.id, sorted(chosen))
        await services.participants.update(person.id, area=area)
        registered = rng.random() < 0.9
        if registered:
            await services.participants.mark_registered(person.id, bed.clock.now())
        paused = rng.random() < 0.15
        await services.opportunities.set_paused(person.id, paused)
        reachable = rng.random() < 0.9
        if not reachable:
            await services.outbox.mark_unreachable(0, person.id, bed.clock.now())
        people[person.id] = Reachable(registered, reachable, paused, chosen, area, language)
    targets = [
        Target(),
        Target(frozenset({"carers"})),
        Target(frozenset({"send", "housing"}), "ASCOT"),
        Target(language="pl"),
        Target(frozenset({"libraries"}), "Crowthorne", "en"),
        Target(area="Nowhere"),
    ]
    for target in targets:
        expected = {pid for pid, person in people.items() if matches(target, person)}
        found = {r.participant_id for r in await services.opportunities.recipients(target)}
        assert found == expected, target
        assert await services.opportunities.count_reach(target) == len(expected)
