"""Meeting buttons already on people's phones keep working now that they are typed: the same
strings pack and unpack, and the two layouts sent by older versions still read as they meant."""

from __future__ import annotations

import re

from meetings.buttons import SKIP, MeetingChoice, RsvpButton, SendAnswersButton, ShowPollButton, VoteButton


def test_the_typed_buttons_pack_to_the_strings_sent_before():
    assert VoteButton(12, "m").pack() == "mv:12:m"
    assert SendAnswersButton(3).pack() == "ms:3"
    assert ShowPollButton(3).pack() == "mp:3"
    assert RsvpButton(3, 2, "g").pack() == "mr:3:2:g"
    assert MeetingChoice("who", "p7").pack() == "mn:who:p7"


def test_a_reply_sent_before_changes_were_counted_belongs_to_the_first_invitation():
    assert RsvpButton.unpack("mr:3:c") == RsvpButton(3, 0, "c")
    assert RsvpButton.unpack("mr:3:2:c") == RsvpButton(3, 2, "c")
    assert RsvpButton.unpack("mr:x:c") is None
    assert all(re.match(RsvpButton.pattern(), data) for data in ("mr:3:c", "mr:3:2:m"))
    assert not re.match(RsvpButton.pattern(), "mr:3:2:x")


def test_the_old_skip_under_the_reason_question_still_skips():
    assert VoteButton.unpack("mv:skip") == VoteButton(0, SKIP) == VoteButton.unpack(VoteButton(0, SKIP).pack())
    assert VoteButton.unpack("mv:skip:now") is None
    assert all(re.match(VoteButton.skip_pattern(), data) for data in ("mv:skip", "mv:0:skip", "mv:12:skip"))
    assert not any(re.match(VoteButton.skip_pattern(), data) for data in ("mv:skip:now", "mv:12:y", "xmv:skip"))
    assert all(re.match(VoteButton.answer_pattern(), f"mv:12:{code}") for code in "ymn")
    assert not re.match(VoteButton.answer_pattern(), "mv:12:skip")
