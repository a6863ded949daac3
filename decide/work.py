"""The work of deciding together, callable from handlers, jobs and tests alike.

Each step that changes a decision and tells people about it (opening, closing, recording the
outcome) writes the change and queues every message in one transaction, so a crash leaves
either both or neither: nobody is told twice, and nobody is never told.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from bot.callbacks import GroupRight
from bot.i18n import SOURCE_LANGUAGE, _, document_language, language
from bot.keyboards import column
from bot.services import Services
from bot.text import escape
from bot.versions import reader_copy, with_note
from decide import charts
from decide.buttons import ShowDecisionButton
from decide.views import (
    CardData,
    LogEntry,
    card,
    closed_text,
    lead_prompt,
    outcome_text,
    title_of,
    vote_result,
    vote_result_text,
)
from domain.decisions import (
    CONSENT_KINDS,
    OUTCOME_NAMES,
    Answer,
    DecidesBy,
    Kind,
    Outcome,
    Tally,
    remind_at,
    shares_power,
    tally,
)
from domain.delivery import next_send_time
from domain.meetings import local_to_utc
from domain.participation import Level
from domain.roles import Role
from domain.success import BASELINE_JOB
from storage.charters import FIELDS as CHARTER_FIELDS
from storage.charters import Charter, Charters
from storage.db import Tx
from storage.decisions import Decision, Decisions, Member
from storage.outbox import Outgoing
from storage.projects import Project, Projects
from storage.success import SuccessStore
from storage.text_versions import TextVersions

CLOSE_JOB, REMIND_JOB, REVIEW_JOB = "decision.close", "decision.remind", "decision.review"
REVIEW_HOUR = time(9, 0)
ELECTION_TITLE = "co-lead"  # shown to each reader in their own words (see decide.views.title_of)
VERSIONS_KIND = "decision"  # the item kind a proposal's or vote's versions in other languages are saved under


@dataclass(frozen=True)
class Draft:
    """A proposal or vote as its proposer set it up."""

    group_id: int
    kind: Kind
    title: str
    closes_at: datetime
    body: str | None = None
    body_voice: str | None = None
    quorum_percent: int = 0
    dots: int | None = None
    options: list[tuple[str, int | None]] = field(default_factory=list)
    charter_id: int | None = None
    # The proposer's words in other languages, with the original's own language (none: no versions).
    versions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rules:
    """How a group decides: its agreed charter's rules, or the defaults before it has one."""

    decides_by: DecidesBy
    quorum_percent: int
    who_proposes: str
    names_to_leads: bool
    anonymous_allowed: bool


# A group with no agreed charter yet decides by consent, with no quorum; any member proposes;
# leads see names beside reasons, and nobody answers anonymously.
DEFAULT_RULES = Rules(DecidesBy.CONSENT, 0, "members", True, False)


async def rules_of(services: Services, project_id: int) -> Rules:
    charter = await services.charters.agreed(project_id)
    if charter is None:
        return DEFAULT_RULES
    return Rules(
        charter.decides_by,
        charter.quorum_percent,
        charter.who_proposes,
        charter.names_to_leads,
        charter.anonymous_allowed,
    )


# --- who may do what in a group ---------------------------------------------------------


def staff_leads(project: Project) -> set[int]:
    return {pid for pid in (project.lead_coordinator_id, project.lead_officer_id) if pid is not None}


async def rights(services: Services, project: Project, participant_id: int | None, role: Role) -> set[GroupRight]:
    """What this person may do in this group. A co-lead gets the lead's rights here and
    nowhere else; a member who has not yet agreed the group's charter may only read it. In a
    closed group everyone who was in it may only read its record and say how it went."""
    if participant_id is None:
        return set()
    found: set[GroupRight] = set()
    if (
        participant_id in staff_leads(project)
        or role is Role.ADMIN
        or await services.projects.is_colead(project.id, participant_id)
    ):
        found.add(GroupRight.LEAD)
    if await services.projects.is_member(project.id, participant_id):
        found.add(GroupRight.JOINED)
        charter = await services.charters.agreed(project.id)
        if charter is None or await services.charters.has_agreed(charter.id, participant_id):
            found.add(GroupRight.MEMBER)
    if GroupRight.LEAD in found:
        found.add(GroupRight.JOINED)
    if project.closed_at is not None:
        found -= {GroupRight.LEAD, GroupRight.MEMBER}
    return found


