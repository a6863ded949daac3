"""/delete erases everything a person typed and every trace of their Telegram account.

A marker is typed into every free-text input the bot accepts, through the real bot; after
/delete, every column of every table in the SQLite file is scanned for the markers and the
Telegram id. New tables and columns are scanned, and must be declared, automatically.
"""

from __future__ import annotations

import re

from storage.erasure import PERSONAL
from tests.builders import answer_startup_check
from tests.conftest import ADMIN_ID
from tests.engines import leaks, text_columns
from tests.harness import Person, TestBed
from tests.test_access import fill_access
from tests.test_claims import mark_attended, officer
from tests.test_cycle import start_cycle
from tests.test_feedback import OGG, give_feedback
from tests.test_meetings import create_meeting
from tests.test_opportunities import staff, write_opportunity

ANN_ID = 987_654_321
MARK = "zqx"  # every planted marker starts with this; nothing else in the bot contains it
PLANTED = {
    f"{MARK}{name}"
    for name in (
        "name",
        "area",
        "access",
        "question",
        "reason",
        "note",
        "charity",
        "activity",
        "answer",
        "feedback",
        "service",
        "caption",
        "comment",
        "proposal",
        "meaning",
        "block",
        "success",
        "sign",
        "progress",
        "working",
        "plan",
        "update",
        "version",
    )
}


async def test_every_table_and_text_column_is_declared(bed: TestBed):
    declared = {table.name: table for table in PERSONAL}
    assert len(declared) == len(PERSONAL), "each table is declared once"
    columns = await text_columns(bed.db)
    assert sorted(set(columns) - set(declared)) == [], "add these tables to storage/erasure.py"
    assert sorted(set(declared) - set(columns)) == [], "declared tables that do not exist"
    undecided = [
        f"{table}.{column}"
        for table, names in columns.items()
        for column in names
        if not declared[table].covers(column)
    ]
    assert undecided == [], "say in storage/erasure.py whether these are erased or kept"


async def joined_group(bed: TestBed, cora: Person) -> tuple[Person, Person]:
    """Ann (who will erase herself, with words everywhere) and Bob, in Cora's group."""
    await cora.send("/newproject")
    await cora.send("Carers' café group")
    await cora.send("Runs the café.")
    await answer_startup_check(cora)
    await cora.tap("Co-produce")
    payload = cora.replies[-1]["caption"].split("start=")[1].split()[0]
    ann = await bed.joined("Ann zqxname", user_id=ANN_ID, topics=("Carers",), area="zqxarea")
    bob = await bed.joined("Bob")
    for person in (ann, bob):
        await person.send(f"/start {payload}")
    return ann, bob


async def vote_and_attend(bed: TestBed, cora: Person, ann: Person, bob: Person) -> None:
    await create_meeting(cora)
    await bed.services.sender.drain()
    await ann.tap("1 🤔")
    await ann.send("zqxreason only with carer cover")
    await ann.tap("2 ✅")
    await ann.tap("Send my answers")
    await bob.tap("1 ✅")
    await bob.tap("Send my answers")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    await ann.tap("Going")
    await mark_attended(bed, cora, "Ann zqxname")
    await bed.services.sender.drain()
    for tap in ("🙁", "🙂", "Strongly agree", "Agree", "Not sure", "Agree", "4"):
        await ann.tap(tap)
    await ann.send("zqxprogress more calls on Saturdays")


async def agree_success(bed: TestBed, cora: Person, ann: Person, bob: Person) -> None:
    """Ann proposes what success looks like; the group agrees it; she gives the baseline."""
    await ann.send("/groups")
    await ann.tap("Carers' café group")
    await ann.tap("Propose what success looks like")
    await ann.send("zqxsuccess carers get help at weekends")
    await ann.tap("Carers")
    await ann.send("zqxsign calls answered on Saturdays")
    await bed.services.sender.drain()
    for person in (ann, bob):
        await person.tap("Agree")
    await cora.send("/groups")
    await cora.tap("Carers' café group")
    await cora.tap("Open decisions")
    await cora.tap("Close it now")
    await bed.services.sender.drain()
    await cora.tap("Record the outcome")
    await cora.tap("Agreed")
    await cora.send("We agree this is what success looks like.")
    await cora.tap("No review")
    await bed.services.scheduler.run_due()
    await bed.services.sender.drain()
    await ann.tap("2")


