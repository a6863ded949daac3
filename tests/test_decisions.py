"""Deciding together, end to end: a resident proposes, members in three languages answer (one
blocks with a spoken reason), it closes by itself on the clock, a co-lead records the
outcome, everyone hears it in their language, and the decision log and its CSV show it.
Votes (dots, ranked choice, an election) and the permissions of every decision button."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import struct
from dataclasses import fields
from datetime import timedelta

from bot.callbacks import REGISTRY, GroupRight
from decide import work
from decide.buttons import AnswerButton, CloseNowButton, LeadActionButton, OpenPageButton, OutcomeButton
from decide.charts import bar_chart
from emulator.driver import Person
from handlers.groups.charter import STEPS as CHARTER_STEPS
from handlers.groups.charter import CharterDraft
from tests.builders import members, new_group, plausible
from tests.harness import TestBed
from tests.test_feedback import OGG
from tests.test_languages import in_, join_in
from tests.test_opportunities import staff
from tests.test_typed_drafts import _store_then_restart


async def _group(bed: TestBed) -> tuple[Person, str]:
    cora = await staff(bed)
    payload = await new_group(cora, "Library friends", "We shape the library together.", "Co-produce")
    return cora, payload


async def _card(person: Person, bed: TestBed) -> dict:
    await bed.services.sender.drain()
    return next(
        m for m in reversed(person.messages) if "Library friends" in (m.get("text") or "") and m.get("reply_markup")
    )


async def _appoint(cora: Person, name: str) -> None:
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Appoint a co-lead")
    await cora.tap(name)


async def _propose(bob: Person, title: str = "Open on Sunday mornings") -> None:
    await bob.send("/propose")
    await bob.send(title)
    await bob.send("The library would open 10 to 1 on Sundays, instead of late on Thursdays.")
    await bob.tap("In 3 days")
    await bob.tap("Half of members")
    assert "This is what members will see" in bob.reply_text
    await bob.tap("Send it")


async def test_a_proposal_from_a_resident_to_its_outcome(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob = await members(bed, payload, "Ann", "Bob")
    ola = (await members(bed, payload, "Ola", language="pl"))[0]
    oksana, _ = await join_in(bed, "uk", "Oksana")
    await oksana.send(f"/start {payload}")
    await _appoint(cora, "Ann")
    await bed.services.sender.drain()
    assert "co-lead" in ann.last_text

    await _propose(bob)
    for person in (ann, bob, ola, oksana):
        card = await _card(person, bed)
        assert "Open on Sunday mornings" in card["text"]
    await ann.tap("Agree")
    assert "Agree 1" in ann.last_text and "1 of 4 members answered" in ann.last_text
    await ola.tap(in_("pl", "Disagree"))
    await ola.send("Za mało godzin w tygodniu.")
    await oksana.tap(in_("uk", "Block"))
    await oksana.send_voice(OGG)
    assert (
        in_("uk", "Thank you. Your answer is noted: {answer}, with your reason.").split("{answer}")[0]
        in oksana.reply_text
    )
    await ann.tap("Abstain")  # a changed answer replaces the first
    assert "Abstain 1" in ann.last_text and "Agree 0" in ann.last_text

    # Members see reasons without names; the co-lead sees names and can hear the spoken reason.
    await bob.send("/groups")
    await bob.tap("Library friends")
    await bob.tap("Open decisions")
    assert "Za mało godzin" in bob.last_text and "— Ola" not in bob.last_text
    await ann.send("/groups")
    await ann.tap("Library friends")
    await ann.tap("Open decisions")
    assert "Za mało godzin w tygodniu. — Ola" in ann.last_text
    await ann.tap("Oksana's reason")
    assert ann.replies[-1].get("voice")

    # One reminder goes to those who have not answered (Bob), a day before it closes.
    bed.clock.advance(timedelta(days=2, hours=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert "closes soon" in bob.last_text
    assert not any("closes soon" in (m.get("text") or "") for m in ann.messages)

    # It closes by itself; a late answer does not count.
    bed.clock.advance(timedelta(days=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert "Closed" in bob.last_text and "3 of 4 members answered" in bob.last_text
    assert "Enough members answered" in bob.last_text
    assert "Someone blocked it" in ann.reply_text or any(
        "Someone blocked it" in (m.get("text") or "") for m in ann.messages
    )
    await bob.press(
        next(m for m in reversed(bob.messages) if m.get("reply_markup"))["message_id"], AnswerButton(1, "agree").pack()
    )
    assert "has closed" in bob.callback_answer()["text"]

    # The co-lead records the outcome, and must answer the block.
    await ann.tap("Record the outcome")
    await ann.tap("Agreed with changes")
    await ann.send("We will try Sunday mornings for three months, and keep one late evening.")
    assert "Someone blocked this" in ann.reply_text
    await ann.send("We heard that Thursday evenings matter to working carers, so one stays.")
    await ann.tap("In 3 months")
    assert "Saved. We are telling every member" in ann.reply_text
    await bed.services.sender.drain()
    assert "Agreed with changes" in bob.last_text and "keep one late evening" in bob.last_text
    assert "Our answer to the block" in bob.last_text
    assert in_("pl", "Agreed with changes") in ola.last_text
    assert in_("uk", "Agreed with changes") in oksana.last_text
    assert in_("uk", "Our answer to the block: {text}").split("{text}")[0] in oksana.last_text

    # What Ola gave is in her own data.
    await ola.send("/mydata")
    exported = json.loads(bed.server.file_bytes(ola.replies[-1]["document"]["file_id"]))
    assert exported["decisions"][0]["words"] == "disagree: Za mało godzin w tygodniu."

    # A second recording changes nothing.
    await ann.tap("Record the outcome")
    assert "already recorded" in ann.reply_text

    # The log and its CSV.
    await bob.send("/decisions")
    assert "Open on Sunday mornings" in bob.reply_text and "Agreed with changes" in bob.reply_text
    await bob.tap("Download as a spreadsheet")
    rows = list(
        csv.DictReader(io.StringIO(bed.server.file_bytes(bob.replies[-1]["document"]["file_id"]).decode("utf-8-sig")))
    )
    assert rows[0]["title"] == "Open on Sunday mornings" and rows[0]["outcome"] == "changed"
    assert (rows[0]["agree"], rows[0]["abstain"], rows[0]["disagree"], rows[0]["block"]) == ("0", "1", "1", "1")
    assert rows[0]["quorum_met"] == "yes" and rows[0]["review_on"]

    # The review date prompts the leads.
    bed.clock.advance(timedelta(days=92))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert "Time to look again" in ann.last_text and "Time to look again" in cora.last_text


async def closed_below_quorum(bed: TestBed) -> tuple[Person, Person]:
    """Bob proposes to a group of three; only he answers, and it closes: Cora, the lead, and Bob."""
    cora, payload = await _group(bed)
    bob, _ann, _cy = await members(bed, payload, "Bob", "Ann", "Cy")
    await _propose(bob)
    await _card(bob, bed)
    await bob.tap("Agree")
    bed.clock.advance(timedelta(days=3, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    return cora, bob


async def test_below_quorum_the_outcome_says_so(bed: TestBed):
    cora, bob = await closed_below_quorum(bed)
    assert "Not enough members answered" in bob.last_text
    assert "✍️ Record the outcome" in cora.buttons()
    await cora.tap("Record the outcome")
    await cora.tap("Not agreed")
    await cora.send("Too few of us answered. We will ask again at the next meeting.")
    await cora.tap("No review")
    await bed.services.sender.drain()
    assert "Not agreed" in bob.last_text and "Not enough members answered" in bob.last_text


async def test_a_crash_mid_close_tells_nobody_twice_and_nobody_never(bed: TestBed):
    cora, payload = await _group(bed)
    bob, ann = await members(bed, payload, "Bob", "Ann")
    await _propose(bob)
    await bed.services.sender.drain()
    bed.clock.advance(timedelta(days=3, minutes=1))
    # The close runs twice, as after a crash between its commit and the job being marked done
    # (in its own task, as the scheduler runs it).
    assert await asyncio.create_task(work.close(bed.services, 1))
    await bed.services.sender.drain()
    await bed.restart()
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    for person in (bob, ann):
        assert sum("Closed" in (m.get("text") or "") for m in person.messages) == 1
    assert sum("Record the outcome" in str(m.get("reply_markup")) for m in cora.messages) == 1


async def test_a_dot_vote_with_a_chart(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await cora.send("/vote")
    await cora.tap("Dot vote")
    await cora.send("What should we work on first?")
    await cora.send("Longer opening hours\nA quiet room\nMore events for children")
    await cora.tap("5")
    await cora.tap("In a week")
    await cora.tap("Send it")
    await _card(ann, bed)
    for label in ("➕ 2", "➕ 2", "➕ 2", "➕ 1", "➕ 1"):
        await ann.tap(label)
    await ann.tap("➕ 3")
    assert "used all your dots" in ann.callback_answer()["text"]
    await ann.tap("➖ 2")
    await ann.tap("➕ 3")
    await ann.tap("Send my answers")
    assert "Your answers are sent" in ann.last_text
    await _card(bob, bed)
    for label in ("➕ 1", "➕ 1", "➕ 1"):
        await bob.tap(label)
    await bob.tap("Send my answers")
    bed.clock.advance(timedelta(weeks=1, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    result = ann.messages[-1]
    # Option 1: 2 + 3 = 5 dots; option 2: 2; option 3: 1.
    assert "Longer opening hours: 5 dots" in result["caption"] and "Chosen: Longer opening hours" in result["caption"]
    png = bed.server.file_bytes(result["photo"][-1]["file_id"])
    assert png.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1080 and height > 300


async def test_a_closing_date_typed_outside_the_next_90_days_is_asked_for_again(bed: TestBed):
    cora, _payload = await _group(bed)
    await cora.send("/vote")
    await cora.tap("Dot vote")
    await cora.send("What should we work on first?")
    await cora.send("Longer opening hours\nA quiet room")
    await cora.tap("5")
    refusal = "Please type a date in the next 90 days, like 15/12, or tap a button."
    for typed in ("soon", "01/01/2030"):
        await cora.send(typed)
        assert cora.reply_text == refusal
    await cora.tap("In a week")  # the buttons still stand under the question
    assert "Send it" in " ".join(cora.buttons())


def test_the_chart_draws_every_option_biggest_first_and_mirrors_for_right_to_left():
    chart = bar_chart("Which first?", ["A quiet room", "Longer opening hours", "More seats"], [3, 7, 0])
    assert chart.labels == ["Longer opening hours", "A quiet room", "More seats"] and chart.values == [7, 3, 0]
    assert chart.png.startswith(b"\x89PNG") and struct.unpack(">II", chart.png[16:24]) == (1080, chart.height)
    urdu = bar_chart("پہلے کیا؟", ["خاموش کمرہ", "زیادہ دیر"], [2, 4], rtl=True)
    assert urdu.values == [4, 2] and urdu.labels[0] != "زیادہ دیر", "shaped and reordered for display"
    assert urdu.png.startswith(b"\x89PNG")


async def test_a_ranked_choice_counts_by_run_off(bed: TestBed):
    cora, payload = await _group(bed)
    voters = await members(bed, payload, "Ann", "Bob", "Cy", "Di", "Ed")
    await cora.send("/vote")
    await cora.tap("Ranked choice")
    await cora.send("Where should we meet?")
    await cora.send("Library\nCommunity centre\nOnline")
    await cora.tap("In 3 days")
    await cora.tap("Send it")
    orders = [("1.", "2.", "3."), ("1.", "2.", "3."), ("2.", "1.", "3."), ("3.", "2.", "1."), ("3.", "2.", "1.")]
    for person, order in zip(voters, orders, strict=True):
        await _card(person, bed)
        for label in order:
            await person.tap(label)
        await person.tap("Send my answers")
    bed.clock.advance(timedelta(days=3, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    # First choices: Library 2, Centre 1, Online 2: Centre drops out and its vote goes to Library.
    assert "Chosen: Library" in voters[0].messages[-1]["caption"]


async def test_members_elect_a_co_lead(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob, cy = await members(bed, payload, "Ann", "Bob", "Cy")
    for person in (ann, bob):
        await person.send("/groups")
        await person.tap("Library friends")
        await person.tap("Stand as co-lead")
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Elect a co-lead")
    assert "open for a week" in cora.reply_text
    for person, choice in ((ann, "Ann"), (bob, "Ann"), (cy, "Bob")):
        await _card(person, bed)
        await person.tap(choice)
        await person.tap("Send my answers")
    bed.clock.advance(timedelta(weeks=1, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    assert "Ann is the group's new co-lead" in cy.messages[-1]["caption"]
    project = await bed.services.projects.by_id(1)
    assert await bed.services.projects.coleads(project.id) == [
        ann_id := (await bed.services.participants.by_telegram_id(ann.id)).id
    ]
    assert ann_id
    # A co-lead can post an update to the group.
    await ann.send("/groups")
    await ann.tap("Library friends")
    await ann.tap("Post an update")
    await ann.send("Thank you for choosing me. I will ask everyone about the next café day.")
    assert "Sent to 2 members" in ann.reply_text
    await bed.services.sender.drain()
    assert "I will ask everyone" in bob.last_text and "Ann · Library friends" in bob.last_text

    # A co-lead plans a meeting for the group and sees its results; a plain member cannot.
    await ann.send("/groups")
    await ann.tap("Library friends")
    await ann.tap("Plan a meeting")
    await ann.send("Café planning")
    for step in (
        "Choose the day.",
        "Co-design",
        "In person",
        "Library, Room 2",
        "Step-free",
        "Done",
        "1 hour",
        "3/12 18:30\n5/12 10:00",
        "Done",
        "In 2 days",
        "Members of",
        "Done ✔",
        "Only me",
        "Send the poll",
    ):
        await (
            ann.send(step)
            if step in ("Choose the day.", "Library, Room 2", "3/12 18:30\n5/12 10:00")
            else ann.tap(step)
        )
    await bed.services.sender.drain()
    await bob.tap("1 ✅")
    await bob.tap("Send my answers")
    await ann.send("/meetings")
    await ann.tap("📊")
    assert "Café planning" in ann.reply_text and "1" in ann.reply_text
    await cy.send("/meeting")
    assert "can't do that" in cy.reply_text

    # A co-lead can start a vote; a plain member cannot.
    await ann.send("/vote")
    assert "What kind of vote" in ann.reply_text
    await ann.send("/cancel")
    await cy.send("/vote")
    assert "Only a group's leads and co-leads" in cy.reply_text


async def test_a_charter_agreed_by_members_then_new_members_agree_before_taking_part(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Write the charter")
    await cora.send("To make the library work for carers and families.")
    await cora.send("Opening hours, events and how the rooms are used.")
    await cora.send("The building and the budget: the council has set them for this year.")
    await cora.tap("By consent")
    await cora.tap("Half of members")
    await cora.tap("Any member")
    await cora.tap("Yes")
    await cora.send("Once a month, in the library, 6pm.")
    await cora.send("Travel and carer cover, and £20 an hour for your time.")
    await cora.send("We listen, take turns and keep what people share private.")
    await cora.send("We meet to make the library better. We decide together.")
    await cora.tap("Send to members")
    card = await _card(ann, bed)
    assert "Once a month" in card["text"]
    await ann.tap("Agree")
    await bob.tap("Agree")
    bed.clock.advance(timedelta(weeks=1, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    await cora.tap("Record the outcome")
    await cora.tap("Agreed")
    await cora.send("This is now our charter.")
    await cora.tap("No review")
    charter = await bed.services.charters.agreed(1)
    assert charter is not None and charter.anonymous_allowed

    # A new member reads it and must agree before answering.
    dee = (await members(bed, payload, "Dee"))[0]
    assert "How we decide" in dee.reply_text and "✅ I agree" in dee.buttons()
    await _propose(bob, "Add a quiet hour")
    card = await _card(dee, bed)
    await dee.press(card["message_id"], AnswerButton(2, "agree").pack())
    assert "agree to the group's charter first" in dee.callback_answer()["text"]
    await dee.tap("I agree")
    await dee.press(card["message_id"], AnswerButton(2, "agree").pack())
    assert "Noted" in dee.callback_answer()["text"]
    # The charter lets members hide their name from leads.
    await dee.tap("Hide my name from leads")
    assert (
        await bed.services.decisions.my_answer(2, (await bed.services.participants.by_telegram_id(dee.id)).id)
    ).anonymous


async def test_open_decisions_come_a_page_at_a_time_within_one_chats_burst(bed: TestBed):
    """Each open decision is its own card with its own buttons: five come as three, then two."""
    cora, payload = await _group(bed)
    (bob,) = await members(bed, payload, "Bob")
    outsider = await bed.joined("Otto")
    for number in range(1, 6):
        await _propose(bob, f"Idea number {number}")
    await bed.services.sender.drain()
    await bob.send("/groups")
    await bob.tap("Library friends")

    first_call = len(bed.server.calls)
    await bob.tap("Open decisions")
    cards = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(cards) == 3, "one page: no more at once than one chat may get"
    assert ["Idea number 5" in cards[0], "Idea number 3" in cards[2]] == [True, True]  # newest first
    assert {"Show 2 more", "👍 Agree"} <= set(bob.buttons())  # under the last card, below its answers
    assert not any(c.status == 429 for c in bed.server.calls)

    first_call = len(bed.server.calls)
    await bob.tap("Show 2 more")
    cards = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert ["Idea number 2" in cards[0], "Idea number 1" in cards[1], len(cards)] == [True, True, 2]
    assert not any("more" in label for label in bob.buttons())

    # Days later, four have closed; the old "Show 2 more" begins again from what is still open.
    await bed.db.execute("UPDATE decisions SET status = 'closed' WHERE title <> 'Idea number 1'")
    first_call = len(bed.server.calls)
    await bob.tap("Show 2 more")
    cards = [c.params["text"] for c in bed.server.calls[first_call:] if c.method == "sendMessage"]
    assert len(cards) == 1 and "Idea number 1" in cards[0]

    await outsider.press(bob.replies[-1]["message_id"], OpenPageButton(1, 3).pack())  # not in the group
    assert "can't do that" in outsider.callback_answer()["text"]


async def test_decision_buttons_refuse_outsiders_and_members_who_are_not_leads(bed: TestBed):
    cora, payload = await _group(bed)
    bob, ann = await members(bed, payload, "Bob", "Ann")
    outsider = await bed.joined("Otto")
    await _propose(bob)
    card = await _card(ann, bed)
    before = await bed.db.fetchval("SELECT COUNT(*) FROM decision_answers")
    await outsider.press(card["message_id"], AnswerButton(1, "agree").pack())
    assert "can't do that" in outsider.callback_answer()["text"]
    for data in (OutcomeButton(1).pack(), CloseNowButton(1).pack(), LeadActionButton(1, "appoint").pack()):
        await ann.press(card["message_id"], data)
        assert "can't do that" in ann.callback_answer()["text"], data
    assert await bed.db.fetchval("SELECT COUNT(*) FROM decision_answers") == before
    assert (await bed.services.decisions.by_id(1)).status == "open"
    audit = await bed.db.fetchall("SELECT action FROM audit_log WHERE outcome = 'refused'")
    assert {"button.dq", "button.do", "button.dx", "button.gd"} <= {row["action"] for row in audit}


async def test_every_declared_button_is_refused_to_a_resident_outside_the_group(bed: TestBed):
    """Enumerates every declared kind: none can be pressed by someone without its right."""
    cora, payload = await _group(bed)
    bob = (await members(bed, payload, "Bob"))[0]
    await _propose(bob)
    outsider = await bed.joined("Otto")
    card = await _card(bob, bed)
    for prefix, kind in REGISTRY.items():
        if kind.needs.group is None and kind.needs.roles is None:
            continue
        values = {name: plausible(hint) for name, hint in kind._fields()}  # noqa: SLF001
        data = kind(**values).pack()
        await outsider.press(card["message_id"], data)
        assert "can't do that" in outsider.callback_answer()["text"], prefix
    assert GroupRight.LEAD  # the rights exist as declared


async def test_impact_counts_decisions_made_together_and_flags_an_unearned_level(bed: TestBed):
    cora, payload = await _group(bed)
    olive = await staff(bed, "Officer", "Olive")
    bob, ann = await members(bed, payload, "Bob", "Ann")
    await olive.send("/impact")
    assert "Decisions made together: 0" in olive.reply_text and "no charter its members agreed" in olive.reply_text
    await _propose(bob)
    await _card(ann, bed)
    await ann.tap("Agree")
    await bob.tap("Agree")
    bed.clock.advance(timedelta(days=3, minutes=1))
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    await cora.tap("Record the outcome")
    await cora.tap("Agreed")
    await cora.send("We open on Sundays from January.")
    await cora.tap("No review")
    await olive.send("/impact")
    assert "Decisions made together: 1, with 100% of members taking part" in olive.reply_text
    assert "no charter its members agreed" in olive.reply_text, "still no charter"
    rows = list(
        csv.DictReader(io.StringIO(bed.server.file_bytes(olive.replies[-1]["document"]["file_id"]).decode("utf-8-sig")))
    )
    group_row = next(row for row in rows if row["scope"] == "Library friends")
    assert (group_row["decisions_made_together"], group_row["charter_agreed"], group_row["level_not_yet_earned"]) == (
        "1",
        "no",
        "yes",
    )


def test_every_charter_step_is_kept_in_its_own_field_of_the_draft():
    assert {s.name for s in CHARTER_STEPS} <= {f.name for f in fields(CharterDraft)}


async def test_a_charter_stored_before_drafts_were_typed_carries_on(bed: TestBed):
    cora, payload = await _group(bed)
    (ann,) = await members(bed, payload, "Ann")
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Write the charter")
    for answer in ("Typed after the upgrade.", "Opening hours.", "The building."):
        await cora.send(answer)
    await cora.tap("By consent")
    await cora.tap("Half of members")
    await cora.tap("Any member")
    group_id = await bed.db.fetchval("SELECT id FROM projects")
    await _store_then_restart(
        bed,
        cora,
        {
            "group": group_id,
            "key": "0a1b",
            "purpose": "To make the library work for carers.",
            "can_change": "Opening hours.",
            "cannot_change": "The building.",
            "decides_by": "majority",
            "quorum_percent": "25",
            "who_proposes": "leads",
        },
        "charter_draft",
    )
    await cora.tap("No")
    for answer in ("Once a month, in the library.", "Travel and carer cover.", "We listen and take turns."):
        await cora.send(answer)
    await cora.tap("Skip »")
    assert "To make the library work for carers." in cora.replies[-2]["text"]
    await cora.tap("Send to members")
    assert "Members can answer until" in cora.reply_text
    proposed = await bed.db.fetchone(
        "SELECT purpose, decides_by, quorum_percent, who_proposes, anonymous_allowed, easy_read FROM charters"
    )
    assert dict(proposed) == {
        "purpose": "To make the library work for carers.",
        "decides_by": "majority",
        "quorum_percent": 25,
        "who_proposes": "leads",
        "anonymous_allowed": 0,
        "easy_read": None,
    }


async def test_a_lost_charter_draft_ends_kindly(bed: TestBed):
    cora, _payload = await _group(bed)
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Write the charter")
    await cora.send("To make the library work for carers.")
    await _store_then_restart(bed, cora, None, "charter_draft")
    await cora.send("Opening hours.")
    assert "tap the button you began with again" in cora.reply_text
    await cora.send("Opening hours.")
    assert "not sure what you mean" in cora.reply_text, "the flow has ended"


async def _proposed_to_ann(bed: TestBed) -> Person:
    """Bob has proposed to the group, and Ann has its card."""
    cora, payload = await _group(bed)
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await _propose(bob)
    await _card(ann, bed)
    return ann


async def test_a_reason_begun_before_drafts_were_typed_is_kept_after_the_upgrade(bed: TestBed):
    ann = await _proposed_to_ann(bed)
    await ann.tap("Block")
    assert "Please say why" in ann.reply_text
    decision = await bed.db.fetchval("SELECT id FROM decisions")
    await _store_then_restart(
        bed, ann, {"decision": decision, "answer": "disagree", "message": None}, "decision_reason"
    )
    await ann.send("Sunday buses are too few.")
    assert "Your answer is noted: Disagree, with your reason" in ann.reply_text
    row = await bed.db.fetchone("SELECT answer, reason FROM decision_answers")
    assert dict(row) == {"answer": "disagree", "reason": "Sunday buses are too few."}


async def test_a_lost_reason_draft_ends_kindly(bed: TestBed):
    ann = await _proposed_to_ann(bed)
    await ann.tap("Disagree")
    await _store_then_restart(bed, ann, {"decision": "the Sunday one", "answer": "disagree"}, "decision_reason")
    await ann.send("Sunday buses are too few.")
    assert "tap the button you began with again" in ann.reply_text
    assert await bed.db.fetchval("SELECT COUNT(*) FROM decision_answers") == 0


async def test_a_group_update_begun_before_drafts_were_typed_is_sent_after_the_upgrade(bed: TestBed):
    cora, payload = await _group(bed)
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Post an update")
    group = await bed.db.fetchval("SELECT id FROM projects")
    await _store_then_restart(bed, cora, {"group": group, "key": "0a1b"}, "group_update")
    await cora.send("The café opens on Sunday mornings from next week.")
    assert "Sent to 2 members" in cora.reply_text
    await bed.services.sender.drain()
    assert "The café opens on Sunday mornings" in bob.last_text
