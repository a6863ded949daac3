"""What the scheduler does when a decision's time comes: remind, close, prompt a review."""

from __future__ import annotations

from typing import Any

from bot.services import Services
from decide import work


def job_handlers(services: Services) -> dict[str, Any]:
    async def close(ref: str) -> None:
        await work.close(services, int(ref))

    async def remind(ref: str) -> None:
        await work.remind(services, int(ref))

    async def review(ref: str) -> None:
        await work.prompt_review(services, int(ref))

    return {work.CLOSE_JOB: close, work.REMIND_JOB: remind, work.REVIEW_JOB: review}
