"""/cycle: where each of a person's groups is in its Working Together for Change cycle and what
happens next, in one command; for leads, the button for their next step. Also the taps that
need no typing: the lead placing statements in draft themes, participants changing where a
statement belongs or agreeing the themes (what each may do is cycle/themes.py), and the lead
moving the cycle on (rating success and asking for the report are
handlers/measure/cycle_review.py). The lead's typed steps (handlers/measure/cycle_lead.py)
come here to place the statements once the themes are typed; nothing here leads into them."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.callbacks import GroupRight
from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import Button, column, with_row
from cycle import views, work
from cycle.buttons import (
    AgreeThemesButton,
    CyclesPageButton,
    DraftThemeButton,
    LeadStepButton,
    PlaceButton,
    StartCycleButton,
)
from cycle.themes import current_statement, may_place, place, place_draft
from decide import work as decide
from domain.cycles import Step
from domain.delivery import CHAT_BURST
from handlers.kit.common import acknowledge, audit, escape, require_registered, say, show_more, turn_page
from storage.cycles import Cycle
from storage.projects import Project

PAGE = CHAT_BURST


@require_registered
async def cycle_command(update: Update, context: BotContext) -> None:
    await _show_cycles(update, context, 0)


async def _show_cycles(update: Update, context: BotContext, start: int) -> None:
    """A page of the person's groups with a cycle, each a message with its own buttons, so /cycle
    never sends more at once than one chat may get (see CHAT_BURST); under the last, the next
    page, and after the last page the groups a lead may start one for."""
    services = context.services
    assert context.participant is not None
    me = context.participant.id
    under_way: list[tuple[Project, Cycle, set[GroupRight]]] = []
    starts: list[Button] = []
    for project in await decide.groups_of(services, me):
        rights = await decide.rights(services, project, me, context.role)
        cycle = await services.cycles.current(project.id)
        if (cycle is None or cycle.finished) and GroupRight.LEAD in rights:
            starts.append(
                (_("🔄 Start a cycle for {group}").format(group=project.name[:30]), StartCycleButton(project.id).pack())
            )
        if cycle is not None:
            under_way.append((project, cycle, rights))
    page = under_way[start : start + PAGE]
    if not page and start > 0:  # a press from a page that is no longer there: begin again
        await _show_cycles(update, context, 0)
        return
    left = len(under_way) - start - len(page)
    for number, (project, cycle, rights) in enumerate(page, 1):
        text, markup = await _cycle_card(context, project, cycle, rights)
        if number == len(page) and left > 0:
            markup = with_row(markup, [show_more(left, PAGE, CyclesPageButton(start + len(page)).pack())])
        await say(update, context, text, markup)
    if left > 0:
        return
    if starts:
        await say(
            update,
            context,
            _("Working together for change takes a group through eight steps, from a question to a report. Start one?"),
            column(starts),
        )
    elif not page:
        await say(update, context, _("None of your groups has a cycle under way. Send /groups to see your groups."))


async def _cycle_card(
    context: BotContext, project: Project, cycle: Cycle, rights: set[GroupRight]
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Where one group is in its cycle, with the reader's buttons for it."""
    services = context.services
    leads = GroupRight.LEAD in rights
    text = views.status_text(cycle, project.name, services.settings.timezone)
    markup = _both(
        views.lead_markup(cycle) if leads else None,
        await _member_markup(context, cycle) if GroupRight.MEMBER in rights else None,
    )
    if GroupRight.MEMBER in rights and cycle.step is Step.THEME and not cycle.step_closed:
        text += "\n\n" + views.themes_text(
            cycle,
            project.name,
            await services.cycles.themes(cycle.id),
            await services.cycles.statements(cycle.id),
            await work.settled(services, cycle),
        )
    if leads:
        waiting = await _waiting(context, cycle)
        if waiting is not None:
            text += "\n" + waiting
    return text, markup


