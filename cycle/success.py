"""Step 5 (success statements) and step 7 (baselines), read through one seam.

A cycle keeps its own success statements in `cycle_success`: several per theme, each from
one of the points of view the group's success statements use (`domain.success.VIEWS`), with
its indicators; where each theme stood when the plan started is in `cycle_themes`, and
participants' 1-5 "where are we now?" (when the actions start, and again before the review)
in `cycle_ratings`, averaged by `domain.success.average`.
`success_statements` is the only place the rest of the cycle reads them from, so pointing a
cycle at a group's own success statements (with their ratings) means changing this one
function.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.services import Services
from domain.success import average
from storage.cycles import Cycle


@dataclass(frozen=True)
class Success:
    theme: str
    view: str  # a key of domain.success.VIEWS
    text: str
    indicators: str | None
    baseline: str | None
    id: int = 0
    before: float | None = None  # the 1-5 average when the actions started; None: not enough answers yet
    after: float | None = None  # the same, when the lead asked again for the review


async def success_statements(services: Services, cycle: Cycle) -> list[Success]:
    themes = {theme.id: theme for theme in await services.cycles.themes(cycle.id)}
    ratings = await services.cycles.ratings(cycle.id)
    return [
        Success(
            themes[line.theme_id].title,
            line.view,
            line.text,
            line.indicators,
            themes[line.theme_id].baseline,
            line.id,
            average(ratings.get((line.id, "baseline"), [])),
            average(ratings.get((line.id, "review"), [])),
        )
        for line in await services.cycles.success(cycle.id)
    ]
