"""What a lead types to move a cycle on: the draft themes with their "I" statements (step 3),
the causes to vote on (step 4), what success looks like for each theme from one or more points
of view, with indicators, and where things stand now (steps 5 and 7), and each action with its
theme, owner and date (step 6)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from cycle import views, work
from cycle.buttons import LeadStepButton
from decide import work as decide
from decide.buttons import DraftChoice
from domain.cycles import parse_theme_line
from domain.dates import parse_day_end
from domain.decisions import MAX_OPTIONS, MIN_OPTIONS
from domain.success import INDICATORS_MAX, TEXT_MAX, VIEWS
from handlers.common import acknowledge, clear_buttons, escape, say
from handlers.cycle import show_next_unplaced
from handlers.flow import Flow, cancel_clearing, ending, read_text, step, typed, typed_text
from storage.cycles import Cycle, SuccessLine

THEMES, CAUSES, SUCCESS, BASELINE, ACTION, ACTION_THEME, OWNER, DUE = (
    "cycle_themes", "cycle_causes", "cycle_success", "cycle_baseline", "cycle_action", "cycle_action_theme",
    "cycle_owner", "cycle_due")
VIEW, INDICATORS, MORE = "cycle_view", "cycle_indicators", "cycle_more"
DRAFT = "cycle_lead"
LINE_MAX = 200
STARTS = {"themes": THEMES, "causes": CAUSES, "success": VIEW, "action": ACTION}


def _draft(context: BotContext) -> dict[str, Any]:
    draft: dict[str, Any] = context.drafts.setdefault(DRAFT, {})
    return draft


async def _cycle(context: BotContext) -> Cycle | None:
    """The draft's cycle, if the person still leads its group (checked again at every save)."""
    cycle = await context.services.cycles.by_id(_draft(context).get("cycle", 0))
    project = await context.services.projects.by_id(cycle.project_id) if cycle else None
    if cycle is None or project is None or context.participant is None:
        return None
    rights = await decide.rights(context.services, project, context.participant.id, context.role)
    return cycle if GroupRight.LEAD in rights and not cycle.finished else None


async def start(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    button = context.button
    if not isinstance(button, LeadStepButton) or button.action not in STARTS:
        return ConversationHandler.END
    context.drafts[DRAFT] = {"cycle": button.cycle, "success": [], "baselines": {}}
    return await ASKS[STARTS[button.action]](update, context)


async def _gone(update: Update, context: BotContext) -> Any:
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    await say(update, context, _("The cycle has moved on. Send /cycle to see where it is."))
    return ConversationHandler.END


async def _said(update: Update, context: BotContext, cycle_id: int, text: str | None) -> Any:
    """What was done (None: someone moved the cycle first), with the lead's next button."""
    cycle = await context.services.cycles.by_id(cycle_id)
    assert cycle is not None
    await say(update, context, text or _("The cycle has moved on. Send /cycle to see where it is."),
              views.lead_markup(cycle))
    return ConversationHandler.END


def _lines(update: Update) -> list[str]:
    return [line.strip() for line in typed(update, one_line=False).splitlines() if line.strip()]


# --- themes ---------------------------------------------------------------------------------

async def ask_themes(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Type the themes, one on each line. After each one you can add a colon and its "
                                 "“I” statement, like this:\nBuses: I need a bus I can rely on.\nSend /cancel to "
                                 "stop."))
    return THEMES


async def on_themes(update: Update, context: BotContext) -> Any:
    themes = [parsed for parsed in (parse_theme_line(line) for line in _lines(update)) if parsed]
    if not 1 <= len(themes) <= MAX_OPTIONS or any(len(t) + len(s) > LINE_MAX for t, s in themes):
        await say(update, context, _("Please type 1 to {most} themes, one on each line.").format(most=MAX_OPTIONS))
        return THEMES
    cycle = await _cycle(context)
    if cycle is None:
        return await _gone(update, context)
    await context.services.cycles.set_themes(cycle.id, themes)
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    await show_next_unplaced(update, context, cycle)
    return ConversationHandler.END


# --- causes ----------------------------------------------------------------------------------

async def ask_causes(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What could be causing the problems? Type {least} to {most} causes, one on each "
                                 "line. Everyone will vote on which matter most.").format(least=MIN_OPTIONS,
                                                                                         most=MAX_OPTIONS))
    return CAUSES


async def on_causes(update: Update, context: BotContext) -> Any:
    causes = list(dict.fromkeys(line[:60] for line in _lines(update)))
    if not MIN_OPTIONS <= len(causes) <= MAX_OPTIONS:
        return await ask_causes(update, context)
    cycle = await _cycle(context)
    if cycle is None:
        return await _gone(update, context)
    assert context.participant is not None
    moved = await work.ask_causes(context.services, cycle, causes, context.participant.id)
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    return await _said(update, context, cycle.id, _("Sent. Everyone can vote now.") if moved else None)


