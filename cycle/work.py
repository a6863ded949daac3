"""The work of a Working Together for Change cycle, callable from handlers, jobs and tests.

Each step change writes the new step, schedules its closing time (and, where everyone is
asked something, a reminder) and queues every participant's message in one transaction, so
a restart or a crash never loses a step or tells anyone twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot.i18n import _, language
from bot.keyboards import column
from bot.services import Services
from bot.text import escape
from cycle import report, views
from cycle.buttons import ActionUpdateButton
from cycle.success import success_statements
from decide import work as decide
from decide.views import vote_result
from domain.cycles import (
    ASKS_EVERYONE,
    STEP_NAMES,
    Kind,
    Step,
    accepting,
    figures,
    not_answered,
    remind_at,
    settled_theme,
    step_closes,
)
from domain.decisions import DEFAULT_DOTS
from domain.decisions import Kind as DecisionKind
from storage.cycles import Cycle, Cycles, SuccessLine
from storage.decisions import Member
from storage.outbox import Outgoing
from storage.projects import Project

CLOSE_JOB, REMIND_JOB = "cycle.close", "cycle.remind"


def _ref(cycle_id: int, step: Step) -> str:
    return f"{cycle_id}:{step.value}"


def parse_ref(ref: str) -> tuple[int, Step]:
    cycle_id, step = ref.split(":")
    return int(cycle_id), Step(step)


async def participants(services: Services, cycle: Cycle) -> list[Member]:
    """Who takes part: the members the lead picked, or every member. Someone who has left the
    group is asked nothing more."""
    members = await services.decisions.members(cycle.project_id)
    if not cycle.picked:
        return members
    chosen = await services.cycles.chosen(cycle.id)
    return [m for m in members if m.participant_id in chosen]


async def takes_part(services: Services, cycle: Cycle, participant_id: int) -> bool:
    return any(m.participant_id == participant_id for m in await participants(services, cycle))


async def _closes(services: Services, cycle: Cycle, step: Step, now: datetime) -> datetime:
    """When `step`, opening now, closes: its agreed date, kept even after a restart."""
    return step_closes((await services.cycles.step_dates(cycle.id)).get(step), now, cycle.step_days)


async def _project(services: Services, cycle: Cycle) -> Project:
    project = await services.projects.by_id(cycle.project_id)
    assert project is not None
    return project


def _message(
    services: Services,
    member: Member,
    text: str,
    markup: InlineKeyboardMarkup | None,
    key: str,
    now: datetime,
    *,
    file: tuple[str, bytes] | None = None,
    quotes: tuple[int | None, ...] = (),
) -> Outgoing:
    return decide.member_copy(services, member, text, markup, key, now, file=file, quotes=quotes)


# --- starting --------------------------------------------------------------------------------


async def start(
    services: Services,
    project: Project,
    lead_id: int,
    question: str,
    days: int,
    dates: Mapping[Step, datetime],
    chosen: Sequence[int] | None,
    key: str,
) -> tuple[Cycle, bool]:
    """Prepare is done: the cycle opens at Collect and every participant (the members the lead
    picked, or every member) is asked for their answers. `dates`: each step's agreed closing."""
    now = services.clock.now()
    closes = step_closes(dates.get(Step.COLLECT), now, days)
    dates = {**dates, Step.COLLECT: closes}
    members = [m for m in await services.decisions.members(project.id) if chosen is None or m.participant_id in chosen]
    async with services.db.transaction() as conn:
        cycle_id, created = await Cycles.create(
            conn,
            project_id=project.id,
            question=question,
            lead_id=lead_id,
            days=days,
            now=now,
            dates=dates,
            chosen=chosen,
            key=key,
        )
        if created:
            cycle = Cycle(
                cycle_id,
                project.id,
                question,
                lead_id,
                Step.COLLECT,
                days,
                now,
                closes,
                False,
                None,
                False,
                chosen is not None,
            )
            await _announce(services, cycle, project, members, now)
    found = await services.cycles.by_id(cycle_id)
    assert found is not None
    decide.wake_sender(services)
    return found, created


Words = Callable[[], str]  # drawn inside each reader's language
Buttons = Callable[[], InlineKeyboardMarkup]


