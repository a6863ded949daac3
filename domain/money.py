"""Money typed by people, kept as whole pence (never floats), and HMRC mileage rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from babel.numbers import NumberFormatError, parse_decimal


class AmountProblem(StrEnum):
    EMPTY = "empty"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE_OR_ZERO = "negative_or_zero"
    TOO_MANY_DECIMALS = "too_many_decimals"
    OVER_CEILING = "over_ceiling"


@dataclass(frozen=True)
class ParsedAmount:
    pence: int | None
    problem: AmountProblem | None = None
    suggestion: int | None = None  # e.g. "12,50" typed in English: did you mean 1250p?


_ALLOWED = re.compile(r"^[0-9.,\s']+$")
_DOT_DECIMAL = re.compile(r"\d+\.\d{1,2}")


def parse_amount(text: str, locale: str, ceiling_pence: int) -> ParsedAmount:
    """Read "£12.50", "12", "12,50" (in a comma-decimal language) as pence, strictly."""
    cleaned = text.strip().replace("£", "").replace("GBP", "").replace("zł", "").strip()
    if not cleaned:
        return ParsedAmount(None, AmountProblem.EMPTY)
    if cleaned.startswith("-"):
        return ParsedAmount(None, AmountProblem.NEGATIVE_OR_ZERO)
    if not _ALLOWED.match(cleaned):
        return ParsedAmount(None, AmountProblem.NOT_A_NUMBER)
    try:
        value = _decimal(cleaned, locale)
    except NumberFormatError:
        # "12,50" typed where a dot marks pence: most likely £12.50, so offer that.
        suggestion = _to_pence(Decimal(cleaned.replace(",", "."))) if re.fullmatch(r"\d+,\d{2}", cleaned) else None
        return ParsedAmount(None, AmountProblem.NOT_A_NUMBER, suggestion)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        return ParsedAmount(None, AmountProblem.TOO_MANY_DECIMALS)
    pence = _to_pence(value)
    if pence <= 0:
        return ParsedAmount(None, AmountProblem.NEGATIVE_OR_ZERO)
    if pence > ceiling_pence:
        return ParsedAmount(None, AmountProblem.OVER_CEILING)
    return ParsedAmount(pence)


def _decimal(text: str, locale: str) -> Decimal:
    """A number as the reader writes it; "4.50" is also always read as four and a half, because
    that is how amounts are written in England (and what the bot's own examples show), even
    where a dot groups thousands, as in Romanian."""
    if _DOT_DECIMAL.fullmatch(text):
        return Decimal(text)
    return parse_decimal(text, locale=locale, strict=True)


def _to_pence(value: Decimal) -> int:
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class Vehicle(StrEnum):
    CAR = "car"
    MOTORCYCLE = "motorcycle"
    BICYCLE = "bicycle"


@dataclass(frozen=True)
class MileageRates:
    """HMRC approved mileage allowance payments, in pence per mile (configurable)."""

    car_first: int = 45
    car_after: int = 25
    car_threshold_miles: int = 10_000
    motorcycle: int = 24
    bicycle: int = 20
    passenger: int = 5


def tax_year_start(day: date) -> int:
    """The UK tax year runs from 6 April; returns the year it started in."""
    return day.year if (day.month, day.day) >= (4, 6) else day.year - 1


def mileage_pence(
    miles: Decimal, vehicle: Vehicle, passengers: int, car_miles_so_far: Decimal, rates: MileageRates = MileageRates()
) -> int:
    """The allowance for one journey, splitting a car journey across the 10,000-mile line."""
    if vehicle is Vehicle.CAR:
        room = max(Decimal(0), Decimal(rates.car_threshold_miles) - car_miles_so_far)
        first = min(miles, room)
        amount = first * rates.car_first + (miles - first) * rates.car_after
    elif vehicle is Vehicle.MOTORCYCLE:
        amount = miles * rates.motorcycle
    else:
        amount = miles * rates.bicycle
    amount += miles * rates.passenger * passengers
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_miles(text: str, locale: str, most: int) -> Decimal | None:
    """Miles for one journey: more than 0, at most `most`, to one decimal place."""
    try:
        value = _decimal(text.strip(), locale)
    except NumberFormatError:
        return None
    if value <= 0 or value > most or value.as_tuple().exponent < -1:  # type: ignore[operator]
        return None
    return value
