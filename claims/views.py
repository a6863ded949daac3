"""What people read of a claim: its items, its summary before sending, the year's payments for
time (with the benefits warning), and a kind explanation of an amount that could not be read."""

from __future__ import annotations

from bot.i18n import N_, _, babel_locale, format_money
from bot.text import escape
from claims.draft import ClaimDraft, ClaimItem
from domain.claims import CATEGORIES, PAYMENT_CHOICES, Item, Kind, kind_of, near_threshold, payable, totals
from domain.money import AmountProblem, Vehicle, parse_amount

VEHICLES = {Vehicle.CAR: N_("Car"), Vehicle.MOTORCYCLE: N_("Motorbike"), Vehicle.BICYCLE: N_("Bicycle")}
AMOUNT_PROBLEMS = {
    AmountProblem.EMPTY: N_("Please type an amount, like 4.50."),
    AmountProblem.NOT_A_NUMBER: N_("Please type the amount in numbers, like 4.50."),
    AmountProblem.NEGATIVE_OR_ZERO: N_("The amount must be more than zero."),
    AmountProblem.TOO_MANY_DECIMALS: N_("Please use pounds and pence only, like 4.50."),
    AmountProblem.OVER_CEILING: N_("That is more than one claim can be ({limit}). Please check it, or talk to us."),
}
BENEFITS_NOTE = N_(
    "Payment for your time can affect some benefits. Money back for costs does not, as a rule. "
    "For free advice, ask Citizens Advice (citizensadvice.org.uk) or Turn2us (turn2us.org.uk)."
)
STATUS_NAMES = {
    "submitted": N_("waiting to be checked"),
    "query": N_("we asked you a question"),
    "approved": N_("approved, waiting to be paid"),
    "rejected": N_("not approved"),
    "paid": N_("paid"),
}


def read_amount(typed: str, reader: str, ceiling: int) -> tuple[int | None, str | None]:
    """Pence from what was typed, in the reader's number format; or None and the kind
    explanation to send, with a guess at what they meant where there is one."""
    parsed = parse_amount(typed, babel_locale(reader), ceiling)
    if parsed.pence is not None:
        return parsed.pence, None
    assert parsed.problem is not None
    message = _(AMOUNT_PROBLEMS[parsed.problem]).format(limit=format_money(ceiling))
    if parsed.suggestion:
        message += " " + _("Did you mean {amount}? Type it with a dot for pence.").format(
            amount=format_money(parsed.suggestion)
        )
    return None, message


def item_line(item: ClaimItem) -> str:
    category = CATEGORIES[item.category]
    label = _(category)
    extra = ""
    if item.miles:
        extra = " " + _("({miles} miles)").format(miles=item.miles)
    if item.hours:
        extra = " " + _("({hours} hours)").format(hours=item.hours)
    receipt = " 🧾" if item.receipt else ""
    return f"• {label}{extra}: {format_money(item.amount)}{receipt}"


def expenses_of(draft: ClaimDraft) -> list[ClaimItem]:
    return [i for i in draft.items if kind_of(i.category) is Kind.EXPENSE]


def summary_text(draft: ClaimDraft, preference: str, *, not_covered: bool) -> str:
    """The claim as it will be sent: costs and time apart, the totals, how it is paid."""
    sums = totals([Item(i.category, i.amount) for i in draft.items])
    paid = payable(sums, preference)
    lines = [_("<b>Your claim</b>"), _("For: {title}").format(title=escape(draft.title)), ""]
    expenses = expenses_of(draft)
    time_items = [i for i in draft.items if kind_of(i.category) is Kind.INVOLVEMENT]
    if expenses:
        lines += [
            _("<b>Costs to refund</b>"),
            *[item_line(i) for i in expenses],
            _("Costs: {amount}").format(amount=format_money(sums.expenses)),
            "",
        ]
    if time_items:
        lines += [
            _("<b>Payment for your time</b>"),
            *[item_line(i) for i in time_items],
            _("Time: {amount}").format(amount=format_money(sums.involvement)),
            "",
        ]
    choice = _(PAYMENT_CHOICES[preference])
    if draft.donate_to:
        choice += f" ({escape(draft.donate_to)})"
    lines += [
        _("Total: {amount}").format(amount=format_money(sums.total)),
        _("Paid as: {choice}").format(choice=choice),
    ]
    if paid != sums:
        lines.append(_("With this choice we pay {amount}.").format(amount=format_money(paid.total)))
    if draft.note:
        lines.append(_("Note: {note}").format(note=escape(draft.note)))
    if not_covered:
        lines.append(
            _(
                "⚠️ This meeting does not say it pays for some of these costs. The person checking will "
                "look at it. You can add a note to explain."
            )
        )
    return "\n".join(lines)


def year_lines(paid: int, warning: int) -> list[str]:
    """Payments for time this tax year, and a warning near the amount that can touch benefits."""
    lines = [_("Payments for your time this tax year (from 6 April): {amount}.").format(amount=format_money(paid))]
    if near_threshold(paid, warning):
        lines.append(
            "⚠️ "
            + _(
                "You are close to {amount} this year. If you get benefits, please check with an "
                "adviser before taking more payments for your time."
            ).format(amount=format_money(warning))
            + " "
            + _(BENEFITS_NOTE)
        )
    return lines
