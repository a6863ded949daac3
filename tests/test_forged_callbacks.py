"""Every button staff were ever shown, pressed by people who must not use it.

Staff run the real flows (roles, a group, an opportunity, a meeting poll with attendance, a
claim in the approval queue, feedback in the inbox, an export), then every callback string from
their chats is replayed by a resident and by a coordinator who owns none of it. Each press must
change nothing in the database, leak nothing, get an answer, and privileged ones are audited."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from bot.callbacks import REGISTRY, GroupRight
from cycle.buttons import DraftThemeButton, LeadStepButton, StartCycleButton
from decide.buttons import LeadActionButton
from decide.closing_buttons import ConfirmCloseButton, FeltButton
from domain.roles import Role
from handlers.buttons.papers_pay_buttons import AgreeTimeButton
from tests.builders import members, plausible
from tests.conftest import ADMIN_ID
from tests.engines import snapshot as engine_snapshot
from tests.harness import Person, TestBed
from tests.test_access import fill_access
from tests.test_assisted import add_person
from tests.test_claims import PNG, mark_attended
from tests.test_cycle import start_cycle
from tests.test_decisions import _group
from tests.test_feedback import give_feedback
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff, write_opportunity

# Tables a refused press may touch: the audit log records the refusal, and the conversation
# store is rewritten after every update even when nothing in it changed.
MAY_CHANGE = frozenset({"audit_log", "conversation_states", "user_drafts"})
# Kinds of button that act on someone else's item or on council data: a stranger's press of
# one of these must be refused and written to the audit log, not merely ignored.
PRIVILEGED = {
    "ai",
    "ar",
    "aj",
    "ap",
    "am",
    "pa",
    "ex",
    "fb",
    "ft",
    "th",
    "ib",
    "mc",
    "ma",
    "mx",
    "mz",
    "mp",
    "ms",
    "mt",
    "ys",
    "os",
    "ol",
    "oj",
    "op:pause",
    "pl",
    "pq",
    "sl",
    "st",
    "sn",
    "uw",
    "uo",
    "qf",
    "qs",
    "qc",
}
# What only staff should ever see.
SECRETS = ("Annwyl", "C-2026-0001", "F-2026-0001", "The bus was late again", "A quiet seat near the exit")


async def snapshot(bed: TestBed) -> dict[str, list[tuple[Any, ...]]]:
    return await engine_snapshot(bed.db, skip=MAY_CHANGE)


def kind(data: str) -> str:
    head = data.split(":")[0]
    return f"{head}:{data.split(':')[1]}" if head in ("op", "pj") and ":" in data else head


async def staff_world(bed: TestBed) -> tuple[list[Person], Person]:
    """Ada (admin), Cora (coordinator) and Olive (officer) use every privileged screen; Annwyl is
    the resident whose claim, feedback and access needs are at stake."""
    cora = await staff(bed)
    olive = await staff(bed, "Officer", "Olive")
    ada = Person(bed.server, bed.settle, bed.server.add_user("Ada", user_id=ADMIN_ID))
    (annwyl,) = await group_with(bed, cora, "Annwyl")
    await fill_access(annwyl, "Hearing loop", other="A quiet seat near the exit")
    await annwyl.tap("Yes, share my name")  # so the support list names her and has a task to tick
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
    await annwyl.tap("Tell me more")
    await annwyl.tap("Ask a question")
    await annwyl.send("Annwyl asks: is there parking?")
    await bed.services.sender.drain()
    await olive.send("/approvals")
    await olive.send("/inbox")
    await olive.send("/export_claims")
    await olive.send("/themes")
    await olive.send("/impact")
    await olive.tap("'We' answers")
    await cora.send("/opportunities")
    await cora.send("/projects")
    await cora.send("/yousaidwedid")
    await cora.send("/groups")
    await cora.tap("Carers' café group")
    await cora.tap("Our 'We' answers")
    await ada.send("/roles")
    await ada.send("/invite")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("Support list")
    await cora.tap("Arrange a hearing loop for Annwyl")
    await cora.send("In room 2")  # a typed note leaves the question's Skip button on screen
    return [cora, olive, ada], annwyl


async def test_every_staff_button_forged_by_a_resident_or_another_coordinator_changes_nothing(bed: TestBed):
    staff_people, annwyl = await staff_world(bed)
    rita = await bed.joined("Rita")
    carl = await staff(bed, "Coordinator", "Carl")
    buttons = sorted(
        {
            button["callback_data"]
            for person in staff_people
            for message in person.messages
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
            if "callback_data" in button
        }
    )
    # The world above really did reach the privileged screens.
    assert {kind(data) for data in buttons} >= {
        "ai",
        "ar",
        "ap",
        "ex",
        "fb",
        "ib",
        "ma",
        "mc",
        "mt",
        "mz",
        "pl",
        "sl",
        "st",
        "sn",
        "uw",
        "uo",
        "us",
        "qf",
        "qs",
        "qc",
    }

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
    assert await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND subject = 'ap:1:a'") == 1


def forged_assisted_buttons(person: int, now: int) -> list[str]:
    """One press of every declared assisted-entry kind (prefixes starting with "w"), aimed at
    `person`, with a fresh erase confirmation: the most harm a forger could hope for."""
    presses = []
    for prefix, kind in sorted(REGISTRY.items()):
        if not prefix.startswith("w"):
            continue
        hints = typing.get_type_hints(kind)
        values = {
            field.name: (person if field.name == "person" else now if field.name == "stamp" else 1)
            if hints[field.name] is int
            else "y"
            for field in dataclasses.fields(kind)
        }  # type: ignore[arg-type]
        presses.append(kind(**values).pack())
    return presses


async def test_assisted_entry_buttons_forged_by_a_resident_are_refused_and_audited(bed: TestBed):
    cora = await staff(bed)
    await add_person(cora, group=None)
    rita = await bed.joined("Rita")
    person = await bed.db.fetchval("SELECT id FROM participants WHERE takes_part IS NOT NULL")
    presses = forged_assisted_buttons(person, int(bed.clock.now().timestamp()))
    assert {data[:2] for data in presses} >= {
        "wc",
        "wn",
        "wp",
        "wm",
        "wv",
        "ws",
        "wr",
        "wk",
        "wf",
        "wq",
        "wl",
        "wd",
        "wx",
        "we",
    }
    before = await snapshot(bed)
    for data in presses:
        await rita.press(rita.messages[-1]["message_id"], data)
        assert "can't do that" in rita.callback_answer()["text"], data
        assert (
            await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND subject = ?", (data,))
            == 1
        ), data
    assert await snapshot(bed) == before, "a forged press changed what is held about them"


async def test_papers_pay_and_agreed_time_buttons_forged_by_others_change_nothing_and_are_audited(bed: TestBed):
    """Cora's papers screen, both pay settings screens and an ask for other time: every button on
    them, pressed by a resident or by a coordinator who organises none of it, is refused and audited."""
    cora = await staff(bed)
    (annwyl,) = await group_with(bed, cora, "Annwyl")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await cora.send("/groups")
    await cora.tap("Carers' café group")
    await cora.tap("What is paid")
    await cora.send("/meetings")
    await cora.tap("📊")
    await cora.tap("What is paid")
    await cora.tap("Papers")
    await annwyl.send("/claim")
    await annwyl.tap("Ask to be paid for time on something else")
    await annwyl.tap("Café planning")
    await annwyl.send("I read the papers with my group")
    await annwyl.tap("2")
    await bed.services.sender.drain()
    buttons = sorted(
        {
            button["callback_data"]
            for message in cora.messages
            for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
            if button.get("callback_data", "").startswith("k")
        }
    )
    assert {kind(data) for data in buttons} == {"kp", "ka", "km", "kg", "kt"}

    rita = await bed.joined("Rita")
    carl = await staff(bed, "Coordinator", "Carl")
    for name, forger in (("Rita", rita), ("Carl", carl)):
        for data in buttons:
            before = await snapshot(bed)
            refusals = await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused'")
            await forger.press(forger.messages[-1]["message_id"], data)
            await bed.services.sender.drain()
            assert await snapshot(bed) == before, f"{name} pressing {data!r} changed the database"
            assert "can't do that" in forger.callback_answer()["text"], data
            assert await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused'") == refusals + 1
    # An organiser of another meeting can pass the gate with their own meeting in the button, but
    # not answer an ask about Cora's meeting.
    await group_with(bed, carl, "Zed")
    await create_meeting(carl)
    carl_id = (await bed.services.participants.by_telegram_id(carl.id)).id
    carls_meeting = (await bed.services.meetings.created_by(carl_id))[0].id
    ask_id = await bed.db.fetchval("SELECT id FROM time_asks")
    await carl.press(carl.messages[-1]["message_id"], AgreeTimeButton(carls_meeting, ask_id, 1).pack())
    assert "can't do that" in carl.callback_answer()["text"]
    assert await bed.db.fetchval("SELECT status FROM time_asks") == "asked"
    assert await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE action = 'pay.time_ask' AND outcome = 'refused'")


async def test_a_cycle_leads_buttons_forged_by_a_member_change_nothing_and_are_audited(bed: TestBed):
    cora, payload = await _group(bed)
    (bob,) = await members(bed, payload, "Bob")
    await start_cycle(cora)
    await bed.services.sender.drain()
    for data in (
        StartCycleButton(1).pack(),
        LeadStepButton(1, 1, "themes").pack(),
        LeadStepButton(1, 1, "next").pack(),
        LeadStepButton(1, 1, "measure").pack(),
        DraftThemeButton(1, 1, 1).pack(),
    ):
        before = await snapshot(bed)
        await bob.press(bob.messages[-1]["message_id"], data)
        assert "can't do that" in bob.callback_answer()["text"], data
        assert await snapshot(bed) == before, data
        assert (
            await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND subject = ?", (data,))
            == 1
        )


def forged_staff_buttons(meeting: int) -> list[str]:
    """One press of every declared kind that needs a staff role or organising the meeting, built
    from its declaration alone (see `plausible`; the meeting field names a real meeting)."""
    presses = []
    for _prefix, kind in sorted(REGISTRY.items()):
        needs = kind.needs
        if not ((needs.roles is not None and Role.RESIDENT not in needs.roles) or needs.group is GroupRight.ORGANISER):
            continue
        hints = typing.get_type_hints(kind)
        values = {
            field.name: meeting if field.name == needs.via else plausible(hints[field.name])
            for field in dataclasses.fields(kind)
        }  # type: ignore[arg-type]
        presses.append(kind(**values).pack())
    return presses


async def test_every_declared_staff_button_forged_by_a_resident_is_refused_audited_and_changes_nothing(bed: TestBed):
    cora = await staff(bed)
    (annwyl,) = await group_with(bed, cora, "Annwyl")
    await create_meeting(cora)
    await give_feedback(annwyl, "Something else", "The bus was late again", hide=False)
    await bed.services.sender.drain()
    meeting = (await bed.services.meetings.created_by((await bed.services.participants.by_telegram_id(cora.id)).id))[0]
    rita = await bed.joined("Rita")
    presses = forged_staff_buttons(meeting.id)
    # The staff buttons that were once kept in a hand-written list are all declared now.
    assert {data.split(":")[0] for data in presses} >= {
        "ai",
        "ar",
        "aj",
        "ap",
        "am",
        "pa",
        "ex",
        "fb",
        "ft",
        "th",
        "ib",
        "mt",
        "mx",
        "mc",
        "ma",
        "mz",
        "os",
        "ol",
        "oj",
        "pl",
        "pq",
        "ys",
    }
    before = await snapshot(bed)
    for data in presses:
        await rita.press(rita.messages[-1]["message_id"], data)
        await bed.services.sender.drain()
        assert "can't do that" in rita.callback_answer()["text"], data
        assert (
            await bed.db.fetchval(
                "SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND action = ? AND subject = ?",
                ("button." + data.split(":")[0], data),
            )
            == 1
        ), data
    assert await snapshot(bed) == before, "a forged staff button changed the database"


async def test_closing_buttons_forged_by_a_member_or_a_stranger_change_nothing_and_are_audited(bed: TestBed):
    """Closing is for the group's leads; saying how it felt is for people who were in it."""
    cora, payload = await _group(bed)
    (bob,) = await members(bed, payload, "Bob")
    rita = await bed.joined("Rita")
    group_id = await bed.db.fetchval("SELECT id FROM projects")
    for forger, data in (
        (bob, LeadActionButton(group_id, "close").pack()),
        (bob, ConfirmCloseButton(group_id, True).pack()),
        (rita, FeltButton(group_id, 5).pack()),
    ):
        before = await snapshot(bed)
        await forger.press(forger.messages[-1]["message_id"], data)
        assert "can't do that" in forger.callback_answer()["text"], data
        assert await snapshot(bed) == before, data
        assert (
            await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused' AND subject = ?", (data,))
            == 1
        )
