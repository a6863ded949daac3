"""What the scheduler does when a cycle step's time comes: remind those who have not
answered, then close the step and tell the leads."""

from __future__ import annotations

from typing import Any

from bot.services import Services
from cycle import work


def job_handlers(services: Services) -> dict[str, Any]:
    async def close(ref: str) -> None:
        await work.close_step(services, *work.parse_ref(ref))

    async def remind(ref: str) -> None:
        await work.remind(services, *work.parse_ref(ref))

    return {work.CLOSE_JOB: close, work.REMIND_JOB: remind}
