"""What a cycle looks like to each reader, in their language: where it is and what comes next,
a step's announcement, the themes with their anonymised statements, and the lead's buttons.

Statements are shown without names: the words only, or "a voice note" (a voice identifies its
speaker, so only the leads hear it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.i18n import _, format_datetime
from bot.keyboards import Button, column, keyboard
from bot.text import escape, fit_lines
from cycle.buttons import (
    AgreeThemesButton,
    AnswerCycleButton,
    DraftThemeButton,
    InterestedButton,
    LeadStepButton,
    PlaceButton,
    ProposeActionButton,
    RateSuccessButton,
)
from cycle.success import Success
from domain.cycles import KIND_NAMES, STEP_MEANINGS, STEP_NAMES, STEPS, Step, after, number
from domain.success import VIEWS
from storage.cycles import Cycle, Statement, Theme
from success.work import average_text, scale_rows

STATEMENT_SHOWN = 200


def step_line(step: Step) -> str:
    return _("Step {number} of {total}: {name}. {meaning}").format(
        number=number(step), total=len(STEPS), name=_(STEP_NAMES[step]), meaning=_(STEP_MEANINGS[step])
    )


def status_text(cycle: Cycle, group: str, tz: ZoneInfo) -> str:
    """Where the cycle is, when the step closes, and what happens next."""
    lines = [
        _("🔄 <b>{question}</b> · {group}").format(question=escape(cycle.question), group=escape(group)),
        step_line(cycle.step),
    ]
    if cycle.finished:
        lines.append(_("This cycle is finished. Everyone who took part got the report."))
        return "\n".join(lines)
    if cycle.step_closed:
        lines.append(_("This step has closed. The lead will start the next one soon."))
    else:
        lines.append(_("This step closes on {date}.").format(date=format_datetime(cycle.step_closes_at, tz)))
    coming = after(cycle.step)
    if coming is not None:
        lines.append(_("Next: {name}. {meaning}").format(name=_(STEP_NAMES[coming]), meaning=_(STEP_MEANINGS[coming])))
    return "\n".join(lines)


def statement_text(statement: Statement, position: int) -> str:
    words = f"“{escape(statement.text[:STATEMENT_SHOWN])}”" if statement.text else _("🎤 A voice note")
    return _("{position}. {kind}: {words}").format(position=position, kind=_(KIND_NAMES[statement.kind]), words=words)


def themes_text(
    cycle: Cycle, group: str, themes: Sequence[Theme], statements: Sequence[Statement], placed: Mapping[int, int | None]
) -> str:
    """Every theme with its "I" statement and the statements in it, numbered as everywhere."""
    numbers = {s.id: i for i, s in enumerate(statements, 1)}
    lines = [
        _("🧩 <b>{question}</b> · {group}").format(question=escape(cycle.question), group=escape(group)),
        _("These are the themes from everyone's answers. Names are not shown."),
    ]
    for theme in themes:
        lines.append("")
        lines.append(f"<b>{escape(theme.title)}</b>")
        if theme.i_statement:
            lines.append(_("“I” statement: {text}").format(text=escape(theme.i_statement)))
        lines.extend(statement_text(s, numbers[s.id]) for s in statements if placed.get(s.id) == theme.id)
    return fit_lines(lines)


def themes_markup(cycle: Cycle, statements: Sequence[Statement]) -> InlineKeyboardMarkup:
    """Agree, or open one statement to change its theme."""
    numbers: list[Button] = [
        (str(i), PlaceButton(cycle.project_id, s.id, 0).pack()) for i, s in enumerate(statements, 1)
    ]
    rows = [numbers[i : i + 6] for i in range(0, len(numbers), 6)]
    return keyboard([[(_("✅ I agree with the themes"), AgreeThemesButton(cycle.project_id, cycle.id).pack())], *rows])


def place_markup(group_id: int, statement: Statement, themes: Sequence[Theme], *, lead: bool) -> InlineKeyboardMarkup:
    """One button per theme: the lead's draft, or a participant's own view."""
    kind = DraftThemeButton if lead else PlaceButton
    return column((f"🧩 {theme.title[:40]}", kind(group_id, statement.id, theme.id).pack()) for theme in themes)


def success_line(success: Success) -> str:
    """One success statement with its theme, its point of view and how people will know."""
    line = _("{theme} · {view}: {text}").format(
        theme=f"<b>{escape(success.theme)}</b>", view=_(VIEWS[success.view]), text=escape(success.text)
    )
    if success.indicators:
        line += " " + _("(How we will know: {indicators})").format(indicators=escape(success.indicators))
    return line


def rating_markup(group_id: int, success: Success) -> InlineKeyboardMarkup:
    """The group's 1-5 scale (and Skip, score 0), as the group's own success statements ask it."""
    return keyboard(scale_rows(lambda score: RateSuccessButton(group_id, success.id, score).pack()))


def rating_question(success: Success) -> str:
    return _("📏 Where are we now, from 1 to 5?") + "\n" + success_line(success)


def measured_line(success: Success) -> str:
    """Where things were, 1 to 5, when the actions started and at the review."""
    return _("Where we are, from 1 to 5: {before} at the start, {after} at the review.").format(
        before=average_text(success.before), after=average_text(success.after)
    )


def success_text(found: Sequence[Success]) -> str:
    return fit_lines([f"• {success_line(s)}" for s in found], limit=3000)  # under the step's own lines


def propose_markup(cycle: Cycle) -> InlineKeyboardMarkup:
    return column([(_("💡 Propose an action"), ProposeActionButton(cycle.project_id, cycle.id).pack())])


def interested_markup(cycle: Cycle) -> InlineKeyboardMarkup:
    return column([(_("🔔 Tell me when the report is ready"), InterestedButton(cycle.project_id, cycle.id).pack())])


def answer_markup(cycle: Cycle) -> InlineKeyboardMarkup:
    return column([(_("✍️ Give my answers"), AnswerCycleButton(cycle.project_id, cycle.id).pack())])


# What the lead does next, at each step: (action, label).
def lead_markup(cycle: Cycle) -> InlineKeyboardMarkup | None:
    if cycle.finished:
        return None
    button = LeadStepButton
    step = cycle.step
    buttons: list[Button] = []
    if step is Step.COLLECT:
        buttons.append((_("🧩 Draft the themes"), button(cycle.project_id, cycle.id, "themes").pack()))
    elif step is Step.THEME:
        buttons.append((_("🔍 Ask about causes"), button(cycle.project_id, cycle.id, "causes").pack()))
    elif step is Step.UNDERSTAND:
        buttons.append((_("🎯 Write what success looks like"), button(cycle.project_id, cycle.id, "success").pack()))
    elif step is Step.SUCCESS:
        buttons.append((_("📋 Start planning"), button(cycle.project_id, cycle.id, "next").pack()))
    elif step is Step.PLAN:
        buttons.append((_("➕ Add an action"), button(cycle.project_id, cycle.id, "action").pack()))
        buttons.append((_("▶️ Start the actions"), button(cycle.project_id, cycle.id, "next").pack()))
    elif step is Step.IMPLEMENT:
        if not cycle.measured:
            buttons.append(
                (_("📏 Ask “where are we now?” again"), button(cycle.project_id, cycle.id, "measure").pack())
            )
        buttons.append((_("📊 Send the review report"), button(cycle.project_id, cycle.id, "next").pack()))
    return column(buttons) if buttons else None
