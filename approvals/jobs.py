"""What the scheduler does for claims: nudge officers about a claim that waits too long."""

from __future__ import annotations

from typing import Any

from approvals import work
from bot.i18n import language
from bot.services import Services
from claims.work import NUDGE_JOB


def job_handlers(services: Services) -> dict[str, Any]:
    async def nudge(ref: str) -> None:
        with language(services.settings.default_language):
            await work.nudge(services, int(ref))

    return {NUDGE_JOB: nudge}
