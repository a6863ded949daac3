"""What members and leads see of a decision, in the reader's language: the card with its
answer buttons, results, outcomes and the group card. Pure rendering: data in, text and
buttons out, so handlers, jobs and the outbox all show the same screens."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.i18n import _, format_date, format_datetime, ngettext
from bot.keyboards import Button, keyboard
from bot.text import escape, fit_lines
from decide.buttons import (
    AnswerButton,
    CloseNowButton,
    DotButton,
    HideNameButton,
    MeaningsButton,
    OutcomeButton,
    PlayReasonButton,
    PlayVoiceButton,
    RankButton,
    SendBallotButton,
)
from domain.decisions import (
    ANSWER_ICONS,
    ANSWER_MEANINGS,
    ANSWER_NAMES,
    DECIDES_BY_NAMES,
    KIND_NAMES,
    OUTCOME_NAMES,
    Answer,
    Kind,
    RankedResult,
    Tally,
    dot_totals,
    ranked_choice,
    top,
)
from storage.charters import Charter
from storage.decisions import Decision, GivenAnswer, Option

REASONS_SHOWN = 15


@dataclass(frozen=True)
class CardData:
    """Everything one reader's card needs."""

    decision: Decision
    group_name: str
    options: Sequence[Option]
    tally: Tally
    answers: Sequence[GivenAnswer] = ()
    mine: GivenAnswer | None = None
    ballot: dict[int, int] = field(default_factory=dict)  # the reader's dots or places, sent or not
    reader_leads: bool = False
    names_to_leads: bool = True
    anonymous_allowed: bool = False
    charter: Charter | None = None  # a charter proposal shows the charter itself
    note: str | None = None  # there is no version in the reader's language yet (bot.versions.reader_copy)


def counts_line(tally: Tally) -> str:
    counts = " · ".join(f"{ANSWER_ICONS[a]} {_(ANSWER_NAMES[a])} {tally.counts.get(a, 0)}" for a in Answer)
    answered = ngettext(
        "{answered} of {members} member answered", "{answered} of {members} members answered", tally.members
    ).format(answered=tally.answered, members=tally.members)
    line = counts + "\n" + answered
    if tally.on_behalf:
        line += " " + ngettext(
            "({count} for someone they care for)", "({count} for someone they care for)", tally.on_behalf
        ).format(count=tally.on_behalf)
    return line


def quorum_line(decision: Decision, tally: Tally) -> str | None:
    if decision.quorum_percent <= 0:
        return None
    if tally.quorum_met(decision.quorum_percent):
        return _("Enough members answered (at least {percent}%).").format(percent=decision.quorum_percent)
    return _("Not enough members answered: the group asked for at least {percent}%.").format(
        percent=decision.quorum_percent
    )


def title_of(decision: Decision) -> str:
    """An election's title is the bot's own question, in the reader's language; any other
    title is the proposer's words."""
    if decision.kind is Kind.ELECTION:
        return _("Who should be our co-lead?")
    if decision.kind is Kind.CHARTER:
        return _("Our group charter: do you agree?")
    return decision.title


def _heading(data: CardData) -> list[str]:
    decision = data.decision
    lines = [
        f"🗳 <b>{_(KIND_NAMES[decision.kind])}</b> · {escape(data.group_name)}",
        f"<b>{escape(title_of(decision))}</b>",
    ]
    if decision.body:
        lines.append(escape(decision.body))
    elif decision.body_voice:
        lines.append(_("🎤 It is explained in a voice note."))
    return [*lines, data.note] if data.note else lines


def _reason_lines(data: CardData) -> list[str]:
    """Reasons without names to members; with names to leads unless the charter or the
    member chose otherwise."""
    lines = []
    for given in data.answers:
        if given.answer not in (Answer.DISAGREE, Answer.BLOCK) or not (given.reason or given.reason_voice):
            continue
        words = escape(given.reason) if given.reason else _("(a voice note)")
        line = f"{ANSWER_ICONS[given.answer]} {words}"
        if data.reader_leads and data.names_to_leads and not given.anonymous:
            line += f" — {escape(given.name)}"
        lines.append(line)
    if not lines:
        return []
    shown = lines[-REASONS_SHOWN:]
    return ["", _("<b>Reasons given</b>"), *shown]


