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


# Buttons that act on council data or on other people's items, by how their callback string
# starts, and who may press them. Checked before any conversation sees the press, so a forged
# or replayed one is refused and audited even in the middle of someone's own flow. Handlers
# still check that the item belongs to the person pressing.
STAFF_BUTTONS: dict[str, frozenset[Role]] = {
    "ad:": ADMINS,
    "ap:": OFFICERS, "pa:": OFFICERS, "ex:": OFFICERS,
    "fb:": OFFICERS, "ft:": OFFICERS, "th:": OFFICERS, "ib:": OFFICERS,
    "mt:": ORGANISERS, "mx:": ORGANISERS, "mc:": ORGANISERS, "ma:": ORGANISERS, "mz:": ORGANISERS,  # see below
    "op:stop:": ORGANISERS, "op:list:": ORGANISERS, "op:proj:": ORGANISERS,
    "pj:lead:": ORGANISERS, "pj:qr:": ORGANISERS, "ys:": ORGANISERS,
}


# A group's resident co-leads may run meeting-time polls for their group, so they press these
# too; the handlers still check that the meeting is the presser's own.
COLEADS_TOO = ("mt:", "mx:", "mc:", "ma:", "mz:")


def colead_may_press(data: str) -> bool:
    return data.startswith(COLEADS_TOO)


def button_roles(data: str) -> frozenset[Role] | None:
    """Who may press a button with this callback string; None when anyone may."""
    for prefix, roles in STAFF_BUTTONS.items():
        if data.startswith(prefix):
            return roles
    return None