async def groups_of(services: Services, participant_id: int) -> list[Project]:
    """Every open group a person is in, leads or co-leads, each once, by name."""
    found = {p.id: p for p in await services.projects.of_member(participant_id)}
    for project in await services.projects.led_by(participant_id):
        found.setdefault(project.id, project)
    for project_id in await services.projects.coled_by(participant_id):
        coled = await services.projects.by_id(project_id) if project_id not in found else None
        if coled is not None:
            found[coled.id] = coled
    return sorted(found.values(), key=lambda p: p.name)


async def leader_ids(services: Services, project: Project) -> list[int]:
    return sorted(staff_leads(project) | set(await services.projects.coleads(project.id)))


# --- opening ------------------------------------------------------------------------------

Along = Callable[[Tx, int], Awaitable[None]]


def _key(prefix: str, decision_id: int, participant_id: int) -> str:
    return f"{prefix}:{decision_id}:{participant_id}"


async def open_decision(
    services: Services, draft: Draft, proposer_id: int, key: str, *, along: Along | None = None
) -> tuple[Decision, bool]:
    """Create the decision, send its card to every member and schedule its reminder and its
    close, all at once. A repeated submission gives back the first decision unchanged.
    `along` writes what the decision is about (a success statement) in the same transaction."""
    now = services.clock.now()
    project = await services.projects.by_id(draft.group_id)
    assert project is not None
    members = await services.decisions.members(project.id)
    rules = await rules_of(services, project.id)
    charter = await services.charters.by_id(draft.charter_id) if draft.charter_id else None
    async with services.db.transaction() as conn:
        decision_id, created = await Decisions.create(
            conn,
            project_id=project.id,
            kind=draft.kind,
            title=draft.title,
            body=draft.body,
            body_voice=draft.body_voice,
            proposer_id=proposer_id,
            dots=draft.dots,
            quorum_percent=draft.quorum_percent,
            charter_id=draft.charter_id,
            options=draft.options,
            opened=now,
            closes=draft.closes_at,
            key=key,
        )
        if created:
            if along is not None:
                await along(conn, decision_id)
            if draft.versions:
                await TextVersions.write(conn, VERSIONS_KIND, decision_id, draft.versions, now)
            decision = await Decisions.read(conn, decision_id)
            options = await Decisions.read_options(conn, decision_id)
            empty = tally([], len(members))
            messages = []
            for member in members:
                if member.telegram_id is None:
                    continue
                with language(member.language):
                    words, note = reader_copy(draft.versions, decision, member.language)
                    text, markup = card(
                        CardData(
                            words,
                            project.name,
                            options,
                            empty,
                            anonymous_allowed=rules.anonymous_allowed,
                            charter=charter,
                            note=note,
                        ),
                        services.settings.timezone,
                    )
                messages.append(
                    member_copy(
                        services,
                        member,
                        text,
                        markup,
                        _key("dcard", decision_id, member.participant_id),
                        now,
                        expires=draft.closes_at,
                        quotes=(proposer_id, *(candidate for _label, candidate in draft.options)),
                    )
                )
            await services.outbox.create_batch("decision", str(decision_id), proposer_id, now, messages)
            await services.jobs.schedule(CLOSE_JOB, str(decision_id), draft.closes_at)
            await services.jobs.schedule(REMIND_JOB, str(decision_id), remind_at(now, draft.closes_at))
    opened = await services.decisions.by_id(decision_id)
    assert opened is not None
    wake_sender(services)
    return opened, created


def preview_decision(draft: Draft) -> Decision:
    """The decision as members will see it, before it exists."""
    return Decision(
        id=0,
        project_id=draft.group_id,
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        body_voice=draft.body_voice,
        proposer_id=None,
        dots=draft.dots,
        quorum_percent=draft.quorum_percent,
        charter_id=draft.charter_id,
        opened_at=draft.closes_at,
        closes_at=draft.closes_at,
        status="open",
        members_at_close=None,
        outcome=None,
        outcome_text=None,
        block_answer=None,
        outcome_at=None,
        review_on=None,
    )


