"""The last step of preparing a cycle: the lead sees each step's closing date, and may change
any of them (a date still to come, between its neighbours) before starting it."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.context import BotContext
from bot.i18n import N_, _, format_date
from bot.keyboards import column
from decide.buttons import DraftChoice
from domain.cycles import STEP_NAMES, STEPS, Step, change_date
from domain.dates import parse_day_end
from handlers.kit.choose import choose_one
from handlers.kit.common import escape, say
from handlers.measure.cycle_prepare_draft import PREPARE, closing_dates
from storage.times import to_db

CONFIRM, DATE_STEP, DATE = "cycle_confirm", "cycle_date_step", "cycle_date"


async def ask_confirm(update: Update, context: BotContext) -> Any:
    draft = PREPARE.of(context)
    services = context.services
    project = await services.projects.by_id(draft.group)
    assert project is not None
    tz = services.settings.timezone
    chosen = draft.chosen
    who = (
        _("Every member of the group takes part.")
        if chosen is None
        else _("{count} members you picked take part.").format(count=len(chosen))
    )
    lines = [
        _("🔄 <b>{question}</b> · {group}").format(question=escape(draft.question), group=escape(project.name)),
        who,
        _("If each step starts on time, it closes on:"),
    ]
    lines += [
        _("{step}: {date}").format(step=_(STEP_NAMES[s]), date=format_date(when, tz))
        for s, when in sorted(closing_dates(draft).items(), key=lambda item: STEPS.index(item[0]))
    ]
    lines.append(_("You move the cycle on from one step to the next. Start it now?"))
    await say(
        update,
        context,
        "\n".join(lines),
        column(
            [
                (_("▶️ Start the cycle"), DraftChoice(CONFIRM, "go").pack()),
                (_("📅 Change a date"), DraftChoice(CONFIRM, "date").pack()),
                (_("✖️ Don't start"), DraftChoice(CONFIRM, "no").pack()),
            ]
        ),
    )
    return CONFIRM


async def _date_steps(context: BotContext) -> dict[str, str]:
    return {s.value: _(STEP_NAMES[s]) for s in sorted(closing_dates(PREPARE.of(context)), key=STEPS.index)}


ask_date_step, on_date_step = choose_one(
    DraftChoice,
    DATE_STEP,
    DATE_STEP,
    N_("Which step's closing date do you want to change?"),
    _date_steps,
    PREPARE.keeper("date_step"),
    lambda update, context: ask_date(update, context),
)


async def ask_date(update: Update, context: BotContext) -> Any:
    await say(
        update,
        context,
        _("When should {step} close? Type a date, like 15/12.").format(
            step=_(STEP_NAMES[Step(PREPARE.of(context).date_step)])
        ),
    )
    return DATE


async def on_date(update: Update, context: BotContext) -> Any:
    services = context.services
    now = services.clock.now()
    when = parse_day_end(update.effective_message.text or "", services.settings.timezone, now)
    draft = PREPARE.of(context)
    changed = change_date(closing_dates(draft), Step(draft.date_step), when, now) if when is not None else None
    if changed is None:
        await say(
            update,
            context,
            _(
                "Please type a date still to come, after the step before closes and before "
                "the step after closes, like 15/12."
            ),
        )
        return DATE
    draft.dates = {s.value: to_db(moment) for s, moment in changed.items()}
    PREPARE.save(context, draft)
    return await ask_confirm(update, context)