async def claim_twice(bed: TestBed, ann: Person, olive: Person) -> None:
    """One claim approved (a record to keep), one left with a question answered (withdrawn)."""
    await ann.send("/claim")
    await ann.tap("Café planning")
    await ann.tap("Food and drink")
    await ann.send("5")
    await ann.tap("Review and send")
    await ann.send("zqxnote bought the biscuits")
    await ann.tap("Give it to a charity")
    await ann.send("zqxcharity Foodbank")
    await ann.tap("Send my claim")
    await olive.send("/approvals")
    await olive.tap("Approve")

    await ann.send("/claim")
    await ann.tap("Something else I did")
    await ann.send("zqxactivity ran the stall on 1 December")
    await ann.tap("Bus or train")
    await ann.send("4")
    await ann.tap("Review and send")
    await ann.tap("Skip")
    await ann.tap("Send my claim")
    await olive.send("/approvals")
    await olive.tap("Ask a question")
    await olive.send("Which stall was it?")
    await bed.services.sender.drain()
    await ann.tap("Reply")
    await ann.send("zqxanswer the carers' stall")
    await bed.services.sender.drain()
    assert "zqxanswer" in olive.last_text


async def feedback_everywhere(bed: TestBed, ann: Person, olive: Person, cora: Person) -> None:
    await give_feedback(ann, "Something else", "zqxfeedback more benches", hide=False)
    await give_feedback(ann, "A council service", OGG, hide=True, service="zqxservice bins")
    await give_feedback(ann, "Something else", "zqxcaption a broken bench", hide=False, photo=True)
    await olive.send("/inbox")
    first = next(m for m in olive.replies if "F-2026-0001" in m.get("text", ""))
    await olive.press(first["message_id"], "fb:1:t")
    await olive.tap("A new theme")
    await olive.send("We need more places to sit")
    await olive.send("/themes")
    await olive.tap("We did it")
    await olive.send("Six new benches went in.")
    await olive.tap("Send it")
    await bed.services.sender.drain()
    await ann.tap("Yes")
    await ann.send("zqxcomment much better now")
    await cora.send("/yousaidwedid")
    await cora.tap("Send this to a group")
    await cora.tap("Carers' café group")


async def decide_everything(bed: TestBed, cora: Person, ann: Person, bob: Person) -> None:
    """Ann proposes, with a Welsh version, blocks Bob's proposal with a reason, and stands in a
    co-lead election."""
    for person, title, body in (
        (ann, "zqxproposal a quiet hour", "zqxmeaning no music 2 to 3"),
        (bob, "Open later", "Until 8pm on Fridays."),
    ):
        await person.send("/propose")
        await person.send(title)
        await person.send(body)
        await person.tap("In 3 days")
        await person.tap("No minimum")
        if person is ann:
            await ann.tap("Add a version in another language")
            await ann.tap("Cymraeg")
            await ann.send("zqxversion awr dawel")
            await ann.tap("Same as the original")
        await person.tap("Send it")
    await bed.services.sender.drain()
    await ann.tap("Block")
    await ann.send("zqxblock too late for the bus home")
    for person in (ann, bob):
        await person.send("/groups")
        await person.tap("Carers' café group")
        await person.tap("Stand as co-lead")
    await cora.send("/groups")
    await cora.tap("Carers' café group")
    await cora.tap("Elect a co-lead")
    await bed.services.sender.drain()


async def cycle_everything(bed: TestBed, cora: Person, ann: Person) -> None:
    """Ann answers a Working Together for Change cycle, proposes an action, owns another and
    posts an update on it; the report quotes all of it."""
    await start_cycle(cora, "Carers' café group")
    await bed.services.sender.drain()
    await ann.tap("Give my answers")
    for answer in ("zqxworking the tea", "Too far", "More seats"):
        await ann.send(answer)
    await cora.send("/cycle")
    await cora.tap("Draft the themes")
    await cora.send("Seats: I need somewhere to sit")
    while "Which theme" in cora.last_text:
        await cora.tap("🧩 Seats")
    await cora.tap("Send the themes")
    await cora.send("/cycle")
    await cora.tap("Ask about causes")
    await cora.send("Few seats\nFar away")
    await cora.send("/cycle")
    await cora.tap("Write what success looks like")
    await cora.tap("Carers")
    await cora.send("Enough seats")
    await cora.tap("Skip »")
    await cora.tap("Next »")
    await cora.send("Ten seats now")
    await cora.tap("Start planning")
    await bed.services.sender.drain()
    await ann.tap("Propose an action")
    await ann.send("zqxplan a coffee rota")
    await cora.send("/cycle")
    await cora.tap("Add an action")
    await cora.send("More seats for all")
    await cora.tap("🧩 Seats")
    await cora.tap("Ann zqxname")
    await cora.send("15/1")
    await cora.tap("Start the actions")
    await bed.services.sender.drain()
    await ann.tap("More seats for all")
    await ann.send("zqxupdate they came")
    await cora.send("/cycle")
    await cora.tap("Send the review report")
    await bed.services.sender.drain()


