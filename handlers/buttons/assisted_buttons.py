"""The buttons staff press to act for someone who takes part through them. Each kind is for
organisers only: the gate refuses and audits anyone else, and the handlers then check that
the person really takes part through staff (so no one acts for a Telegram user)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, Needs, StepChoice
from domain.roles import ORGANISERS

STAFF = Needs(roles=ORGANISERS)
ASK = "-"  # a RsvpForButton answer that asks the question


@dataclass(frozen=True)
class AddChoice(StepChoice, CallbackData, prefix="wc", needs=STAFF):
    """A choice in a flow staff run for someone (adding them, their claim): which step it
    answers and what was chosen."""


@dataclass(frozen=True)
class NeedTick(CallbackData, prefix="wn", needs=STAFF):
    """Tick or untick one of their access needs while adding them (the checklist packs it)."""

    need: str


@dataclass(frozen=True)
class PersonButton(CallbackData, prefix="wp", needs=STAFF):
    """Open a person's page."""

    person: int


@dataclass(frozen=True)
class PollForButton(CallbackData, prefix="wm", needs=STAFF):
    """Their meeting polls (meeting 0), or one poll to answer for them."""

    person: int
    meeting: int


@dataclass(frozen=True)
class VoteForButton(CallbackData, prefix="wv", needs=STAFF):
    """Their answer for one time: y, m or n."""

    person: int
    slot: int
    answer: str


@dataclass(frozen=True)
class SendVotesButton(CallbackData, prefix="ws", needs=STAFF):
    person: int
    meeting: int


@dataclass(frozen=True)
class RsvpForButton(CallbackData, prefix="wr", needs=STAFF):
    """Their meetings with a time (meeting 0), a meeting's question (answer "-"), or their reply."""

    person: int
    meeting: int
    answer: str


@dataclass(frozen=True)
class CheckinForButton(CallbackData, prefix="wk", needs=STAFF):
    """The meetings they came to (meeting 0), a check-in question (value 0) or their answer (1-5)."""

    person: int
    meeting: int
    step: int
    value: int


@dataclass(frozen=True)
class FeedbackForButton(CallbackData, prefix="wf", needs=STAFF):
    """Take down their feedback."""

    person: int


@dataclass(frozen=True)
class ClaimForButton(CallbackData, prefix="wq", needs=STAFF):
    """Take down their travel claim."""

    person: int


@dataclass(frozen=True)
class LettersButton(CallbackData, prefix="wl", needs=STAFF):
    """Download the letters waiting for them."""

    person: int


@dataclass(frozen=True)
class PostedButton(CallbackData, prefix="wd", needs=STAFF):
    """The letters downloaded, up to this one, were posted or read out."""

    person: int
    up_to: int


@dataclass(frozen=True)
class ExportButton(CallbackData, prefix="wx", needs=STAFF):
    """Their /mydata: everything held about them, to give them."""

    person: int


@dataclass(frozen=True)
class EraseButton(CallbackData, prefix="we", needs=STAFF):
    """Ask to erase them (stamp 0), or confirm it (the time the question was asked)."""

    person: int
    stamp: int