def proposal_card(data: CardData, tz: ZoneInfo) -> tuple[str, InlineKeyboardMarkup | None]:
    decision = data.decision
    lines = _heading(data)
    if data.charter is not None:
        lines += charter_text(data.charter, data.group_name).split("\n")[1:]
    open_now = decision.status == "open"
    lines.append(
        (_("Answer by {date}.") if open_now else _("Closed on {date}.")).format(
            date=format_datetime(decision.closes_at, tz)
        )
    )
    lines += ["", counts_line(data.tally)]
    quorum = quorum_line(decision, data.tally)
    if quorum:
        lines.append(quorum)
    if data.mine is not None and data.mine.answer is not None:
        lines.append(
            _("Your answer: {answer}. You can change it until it closes.").format(
                answer=_(ANSWER_NAMES[data.mine.answer])
            )
        )
    lines += _reason_lines(data)
    if not open_now:
        return fit_lines(lines), None
    rows: list[list[Button]] = (
        [[(_("▶️ Play the voice note"), PlayVoiceButton(decision.id).pack())]] if decision.body_voice else []
    )
    rows += [
        [answer_button(decision.id, Answer.AGREE, data.mine), answer_button(decision.id, Answer.ABSTAIN, data.mine)],
        [answer_button(decision.id, Answer.DISAGREE, data.mine), answer_button(decision.id, Answer.BLOCK, data.mine)],
        [(_("❓ What do these mean?"), MeaningsButton().pack())],
    ]
    if data.reader_leads and data.names_to_leads:
        rows += [
            [
                (
                    _("▶️ Hear {name}'s reason").format(name=given.name[:30]),
                    PlayReasonButton(decision.id, given.participant_id).pack(),
                )
            ]
            for given in data.answers
            if given.reason_voice and not given.anonymous
        ][:5]
    if data.reader_leads:
        rows.append([(_("🔒 Close it now"), CloseNowButton(decision.id).pack())])
    if data.anonymous_allowed:
        hidden = bool(data.mine and data.mine.anonymous)
        rows.append(
            [
                (
                    _("🙈 Show my name to leads") if hidden else _("🙈 Hide my name from leads"),
                    HideNameButton(decision.id, not hidden).pack(),
                )
            ]
        )
    return fit_lines(lines), keyboard(rows)


def answer_button(decision_id: int, answer: Answer, mine: GivenAnswer | None) -> Button:
    chosen = mine is not None and mine.answer is answer
    return (
        ("● " if chosen else "") + f"{ANSWER_ICONS[answer]} {_(ANSWER_NAMES[answer])}",
        AnswerButton(decision_id, answer.value).pack(),
    )


def meanings() -> str:
    return "\n".join(f"{ANSWER_ICONS[a]} <b>{_(ANSWER_NAMES[a])}</b>: {_(ANSWER_MEANINGS[a])}" for a in Answer)


def ballot_card(data: CardData, tz: ZoneInfo) -> tuple[str, InlineKeyboardMarkup | None]:
    """A dot vote, an election (one dot) or a ranked choice, with the reader's own choices."""
    decision = data.decision
    lines = _heading(data)
    open_now = decision.status == "open"
    lines.append(
        (_("Answer by {date}.") if open_now else _("Closed on {date}.")).format(
            date=format_datetime(decision.closes_at, tz)
        )
    )
    rows: list[list[Button]] = []
    if decision.kind is Kind.RANKED:
        lines += ["", _("Tap the options in order. Put your favourite first.")]
        placed = sorted((place, option) for option, place in data.ballot.items())
        by_id = {option.id: option for option in data.options}
        for number, (_place, option_id) in enumerate(placed, 1):
            lines.append(f"{number}. {escape(by_id[option_id].label)}")
        for option in data.options:
            if option.id not in data.ballot:
                lines.append(f"▫️ {escape(option.label)}")
                rows.append([(f"{option.position}. {option.label[:40]}", RankButton(decision.id, option.id).pack())])
        if data.ballot:
            rows.append([(_("↩️ Start my order again"), RankButton(decision.id, 0).pack())])
    else:
        dots = decision.dots or 1
        left = dots - sum(data.ballot.values())
        if decision.kind is Kind.ELECTION:
            lines += ["", _("Tap the person you want as co-lead.")]
        else:
            lines += [
                "",
                ngettext(
                    "You have {count} dot. Put it on what matters most to you.",
                    "You have {count} dots. Put more on what matters most to you.",
                    dots,
                ).format(count=dots),
            ]
        for option in data.options:
            given = data.ballot.get(option.id, 0)
            lines.append(f"{option.position}. {escape(option.label)} " + ("●" * given))
            if decision.kind is Kind.ELECTION:
                rows.append(
                    [(("● " if given else "") + option.label[:40], DotButton(decision.id, option.id, 1).pack())]
                )
            else:
                rows.append(
                    [
                        (f"➖ {option.position}", DotButton(decision.id, option.id, -1).pack()),
                        (f"➕ {option.position}", DotButton(decision.id, option.id, 1).pack()),
                    ]
                )
        if decision.kind is Kind.DOTS:
            lines.append(ngettext("{count} dot left.", "{count} dots left.", left).format(count=left))
    if data.mine is not None:
        lines.append(_("✅ Your answers are sent. You can change them until it closes."))
    if not open_now:
        return fit_lines(lines), None
    rows.append([(_("📨 Send my answers"), SendBallotButton(decision.id).pack())])
    if data.reader_leads:
        rows.append([(_("🔒 Close it now"), CloseNowButton(decision.id).pack())])
    return fit_lines(lines), keyboard(rows)