async def test_delete_leaves_no_word_or_account_id_of_theirs_anywhere(bed: TestBed):
    cora = await staff(bed)
    olive = await officer(bed)
    ann, bob = await joined_group(bed, cora)
    await fill_access(ann, "Step-free", other="zqxaccess I need a quiet room")
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ann.tap("Tell me more")
    await ann.tap("Ask a question")
    await ann.send("zqxquestion is there parking?")
    await agree_success(bed, cora, ann, bob)
    await vote_and_attend(bed, cora, ann, bob)
    await claim_twice(bed, ann, olive)
    await feedback_everywhere(bed, ann, olive, cora)
    await bed.services.sender.drain()
    assert "zqxfeedback" in bob.last_text, "Bob's digest quotes Ann's words"
    await decide_everything(bed, cora, ann, bob)
    await cycle_everything(bed, cora, ann)

    stored = await leaks(bed.db, (MARK,))
    assert set(re.findall(r"zqx[a-z]+", " ".join(stored))) == PLANTED, "every input reached the database"
    assert await leaks(bed.db, (str(ANN_ID),)), "and so did her Telegram id"

    await ann.send("/delete")
    await ann.tap("Yes, delete my data")
    assert "erased" in ann.reply_text
    # Only the charity an approved payment goes to stays, with the claim: finance must pay it.
    assert await leaks(bed.db, (MARK, str(ANN_ID))) == ["claims.donate_to = 'zqxcharity Foodbank'"]

    # Records the council must keep stay, and add up, pointing at nobody.
    claims = await bed.db.fetchall(
        "SELECT c.status, i.amount_pence, p.erased_at FROM claims c"
        " JOIN claim_items i ON i.claim_id = c.id JOIN participants p"
        " ON p.id = c.participant_id ORDER BY c.id"
    )
    assert [(row["status"], row["amount_pence"]) for row in claims] == [("approved", 500), ("rejected", 400)]
    assert all(row["erased_at"] for row in claims)
    assert await bed.db.fetchval("SELECT COUNT(*) FROM feedback") == 3
    assert await bed.db.fetchval("SELECT COUNT(*) FROM decision_answers WHERE answer = 'block'") == 1, (
        "her block still counts, without its reason"
    )
    assert (
        await bed.db.fetchval(
            "SELECT COUNT(*) FROM feedback WHERE voice_file_id IS NOT NULL OR photo_file_id IS NOT NULL"
        )
        == 0
    ), "their voice and photo go too"


async def test_staff_accounts_leave_no_trace_either(bed: TestBed):
    """A coordinator who sent a broadcast, and one whose role an admin removed, erase themselves."""
    ada = await bed.joined("Ada", user_id=ADMIN_ID)
    staff_ids = {"Cora": 876_123_450, "Dan": 876_123_451}
    people = {}
    for name, user_id in staff_ids.items():
        await ada.send("/invite")
        await ada.tap("Coordinator")
        payload = next(line for line in ada.reply_text.splitlines() if "start=" in line).split("start=")[1]
        people[name] = await bed.joined(name, user_id=user_id)
        await people[name].send(f"/start {payload}")
    cora, dan = people["Cora"], people["Dan"]
    await bed.joined("Ann", topics=("Carers",))
    await write_opportunity(cora)
    await bed.services.sender.drain()
    await ada.send("/roles")
    await ada.tap("Remove role from Dan")

    needles = tuple(str(user_id) for user_id in staff_ids.values())
    stored = {line.split(".")[0] for line in await leaks(bed.db, needles)}
    assert {"participants", "roles", "invite_codes", "outbox_batches", "audit_log"} <= stored
    for person in (cora, dan):
        await person.send("/delete")
        await person.tap("Yes, delete my data")
    assert await leaks(bed.db, needles) == []
    assert await bed.db.fetchval("SELECT COUNT(*) FROM opportunities") == 1, "what they published stays"
