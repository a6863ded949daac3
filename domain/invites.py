"""Rules for staff invite codes: single use, expiring, revocable."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum


class InviteStatus(StrEnum):
    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"


def invite_status(
    *, found: bool, used_at: datetime | None, revoked_at: datetime | None, expires_at: datetime | None, now: datetime
) -> InviteStatus:
    if not found or expires_at is None:
        return InviteStatus.UNKNOWN
    if revoked_at is not None:
        return InviteStatus.REVOKED
    if used_at is not None:
        return InviteStatus.USED
    if now >= expires_at:
        return InviteStatus.EXPIRED
    return InviteStatus.VALID