def card(data: CardData, tz: ZoneInfo) -> tuple[str, InlineKeyboardMarkup | None]:
    if data.decision.kind in (Kind.PROPOSAL, Kind.CHARTER):
        return proposal_card(data, tz)
    return ballot_card(data, tz)


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoteResult:
    """Totals per option in the options' order, and who won (several on a tie)."""

    labels: list[str]
    values: list[int]
    winners: list[str]


def vote_result(decision: Decision, options: Sequence[Option], ballots: dict[int, dict[int, int]]) -> VoteResult:
    ids = [option.id for option in options]
    labels = {option.id: option.label for option in options}
    if decision.kind is Kind.RANKED:
        orders = [[o for o, _place in sorted(b.items(), key=lambda item: item[1])] for b in ballots.values()]
        outcome: RankedResult = ranked_choice(orders, ids)
        firsts = outcome.rounds[0] if outcome.rounds else dict.fromkeys(ids, 0)
        return VoteResult(
            [labels[i] for i in ids], [firsts.get(i, 0) for i in ids], [labels[i] for i in outcome.winners]
        )
    totals = dot_totals(list(ballots.values()), ids)
    return VoteResult([labels[i] for i in ids], [totals[i] for i in ids], [labels[i] for i in top(totals)])


def vote_result_text(decision: Decision, group_name: str, result: VoteResult, voters: int) -> str:
    lines = [_("🗳 <b>Results</b> · {group}").format(group=escape(group_name)), f"<b>{escape(title_of(decision))}</b>"]
    ranked = sorted(zip(result.labels, result.values, strict=True), key=lambda item: -item[1])
    lines += [
        "• " + _result_line(decision.kind, count).format(label=escape(label), count=count) for label, count in ranked
    ]
    lines.append(ngettext("{count} member took part.", "{count} members took part.", voters).format(count=voters))
    if not result.winners:
        lines.append(_("Nobody voted, so nothing was chosen."))
    elif len(result.winners) > 1:
        lines.append(
            _("It is a tie between {names}. The group will decide what to do next.").format(
                names=", ".join(escape(name) for name in result.winners)
            )
        )
    elif decision.kind is Kind.ELECTION:
        lines.append(_("{name} is the group's new co-lead.").format(name=escape(result.winners[0])))
    else:
        lines.append(_("Chosen: {name}.").format(name=escape(result.winners[0])))
    if decision.kind is Kind.RANKED:
        lines.append(
            _(
                "Counted by ranked choice: the option with fewest first choices drops out, and its votes "
                "move to their next choice."
            )
        )
    return fit_lines(lines)


def _result_line(kind: Kind, count: int) -> str:
    """Each language counts its own way ("1 dot", "2 dots"; Polish and Welsh have more forms)."""
    if kind is Kind.RANKED:
        return ngettext("{label}: {count} first choice", "{label}: {count} first choices", count)
    if kind is Kind.ELECTION:
        return ngettext("{label}: {count} vote", "{label}: {count} votes", count)
    return ngettext("{label}: {count} dot", "{label}: {count} dots", count)


def closed_text(decision: Decision, group_name: str, tally: Tally) -> str:
    """What members hear when a proposal closes, before the outcome."""
    lines = [
        _("🗳 <b>Closed</b> · {group}").format(group=escape(group_name)),
        f"<b>{escape(title_of(decision))}</b>",
        counts_line(tally),
    ]
    quorum = quorum_line(decision, tally)
    if quorum:
        lines.append(quorum)
    lines.append(_("The group's leads will now say what happens next. We will tell you."))
    return "\n".join(lines)


def lead_prompt(decision: Decision, group_name: str, tally: Tally, passes: bool) -> tuple[str, InlineKeyboardMarkup]:
    lines = [closed_text(decision, group_name, tally).rsplit("\n", 1)[0], ""]
    lines.append(
        _("By the group's rules, this is agreed.") if passes else _("By the group's rules, this is not agreed.")
    )
    if tally.counts.get(Answer.BLOCK, 0):
        lines.append(_("Someone blocked it. The outcome must answer them."))
    lines.append(_("Please record the outcome in plain words."))
    return "\n".join(lines), keyboard([[(_("✍️ Record the outcome"), OutcomeButton(decision.id).pack())]])


