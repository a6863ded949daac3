"""Placing the answers in themes (step 3): the lead types the themes and drafts where each
answer belongs while answers are collected, then each participant may say where they think it
belongs while the themes are checked. Each placing says whether it was allowed, so a stale or
forged press changes nothing."""

from __future__ import annotations

from bot.services import Services
from cycle import work
from domain.cycles import Step
from storage.cycles import Cycle, Statement, Theme


async def current_statement(services: Services, group_id: int, statement_id: int) -> tuple[Cycle, Statement] | None:
    """The group's cycle under way and one of its answers, if the answer is in it."""
    cycle = await services.cycles.current(group_id)
    if cycle is None:
        return None
    found = next((s for s in await services.cycles.statements(cycle.id) if s.id == statement_id), None)
    return (cycle, found) if found else None


async def draft_themes(services: Services, cycle: Cycle, themes: list[tuple[str, str]]) -> None:
    """The lead's themes (title, "I" statement), replacing an earlier draft and taking every answer
    out of it, so the lead places each one again."""
    await services.cycles.set_themes(cycle.id, themes)


async def place_draft(services: Services, group_id: int, statement_id: int, theme_id: int) -> Cycle | None:
    """The lead puts an answer in a draft theme; the cycle, or None when that can't be done now
    (answers are no longer being collected, or the theme or answer is not the cycle's)."""
    found = await current_statement(services, group_id, statement_id)
    if found is None or found[0].step is not Step.COLLECT:
        return None
    if theme_id not in {t.id for t in await services.cycles.themes(found[0].id)}:
        return None
    await services.cycles.place_draft(statement_id, theme_id)
    return found[0]


async def may_place(services: Services, cycle: Cycle, participant_id: int) -> bool:
    """Whether this person may say where answers belong: only while the themes are checked, and
    only those taking part."""
    return cycle.step is Step.THEME and not cycle.step_closed and await work.takes_part(services, cycle, participant_id)


async def place(
    services: Services, cycle: Cycle, statement: Statement, participant_id: int, theme_id: int
) -> Theme | None:
    """A participant puts an answer in a theme (their choice replaces an earlier one); the theme,
    or None when it is not one of the cycle's. `may_place` is checked first."""
    theme = next((t for t in await services.cycles.themes(cycle.id) if t.id == theme_id), None)
    if theme is not None:
        await services.cycles.place(statement.id, participant_id, theme_id, services.clock.now())
    return theme