def member_copy(
    services: Services,
    member: Member,
    text: str,
    markup: Any,
    key: str,
    now: datetime,
    *,
    expires: datetime | None = None,
    file: tuple[str, bytes] | None = None,
    quotes: tuple[int | None, ...] = (),
) -> Outgoing:
    """One member's copy, outside their quiet hours; `quotes` are the people whose words or names
    it carries (erased with them). Cycles and success statements send through it too."""
    assert member.telegram_id is not None
    return Outgoing(
        chat_id=member.telegram_id,
        participant_id=member.participant_id,
        text=text,
        markup=json.dumps(markup.to_dict()) if markup is not None else None,
        dedupe_key=key,
        not_before=next_send_time(now, services.settings.timezone, member.quiet_hours),
        expires_at=expires,
        file_name=file[0] if file else None,
        file_data=file[1] if file else None,
        quotes=tuple(pid for pid in quotes if pid is not None),
    )


def wake_sender(services: Services) -> None:
    """Tell the sender new rows are committed, so it need not wait for its next look."""
    if services.sender is not None:
        services.sender.wake()


# --- one reader's card ----------------------------------------------------------------------


async def card_data(
    services: Services, decision: Decision, reader_id: int, *, reader_leads: bool, ballot: dict[int, int] | None = None
) -> CardData:
    project = await services.projects.by_id(decision.project_id)
    assert project is not None
    answers = await services.decisions.answers(decision.id)
    members = decision.members_at_close or await services.decisions.electorate_size(project.id)
    rules = await rules_of(services, project.id)
    mine = next((a for a in answers if a.participant_id == reader_id), None)
    if ballot is None:
        ballot = (await services.decisions.ballots(decision.id)).get(reader_id, {})
    charter = await services.charters.by_id(decision.charter_id) if decision.charter_id else None
    reader = await services.participants.by_id(reader_id)
    words, note = reader_copy(
        await services.text_versions.of(VERSIONS_KIND, decision.id),
        decision,
        reader.language if reader else SOURCE_LANGUAGE,
    )
    return CardData(
        words,
        project.name,
        await services.decisions.options(decision.id),
        proposal_tally(answers, members),
        answers,
        mine,
        ballot,
        reader_leads,
        rules.names_to_leads,
        rules.anonymous_allowed,
        charter,
        note,
    )


def proposal_tally(answers: Sequence[Any], members: int) -> Tally:
    return tally([(a.answer, a.on_behalf) for a in answers if a.answer is not None], members)


# --- answering ------------------------------------------------------------------------------


async def answer(
    services: Services,
    decision: Decision,
    member: Member,
    given: Answer,
    *,
    reason: str | None = None,
    reason_voice: str | None = None,
) -> bool:
    """Record or change a member's answer; False if it closed meanwhile (late answers don't count)."""
    previous = await services.decisions.my_answer(decision.id, member.participant_id)
    return await services.decisions.set_answer(
        decision.id,
        member.participant_id,
        given,
        reason=reason,
        reason_voice=reason_voice,
        on_behalf=member.acting_for_someone,
        anonymous=bool(previous and previous.anonymous),
        now=services.clock.now(),
    )


async def send_ballot(services: Services, decision: Decision, member: Member, ballot: dict[int, int]) -> bool:
    return await services.decisions.set_ballot(
        decision.id, member.participant_id, ballot, on_behalf=member.acting_for_someone, now=services.clock.now()
    )


# --- reminding, closing ------------------------------------------------------------------------


async def remind(services: Services, decision_id: int) -> None:
    """One reminder, to members who have not answered, outside their quiet hours."""
    decision = await services.decisions.by_id(decision_id)
    if decision is None or decision.status != "open":
        return
    project = await services.projects.by_id(decision.project_id)
    assert project is not None
    answered = {a.participant_id for a in await services.decisions.answers(decision_id)}
    now = services.clock.now()
    versions = await services.text_versions.of(VERSIONS_KIND, decision_id)
    messages = []
    for member in await services.decisions.members(project.id):
        if member.telegram_id is None or member.participant_id in answered:
            continue
        with language(member.language):
            words, note = reader_copy(versions, decision, member.language)
            text = with_note(
                _("⏰ “{title}” in {group} closes soon. Your answer counts. Tap below to answer.").format(
                    title=escape(title_of(words)), group=escape(project.name)
                ),
                note,
            )
            markup = column([(_("🗳 Answer now"), ShowDecisionButton(decision.id).pack())])
        messages.append(
            member_copy(
                services,
                member,
                text,
                markup,
                _key("drem", decision_id, member.participant_id),
                now,
                expires=decision.closes_at,
                quotes=(decision.proposer_id,),
            )
        )
    await services.outbox.create_batch("decision_reminder", str(decision_id), None, now, messages)
    wake_sender(services)


