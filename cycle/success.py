"""Step 5 (success statements) and step 7 (baselines), read through one seam.

Until groups keep success statements of their own, a cycle keeps one per theme, with its
baseline, in `cycle_themes`. `success_statements` is the only place the rest of the cycle
reads them from, so pointing a cycle at a group's own success statements (with their
ratings) means changing this one function.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import Services
from storage.cycles import Cycle


@dataclass(frozen=True)
class Success:
    theme: str
    text: str
    baseline: str | None


async def success_statements(services: Services, cycle: Cycle) -> list[Success]:
    return [Success(theme.title, theme.success, theme.baseline) for theme in await services.cycles.themes(cycle.id)
            if theme.success]
