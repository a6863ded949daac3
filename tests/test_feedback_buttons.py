"""The feedback and claim buttons declared as typed kinds keep the strings already on phones,
and their handlers refuse what the old hand-written patterns refused."""

from __future__ import annotations

import re

from approvals.buttons import ClaimReplyButton
from feedback.buttons import SKIP, CheckinButton, DifferenceButton, FeedbackChoice
from tests.harness import TestBed
from tests.test_opportunities import staff
from tests.test_small_fixes import published_theme
from tests.test_typed_drafts import _store_then_restart


def test_the_typed_buttons_read_and_write_the_old_strings():
    for value, old in (
        (FeedbackChoice("about", "service"), "fe:about:service"),
        (FeedbackChoice("quote", "unnamed"), "fe:quote:unnamed"),
        (DifferenceButton(12, 2, "not_sure"), "yd:12:2:not_sure"),
        (CheckinButton(3, 4, 5), "ci:3:4:5"),
        (ClaimReplyButton(41), "cr:41"),
    ):
        assert value.pack() == old
        assert type(value).unpack(old) == value


def test_a_step_pattern_takes_only_that_steps_choices():
    about = FeedbackChoice.at("about")
    assert re.match(about, "fe:about:service")
    assert not re.match(about, "fe:pick:3") and not re.match(about, "fe:about:a:b")


async def test_skip_ends_the_comment_and_a_typed_one_is_kept(bed: TestBed):
    olive = await staff(bed, "Officer", "Olive")
    ann, bob = await bed.joined("Ann"), await bed.joined("Bob")
    await published_theme(bed, olive, (ann, "No benches", "named"), (bob, "Nowhere to sit", "named"))
    await ann.tap("Yes")
    assert "Anything you would like to add?" in ann.last_text
    skip = ann.find_button("Skip")[1]
    assert DifferenceButton.unpack(skip) == DifferenceButton(1, 1, SKIP)
    await ann.tap("Skip")
    await ann.send("Not a comment")
    await bob.tap("Yes")
    await bob.send("Much warmer now")
    assert "The team will read it" in bob.reply_text
    rows = await bed.db.fetchall(
        "SELECT p.display_name, d.comment FROM difference_answers d "
        "JOIN participants p ON p.id = d.participant_id ORDER BY p.display_name"
    )
    assert [(r["display_name"], r["comment"]) for r in rows] == [("Ann", None), ("Bob", "Much warmer now")]


async def test_a_comment_target_kept_as_a_pair_before_typed_drafts_still_takes_the_comment(bed: TestBed):
    olive = await staff(bed, "Officer", "Olive")
    ann = await bed.joined("Ann")
    await published_theme(bed, olive, (ann, "No benches", "named"))
    await ann.tap("Yes")
    await _store_then_restart(bed, ann, [1, 1], "difference")
    await ann.send("Much better now")
    assert "The team will read it" in ann.reply_text
    assert await bed.db.fetchval("SELECT comment FROM difference_answers") == "Much better now"


async def test_a_check_in_answer_not_on_offer_saves_nothing(bed: TestBed):
    from tests.test_claims import attended_meeting, mark_attended

    cora, ann = await attended_meeting(bed)
    await mark_attended(bed, cora)
    await bed.services.sender.drain()
    message, data = ann.find_button("🙁")
    meeting = CheckinButton.unpack(data)
    assert meeting is not None and meeting.step == 0
    for forged in (
        CheckinButton(meeting.meeting, -1, 3),
        CheckinButton(meeting.meeting, 99, 3),
        CheckinButton(meeting.meeting, 0, 6),
        CheckinButton(meeting.meeting + 1, 0, 3),
    ):
        await ann.press(message["message_id"], forged.pack())
        assert "no longer active" in ann.callback_answer()["text"], forged
    assert await bed.db.fetchval("SELECT COUNT(*) FROM checkins") == 0
    await ann.tap("🙁")
    assert await bed.db.fetchval("SELECT mood_start FROM checkins") == 2