async def close(services: Services, decision_id: int) -> bool:
    """Close once, and tell everyone in the same transaction: members the counts or the
    results (with a chart), the leads that they must record an outcome. A vote's result is
    its outcome; an election makes its winner co-lead."""
    decision = await services.decisions.by_id(decision_id)
    if decision is None or decision.status != "open":
        return False
    project = await services.projects.by_id(decision.project_id)
    assert project is not None
    members = await services.decisions.members(project.id)
    answers = await services.decisions.answers(decision_id)
    options = await services.decisions.options(decision_id)
    ballots = await services.decisions.ballots(decision_id)
    counted = proposal_tally(answers, len(members))
    rules = await rules_of(services, project.id)
    leaders = set(await leader_ids(services, project))
    result = vote_result(decision, options, ballots) if decision.kind not in CONSENT_KINDS else None
    now = services.clock.now()
    versions = await services.text_versions.of(VERSIONS_KIND, decision_id)
    messages: list[Outgoing] = []
    pictures: dict[str, bytes] = {}
    member_ids = {m.participant_id for m in members}
    for member in await people_of(services, member_ids | leaders, members):
        if member.telegram_id is None:
            continue
        with language(member.language):
            words, note = reader_copy(versions, decision, member.language)
            if result is None:
                if member.participant_id in leaders:
                    text, markup = lead_prompt(words, project.name, counted, counted.passes(rules.decides_by))
                    messages.append(
                        member_copy(
                            services,
                            member,
                            with_note(text, note),
                            markup,
                            _key("dlead", decision_id, member.participant_id),
                            now,
                            quotes=(decision.proposer_id,),
                        )
                    )
                if member.participant_id in member_ids:
                    messages.append(
                        member_copy(
                            services,
                            member,
                            with_note(closed_text(words, project.name, counted), note),
                            None,
                            _key("dres", decision_id, member.participant_id),
                            now,
                            quotes=(decision.proposer_id,),
                        )
                    )
            else:  # a caption with a chart: the title in their language, no room for the note
                text = vote_result_text(words, project.name, result, len(ballots))
                if member.language not in pictures:  # one chart per language, drawn off the event loop
                    pictures[member.language] = (
                        await asyncio.to_thread(
                            charts.bar_chart, title_of(words), result.labels, result.values, rtl=_rtl()
                        )
                    ).png
                messages.append(
                    member_copy(
                        services,
                        member,
                        text[:1024],
                        None,
                        _key("dres", decision_id, member.participant_id),
                        now,
                        file=("results.png", pictures[member.language]),
                        quotes=(decision.proposer_id, *(o.candidate_id for o in options)),
                    )
                )
    winner = _elected(decision, options, result)
    async with services.db.transaction() as conn:
        if not await Decisions.close(conn, decision_id, len(members), now):
            return False
        if result is not None:
            await Decisions.record_outcome(
                conn,
                decision_id,
                outcome=None,
                text=", ".join(result.winners) or None,
                block_answer=None,
                review_on=None,
                by=None,
                now=now,
            )
        if winner is not None:
            await Projects.add_colead(conn, project.id, winner, "elected", now)
            await Projects.clear_candidates(conn, project.id)
        await services.outbox.create_batch("decision_closed", str(decision_id), None, now, messages)
    wake_sender(services)
    return True


def _elected(decision: Decision, options: Sequence[Any], result: Any) -> int | None:
    if decision.kind is not Kind.ELECTION or result is None or len(result.winners) != 1:
        return None
    return next((o.candidate_id for o in options if o.label == result.winners[0]), None)


def _rtl() -> bool:
    return document_language()[1] == "rtl"


async def people_of(services: Services, ids: set[int], known: Sequence[Member]) -> list[Member]:
    """Members and leads, each once, leads who are not members looked up in one query."""
    by_id = {m.participant_id: m for m in known}
    missing = sorted(ids - set(by_id))
    return [*known, *await services.decisions.people(missing)] if missing else list(known)


# --- the outcome ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeDraft:
    outcome: Outcome
    text: str
    block_answer: str | None
    review_on: str | None  # YYYY-MM-DD


