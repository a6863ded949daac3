"""Who may do what. Checked on the server for every command and every button."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    RESIDENT = "resident"
    COORDINATOR = "coordinator"
    OFFICER = "officer"
    ADMIN = "admin"


ORGANISERS = frozenset({Role.COORDINATOR, Role.OFFICER, Role.ADMIN})
OFFICERS = frozenset({Role.OFFICER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})
GRANTABLE = (Role.COORDINATOR, Role.OFFICER)


def effective_role(telegram_id: int, admin_ids: frozenset[int], stored: str | None) -> Role:
    """Admins come from configuration, so a deployment can never lock itself out."""
    if telegram_id in admin_ids:
        return Role.ADMIN
    return Role(stored) if stored else Role.RESIDENT
