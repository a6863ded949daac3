"""What the scheduler does for feedback: nudge officers about unanswered feedback, and ask
contributors again, weeks after a "we did", whether it made a difference."""

from __future__ import annotations

from typing import Any

from bot.i18n import language
from bot.services import Services
from feedback import work
from feedback.we_did import FOLLOW_UP, send_we_did


def job_handlers(services: Services) -> dict[str, Any]:
    async def nudge(ref: str) -> None:
        with language(services.settings.default_language):
            await work.nudge(services, int(ref))

    async def follow_up(ref: str) -> None:
        theme = await services.feedback.theme(int(ref))
        if theme is not None:
            await send_we_did(services, theme, 2)

    return {work.NUDGE_JOB: nudge, FOLLOW_UP: follow_up}
