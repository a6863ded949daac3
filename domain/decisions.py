"""Deciding together, as plain rules: the four answers to a proposal, quorum, dot votes,
ranked choice, and the honest ladder level a group's start-up check suggests.

Decision kinds are declared as data (like Loomio's poll types): what a member gives, whether
a reason is asked for, how results are ordered. Handlers and storage read these, never
re-state them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.marks import N_
from domain.participation import Level

MIN_OPTIONS, MAX_OPTIONS = 2, 10
DEFAULT_DOTS = 5
REMIND_BEFORE = timedelta(hours=24)


class Kind(StrEnum):
    PROPOSAL = "proposal"  # agree / abstain / disagree / block, then an outcome in words
    CHARTER = "charter"  # a proposal whose adoption agrees the group's charter
    DOTS = "dots"  # spread N dots across options
    RANKED = "ranked"  # put options in order of preference
    ELECTION = "election"  # one vote for a member who stood; the winner becomes co-lead


CONSENT_KINDS = frozenset({Kind.PROPOSAL, Kind.CHARTER})
VOTE_KINDS = frozenset({Kind.DOTS, Kind.RANKED, Kind.ELECTION})

KIND_NAMES: dict[Kind, str] = {
    Kind.PROPOSAL: N_("Proposal"),
    Kind.CHARTER: N_("Group charter"),
    Kind.DOTS: N_("Dot vote"),
    Kind.RANKED: N_("Ranked choice"),
    Kind.ELECTION: N_("Co-lead election"),
}


class Answer(StrEnum):
    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"


NEEDS_REASON = frozenset({Answer.DISAGREE, Answer.BLOCK})

ANSWER_NAMES: dict[Answer, str] = {
    Answer.AGREE: N_("Agree"),
    Answer.ABSTAIN: N_("Abstain"),
    Answer.DISAGREE: N_("Disagree"),
    Answer.BLOCK: N_("Block"),
}
ANSWER_ICONS: dict[Answer, str] = {Answer.AGREE: "👍", Answer.ABSTAIN: "🤷", Answer.DISAGREE: "👎", Answer.BLOCK: "✋"}
ANSWER_MEANINGS: dict[Answer, str] = {
    Answer.AGREE: N_("I am happy with this."),
    Answer.ABSTAIN: N_("I don't mind either way, or I don't know enough."),
    Answer.DISAGREE: N_("I would rather not, but I won't stop it. Please say why."),
    Answer.BLOCK: N_("This is wrong and I can't go along with it. Please say why. The group must answer you."),
}


class Outcome(StrEnum):
    ADOPTED = "adopted"
    CHANGED = "changed"
    NOT_ADOPTED = "not_adopted"


OUTCOME_NAMES: dict[Outcome, str] = {
    Outcome.ADOPTED: N_("Agreed"),
    Outcome.CHANGED: N_("Agreed with changes"),
    Outcome.NOT_ADOPTED: N_("Not agreed"),
}


class DecidesBy(StrEnum):
    CONSENT = "consent"  # passes unless someone blocks
    MAJORITY = "majority"  # passes with more agree than disagree


DECIDES_BY_NAMES: dict[DecidesBy, str] = {
    DecidesBy.CONSENT: N_("By consent: it goes ahead unless someone blocks it"),
    DecidesBy.MAJORITY: N_("By majority: it goes ahead if more people say yes than no"),
}


@dataclass(frozen=True)
class Tally:
    """Answers to a proposal: counts, who took part, and the share a quorum is measured on."""

    counts: Mapping[Answer, int]
    members: int
    on_behalf: int = 0

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def quorum_met(self, quorum_percent: int) -> bool:
        if quorum_percent <= 0:
            return True
        return self.members > 0 and self.answered * 100 >= quorum_percent * self.members

    def passes(self, rule: DecidesBy) -> bool:
        """What the group's own rule says, before a lead records the outcome in words."""
        if rule is DecidesBy.CONSENT:
            return self.counts.get(Answer.BLOCK, 0) == 0 and self.counts.get(Answer.AGREE, 0) > 0
        return self.counts.get(Answer.AGREE, 0) > self.counts.get(Answer.DISAGREE, 0)


def tally(answers: Sequence[tuple[Answer, bool]], members: int) -> Tally:
    """`answers` is (answer, given on someone's behalf) per member who answered."""
    counts = Counter(answer for answer, _behalf in answers)
    return Tally(
        counts={answer: counts.get(answer, 0) for answer in Answer},
        members=members,
        on_behalf=sum(1 for _answer, behalf in answers if behalf),
    )


