"""What success looks like (steps 5 and 7), theme by theme: the lead writes one or more success
statements, each from a point of view and with its signs of progress, then where things stand
now, the baseline to measure from. Nothing is saved until the last theme's baseline."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.i18n import N_, _
from cycle import work
from decide.buttons import DraftChoice
from domain.success import INDICATORS_MAX, TEXT_MAX, VIEWS
from handlers.kit.choose import choose_one, choose_way
from handlers.kit.common import ask, escape
from handlers.kit.flow import ending
from handlers.kit.write_in import SKIP, write_in, write_last
from handlers.measure.cycle_lead_draft import (
    BASELINE,
    INDICATORS,
    LEAD,
    LINE_MAX,
    MORE,
    SUCCESS,
    VIEW,
    draft_cycle,
    gone,
    said,
    success_lines,
)


async def _theme_now(context: BotContext) -> Any:
    """The cycle, and the first theme still without a baseline (the last thing asked for each)."""
    cycle = await draft_cycle(context)
    if cycle is None:
        return None, None
    done = LEAD.of(context).baselines
    themes = [t for t in await context.services.cycles.themes(cycle.id) if str(t.id) not in done]
    return cycle, (themes[0] if themes else None)


def _success_question(context: BotContext) -> str:
    view = VIEWS.get(LEAD.of(context).view or "", VIEWS["users"])  # chosen just before; "users" as in _signed
    return _(
        "From the point of view of “{view}”, what would success look like? Type it in one or two sentences."
    ).format(view=_(view))


async def _signed(update: Update, context: BotContext) -> Any:
    """The line is written: its theme, point of view, words and signs (typed or skipped)."""
    cycle, theme = await _theme_now(context)
    if cycle is None or theme is None:
        return await gone(update, context)
    with LEAD.editing(context) as draft:
        draft.success.append([theme.id, draft.view or "users", draft.current, draft.signs])
        draft.view, draft.current, draft.signs = None, "", None
    return await ask_more(update, context)


ask_indicators, on_indicators = write_in(
    INDICATORS,
    lambda _context: _(
        "How will people know it is happening? Type one or two signs, like “Open 20 hours a week”, or tap Skip."
    ),
    INDICATORS_MAX,
    LEAD.keeper("signs"),
    _signed,
    one_line=False,
    skip=DraftChoice(INDICATORS, SKIP),
)


ask_success, on_success = write_in(SUCCESS, _success_question, TEXT_MAX, LEAD.keeper("current"), ask_indicators)


async def _views(context: BotContext) -> dict[str, str] | None:
    """Whose point of view, while a theme still needs its success lines; None once none does."""
    _cycle_found, theme = await _theme_now(context)
    return None if theme is None else {key: _(label) for key, label in VIEWS.items()}


async def _view_question(context: BotContext) -> str:
    _cycle_found, theme = await _theme_now(context)
    return _("What would success look like for “{theme}”? First, from whose point of view?").format(
        theme=escape(theme.title if theme else "")
    )


ask_view, on_view = choose_one(
    DraftChoice, VIEW, VIEW, _view_question, _views, LEAD.keeper("view"), ask_success, gone=gone
)


async def _keep_baseline(update: Update, context: BotContext, text: str) -> Any:
    """The theme's baseline; the next theme's point of view, or, after the last, the success lines go."""
    cycle, theme = await _theme_now(context)
    if cycle is None or theme is None:
        return await gone(update, context)
    with LEAD.editing(context) as draft:
        draft.baselines[str(theme.id)] = text
    cycle, following = await _theme_now(context)
    if following is not None:
        return await ask_view(update, context)
    moved = await work.set_success(
        context.services,
        cycle,
        success_lines(draft),
        {int(theme_id): words for theme_id, words in draft.baselines.items()},
    )
    LEAD.drop(context)
    await ending(update, context)
    return await said(
        update, context, cycle.id, _("Saved. Everyone is hearing what success looks like.") if moved else None
    )


ask_baseline, on_baseline = write_last(
    BASELINE,
    lambda _context: _(
        "Where are things now for this theme? This is the baseline to measure from. Type it in a sentence."
    ),
    LINE_MAX,
    _keep_baseline,
    one_line=True,
    put=ask,
)


ask_more, on_more = choose_way(
    DraftChoice,
    MORE,
    MORE,
    N_("Saved for now. Add another point of view for this theme?"),
    {"more": (N_("➕ Another point of view"), ask_view), "next": (N_("Next »"), ask_baseline)},
)
