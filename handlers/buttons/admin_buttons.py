"""The admin's buttons: which role an invite gives, taking a role away, and retrying a failed
job. Only an admin may press any of them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import CallbackData, Needs
from domain.roles import ADMINS, Role


@dataclass(frozen=True)
class InviteRoleButton(CallbackData, prefix="ai", needs=Needs(roles=ADMINS)):
    """Make an invite link for this role (the handler accepts only the grantable ones)."""

    role: Role


@dataclass(frozen=True)
class RevokeButton(CallbackData, prefix="ar", needs=Needs(roles=ADMINS)):
    """Take the staff role away from this Telegram account."""

    telegram_id: int


@dataclass(frozen=True)
class RetryJobButton(CallbackData, prefix="aj", needs=Needs(roles=ADMINS)):
    """Run a failed or stopped scheduled job again now."""

    job: int
