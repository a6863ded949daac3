"""Claim rules as plain functions: categories, what needs a receipt, totals kept apart,
duplicates, status changes, and the tax-year picture a benefits adviser needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.marks import N_
from domain.pay import TIME_CATEGORIES


class Kind(StrEnum):
    EXPENSE = "expense"  # a refund of costs
    INVOLVEMENT = "involvement"  # a payment for time; benefits rules treat it differently


CATEGORIES: dict[str, str] = {
    "public_transport": N_("Bus or train"),
    "taxi": N_("Taxi"),
    "mileage": N_("Mileage"),
    "parking": N_("Parking"),
    "carer_cover": N_("Carer or respite cover"),
    "childcare": N_("Childcare"),
    "food": N_("Food and drink"),
    "involvement": N_("Payment for my time"),
    "preparation": N_("Preparation and reading time"),
    "other_time": N_("Agreed time for something else"),
}
PREAPPROVABLE = ("taxi", "carer_cover", "childcare")
HOURS_CHOICES = ("1", "1.5", "2", "3", "4")

PAYMENT_CHOICES: dict[str, str] = {
    "bank_transfer": N_("Bank transfer"),
    "vouchers": N_("Vouchers"),
    "expenses_only": N_("Expenses only, no payment for time"),
    "reduced": N_("A reduced payment for time"),
    "donate": N_("Give it to a charity"),
    "none": N_("No payment at all"),
}


def kind_of(category: str) -> Kind:
    return Kind.INVOLVEMENT if category in TIME_CATEGORIES else Kind.EXPENSE


@dataclass(frozen=True)
class Item:
    category: str
    amount_pence: int


def needs_receipt(item: Item, threshold_pence: int) -> bool:
    """Costs above the threshold need a receipt; time and mileage are worked out, not bought."""
    return kind_of(item.category) is Kind.EXPENSE and item.category != "mileage" and item.amount_pence > threshold_pence


@dataclass(frozen=True)
class Totals:
    expenses: int
    involvement: int

    @property
    def total(self) -> int:
        return self.expenses + self.involvement


def totals(items: Iterable[Item]) -> Totals:
    items = list(items)
    return Totals(
        expenses=sum(i.amount_pence for i in items if kind_of(i.category) is Kind.EXPENSE),
        involvement=sum(i.amount_pence for i in items if kind_of(i.category) is Kind.INVOLVEMENT),
    )


def payable(totals_: Totals, preference: str) -> Totals:
    """What is actually paid out under the person's choice (a reduced amount is agreed by finance)."""
    if preference == "none":
        return Totals(0, 0)
    if preference == "expenses_only":
        return Totals(totals_.expenses, 0)
    return totals_


def duplicate_categories(new: Iterable[str], already_claimed: Iterable[str]) -> set[str]:
    """Categories claimed before for the same meeting; time and mileage can't be claimed twice,
    and neither can any other cost."""
    return set(new) & set(already_claimed)


# Status changes officers may make; anything else (a second tap, a forged button) does nothing.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "approve": ("submitted",),
    "reject": ("submitted", "query"),
    "question": ("submitted",),
    "answer": ("query",),
    "paid": ("approved",),
}
RESULT = {"approve": "approved", "reject": "rejected", "question": "query", "answer": "submitted", "paid": "paid"}


def hours_pence(hours: Decimal, hourly_pence: int) -> int:
    return int((hours * hourly_pence).to_integral_value())


def near_threshold(paid_this_year: int, threshold_pence: int) -> bool:
    """Warn at 80% of the configured yearly amount, before it is reached."""
    return threshold_pence > 0 and paid_this_year >= threshold_pence * 8 // 10


def tax_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)