async def _announce(
    services: Services,
    cycle: Cycle,
    project: Project,
    members: list[Member],
    now: datetime,
    *,
    extra: Words | None = None,
    markup: Buttons | None = None,
    quotes: tuple[int | None, ...] = (),
) -> None:
    """Tell every member the step the cycle is now at, and schedule its close and reminder."""
    messages = []
    for member in members:
        if member.telegram_id is None:
            continue
        with language(member.language):
            text = views.status_text(cycle, project.name, services.settings.timezone)
            shown = markup() if markup else None
            if cycle.step is Step.COLLECT:
                text += "\n\n" + _(
                    "Please tell us the two things that are working, the two that are not, and "
                    "what you want for the future. You can type or send a voice note."
                )
                shown = views.answer_markup(cycle)
            if extra is not None:
                text += "\n\n" + extra()
        messages.append(
            _message(
                services,
                member,
                text[:4096],
                shown,
                f"cycle:{cycle.id}:{cycle.step.value}:{member.participant_id}",
                now,
                quotes=quotes,
            )
        )
    await services.outbox.create_batch("cycle_step", str(cycle.id), None, now, messages)
    if cycle.finished:
        return
    await services.jobs.schedule(CLOSE_JOB, _ref(cycle.id, cycle.step), cycle.step_closes_at)
    if cycle.step in ASKS_EVERYONE:
        await services.jobs.schedule(REMIND_JOB, _ref(cycle.id, cycle.step), remind_at(now, cycle.step_closes_at))


async def _move(
    services: Services,
    cycle: Cycle,
    to_step: Step,
    *,
    extra: Words | None = None,
    markup: Buttons | None = None,
    decision_id: int | None = None,
    quotes: tuple[int | None, ...] = (),
) -> bool:
    """Move the cycle to `to_step` and announce it, once."""
    project = await _project(services, cycle)
    members = await participants(services, cycle)
    now = services.clock.now()
    moved = Cycle(
        **{
            **cycle.__dict__,
            "step": to_step,
            "step_opened_at": now,
            "step_closes_at": await _closes(services, cycle, to_step, now),
            "step_closed": False,
            "finished": to_step is Step.REVIEW,
        }
    )
    async with services.db.transaction() as conn:
        if not await Cycles.move(
            conn, cycle.id, cycle.step, to_step, now, moved.step_closes_at, decision_id=decision_id
        ):
            return False
        await _announce(services, moved, project, members, now, extra=extra, markup=markup, quotes=quotes)
    decide.wake_sender(services)
    return True


# --- collect ---------------------------------------------------------------------------------


async def give_answers(
    services: Services, cycle: Cycle, member: Member, answers: list[tuple[Kind, str | None, str | None]]
) -> bool:
    """A participant's answers; False once Collect has closed (late answers don't count)."""
    if cycle.step_closed or not accepting(Step.COLLECT, cycle.step, cycle.step_closes_at, services.clock.now()):
        return False
    if not await takes_part(services, cycle, member.participant_id):
        return False
    return await services.cycles.add_statements(
        cycle.id, member.participant_id, answers, member.acting_for_someone, services.clock.now()
    )


# --- theme -----------------------------------------------------------------------------------


async def settled(services: Services, cycle: Cycle) -> dict[int, int | None]:
    """Statement id → the theme it belongs to, once participants have had their say."""
    placements = await services.cycles.placements(cycle.id)
    return {
        s.id: settled_theme(s.theme_id, placements.get(s.id, [])) for s in await services.cycles.statements(cycle.id)
    }


async def send_themes(services: Services, cycle: Cycle) -> bool:
    """Every participant gets the themes with the anonymised statements, to agree or change."""
    statements = await services.cycles.statements(cycle.id)
    themes = await services.cycles.themes(cycle.id)
    if cycle.step is not Step.COLLECT or not themes:
        return False
    project = await _project(services, cycle)
    placed = {s.id: s.theme_id for s in statements}
    return await _move(
        services,
        cycle,
        Step.THEME,
        extra=lambda: views.themes_text(cycle, project.name, themes, statements, placed),
        markup=lambda: views.themes_markup(cycle, statements),
        quotes=tuple(s.participant_id for s in statements),
    )


async def agree_themes(services: Services, cycle: Cycle, participant_id: int) -> bool:
    if cycle.step is not Step.THEME or cycle.step_closed or not await takes_part(services, cycle, participant_id):
        return False
    await services.cycles.respond(cycle.id, Step.THEME, participant_id, services.clock.now())
    return True


# --- understand ------------------------------------------------------------------------------