def remind_at(opened: datetime, closes: datetime) -> datetime:
    """One reminder: a day before it closes, or half-way for a short proposal."""
    return max(opened + (closes - opened) / 2, closes - REMIND_BEFORE)


# --- dot votes ------------------------------------------------------------------------------


def valid_dots(allocation: Mapping[int, int], dots: int) -> bool:
    return all(value >= 0 for value in allocation.values()) and sum(allocation.values()) <= dots


def dot_totals(ballots: Sequence[Mapping[int, int]], options: Sequence[int]) -> dict[int, int]:
    """Dots per option, every option listed (0 when nobody chose it)."""
    totals = dict.fromkeys(options, 0)
    for ballot in ballots:
        for option, value in ballot.items():
            if option in totals and value > 0:
                totals[option] += value
    return totals


def top(totals: Mapping[int, int]) -> list[int]:
    """Every option sharing the highest total (a tie is reported, never broken by chance);
    empty when nobody voted."""
    best = max(totals.values(), default=0)
    return [option for option, value in totals.items() if value == best] if best > 0 else []


# --- ranked choice ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedResult:
    winners: list[int]
    rounds: list[dict[int, int]] = field(default_factory=list)  # first choices per round


def ranked_choice(ballots: Sequence[Sequence[int]], options: Sequence[int]) -> RankedResult:
    """Instant run-off: count first choices among the options still in; an option with more
    than half of the ballots still counting wins; otherwise the weakest is dropped and its
    ballots move to their next choice. The weakest is the one with fewest first choices, then
    fewest points overall (a first choice of n options scores n, the next n-1 ...); options
    still tied on both are dropped together, and if that would drop every option left, those
    left share the win."""
    remaining = list(options)
    points = Counter[int]()
    for ballot in ballots:
        for place, option in enumerate(ballot):
            points[option] += len(options) - place
    rounds: list[dict[int, int]] = []
    while remaining:
        firsts = dict.fromkeys(remaining, 0)
        for ballot in ballots:
            choice = next((option for option in ballot if option in firsts), None)
            if choice is not None:
                firsts[choice] += 1
        rounds.append(firsts)
        counting = sum(firsts.values())
        if counting == 0:
            return RankedResult([], rounds)
        leader = max(firsts, key=lambda option: firsts[option])
        if firsts[leader] * 2 > counting or len(remaining) == 1:
            return RankedResult([leader], rounds)
        weakest_key = min((firsts[option], points[option]) for option in remaining)
        weakest = [option for option in remaining if (firsts[option], points[option]) == weakest_key]
        if len(weakest) == len(remaining):
            return RankedResult(remaining, rounds)
        remaining = [option for option in remaining if option not in weakest]
    return RankedResult([], rounds)


# --- the start-up check --------------------------------------------------------------------


class Share(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class Fixed(StrEnum):
    LITTLE = "little"
    SOME = "some"
    MOST = "most"


@dataclass(frozen=True)
class StartupAnswers:
    """The questions the frameworks ask before deciding whether and how to co-produce."""

    can_share: Share  # can the council share this decision with residents?
    time_and_budget: bool  # is there time and money to do it properly?
    fixed: Fixed  # how much is already fixed?
    real_stake: bool  # are the people with a real stake in it taking part?

    def encode(self) -> str:
        return f"{self.can_share.value}/{int(self.time_and_budget)}/{self.fixed.value}/{int(self.real_stake)}"


LADDER = (Level.INFORM, Level.CONSULT, Level.ENGAGE, Level.CO_DESIGN, Level.CO_PRODUCE)


def suggest_level(answers: StartupAnswers) -> Level:
    """The highest level the answers honestly support."""
    if answers.can_share is Share.NO:
        return Level.INFORM if answers.fixed is Fixed.MOST else Level.CONSULT
    if answers.fixed is Fixed.MOST or not answers.time_and_budget:
        return Level.ENGAGE
    if answers.can_share is Share.PARTLY or answers.fixed is Fixed.SOME or not answers.real_stake:
        return Level.CO_DESIGN
    return Level.CO_PRODUCE


def above_suggestion(chosen: Level, suggested: Level) -> bool:
    """A level higher than the check supports needs a reason residents can read."""
    return LADDER.index(chosen) > LADDER.index(suggested)


def shares_power(level: Level) -> bool:
    """Groups that promise residents a share in deciding."""
    return level in (Level.CO_DESIGN, Level.CO_PRODUCE)