# --- success statements from points of view, and the baseline, theme by theme --------------------

async def _theme_now(context: BotContext) -> Any:
    """The cycle, and the first theme still without a baseline (the last thing asked for each)."""
    cycle = await _cycle(context)
    if cycle is None:
        return None, None
    done = _draft(context)["baselines"]
    themes = [t for t in await context.services.cycles.themes(cycle.id) if str(t.id) not in done]
    return cycle, (themes[0] if themes else None)


async def ask_view(update: Update, context: BotContext) -> Any:
    _cycle_found, theme = await _theme_now(context)
    if theme is None:
        return await _gone(update, context)
    await say(update, context, _("What would success look like for “{theme}”? First, from whose point of view?")
              .format(theme=escape(theme.title)),
              column([(_(label), DraftChoice(VIEW, key).pack()) for key, label in VIEWS.items()]))
    return VIEW


async def on_view(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, VIEW)
    if chosen not in VIEWS:
        return await ask_view(update, context)
    await clear_buttons(update)
    _draft(context)["view"] = chosen
    return await ask_success(update, context)


async def ask_success(update: Update, context: BotContext) -> Any:
    view = _draft(context).get("view")
    if view not in VIEWS:
        return await ask_view(update, context)
    await say(update, context, _("From the point of view of “{view}”, what would success look like? Type it in one "
                                 "or two sentences.").format(view=_(VIEWS[view])))
    return SUCCESS


async def on_success(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, TEXT_MAX)
    if text is None:
        return SUCCESS
    _draft(context)["current"] = text
    return await ask_indicators(update, context)


async def ask_indicators(update: Update, context: BotContext) -> Any:
    await say(update, context, _("How will people know it is happening? Type one or two signs, like “Open 20 hours "
                                 "a week”, or tap Skip."), column([(_("Skip »"), DraftChoice(INDICATORS, "skip")
                                                                     .pack())]))
    return INDICATORS


async def on_indicators(update: Update, context: BotContext) -> Any:
    indicators = None
    if update.callback_query:
        await acknowledge(update)
        if DraftChoice.chosen(context.button, INDICATORS) != "skip":
            return await ask_indicators(update, context)
        await clear_buttons(update)
    else:
        indicators = await read_text(update, context, INDICATORS_MAX, one_line=False)
        if indicators is None:
            return INDICATORS
    cycle, theme = await _theme_now(context)
    if cycle is None or theme is None:
        return await _gone(update, context)
    draft = _draft(context)
    draft["success"].append([theme.id, draft.pop("view", "users"), draft.pop("current", ""), indicators])
    return await ask_more(update, context)


async def ask_more(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Saved for now. Add another point of view for this theme?"), column([
        (_("➕ Another point of view"), DraftChoice(MORE, "more").pack()),
        (_("Next »"), DraftChoice(MORE, "next").pack())]))
    return MORE