async def ask_causes(services: Services, cycle: Cycle, causes: list[str], by: int) -> bool:
    """Step 4 is a dot vote of the group (decide/), on the causes the lead names."""
    if cycle.step is not Step.THEME:
        return False
    draft = decide.Draft(
        group_id=cycle.project_id,
        kind=DecisionKind.DOTS,
        title=cycle.question[:120],
        closes_at=await _closes(services, cycle, Step.UNDERSTAND, services.clock.now()),
        dots=DEFAULT_DOTS,
        options=[(cause, None) for cause in causes],
    )
    decision, _created = await decide.open_decision(services, draft, by, key=f"cycle:{cycle.id}:causes")
    return await _move(
        services,
        cycle,
        Step.UNDERSTAND,
        decision_id=decision.id,
        extra=lambda: _("The vote about causes comes in its own message."),
    )


# --- success, plan, implement ------------------------------------------------------------------


async def set_success(
    services: Services, cycle: Cycle, success: Sequence[SuccessLine], baselines: Mapping[int, str]
) -> bool:
    """The success statements, and theme id → where it stands now; then everyone hears them."""
    if cycle.step is not Step.UNDERSTAND:
        return False
    await services.cycles.save_success(cycle.id, success, baselines, services.clock.now())
    found = await success_statements(services, cycle)
    return await _move(services, cycle, Step.SUCCESS, extra=lambda: views.success_text(found))


async def next_step(services: Services, cycle: Cycle) -> bool:
    """Success → Plan → Implement → Review, each when the lead says so."""
    if cycle.step is Step.SUCCESS:
        return await _move(services, cycle, Step.PLAN, markup=lambda: views.propose_markup(cycle))
    if cycle.step is Step.PLAN:
        return await _start_actions(services, cycle)
    if cycle.step is Step.IMPLEMENT:
        return await review(services, cycle)
    return False


async def add_action(
    services: Services, cycle: Cycle, theme_id: int | None, text: str, owner_id: int | None, due_on: str | None, by: int
) -> int:
    return await services.cycles.add_action(cycle.id, theme_id, text, owner_id, due_on, by, services.clock.now())


async def propose_action(services: Services, cycle: Cycle, member: Member, text: str) -> bool:
    """A member's idea for the plan, in their words; the leads hear it. False once planning is over."""
    if cycle.step is not Step.PLAN or cycle.finished or not await takes_part(services, cycle, member.participant_id):
        return False
    now = services.clock.now()
    action_id = await services.cycles.add_action(
        cycle.id, None, text, None, None, member.participant_id, now, proposed=True
    )
    project = await _project(services, cycle)
    messages = []
    for leader in await services.decisions.people(await decide.leader_ids(services, project)):
        if leader.telegram_id is None:
            continue
        with language(leader.language):
            shown = _(
                "💡 A member proposed an action for “{question}”: {text}\nYou can add it to the plan from /cycle."
            ).format(question=escape(cycle.question), text=escape(text))
        messages.append(
            _message(
                services,
                leader,
                shown,
                None,
                f"cycle:{cycle.id}:proposal:{action_id}:{leader.participant_id}",
                now,
                quotes=(member.participant_id,),
            )
        )
    await services.outbox.create_batch("cycle_proposal", str(cycle.id), member.participant_id, now, messages)
    decide.wake_sender(services)
    return True


async def _start_actions(services: Services, cycle: Cycle) -> bool:
    actions = await services.cycles.actions(cycle.id)

    def plan() -> str:
        return "\n".join(
            _("• {action} (owner: {owner}; by {date})").format(
                action=escape(a.text), owner=escape(a.owner_name), date=a.due_on or "—"
            )
            for a in actions
            if not a.proposed
        )

    if not await _move(
        services, cycle, Step.IMPLEMENT, extra=plan, quotes=tuple(a.owner_id for a in actions if not a.proposed)
    ):
        return False
    await _ask_ratings(services, cycle, "baseline")
    owners = {a.owner_id: a for a in actions if a.owner_id is not None}
    people = await services.decisions.people(sorted(owners))
    now = services.clock.now()
    messages = []
    for person in people:
        if person.telegram_id is None:
            continue
        mine = [a for a in actions if a.owner_id == person.participant_id]
        with language(person.language):
            text = _("📌 You own these actions. Post an update when something happens, and members will hear it.")
            markup = column((f"✍️ {a.text[:40]}", ActionUpdateButton(cycle.project_id, a.id).pack()) for a in mine)
        messages.append(
            _message(services, person, text, markup, f"cycle:{cycle.id}:owner:{person.participant_id}", now)
        )
    await services.outbox.create_batch("cycle_owner", str(cycle.id), None, now, messages)
    decide.wake_sender(services)
    return True