async def record_outcome(services: Services, decision_id: int, draft: OutcomeDraft, by: int) -> bool:
    """Record the outcome once and tell every member in their language in the same
    transaction; adopting a charter proposal agrees the charter, adopting a success statement's
    proposal agrees the statement (and asks members for its baseline). A review date schedules
    a prompt to the leads."""
    decision = await services.decisions.by_id(decision_id)
    if decision is None or decision.status != "closed":
        return False
    project = await services.projects.by_id(decision.project_id)
    assert project is not None
    now = services.clock.now()
    tz = services.settings.timezone
    decided = Decision(
        **{
            **decision.__dict__,
            "status": "decided",
            "outcome": draft.outcome,
            "outcome_text": draft.text,
            "block_answer": draft.block_answer,
            "review_on": draft.review_on,
            "outcome_at": now,
        }
    )
    answers = await services.decisions.answers(decision_id)
    agreed = [a for a in answers if a.answer is Answer.AGREE]
    counted = proposal_tally(answers, decision.members_at_close or 0)
    versions = await services.text_versions.of(VERSIONS_KIND, decision_id)
    messages = []
    for member in await services.decisions.members(project.id):
        if member.telegram_id is None:
            continue
        with language(member.language):
            words, note = reader_copy(versions, decided, member.language)
            text = with_note(outcome_text(words, project.name, tz, counted), note)
        messages.append(
            member_copy(
                services,
                member,
                text,
                None,
                _key("dout", decision_id, member.participant_id),
                now,
                quotes=(decision.proposer_id,),
            )
        )
    async with services.db.transaction() as conn:
        if not await Decisions.record_outcome(
            conn,
            decision_id,
            outcome=draft.outcome,
            text=draft.text,
            block_answer=draft.block_answer,
            review_on=draft.review_on,
            by=by,
            now=now,
        ):
            return False
        if decision.kind is Kind.CHARTER and decision.charter_id and draft.outcome is not Outcome.NOT_ADOPTED:
            await Charters.adopt(conn, decision.charter_id, [a.participant_id for a in agreed], now)
        if draft.outcome is not Outcome.NOT_ADOPTED and await SuccessStore.agree(conn, decision_id, now):
            await services.jobs.schedule(BASELINE_JOB, str(decision_id), now)
        if draft.review_on:
            review = local_to_utc(datetime.combine(datetime.fromisoformat(draft.review_on).date(), REVIEW_HOUR), tz)
            assert review is not None, "no clock change skips 09:00"
            await services.jobs.schedule(REVIEW_JOB, str(decision_id), review)
        await services.outbox.create_batch("decision_outcome", str(decision_id), by, now, messages)
    wake_sender(services)
    return True


async def prompt_review(services: Services, decision_id: int) -> None:
    """On the review date, the leads are asked to look at the decision again."""
    decision = await services.decisions.by_id(decision_id)
    if decision is None or decision.status != "decided":
        return
    project = await services.projects.by_id(decision.project_id)
    assert project is not None
    now = services.clock.now()
    messages = []
    for leader in await services.decisions.people(await leader_ids(services, project)):
        if leader.telegram_id is None:
            continue
        with language(leader.language):
            text = _(
                "📅 Time to look again at “{title}” in {group}. Is it working? You can put a new proposal "
                "with /propose."
            ).format(title=escape(title_of(decision)), group=escape(project.name))
        messages.append(
            member_copy(
                services,
                leader,
                text,
                None,
                _key("drev", decision_id, leader.participant_id),
                now,
                quotes=(decision.proposer_id,),
            )
        )
    await services.outbox.create_batch("decision_review", str(decision_id), None, now, messages)
    await services.decisions.mark_review_prompted(decision_id, now)
    wake_sender(services)


# --- the log ----------------------------------------------------------------------------------


async def log_entries(services: Services, project_id: int) -> list[LogEntry]:
    """Every decision of the group, newest first, with its counts (two queries in all)."""
    members_now = await services.decisions.electorate_size(project_id)
    counts = await services.decisions.answer_counts(project_id)
    entries = []
    for decision in await services.decisions.of_project(project_id):
        found = counts.get(decision.id, {})
        by_answer = {a: sum(n for (given, _behalf), n in found.items() if given == a.value) for a in Answer}
        answered = sum(found.values())
        counted = Tally(
            counts=by_answer,
            members=decision.members_at_close or members_now,
            on_behalf=sum(n for (_given, behalf), n in found.items() if behalf),
        )
        if decision.kind not in CONSENT_KINDS:
            counted = Tally(counts={Answer.AGREE: answered}, members=counted.members, on_behalf=counted.on_behalf)
        entries.append(LogEntry(decision, counted, _result_name(decision)))
    return entries


