"""Documents about a person's claims: the statement of what we paid them in a tax year, to show
a benefits adviser."""

from __future__ import annotations

from typing import Any

from bot.i18n import _, format_money
from bot.pages import printable_page
from bot.text import escape
from claims.views import BENEFITS_NOTE
from domain.claims import CATEGORIES, Kind


def _statement_row(row: dict[str, Any]) -> str:
    item = CATEGORIES[row["category"]]
    kind = _("Payment for time") if row["kind"] == Kind.INVOLVEMENT.value else _("Refund of costs")
    cells = [row["reference"], row["submitted_at"][:10], row["meeting"] or row["activity"] or "", _(item), kind]
    return (
        "<tr>"
        + "".join(f"<td>{escape(cell)}</td>" for cell in cells)
        + f"<td style='text-align:end'>{escape(format_money(row['amount_pence']))}</td></tr>"
    )


def render_statement(name: str, year: int, rows: list[dict[str, Any]]) -> str:
    """A plain HTML page that opens on any phone and prints on one sheet."""
    expenses = sum(r["amount_pence"] for r in rows if r["kind"] == Kind.EXPENSE.value)
    time_paid = sum(r["amount_pence"] for r in rows if r["kind"] == Kind.INVOLVEMENT.value)
    table = "".join(_statement_row(row) for row in rows)
    title = _("Payments from the council's co-production team, {start}–{end} tax year").format(start=year, end=year + 1)
    # Translated outside the f-strings below: the message extractor cannot see into them.
    heads = "".join(
        f"<th>{escape(label)}</th>"
        for label in (_("Reference"), _("Date"), _("For"), _("Item"), _("Type"), _("Amount"))
    )
    notes = (
        _("Name: {value}").format(value=name),
        _("Payments for time: {amount}").format(amount=format_money(time_paid)),
        _("Refunds of costs: {amount}").format(amount=format_money(expenses)),
        _(BENEFITS_NOTE),
    )
    return printable_page(
        title,
        f"<p>{escape(notes[0])}</p><table><tr>{heads}</tr>{table}</table>"
        + "".join(f"<p>{escape(note)}</p>" for note in notes[1:]),
    )