async def _ask_ratings(services: Services, cycle: Cycle, moment: str) -> None:
    """Every participant rates each success statement 1 to 5: where are we now?"""
    now = services.clock.now()
    found = await success_statements(services, cycle)
    messages = []
    for member in await participants(services, cycle):
        if member.telegram_id is None:
            continue
        for success in found:
            with language(member.language):
                text = views.rating_question(success)
                markup = views.rating_markup(cycle.project_id, success)
            messages.append(
                _message(
                    services,
                    member,
                    text,
                    markup,
                    f"cycle:{cycle.id}:rate:{moment}:{success.id}:{member.participant_id}",
                    now,
                )
            )
    await services.outbox.create_batch("cycle_rating", f"{cycle.id}:{moment}", None, now, messages)
    decide.wake_sender(services)


async def measure(services: Services, cycle: Cycle) -> bool:
    """Before the review, the lead asks everyone "where are we now?" again, once."""
    if cycle.step is not Step.IMPLEMENT or not await services.cycles.measure(cycle.id, services.clock.now()):
        return False
    await _ask_ratings(services, cycle, "review")
    return True


async def rate(services: Services, success_id: int, participant_id: int, score: int) -> bool:
    """A participant's 1-5 while the actions run: the baseline, or once the lead asked again, the
    review rating. False when the cycle is not at Implement or they do not take part."""
    found = await services.cycles.success_line(success_id)
    cycle = await services.cycles.by_id(found[0]) if found else None
    if (
        cycle is None
        or cycle.step is not Step.IMPLEMENT
        or cycle.finished
        or not 1 <= score <= 5
        or not await takes_part(services, cycle, participant_id)
    ):
        return False
    await services.cycles.rate(
        success_id, participant_id, "review" if cycle.measured else "baseline", score, services.clock.now()
    )
    return True


async def post_update(services: Services, cycle: Cycle, action_id: int, author: Member, text: str) -> int:
    """An owner's update reaches every member; returns how many it goes to."""
    now = services.clock.now()
    await services.cycles.add_update(action_id, author.participant_id, text, now)
    project = await _project(services, cycle)
    action = next(a for a in await services.cycles.actions(cycle.id) if a.id == action_id)
    count = len(action.updates)
    messages = []
    for member in await participants(services, cycle):
        if member.telegram_id is None or member.participant_id == author.participant_id:
            continue
        with language(member.language):
            shown = _("📌 Update on “{action}” · {group}").format(
                action=escape(action.text), group=escape(project.name)
            )
        messages.append(
            _message(
                services,
                member,
                shown + "\n" + escape(text),
                None,
                f"cycle:{cycle.id}:update:{action_id}:{count}:{member.participant_id}",
                now,
                quotes=(author.participant_id,),
            )
        )
    _batch, added = await services.outbox.create_batch(
        "cycle_update", str(cycle.id), author.participant_id, now, messages
    )
    decide.wake_sender(services)
    return added


async def want_report(services: Services, cycle: Cycle, participant_id: int) -> bool:
    """Someone not taking part asks for the report; False once it has gone, or if they take part."""
    if cycle.finished or await takes_part(services, cycle, participant_id):
        return False
    await services.cycles.add_interested(cycle.id, participant_id, services.clock.now())
    return True


# --- review ----------------------------------------------------------------------------------


async def report_data(services: Services, cycle: Cycle) -> report.ReportData:
    project = await _project(services, cycle)
    statements = await services.cycles.statements(cycle.id)
    placed = await settled(services, cycle)
    actions = await services.cycles.actions(cycle.id)
    causes = None
    if cycle.decision_id is not None:
        decision = await services.decisions.by_id(cycle.decision_id)
        if decision is not None:
            causes = vote_result(
                decision, await services.decisions.options(decision.id), await services.decisions.ballots(decision.id)
            )
    counted = figures(
        len(await participants(services, cycle)),
        [(s.participant_id, s.on_behalf) for s in statements],
        {s.id: (s.theme_id, placed[s.id]) for s in statements},
        sum(1 for a in actions if not a.proposed),
        sum(len(a.updates) for a in actions),
    )
    return report.ReportData(
        cycle.question,
        project.name,
        counted,
        await services.cycles.themes(cycle.id),
        statements,
        placed,
        causes,
        await success_statements(services, cycle),
        actions,
    )


