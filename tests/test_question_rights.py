"""Who may write into a question thread is checked again when the words are sent, not only when
Reply is tapped: a co-lead who stops co-leading while writing sends nothing."""

from __future__ import annotations

from tests.builders import members, new_group
from tests.harness import TestBed
from tests.test_opportunities import staff


async def test_a_colead_who_stops_co_leading_mid_answer_sends_nothing_and_is_audited(bed: TestBed):
    cora = await staff(bed)
    payload = await new_group(cora, "Library friends", "We shape the library together.", "Co-produce")
    ann, bob = await members(bed, payload, "Ann", "Bob")
    await cora.send("/groups")
    await cora.tap("Library friends")
    await cora.tap("Appoint a co-lead")
    await cora.tap("Ann")
    await bob.send("/groups")
    await bob.tap("Library friends")
    await bob.tap("Ask the leads")
    await bob.send("Can we meet on Saturdays?")
    await bed.services.sender.drain()
    await ann.tap("Reply")
    await bed.db.execute("DELETE FROM project_coleads")  # she steps down while writing
    before = len(bob.messages)
    await ann.send("Yes, from January.")
    await bed.services.sender.drain()
    assert "can't do that" in ann.reply_text
    assert len(bob.messages) == before, "the resident is sent nothing"
    assert await bed.db.fetchval("SELECT COUNT(*) FROM question_messages WHERE from_resident = 0") == 0
    assert await bed.db.fetchval(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'question.reply' AND outcome = 'refused'") == 1