def _result_name(decision: Decision) -> str:
    if decision.outcome is not None:
        return _(OUTCOME_NAMES[decision.outcome])
    if decision.status == "decided":
        return _("Chosen: {name}").format(name=decision.outcome_text) if decision.outcome_text else _("No votes")
    return ""


# --- co-leads ----------------------------------------------------------------------------------


async def appoint(services: Services, project: Project, member_id: int) -> bool:
    """A lead appoints a member as co-lead; the new co-lead is told what it means."""
    now = services.clock.now()
    people = await services.decisions.people([member_id])
    person = people[0] if people else None
    async with services.db.transaction() as conn:
        if not await Projects.add_colead(conn, project.id, member_id, "appointed", now):
            return False
        if person is not None and person.telegram_id is not None:
            with language(person.language):
                text = _(
                    "⭐ You are now a co-lead of {group}. You can start proposals and votes for the group, "
                    "and see its results. Send /groups to begin."
                ).format(group=escape(project.name))
            await services.outbox.create_batch(
                "colead",
                str(project.id),
                None,
                now,
                [member_copy(services, person, text, None, f"colead:{project.id}:{member_id}", now)],
            )
    wake_sender(services)
    return True


async def start_election(
    services: Services, project: Project, by: int, closes_at: datetime, key: str
) -> tuple[Decision, bool] | None:
    """An election among the members who stood; None when fewer than two stood. While one
    is open, asking again gives back that one."""
    running = [d for d in await services.decisions.of_project(project.id, open_only=True) if d.kind is Kind.ELECTION]
    if running:
        return running[0], False
    candidates = await services.projects.candidates(project.id)
    if len(candidates) < 2:
        return None
    draft = Draft(
        group_id=project.id,
        kind=Kind.ELECTION,
        title=ELECTION_TITLE,
        dots=1,
        closes_at=closes_at,
        options=[(name, pid) for pid, name in candidates],
    )
    return await open_decision(services, draft, by, key)


# --- the charter --------------------------------------------------------------------------------

CHARTER_TITLE = "charter"  # shown to each reader in their own words (see decide.views.title_of)


async def propose_charter(
    services: Services, charter: Charter, by: int, closes_at: datetime, key: str
) -> tuple[Decision, bool]:
    """Save the draft and put it to members as a proposal; adopting it agrees the charter."""
    existing = await services.decisions.by_key(key)
    if existing is not None:
        return existing, False
    fields = {name: getattr(charter, name) for name in CHARTER_FIELDS}
    charter_id = await services.charters.draft(charter.project_id, fields, by, services.clock.now())
    draft = Draft(
        group_id=charter.project_id,
        kind=Kind.CHARTER,
        title=CHARTER_TITLE,
        closes_at=closes_at,
        quorum_percent=charter.quorum_percent,
        charter_id=charter_id,
    )
    return await open_decision(services, draft, by, key)


# --- measures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Together:
    """How far a group decides together, for /impact."""

    level: Level
    decided: int
    turnout_percent: int
    charter_agreed: bool

    @property
    def flagged(self) -> bool:
        """A group may call itself co-design or co-produce only with a charter its members agreed
        and at least one decision made together."""
        return shares_power(self.level) and (not self.charter_agreed or self.decided == 0)


async def together(services: Services, groups: Sequence[Project]) -> dict[int, Together]:
    ids = [g.id for g in groups]
    taking_part = await services.decisions.taking_part(ids)
    agreed = await services.charters.agreed_for(ids)
    return {g.id: Together(g.level, *taking_part.get(g.id, (0, 0)), g.id in agreed) for g in groups}


# --- updates from the group's leads -----------------------------------------------------------


async def post_update(services: Services, project: Project, author: Member, text: str, key: str) -> int:
    """A lead or co-lead tells every member something; returns how many it goes to."""
    now = services.clock.now()
    messages = []
    for member in await services.decisions.members(project.id):
        if member.telegram_id is None or member.participant_id == author.participant_id:
            continue
        with language(member.language):
            shown = _("📣 <b>{name}</b> · {group}").format(name=escape(author.name), group=escape(project.name))
        messages.append(
            member_copy(
                services,
                member,
                shown + "\n" + escape(text),
                None,
                f"gupdate:{key}:{member.participant_id}",
                now,
                quotes=(author.participant_id,),
            )
        )
    _batch, added = await services.outbox.create_batch(
        "group_update", str(project.id), author.participant_id, now, messages
    )
    wake_sender(services)
    return added
