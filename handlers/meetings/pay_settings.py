"""What is paid, set by staff for a group (the default for its meetings) or for one meeting: the
rate an hour for meeting time, for preparation and reading and for "something else" agreed, and
whether travel and carer cover are paid back. Yes/no settings flip with a tap; a rate is typed.

A group's resident co-leads and a co-lead organising a meeting can see the settings; only staff
change them, as they spend the council's money."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, babel_locale, format_money
from bot.keyboards import Button, keyboard
from bot.rights import leads
from domain.money import parse_amount
from domain.pay import ACTIVITY_NAMES, Activity, WhatIsPaid
from domain.roles import ORGANISERS
from handlers.buttons.papers_pay_buttons import GroupPayButton, MeetingPayButton
from handlers.kit.common import acknowledge, audit, escape, refuse, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed, typed_text
from meetings.pay_words import time_rates_line, what_is_paid

DRAFT = "pay_rate"
RATE = "rate"
RATES = {"meeting_pence": Activity.MEETING, "preparation_pence": Activity.PREPARATION, "other_pence": Activity.OTHER}
FLAGS = ("travel", "carer_cover")


@dataclass
class RateDraft:
    """The rate being typed: for a group ("project") or a meeting, and which of RATES."""

    scope: str
    ref: int
    setting: str


RATE_DRAFT = DraftSlot(DRAFT, RateDraft)


def _scope(button: object) -> tuple[str, int, str]:
    """(scope, ref, setting) from either kind of pay button."""
    if isinstance(button, GroupPayButton):
        return "project", button.group, button.setting
    assert isinstance(button, MeetingPayButton)
    return "meeting", button.meeting, button.setting


def _button(scope: str, ref: int, setting: str) -> str:
    return (GroupPayButton(ref, setting) if scope == "project" else MeetingPayButton(ref, setting)).pack()


async def _settled(context: BotContext, scope: str, ref: int) -> tuple[str, WhatIsPaid, int | None]:
    """The name of what the settings are for, what is paid there, and the group it belongs to."""
    services = context.services
    rate = services.settings.hourly_rate_pence
    if scope == "project":
        project = await services.projects.by_id(ref)
        return (project.name if project else "?"), await services.pay.settled(rate, ref), ref
    meeting = await services.meetings.by_id(ref)
    project_id = meeting.project_id if meeting else None
    return (meeting.title if meeting else "?"), await services.pay.settled(rate, project_id, ref), project_id


async def _may_change(context: BotContext, scope: str, project_id: int | None) -> bool:
    if scope == "project":
        return leads(context, await context.services.projects.by_id(project_id) if project_id else None)
    return context.role in ORGANISERS


async def show(update: Update, context: BotContext, scope: str, ref: int) -> None:
    name, paid, project_id = await _settled(context, scope, ref)
    lines = [
        _("💷 <b>What is paid for “{name}”</b>").format(name=escape(name)),
        what_is_paid(paid),
        time_rates_line(paid),
    ]
    if scope == "meeting" and project_id:
        lines.append(_("What you do not change here is as the group says."))
    rows: list[list[Button]] = []
    if await _may_change(context, scope, project_id):
        rows = [
            [
                (
                    _("{activity}: {rate} an hour").format(
                        activity=_(ACTIVITY_NAMES[activity]), rate=format_money(paid.rate(activity))
                    ),
                    _button(scope, ref, setting),
                )
            ]
            for setting, activity in RATES.items()
        ]
        rows.append(
            [
                (_("Travel: paid ✅") if paid.travel else _("Travel: not paid"), _button(scope, ref, "travel")),
                (
                    _("Carer cover: paid ✅") if paid.carer_cover else _("Carer cover: not paid"),
                    _button(scope, ref, "carer_cover"),
                ),
            ]
        )
    await say(update, context, "\n".join(lines), keyboard(rows) if rows else None)


async def on_pay_button(update: Update, context: BotContext) -> None:
    """Show the settings, or flip travel or carer cover."""
    scope, ref, setting = _scope(context.button)
    if setting == "show":
        await acknowledge(update)
        await show(update, context, scope, ref)
        return
    _name, paid, project_id = await _settled(context, scope, ref)
    if setting not in FLAGS or not await _may_change(context, scope, project_id):
        await refuse(update, context, "pay.set", subject=f"{scope}:{ref}")
        return
    await context.services.pay.choose(scope, ref, setting, 0 if getattr(paid, setting) else 1)
    await audit(context, update, "pay.set", "ok", subject=f"{scope}:{ref}", detail=setting)
    await acknowledge(update, _("Saved."))
    await show(update, context, scope, ref)


async def ask_rate(update: Update, context: BotContext) -> Any:
    """A rate button: only staff get here with a draft; anyone else is refused and audited."""
    scope, ref, setting = _scope(context.button)
    _name, _paid, project_id = await _settled(context, scope, ref)
    if setting not in RATES or not await _may_change(context, scope, project_id):
        await refuse(update, context, "pay.set", subject=f"{scope}:{ref}")
        return ConversationHandler.END
    await acknowledge(update)
    RATE_DRAFT.begin(context, RateDraft(scope, ref, setting))
    return await _ask(update, context)


async def _ask(update: Update, context: BotContext) -> Any:
    activity = RATES[RATE_DRAFT.of(context).setting]
    await say(
        update,
        context,
        _("How much an hour for “{activity}”? Type an amount, like 15.00. Type 0 if it is not paid.").format(
            activity=_(ACTIVITY_NAMES[activity])
        ),
    )
    return RATE


async def on_rate(update: Update, context: BotContext) -> Any:
    text = typed(update)
    ceiling = context.services.settings.claim_ceiling_pence
    pence = (
        0 if text.strip() in ("0", "0.00", "£0") else parse_amount(text, babel_locale(context.language), ceiling).pence
    )
    if pence is None:
        await say(update, context, _("Please type the amount in numbers, like 15.00."))
        return RATE
    draft = RATE_DRAFT.pop(context)
    await context.services.pay.choose(draft.scope, draft.ref, draft.setting, pence)
    await audit(context, update, "pay.set", "ok", subject=f"{draft.scope}:{draft.ref}", detail=draft.setting)
    await ending(update, context)
    await show(update, context, draft.scope, draft.ref)
    return ConversationHandler.END


def _rate_entries() -> list[CallbackQueryHandler[Any, Any]]:
    """A rate to type, for a meeting or for a group."""
    return [
        CallbackQueryHandler(ask_rate, pattern=kind.pattern_where(setting=tuple(RATES)))
        for kind in (MeetingPayButton, GroupPayButton)
    ]


def conversation() -> Flow:
    return Flow(
        name="pay_rate",
        noun=N_("the rate you were setting"),
        states=restarting({RATE: step(_ask, MessageHandler(typed_text(), on_rate))}, None),
        entry_points=_rate_entries(),
        cancel=stopped(N_("Stopped. Nothing was changed.")),
        prefixes=(),
        drafts=(DRAFT,),
    )


def handlers() -> list[object]:
    settings = ("show", *FLAGS)
    return [
        CallbackQueryHandler(on_pay_button, pattern=kind.pattern_where(setting=settings))
        for kind in (MeetingPayButton, GroupPayButton)
    ]