async def review(services: Services, cycle: Cycle) -> bool:
    """The last step: everyone who took part, the leads and anyone who asked get the report in
    their language, the leads the CSV too."""
    data = await report_data(services, cycle)
    project = await _project(services, cycle)
    if not await _move(services, cycle, Step.REVIEW, extra=lambda: _("Your report comes in the next message.")):
        return False
    now = services.clock.now()
    leaders = set(await decide.leader_ids(services, project))
    people = await decide.people_of(
        services, leaders | await services.cycles.interested(cycle.id), await participants(services, cycle)
    )
    pages: dict[str, bytes] = {}
    spreadsheet = report.render_csv(data)
    messages = []
    quotes = tuple(await services.cycles.named(cycle.id))
    for person in people:
        if person.telegram_id is None:
            continue
        with language(person.language):
            if person.language not in pages:
                pages[person.language] = (await asyncio.to_thread(_in_language, person.language, data)).encode()
            caption = _("📊 The report for “{question}”. Open it in your browser to read or print it.").format(
                question=escape(cycle.question)
            )
        messages.append(
            _message(
                services,
                person,
                caption[:1024],
                None,
                f"cycle:{cycle.id}:report:{person.participant_id}",
                now,
                file=("report.html", pages[person.language]),
                quotes=quotes,
            )
        )
        if person.participant_id in leaders:
            with language(person.language):
                caption = _("The same report as a spreadsheet, for the council.")
            messages.append(
                _message(
                    services,
                    person,
                    caption,
                    None,
                    f"cycle:{cycle.id}:csv:{person.participant_id}",
                    now,
                    file=("report.csv", spreadsheet),
                    quotes=quotes,
                )
            )
    await services.outbox.create_batch("cycle_report", str(cycle.id), None, now, messages)
    decide.wake_sender(services)
    return True


def _in_language(code: str, data: report.ReportData) -> str:
    with language(code):
        return report.render_html(data)


# --- closing times and reminders -----------------------------------------------------------------


async def close_step(services: Services, cycle_id: int, step: Step) -> None:
    """At a step's closing time answers stop, and the leads hear what comes next."""
    cycle = await services.cycles.by_id(cycle_id)
    if cycle is None or cycle.step is not step or cycle.finished:
        return
    project = await _project(services, cycle)
    now = services.clock.now()
    closed = Cycle(**{**cycle.__dict__, "step_closed": True})
    messages = []
    for leader in await services.decisions.people(await decide.leader_ids(services, project)):
        if leader.telegram_id is None:
            continue
        with language(leader.language):
            text = _("⏱ {step} has closed in {group}. You can start the next step now.").format(
                step=_(STEP_NAMES[step]), group=escape(project.name)
            )
            text += "\n\n" + views.status_text(closed, project.name, services.settings.timezone)
            markup = views.lead_markup(closed)
        messages.append(
            _message(
                services, leader, text, markup, f"cycle:{cycle_id}:{step.value}:closed:{leader.participant_id}", now
            )
        )
    async with services.db.transaction() as conn:
        if not await Cycles.close_step(conn, cycle_id, step, now):
            return
        await services.outbox.create_batch("cycle_closed", str(cycle_id), None, now, messages)
    decide.wake_sender(services)


async def remind(services: Services, cycle_id: int, step: Step) -> None:
    """One reminder to those who have not answered this step, outside their quiet hours."""
    cycle = await services.cycles.by_id(cycle_id)
    if cycle is None or cycle.step is not step or cycle.step_closed or cycle.finished:
        return
    project = await _project(services, cycle)
    members = await participants(services, cycle)
    waiting = set(not_answered([m.participant_id for m in members], await services.cycles.answered(cycle_id, step)))
    now = services.clock.now()
    messages = []
    for member in members:
        if member.telegram_id is None or member.participant_id not in waiting:
            continue
        with language(member.language):
            text = _(
                "⏰ {step} closes soon for “{question}” in {group}. Your answer counts. Send /cycle to answer."
            ).format(step=_(STEP_NAMES[step]), question=escape(cycle.question), group=escape(project.name))
        messages.append(
            _message(
                services,
                member,
                text,
                views.answer_markup(cycle) if step is Step.COLLECT else None,
                f"cycle:{cycle_id}:{step.value}:remind:{member.participant_id}",
                now,
            )
        )
    await services.outbox.create_batch("cycle_reminder", str(cycle_id), None, now, messages)
    decide.wake_sender(services)