async def on_more(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    chosen = DraftChoice.chosen(context.button, MORE)
    if chosen not in ("more", "next"):
        return await ask_more(update, context)
    await clear_buttons(update)
    return await (ask_view if chosen == "more" else ask_baseline)(update, context)


async def ask_baseline(update: Update, context: BotContext) -> Any:
    await say(update, context, _("Where are things now for this theme? This is the baseline to measure from. Type "
                                 "it in a sentence."))
    return BASELINE


async def on_baseline(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, LINE_MAX)
    if text is None:
        return BASELINE
    cycle, theme = await _theme_now(context)
    if cycle is None or theme is None:
        return await _gone(update, context)
    draft = _draft(context)
    draft["baselines"][str(theme.id)] = text
    cycle, following = await _theme_now(context)
    if following is not None:
        return await ask_view(update, context)
    saved = [SuccessLine(int(theme_id), view, words, indicators)
             for theme_id, view, words, indicators in draft["success"]]
    moved = await work.set_success(context.services, cycle, saved,
                                   {int(theme_id): words for theme_id, words in draft["baselines"].items()})
    context.drafts.pop(DRAFT, None)
    await ending(update, context)
    return await _said(update, context, cycle.id,
                       _("Saved. Everyone is hearing what success looks like.") if moved else None)


# --- an action -------------------------------------------------------------------------------

async def ask_action(update: Update, context: BotContext) -> Any:
    await say(update, context, _("What is the action? Type it in one line."))
    return ACTION


async def on_action(update: Update, context: BotContext) -> Any:
    text = await read_text(update, context, LINE_MAX)
    if text is None:
        return ACTION
    _draft(context)["text"] = text
    return await ask_action_theme(update, context)


async def ask_action_theme(update: Update, context: BotContext) -> Any:
    cycle = await _cycle(context)
    if cycle is None:
        return await _gone(update, context)
    themes = await context.services.cycles.themes(cycle.id)
    await say(update, context, _("Which theme does it answer?"),
              column((f"🧩 {t.title[:40]}", DraftChoice(ACTION_THEME, str(t.id)).pack()) for t in themes))
    return ACTION_THEME


async def on_action_theme(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    cycle = await _cycle(context)
    chosen = DraftChoice.chosen(context.button, ACTION_THEME)
    themes = {str(t.id) for t in await context.services.cycles.themes(cycle.id)} if cycle else set()
    if chosen not in themes:
        return await ask_action_theme(update, context)
    await clear_buttons(update)
    _draft(context)["theme"] = int(chosen)
    return await ask_owner(update, context)


async def _members(context: BotContext, cycle: Cycle) -> list[tuple[int, str]]:
    project = await context.services.projects.by_id(cycle.project_id)
    assert project is not None
    people = await work.participants(context.services, cycle)
    leaders = await context.services.decisions.people(await decide.leader_ids(context.services, project))
    found = {p.participant_id: p.name for p in [*leaders, *people]}
    return sorted(found.items(), key=lambda item: item[1])


async def ask_owner(update: Update, context: BotContext) -> Any:
    cycle = await _cycle(context)
    if cycle is None:
        return await _gone(update, context)
    await say(update, context, _("Who owns it?"), column(
        (name[:40], DraftChoice(OWNER, str(pid)).pack()) for pid, name in (await _members(context, cycle))[:30]))
    return OWNER


async def on_owner(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    cycle = await _cycle(context)
    chosen = DraftChoice.chosen(context.button, OWNER)
    if cycle is None or chosen not in {str(pid) for pid, _name in await _members(context, cycle)}:
        return await ask_owner(update, context)
    await clear_buttons(update)
    _draft(context)["owner"] = int(chosen)
    return await ask_due(update, context)


async def ask_due(update: Update, context: BotContext) -> Any:
    await say(update, context, _("By when? Type a date like 15/12."))
    return DUE


async def on_due(update: Update, context: BotContext) -> Any:
    services = context.services
    now = services.clock.now()
    due = parse_day_end(update.effective_message.text or "", services.settings.timezone, now)
    if due is None or due <= now:
        await say(update, context, _("Please type a date still to come, like 15/12."))
        return DUE
    cycle = await _cycle(context)
    if cycle is None:
        return await _gone(update, context)
    draft = context.drafts.pop(DRAFT, {})
    assert context.participant is not None
    await work.add_action(services, cycle, draft["theme"], draft["text"], draft["owner"],
                          due.astimezone(services.settings.timezone).date().isoformat(), context.participant.id)
    await ending(update, context)
    await say(update, context, _("Action saved. Add another, or start the actions when the plan is ready."), column([
        (_("➕ Add an action"), LeadStepButton(cycle.project_id, cycle.id, "action").pack()),
        (_("▶️ Start the actions"), LeadStepButton(cycle.project_id, cycle.id, "next").pack())]))
    return ConversationHandler.END


ASKS = {THEMES: ask_themes, CAUSES: ask_causes, VIEW: ask_view, ACTION: ask_action}


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    return Flow(
        name="cycle_lead",
        noun=N_("your cycle step"),
        states={
            THEMES: step(ask_themes, MessageHandler(typed_text(), on_themes)),
            CAUSES: step(ask_causes, MessageHandler(typed_text(), on_causes)),
            VIEW: step(ask_view, CallbackQueryHandler(on_view, pattern=choice)),
            SUCCESS: step(ask_success, MessageHandler(typed_text(), on_success)),
            INDICATORS: step(ask_indicators, CallbackQueryHandler(on_indicators, pattern=choice),
                             MessageHandler(typed_text(), on_indicators)),
            MORE: step(ask_more, CallbackQueryHandler(on_more, pattern=choice)),
            BASELINE: step(ask_baseline, MessageHandler(typed_text(), on_baseline)),
            ACTION: step(ask_action, MessageHandler(typed_text(), on_action)),
            ACTION_THEME: step(ask_action_theme, CallbackQueryHandler(on_action_theme, pattern=choice)),
            OWNER: step(ask_owner, CallbackQueryHandler(on_owner, pattern=choice)),
            DUE: step(ask_due, MessageHandler(typed_text(), on_due)),
        },
        entry_points=[CallbackQueryHandler(start, pattern=LeadStepButton.pattern_where(action=tuple(STARTS)))],
        cancel=cancel_clearing(DRAFT),
        prefixes=(DraftChoice.prefix,),
        drafts=(DRAFT,),
        command="cycle",
    )
