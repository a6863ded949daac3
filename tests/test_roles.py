"""Staff roles: invite codes, role checks on commands and on forged buttons, the menu."""

from __future__ import annotations

from datetime import timedelta

from domain.roles import Role
from handlers.buttons.admin_buttons import InviteRoleButton, RevokeButton
from meetings.buttons import ClosePollButton
from tests.conftest import ADMIN_ID
from tests.harness import Person, TestBed
from tests.test_meetings import create_meeting, group_with
from tests.test_opportunities import staff


async def _invite_link(admin, role_label: str) -> str:
    await admin.send("/invite")
    await admin.tap(role_label)
    link = next(line for line in admin.reply_text.splitlines() if "start=" in line)
    return link.split("start=")[1].strip()


async def test_invite_code_grants_role_once(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    payload = await _invite_link(admin, "Coordinator")
    cora = await bed.joined("Cora")
    await cora.send(f"/start {payload}")
    assert "You are now a coordinator" in cora.reply_text
    assert await bed.services.roles.stored_role(cora.id) == "coordinator"
    commands = bed.server.commands
    assert any("newproject" in str(value) and str(cora.id) in key[0] for key, value in commands.items())

    other = await bed.joined("Otto")
    await other.send(f"/start {payload}")
    assert "already been used" in other.reply_text
    assert await bed.services.roles.stored_role(other.id) is None


async def test_invite_code_expires_and_forgeries_fail(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    payload = await _invite_link(admin, "Officer")
    bed.clock.advance(timedelta(days=8))
    late = await bed.joined("Lee")
    await late.send(f"/start {payload}")
    assert "expired" in late.reply_text
    await late.send("/start i_AAAAforgedcode")
    assert "not valid" in late.reply_text
    assert await bed.services.roles.stored_role(late.id) is None
    outcomes = [
        row["outcome"]
        for row in await bed.db.fetchall("SELECT outcome FROM audit_log WHERE action = 'invite.redeem' ORDER BY id")
    ]
    assert outcomes == ["expired", "unknown"]


async def test_invite_before_joining_grants_the_role_only_after_consent(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    payload = await _invite_link(admin, "Officer")
    new = bed.person("Nia")
    await new.send(f"/start {payload}")
    assert "Which language" in new.reply_text and "officer" not in new.reply_text
    await new.tap("English")
    assert "privacy" in new.reply_text and "officer" not in new.reply_text
    assert await bed.services.roles.stored_role(new.id) is None, "no role before consent"
    await new.tap("Yes, I agree")
    assert "Welcome! You are now an officer." in new.reply_text
    assert "What should we call you?" in new.reply_text, "joining carries on"
    assert await bed.services.roles.stored_role(new.id) == "officer"


async def test_an_invitee_who_says_no_to_the_notice_gets_no_role_and_keeps_the_link(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    payload = await _invite_link(admin, "Coordinator")
    new = bed.person("Nia")
    await new.send(f"/start {payload}")
    await new.tap("English")
    await new.tap("No, thank you")
    assert "coordinator" not in new.reply_text
    assert await bed.services.roles.stored_role(new.id) is None
    later = await bed.joined("Lou")
    await later.send(f"/start {payload}")
    assert "Welcome! You are now a coordinator." in later.reply_text, "the code was not spent"


async def test_residents_are_refused_admin_commands_and_forged_buttons(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    await admin.send("/invite")
    invite_message = admin.messages[-1]["message_id"]
    rex = await bed.joined("Rex")
    for command in ("/invite", "/roles", "/audit", "/newproject"):
        await rex.send(command)
        assert "can't do that" in rex.reply_text, command
    await rex.press(invite_message, InviteRoleButton(Role.COORDINATOR).pack())
    assert "can't do that" in rex.callback_answer()["text"]
    await rex.press(invite_message, RevokeButton(ADMIN_ID).pack())
    assert "can't do that" in rex.callback_answer()["text"]
    assert await bed.db.fetchval("SELECT COUNT(*) FROM invite_codes") == 0
    refused = await bed.db.fetchval("SELECT COUNT(*) FROM audit_log WHERE outcome = 'refused'")
    assert refused == 6


async def test_a_staff_button_from_before_the_typed_buttons_no_longer_works_even_for_its_admin(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    await admin.send("/invite")
    for old in ("ad:inv:coordinator", "ib:n:0", "op:list:1", "pj:qr:1"):
        await admin.press(admin.messages[-1]["message_id"], old)
        assert "no longer active" in admin.callback_answer()["text"], old
    assert await bed.db.fetchval("SELECT COUNT(*) FROM invite_codes") == 0


async def test_admin_lists_and_revokes_roles(bed: TestBed):
    admin = await bed.joined("Ada", user_id=ADMIN_ID)
    payload = await _invite_link(admin, "Coordinator")
    cora = await bed.joined("Cora")
    await cora.send(f"/start {payload}")
    await admin.send("/roles")
    assert "Cora" in admin.reply_text and "coordinator" in admin.reply_text
    await admin.tap("Remove role from Cora")
    assert await bed.services.roles.stored_role(cora.id) is None
    await cora.send("/newproject")
    assert "can't do that" in cora.reply_text
    await admin.send("/audit")
    assert "roles.revoke" in admin.reply_text


async def test_a_coordinator_whose_role_is_removed_can_no_longer_run_their_meetings_buttons(bed: TestBed):
    cora = await staff(bed)
    (ann,) = await group_with(bed, cora, "Ann")
    await create_meeting(cora)
    await bed.services.sender.drain()
    await cora.send("/meetings")
    await cora.tap("📊")
    assert "⏹ Close the poll now" in cora.buttons()
    admin = Person(bed.server, bed.settle, bed.server.add_user("Ada", user_id=ADMIN_ID))
    await admin.send("/roles")
    await admin.tap("Remove role from Cora")
    await cora.tap("Close the poll now")
    assert "can't do that" in cora.callback_answer()["text"]
    meeting = await bed.db.fetchone("SELECT id, status FROM meetings")
    assert meeting["status"] == "polling"
    await admin.press(admin.messages[-1]["message_id"], ClosePollButton(meeting["id"]).pack())
    assert (await bed.services.meetings.by_id(meeting["id"])).status == "closed", "an admin still may"


async def test_command_menu_registered_per_language(bed: TestBed):
    english = bed.server.commands.get(('{"type":"default"}', "en")) or next(
        value for key, value in bed.server.commands.items() if key[1] == "en"
    )
    polish = next(value for key, value in bed.server.commands.items() if key[1] == "pl")
    assert {c["command"] for c in english} == {c["command"] for c in polish}
    assert {c["description"] for c in english} != {c["description"] for c in polish}
    assert "invite" not in {c["command"] for c in english}