def outcome_text(decision: Decision, group_name: str, tz: ZoneInfo, tally_: Tally) -> str:
    """The outcome as every member hears it; below quorum it says so."""
    assert decision.outcome is not None
    lines = [
        _("📣 <b>Decision</b> · {group}").format(group=escape(group_name)),
        f"<b>{escape(title_of(decision))}</b>",
        _("Outcome: {outcome}").format(outcome=_(OUTCOME_NAMES[decision.outcome])),
    ]
    if not tally_.quorum_met(decision.quorum_percent):
        lines.append(quorum_line(decision, tally_) or "")
    if decision.outcome_text:
        lines.append(_("What happens next: {text}").format(text=escape(decision.outcome_text)))
    if decision.block_answer:
        lines.append(_("Our answer to the block: {text}").format(text=escape(decision.block_answer)))
    if decision.review_on:
        lines.append(
            _("We will look at this again on {date}.").format(
                date=format_date(datetime.combine(date.fromisoformat(decision.review_on), datetime.min.time(), tz), tz)
            )
        )
    return fit_lines(lines)


# --- the log ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    decision: Decision
    tally: Tally
    result: str  # the outcome's name, or what a vote chose


def log_lines(entries: Sequence[LogEntry], tz: ZoneInfo) -> list[str]:
    lines = []
    for entry in entries:
        decision = entry.decision
        state = (
            _("open until {date}").format(date=format_date(decision.closes_at, tz))
            if decision.status == "open"
            else entry.result or _("waiting for the outcome")
        )
        line = (
            f"• <b>{escape(title_of(decision))}</b> ({_(KIND_NAMES[decision.kind])}, "
            f"{format_date(decision.opened_at, tz)}): {escape(state)}"
        )
        line += "\n  " + ngettext(
            "{answered} of {members} member answered", "{answered} of {members} members answered", entry.tally.members
        ).format(answered=entry.tally.answered, members=entry.tally.members)
        if decision.review_on:
            line += " · " + _("review on {date}").format(date=decision.review_on)
        lines.append(line)
    return lines


CSV_COLUMNS = [
    "decision_id",
    "group",
    "kind",
    "title",
    "opened_at",
    "closes_at",
    "status",
    "members",
    "answered",
    "agree",
    "abstain",
    "disagree",
    "block",
    "on_behalf",
    "quorum_percent",
    "quorum_met",
    "outcome",
    "result",
    "outcome_text",
    "block_answer",
    "review_on",
]


def log_csv(group_name: str, entries: Sequence[LogEntry]) -> bytes:
    """Fixed English column names, like the other exports, for governance papers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        d, t = entry.decision, entry.tally
        writer.writerow(
            [
                d.id,
                group_name,
                d.kind.value,
                d.title,
                d.opened_at.isoformat(),
                d.closes_at.isoformat(),
                d.status,
                t.members,
                t.answered,
                *[t.counts.get(a, 0) for a in Answer],
                t.on_behalf,
                d.quorum_percent,
                "yes" if t.quorum_met(d.quorum_percent) else "no",
                d.outcome.value if d.outcome else "",
                entry.result if not d.outcome else "",
                d.outcome_text or "",
                d.block_answer or "",
                d.review_on or "",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


# --- the charter -------------------------------------------------------------------------


def charter_text(charter: Charter, group_name: str, *, easy_read: bool = False) -> str:
    lines = [_("📜 <b>Charter</b> · {group}").format(group=escape(group_name))]
    if easy_read and charter.easy_read:
        return fit_lines([*lines, escape(charter.easy_read)])
    lines += [
        _("<b>Why we meet:</b> {text}").format(text=escape(charter.purpose)),
        _("<b>What we can change:</b> {text}").format(text=escape(charter.can_change)),
        _("<b>What we can't change, and why:</b> {text}").format(text=escape(charter.cannot_change)),
        _("<b>How we decide:</b> {rule}").format(rule=_(DECIDES_BY_NAMES[charter.decides_by])),
        _("<b>How often we meet:</b> {text}").format(text=escape(charter.meets)),
        _("<b>What is paid:</b> {text}").format(text=escape(charter.paid)),
        _("<b>How we treat each other:</b> {text}").format(text=escape(charter.ground_rules)),
    ]
    if charter.quorum_percent:
        lines.append(_("At least {percent}% of members must answer a proposal.").format(percent=charter.quorum_percent))
    return fit_lines(lines)


def level_reason_line(level_name: str, reason: str | None) -> str | None:
    if not reason:
        return None
    return _("Why this group is at “{level}”: {reason}").format(level=level_name, reason=escape(reason))
