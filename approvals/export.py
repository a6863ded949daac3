"""The spreadsheets officers download: the finance export of claims and the /impact measures.
Written with a byte-order mark, so Excel reads the UTF-8 as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from domain.feedback import CHECKIN_KEYS
from feedback.work import Scope

CLAIM_COLUMNS = [
    "claim_reference",
    "participant_reference",
    "meeting",
    "activity",
    "kind",
    "category",
    "amount_gbp",
    "miles",
    "vehicle",
    "passengers",
    "hours",
    "payment_preference",
    "donate_to",
    "status",
    "submitted_at",
    "approved_at",
    "approved_by",
    "paid_at",
]
IMPACT_COLUMNS = [
    "scope",
    "feedback_received",
    "median_days_to_response",
    "themes",
    "themes_published",
    "answered_difference",
    "made_difference",
    *[f"checkin_{k}" for k in CHECKIN_KEYS],
    "decisions_made_together",
    "members_taking_part_percent",
    "charter_agreed",
    "level_not_yet_earned",
]


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def claims_csv(rows: Iterable[Any]) -> bytes:
    """Approved and paid claims, one row per item, as finance asked for them."""
    return _csv(
        CLAIM_COLUMNS,
        (
            [
                row["reference"],
                f"P-{row['participant_id']}",
                row["meeting"] or "",
                row["activity"] or "",
                row["kind"],
                row["category"],
                f"{row['amount_pence'] // 100}.{row['amount_pence'] % 100:02d}",
                row["miles"] or "",
                row["vehicle"] or "",
                row["passengers"] if row["passengers"] is not None else "",
                row["hours"] or "",
                row["payment_preference"],
                row["donate_to"] or "",
                row["status"],
                row["submitted_at"],
                row["decided_at"] or "",
                row["approver"] or "",
                row["paid_at"] or "",
            ]
            for row in rows
        ),
    )


def impact_csv(scopes: Iterable[Scope]) -> bytes:
    """The /impact measures, a row for all groups and one for each group."""
    return _csv(IMPACT_COLUMNS, (_impact_row(scope) for scope in scopes))


def _impact_row(scope: Scope) -> list[Any]:
    result, shared = scope.result, scope.together
    return [
        scope.label,
        result.received,
        result.median_days_to_response or "",
        result.themes,
        result.themes_published,
        result.answered_difference,
        result.made_difference,
        *[f"{result.checkin_averages[k]:.2f}" if k in result.checkin_averages else "" for k in CHECKIN_KEYS],
        *(
            (
                [
                    shared.decided,
                    shared.turnout_percent,
                    "yes" if shared.charter_agreed else "no",
                    "yes" if shared.flagged else "no",
                ]
            )
            if shared
            else ["", "", "", ""]
        ),
    ]
