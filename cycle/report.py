"""The review report: a printable HTML page in the reader's language with its charts embedded,
and a CSV for the council with fixed English column names."""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass

from bot.i18n import _, document_language, ngettext
from bot.pages import printable_page
from bot.text import escape
from cycle import views
from cycle.success import Success
from decide import charts
from decide.views import VoteResult
from domain.cycles import CSV_COLUMNS, Figures
from storage.cycles import Action, Statement, Theme


@dataclass(frozen=True)
class ReportData:
    question: str
    group: str
    figures: Figures
    themes: list[Theme]
    statements: list[Statement]
    placed: dict[int, int | None]  # statement id → settled theme id
    causes: VoteResult | None
    success: list[Success]
    actions: list[Action]


def _chart(title: str, labels: list[str], values: list[int]) -> str:
    png = charts.bar_chart(title, labels, values, rtl=document_language()[1] == "rtl").png
    return f"<img alt='{escape(title)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"


def _statement_words(statement: Statement) -> str:
    return escape(statement.text) if statement.text else escape(_("A voice note"))


def render_html(data: ReportData) -> str:
    """Drawn in the current language; the charts are drawn here, so call it off the event loop."""
    figures = data.figures
    titles = {theme.id: theme.title for theme in data.themes}
    took_part = ngettext("{count} person took part.", "{count} people took part.", figures.participants).format(
        count=figures.participants
    )
    gave = _("{percent}% of them gave answers.").format(percent=figures.answered_percent)
    said = ngettext("They said {count} thing.", "They said {count} things.", figures.statements).format(
        count=figures.statements
    )
    group = _("Group: {name}").format(name=data.group)
    parts = [f"<p>{escape(group)}</p>", f"<p>{escape(took_part)} {escape(gave)} {escape(said)}</p>"]
    if figures.on_behalf:
        carers = ngettext(
            "{count} person answered for someone they care for.",
            "{count} people answered for someone they care for.",
            figures.on_behalf,
        )
        parts.append(f"<p>{escape(carers.format(count=figures.on_behalf))}</p>")
    parts.append(_heading(_("Themes")))
    if data.themes:
        parts.append(
            _chart(
                _("Statements in each theme"),
                [t.title for t in data.themes],
                [figures.by_theme.get(t.id, 0) for t in data.themes],
            )
        )
    for theme in data.themes:
        parts.append(f"<h3>{escape(theme.title)}</h3>")
        if theme.i_statement:
            parts.append(f"<p><b>{escape(theme.i_statement)}</b></p>")
        items = "".join(f"<li>{_statement_words(s)}</li>" for s in data.statements if data.placed.get(s.id) == theme.id)
        parts.append(f"<ul>{items}</ul>")
    if data.causes is not None:
        parts.append(_heading(_("Causes that matter most")))
        parts.append(_chart(_("Causes that matter most"), data.causes.labels, data.causes.values))
        parts.append(
            "<ul>"
            + "".join(
                f"<li>{escape(label)}: {value}</li>"
                for label, value in zip(data.causes.labels, data.causes.values, strict=True)
            )
            + "</ul>"
        )
    parts.append(_heading(_("What success looks like")) + "<ul>")
    for success in data.success:
        baseline = " " + escape(_("Where we started: {text}").format(text=success.baseline)) if success.baseline else ""
        parts.append(f"<li>{views.success_line(success)}{baseline} {escape(views.measured_line(success))}</li>")
    parts.append("</ul>" + _heading(_("Actions")) + "<ul>")
    for action in data.actions:
        if action.proposed:
            parts.append("<li>" + escape(_("{action} (proposed by a member)").format(action=action.text)) + "</li>")
            continue
        parts.append(
            "<li>"
            + escape(
                _("{action} (theme: {theme}; owner: {owner}; by {date})").format(
                    action=action.text,
                    theme=titles.get(action.theme_id or 0, "—"),
                    owner=action.owner_name,
                    date=action.due_on or "—",
                )
            )
        )
        parts.append("<ul>" + "".join(f"<li>{escape(update)}</li>" for update in action.updates) + "</ul></li>")
    parts.append("</ul>")
    return printable_page(_("Working together for change: {question}").format(question=data.question), "".join(parts))


def render_csv(data: ReportData) -> bytes:
    """One row per item, columns as `domain.cycles.CSV_COLUMNS`; opens in Excel (UTF-8 with BOM)."""
    titles = {theme.id: theme.title for theme in data.themes}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    figures = data.figures
    for name, value in (
        ("participants", figures.participants),
        ("answered", figures.answered),
        ("answered_on_behalf", figures.on_behalf),
        ("statements", figures.statements),
        ("moved_by_participants", figures.moved),
        ("actions", figures.actions),
        ("updates", figures.updates),
    ):
        writer.writerow(["figure", "", name, value, "", "", ""])
    for theme in data.themes:
        writer.writerow(["theme", theme.title, theme.i_statement or "", figures.by_theme.get(theme.id, 0), "", "", ""])
    for statement in data.statements:
        writer.writerow(
            [
                "statement",
                titles.get(data.placed.get(statement.id) or 0, ""),
                statement.text or "(voice note)",
                "",
                "",
                "",
                "",
            ]
        )
    if data.causes is not None:
        for label, value in zip(data.causes.labels, data.causes.values, strict=True):
            writer.writerow(["cause", "", label, value, "", "", ""])
    for success in data.success:
        writer.writerow(["success", success.theme, success.text, "", "", "", ""])
        for moment, rated in (("baseline", success.before), ("review", success.after)):
            writer.writerow(
                [f"rating_{moment}", success.theme, success.text, "" if rated is None else f"{rated:.1f}", "", "", ""]
            )
    for action in data.actions:
        writer.writerow(
            [
                "proposal" if action.proposed else "action",
                titles.get(action.theme_id or 0, ""),
                action.text,
                "",
                action.owner_name,
                action.due_on or "",
                len(action.updates),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _heading(text: str) -> str:
    """A section heading; its words are worked out before, as a message inside an f-string
    would be invisible to the catalog's extraction (Python 3.11)."""
    return f"<h2>{escape(text)}</h2>"
