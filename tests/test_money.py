"""Money as exact pence, read from what people type; HMRC mileage; tax years."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.money import AmountProblem, Vehicle, mileage_pence, parse_amount, parse_miles, tax_year_start

CEILING = 50_000


@pytest.mark.parametrize(
    ("text", "locale", "pence", "problem"),
    [
        ("12.50", "en", 1250, None),
        ("£12.50", "en", 1250, None),
        ("12", "en", 1200, None),
        ("1,250.00", "en", None, AmountProblem.OVER_CEILING),
        ("249.99", "en", 24999, None),
        ("12,50", "pl", 1250, None),
        # Romanian groups thousands with a dot, but "4.50" is how pounds are written in England.
        ("12.50", "ro", 1250, None),
        ("12,50", "ro", 1250, None),
        ("1.250", "ro", None, AmountProblem.OVER_CEILING),
        ("12,50", "en", None, AmountProblem.NOT_A_NUMBER),
        ("12.345", "en", None, AmountProblem.TOO_MANY_DECIMALS),
        ("-5", "en", None, AmountProblem.NEGATIVE_OR_ZERO),
        ("0", "en", None, AmountProblem.NEGATIVE_OR_ZERO),
        ("1e6", "en", None, AmountProblem.NOT_A_NUMBER),
        ("twelve", "en", None, AmountProblem.NOT_A_NUMBER),
        ("", "en", None, AmountProblem.EMPTY),
        ("600", "en", None, AmountProblem.OVER_CEILING),
    ],
)
def test_amounts(text, locale, pence, problem):
    parsed = parse_amount(text, locale, CEILING)
    assert (parsed.pence, parsed.problem) == (pence, problem)


def test_comma_pence_in_english_gets_a_suggestion():
    assert parse_amount("£12,50", "en", CEILING).suggestion == 1250


def test_mileage_splits_across_the_10000_mile_line_and_adds_passengers():
    assert mileage_pence(Decimal(10), Vehicle.CAR, 0, Decimal(0)) == 450
    assert mileage_pence(Decimal(10), Vehicle.CAR, 0, Decimal(9995)) == 5 * 45 + 5 * 25
    assert mileage_pence(Decimal(10), Vehicle.CAR, 2, Decimal(20000)) == 250 + 100
    assert mileage_pence(Decimal("3.5"), Vehicle.BICYCLE, 0, Decimal(0)) == 70
    assert mileage_pence(Decimal(10), Vehicle.MOTORCYCLE, 0, Decimal(0)) == 240


def test_miles_must_be_plausible():
    assert parse_miles("12.5", "en", 300) == Decimal("12.5")
    assert parse_miles("12.5", "ro", 300) == parse_miles("12,5", "ro", 300) == Decimal("12.5")
    for bad in ("0", "10000", "-3", "lots", "1.25"):
        assert parse_miles(bad, "en", 300) is None, bad


def test_tax_year_starts_on_6_april():
    assert tax_year_start(date(2027, 4, 5)) == 2026
    assert tax_year_start(date(2027, 4, 6)) == 2027
