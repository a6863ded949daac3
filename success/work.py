"""The work of success statements, callable from handlers, jobs and tests alike: putting a
statement to the group as a proposal, asking members for its baseline once it is agreed,
the progress screens after a meeting, and the measures and chart the group sees."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.i18n import _, document_language, format_date, language
from bot.keyboards import Button, keyboard
from bot.services import Services
from bot.text import escape
from decide import charts, work
from decide.charts import Chart
from domain.decisions import Kind
from domain.success import BASELINE, BASELINE_JOB, SCALE, VIEWS, Progress, progress
from storage.db import Tx
from storage.decisions import Decision
from storage.success import Statement, SuccessStore
from success.buttons import BaselineButton, ProgressButton

PROPOSAL_DAYS = 7  # long enough for members who check their phone once a week
TREND_MEETINGS = 7  # the latest meetings on a chart, after the start: it stays readable on a phone


@dataclass(frozen=True)
class Proposed:
    group_id: int
    text: str
    view: str
    indicators: str | None


async def propose(services: Services, proposed: Proposed, by: int, key: str) -> tuple[Decision, bool]:
    """Open a proposal for the group to agree the statement by its own rules; when its outcome
    is recorded as agreed, the statement is agreed (see decide.work.record_outcome)."""
    body = _("What success looks like, for: {view}.").format(view=_(VIEWS[proposed.view]))
    if proposed.indicators:
        body += "\n" + _("How we will know: {indicators}").format(indicators=proposed.indicators)
    now = services.clock.now()
    draft = work.Draft(
        group_id=proposed.group_id,
        kind=Kind.PROPOSAL,
        title=proposed.text,
        body=body,
        closes_at=now + timedelta(days=PROPOSAL_DAYS),
    )

    async def statement(conn: Tx, decision_id: int) -> None:
        await SuccessStore.propose(
            conn, proposed.group_id, proposed.text, proposed.view, proposed.indicators, by, decision_id, now
        )

    return await work.open_decision(services, draft, by, key, along=statement)


# --- the baseline -----------------------------------------------------------------------------


def scale_rows(button: Callable[[int], str]) -> list[list[Button]]:
    """1 to 5 on one row, Skip below: `button(score)` packs each press."""
    return [[(_(label) if n in (1, 5) else label, button(n)) for n, label in SCALE.items()], [(_("Skip »"), button(0))]]


async def ask_baseline(services: Services, decision_id: int) -> None:
    """Every member is asked once, outside their quiet hours: where are we now?"""
    statement = await services.success.by_decision(decision_id)
    if statement is None or statement.agreed_at is None:
        return
    project = await services.projects.by_id(statement.project_id)
    assert project is not None
    now = services.clock.now()
    messages = []
    for member in await services.decisions.members(project.id):
        if member.telegram_id is None:
            continue
        with language(member.language):
            text = _(
                "🎯 {group} agreed what success looks like: “{statement}”. Where are we now? Tap 1 for not at "
                "all, up to 5 for we are there."
            ).format(group=escape(project.name), statement=escape(statement.text))
            markup = keyboard(scale_rows(lambda n: BaselineButton(project.id, statement.id, n).pack()))
        messages.append(
            work.member_copy(
                services,
                member,
                text,
                markup,
                f"ubase:{statement.id}:{member.participant_id}",
                now,
                quotes=(statement.proposed_by,),
            )
        )
    await services.outbox.create_batch("success_baseline", str(statement.id), None, now, messages)
    if services.sender is not None:
        services.sender.wake()


def job_handlers(services: Services) -> dict[str, Any]:
    async def baseline(ref: str) -> None:
        await ask_baseline(services, int(ref))

    return {BASELINE_JOB: baseline}


# --- after a meeting --------------------------------------------------------------------------


async def progress_screen(services: Services, meeting_id: int, after: int | None) -> tuple[str, Any] | None:
    """The next agreed statement of the meeting's group to rate (after statement `after`), or None."""
    meeting = await services.meetings.by_id(meeting_id)
    if meeting is None or meeting.project_id is None:
        return None
    group = meeting.project_id
    statements = [s for s in await services.success.agreed(group) if after is None or s.id > after]
    if not statements:
        return None
    statement = statements[0]
    text = _("How far have we got with “{statement}”? Tap 1 for not at all, up to 5 for we are there.").format(
        statement=escape(statement.text)
    )
    return text, keyboard(scale_rows(lambda n: ProgressButton(group, meeting_id, statement.id, n).pack()))


# --- how are we doing? --------------------------------------------------------------------------


def average_text(value: float | None) -> str:
    return _("not enough answers yet") if value is None else f"{value:.1f}"


async def measures(services: Services, statement: Statement) -> Progress:
    order = [meeting_id for meeting_id, _when in await services.success.meetings(statement.project_id)]
    return progress(await services.success.ratings(statement.id), order)


def status_line(statement: Statement, measured: Progress) -> str:
    latest = measured.latest
    return _("🎯 “{statement}” ({view})\nAt the start: {start}. Latest: {latest}.").format(
        statement=escape(statement.text),
        view=_(VIEWS[statement.view]),
        start=average_text(measured.baseline.average),
        latest=average_text(latest.average if latest else None),
    )


async def trend_chart(services: Services, statement: Statement) -> Chart | None:
    """The baseline and the latest meetings with enough answers, in order; None if there is none yet."""
    measured = await measures(services, statement)
    when = dict(await services.success.meetings(statement.project_id))
    labels, values = [], []
    shown = [(0, measured.baseline), *list(enumerate(measured.trend, 1))[-TREND_MEETINGS:]]
    for number, point in shown:
        if point.average is None:
            continue
        moment = when.get(point.meeting_id)
        labels.append(
            _("At the start")
            if point.meeting_id == BASELINE
            else format_date(moment, services.settings.timezone)
            if moment
            else _("Meeting {number}").format(number=number)
        )
        values.append(round(point.average, 1))
    if not values:
        return None
    rtl = document_language()[1] == "rtl"
    return await asyncio.to_thread(charts.bar_chart, statement.text, labels, values, rtl=rtl, in_order=True, top=5)