def _both(lead: InlineKeyboardMarkup | None, member: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """A co-lead who is also a member gets the lead's buttons and their own."""
    if lead is None or member is None:
        return lead or member
    return InlineKeyboardMarkup([*lead.inline_keyboard, *member.inline_keyboard])


async def _waiting(context: BotContext, cycle: Cycle) -> str | None:
    """For a lead: how many have answered the step so far."""
    if cycle.step not in (Step.COLLECT, Step.THEME) or cycle.finished:
        return None
    members = await work.participants(context.services, cycle)
    answered = await context.services.cycles.answered(cycle.id, cycle.step)
    return _("{answered} of {members} people have answered.").format(
        answered=len(answered & {m.participant_id for m in members}), members=len(members)
    )


async def _member_markup(context: BotContext, cycle: Cycle) -> InlineKeyboardMarkup | None:
    """A participant's buttons; a member the lead did not pick can ask for the report."""
    assert context.participant is not None
    if not await work.takes_part(context.services, cycle, context.participant.id):
        wants = context.participant.id in await context.services.cycles.interested(cycle.id)
        return None if cycle.finished or wants else views.interested_markup(cycle)
    if cycle.step is Step.COLLECT and not cycle.step_closed:
        return views.answer_markup(cycle)
    if cycle.step is Step.THEME and not cycle.step_closed:
        return views.themes_markup(cycle, await context.services.cycles.statements(cycle.id))
    if cycle.step is Step.PLAN:
        return views.propose_markup(cycle)
    return None


# --- the lead drafts the themes ----------------------------------------------------------------


async def show_next_unplaced(update: Update, context: BotContext, cycle: Cycle) -> None:
    """The next statement without a draft theme, or, when all have one, the button to send them."""
    services = context.services
    statements = await services.cycles.statements(cycle.id)
    themes = await services.cycles.themes(cycle.id)
    waiting = [(i, s) for i, s in enumerate(statements, 1) if s.theme_id is None]
    if not waiting:
        await say(
            update,
            context,
            _("Every answer has a theme. Send them to everyone to check?"),
            column([(_("📨 Send the themes"), LeadStepButton(cycle.project_id, cycle.id, "send").pack())]),
        )
        return
    position, statement = waiting[0]
    text = _("Which theme does this answer belong to?") + "\n" + views.statement_text(statement, position)
    markup = views.place_markup(cycle.project_id, statement, themes, lead=True)
    if statement.voice_file_id and update.effective_chat:
        await context.bot.send_voice(
            update.effective_chat.id, statement.voice_file_id, caption=text, reply_markup=markup
        )
        return
    await say(update, context, text, markup)


async def on_draft_theme(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, DraftThemeButton)
    cycle = await place_draft(context.services, button.group, button.statement, button.theme)
    if cycle is None:
        await acknowledge(
            update, _("This answer can't be placed now. Send /cycle to see where the cycle is."), alert=True
        )
        return
    await acknowledge(update)
    await show_next_unplaced(update, context, cycle)


# --- participants check the themes ---------------------------------------------------------------


async def on_place(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, PlaceButton)
    services = context.services
    found = await current_statement(services, button.group, button.statement)
    assert context.participant is not None
    if found is None or not await may_place(services, found[0], context.participant.id):
        await acknowledge(
            update, _("The themes can't be changed now. Send /cycle to see where the cycle is."), alert=True
        )
        return
    cycle, statement = found
    await acknowledge(update)
    if button.theme == 0:
        statements = await services.cycles.statements(cycle.id)
        position = next(i for i, s in enumerate(statements, 1) if s.id == statement.id)
        await say(
            update,
            context,
            _("Which theme does this belong to?") + "\n" + views.statement_text(statement, position),
            views.place_markup(cycle.project_id, statement, await services.cycles.themes(cycle.id), lead=False),
        )
        return
    theme = await place(services, cycle, statement, context.participant.id, button.theme)
    if theme is None:
        return
    project = await services.projects.by_id(cycle.project_id)
    assert project is not None
    statements = await services.cycles.statements(cycle.id)
    await say(
        update,
        context,
        _("Noted: you put it in “{theme}”.").format(theme=escape(theme.title))
        + "\n\n"
        + views.themes_text(
            cycle, project.name, await services.cycles.themes(cycle.id), statements, await work.settled(services, cycle)
        ),
        views.themes_markup(cycle, statements),
    )


async def on_agree(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, AgreeThemesButton) and context.participant is not None
    cycle = await context.services.cycles.by_id(button.cycle)
    if (
        cycle is None
        or cycle.project_id != button.group
        or not await work.agree_themes(context.services, cycle, context.participant.id)
    ):
        await acknowledge(
            update, _("The themes can't be agreed now. Send /cycle to see where the cycle is."), alert=True
        )
        return
    await acknowledge(update)
    await say(
        update, context, _("Thank you. Next, everyone picks the causes that matter most. We will send you the vote.")
    )


# --- the lead moves the cycle on -------------------------------------------------------------


async def on_lead_step(update: Update, context: BotContext) -> None:
    """ "Send the themes" and "Next step": no typing needed."""
    button = context.button
    assert isinstance(button, LeadStepButton)
    services = context.services
    cycle = await services.cycles.by_id(button.cycle)
    if cycle is None or cycle.project_id != button.group:
        await acknowledge(update, _("This cycle has gone. Send /cycle to see where things are."), alert=True)
        return
    await acknowledge(update)
    if button.action == "send":
        moved = await work.send_themes(services, cycle)
    elif button.action == "measure":
        moved = await work.measure(services, cycle)
    else:
        moved = await work.next_step(services, cycle)
    if not moved:
        await say(update, context, _("The cycle has already moved on. Send /cycle to see where it is."))
        return
    await audit(context, update, f"cycle.{button.action}", "ok", subject=str(cycle.id))
    after = await services.cycles.by_id(cycle.id)
    assert after is not None
    project = await services.projects.by_id(cycle.project_id)
    assert project is not None
    await say(
        update,
        context,
        _("Done. We are telling everyone.")
        + "\n\n"
        + views.status_text(after, project.name, services.settings.timezone),
        views.lead_markup(after),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("cycle", cycle_command),
        CallbackQueryHandler(require_registered(turn_page(_show_cycles)), pattern=CyclesPageButton.pattern()),
        CallbackQueryHandler(on_draft_theme, pattern=DraftThemeButton.pattern()),
        CallbackQueryHandler(on_place, pattern=PlaceButton.pattern()),
        CallbackQueryHandler(on_agree, pattern=AgreeThemesButton.pattern()),
        CallbackQueryHandler(on_lead_step, pattern=LeadStepButton.pattern_where(action=("send", "next", "measure"))),
    ]
