"""Every button staff were ever shown, pressed by people who must not use it.

Staff run the real flows (roles, a group, an opportunity, a meeting poll with attendance, a
claim in the approval queue, feedback in the inbox, an export), then every callback string from
their chats is replayed by a resident and by a coordinator who owns none of it. Each press must
change nothing in the database, leak nothing, get an answer, and privileged ones are audited."""

from __future__ import annotations

from typing import Any

from cycle.buttons import DraftThemeButton, LeadStepButton, StartCycleButton
from tests.builders import members
from tests.conftest import ADMIN_ID
from tests.test_cycle import start_cycle
from tests.test_decisions import _group
from tests.harness import Person, TestBed
from tests.test_access import fill_access
from tests.test_claims import PNG, mark_attended
from tests.test_feedback import give_feedback
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff, write_opportunity

# Tables a refused press may touch: the audit log records the refusal, and the conversation
# store is rewritten after every update even when nothing in it changed.
MAY_CHANGE = {"audit_log", "conversation_states", "user_drafts", "sqlite_sequence"}
# Kinds of button that act on someone else's item or on council data: a stranger's press of
# one of these must be refused and written to the audit log, not merely ignored.
PRIVILEGED = {"ad", "ap", "ex", "fb", "th", "ib", "mc", "ma", "mx", "mz", "mp", "ms", "mt", "ys", "op:stop",
              "op:pause", "op:proj", "pj:lead"}
# What only staff should ever see.
SECRETS = ("Annwyl", "C-2026-0001", "F-2026-0001", "The bus was late again", "A quiet seat near the exit")


async def snapshot(bed: TestBed) -> dict[str, list[tuple[Any, ...]]]:
    tables = [row[0] for row in await bed.db.fetchall(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {table: [tuple(row) for row in await bed.db.fetchall(f"SELECT * FROM {table} ORDER BY rowid")]
            for table in tables if table not in MAY_CHANGE}


def kind(data: str) -> str:
    head = data.split(":")[0]
    return f"{head}:{data.split(':')[1]}" if head in ("op", "pj") and ":" in data else head


async def staff_world(bed: TestBed) -> tuple[list[Person], Person]:
    """Ada (admin), Cora (coordinator) and Olive (officer) use every privileged screen; Annwyl is
    the resident whose claim, feedback and access needs are at stake."""
    cora = await staff(bed)
    olive = await staff(bed, "Officer", "Olive")
    ada = Person(bed.server, bed.settle, bed.server.add_user("Ada", user_id=ADMIN_ID))
    annwyl, = await group_with(bed, cora, "Annwyl")
    await fill_access(annwyl, "Hearing loop", other="A quiet seat near the exit")
    await write_opportunity(cora, topic=None)
    await create_meeting(cora)
    await bed.services.sender.drain()
    await annwyl.tap("1 ✅")
    await annwyl.tap("2 ✅")
    await annwyl.tap("Send my answers")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Confirm Thursday 3 December 2026")
    await bed.services.sender.drain()
    await mark_attended(bed, cora, "Annwyl")
    await annwyl.send("/claim")
    await annwyl.tap("Café planning")
    await annwyl.tap("Taxi")
    await annwyl.send("12.50")
    await annwyl.send_photo(PNG)
    await annwyl.tap("Review and send")
    await annwyl.tap("Skip")
    await annwyl.tap("Bank transfer")
    await annwyl.tap("Send my claim")
    await give_feedback(annwyl, "Something else", "The bus was late again", hide=False)
    await olive.send("/approvals")
    await olive.send("/inbox")
    await olive.send("/export_claims")
    await olive.send("/themes")
    await cora.send("/opportunities")
    await cora.send("/projects")
    await cora.send("/yousaidwedid")
    await ada.send("/roles")
    await ada.send("/invite")
    return [cora, olive, ada], annwyl


async def test_every_staff_button_forged_by_a_resident_or_another_coordinator_changes_nothing(bed: TestBed):
    staff_people, annwyl = await staff_world(bed)
    rita = await bed.joined("Rita")
    carl = await staff(bed, "Coordinator", "Carl")
    buttons = sorted({button["callback_data"] for person in staff_people for message in person.messages
                      for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
                      for button in row if "callback_data" in button})
    # The world above really did reach the privileged screens.
    assert {kind(data) for data in buttons} >= {"ad", "ap", "ex", "fb", "ib", "ma", "mc", "mt", "mz", "pj:lead"}

    for name, forger in (("Rita", rita), ("Carl", carl)):
        audited: set[str] = set()
        for data in buttons:
            await forger.send("/cancel")  # a press that opened the forger's own flow must not hide the next
            before = await snapshot(bed)
            refusals = await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused'")
            seen = len(forger.messages)
            await forger.press(forger.messages[-1]["message_id"], data)
            await bed.services.sender.drain()
            assert await snapshot(bed) == before, f"{name} pressing {data!r} changed the database"
            shown = " ".join(str(m) for m in forger.messages[seen:]) + str(forger.callback_answer())
            assert not [s for s in SECRETS if s in shown], f"{data!r} showed {name} staff-only data"
            assert forger.callback_answer() or forger.messages[seen:], f"{data!r} got no answer"
            if await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused'") > refusals:
                audited.add(kind(data))
        missing = {k for k in PRIVILEGED if k in {kind(d) for d in buttons}} - audited
        assert not missing, f"{name}'s presses refused without an audit line: {sorted(missing)}"


async def test_a_staff_button_forged_in_the_middle_of_a_flow_is_still_refused_and_audited(bed: TestBed):
    rita = await bed.joined("Rita")
    await rita.send("/feedback")  # now inside a conversation whose catch-all answers stray buttons
    await rita.press(rita.messages[-1]["message_id"], "ap:1:a")
    assert "can't do that" in rita.callback_answer()["text"]
    assert await bed.db.fetchval(
        "SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND subject = 'ap:1:a'") == 1


async def test_a_cycle_leads_buttons_forged_by_a_member_change_nothing_and_are_audited(bed: TestBed):
    cora, payload = await _group(bed)
    bob, = await members(bed, payload, "Bob")
    await start_cycle(cora)
    await bed.services.sender.drain()
    for data in (StartCycleButton(1).pack(), LeadStepButton(1, 1, "themes").pack(),
                 LeadStepButton(1, 1, "next").pack(), DraftThemeButton(1, 1, 1).pack()):
        before = await snapshot(bed)
        await bob.press(bob.messages[-1]["message_id"], data)
        assert "can't do that" in bob.callback_answer()["text"], data
        assert await snapshot(bed) == before, data
        assert await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND subject = ?",
                                     (data,)) == 1
