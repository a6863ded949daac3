"""A closed group's record, as its card shows it and as /impact lists it: outcomes, how it
felt and what members learned, never with their names."""

from __future__ import annotations

from typing import Any

from bot.i18n import _, format_date, ngettext
from bot.keyboards import Button, keyboard
from bot.services import Services
from bot.text import escape, fit_lines
from decide.buttons import GroupActionButton
from decide.closing import outcome_lines
from domain.closing import FEELINGS, feelings_summary
from storage.projects import Project

LEARNED_SHOWN = 10


async def feelings_line(services: Services, project: Project) -> list[str]:
    """How it felt and how many said what they learned, for the card and /impact."""
    said = await services.closings.reflections(project.id)
    summary = feelings_summary(said.felt)
    felt = (
        _("How it felt: not enough answers yet.")
        if summary is None
        else _("How it felt: {counts}").format(
            counts=", ".join(f"{_(FEELINGS[value])} {count}" for value, count in summary.items())
        )
    )
    return [
        felt,
        ngettext(
            "{count} member said what they learned.",
            "{count} members said what they learned.",
            len(said.learned) + said.voices,
        ).format(count=len(said.learned) + said.voices),
    ]


async def closed_card(services: Services, project: Project) -> tuple[str, Any]:
    """A closed group's record: when, its outcomes, and what members said, without their names."""
    assert project.closed_at is not None
    said = await services.closings.reflections(project.id)
    lines = [
        f"<b>{escape(project.name)}</b>",
        _("Closed on {date}.").format(date=format_date(project.closed_at, services.settings.timezone)),
        *outcome_lines(project.outcomes or "", project.what_changed or ""),
        "",
        *await feelings_line(services, project),
    ]
    if said.learned:
        lines += ["", _("What members learned:")] + [f"• {escape(text)}" for text in said.learned[:LEARNED_SHOWN]]
    if said.voices:
        lines.append(
            ngettext("And {count} voice note.", "And {count} voice notes.", said.voices).format(count=said.voices)
        )
    rows: list[list[Button]] = [[(_("📒 Decision log"), GroupActionButton(project.id, "log").pack())]]
    return fit_lines(lines), keyboard(rows)


async def impact_lines(services: Services) -> list[str]:
    """Closed groups for /impact: what each achieved and what its members said."""
    closed = await services.closings.closed()
    if not closed:
        return []
    lines = [_("<b>Closed groups</b>")]
    for project in closed:
        lines += [
            f"• <b>{escape(project.name)}</b>",
            *outcome_lines(project.outcomes or "", project.what_changed or ""),
            *await feelings_line(services, project),
            "",
        ]
    return lines
