"""Opportunities: coordinators describe one honestly, choose who gets it, preview it, and
broadcast it (`handlers/opportunities/opportunity_send.py`); what happens once it is sent is
`handlers/opportunities/opportunities.py`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import Button, keyboard
from domain.roles import ORGANISERS
from handlers.kit import ladder
from handlers.kit.choose import choose_one, choose_way
from handlers.kit.common import Handler, acknowledge, clear_buttons, require, require_registered, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, step, typed_text
from handlers.kit.flow_steps import day_to_come
from handlers.kit.plain_words import plain_words_note
from handlers.kit.text_versions import VersionButton, Versioned, add_button, steps, versions_line
from handlers.kit.write_in import type_in, write_in
from handlers.opportunities.opportunities import resident_buttons
from handlers.opportunities.opportunity_send import cancel, send
from handlers.opportunities.opportunity_target import AUDIENCE, DRAFT, OPPORTUNITY, PREFIXES, Audience
from opportunities import work
from opportunities.buttons import FormChoice
from opportunities.draft import OpportunityDraft
from opportunities.views import PAYS_LABELS, card, reach_text
from storage.times import to_db

# Text fields in the order they are asked: (key, question, longest answer).
TEXT_FIELDS: list[tuple[str, str, int]] = [
    ("title", N_("What is the opportunity called? Keep it short and plain."), 100),
    ("about", N_("What is it about, in two or three sentences?"), 800),
    ("can_change", N_("What can people change or decide?"), 300),
    ("cannot_change", N_("What can people NOT change? Being clear builds trust."), 300),
    ("time_needed", N_("How much time does it take? For example: two 1-hour meetings."), 200),
    ("dates", N_("When is it? For example: Tuesday evenings in May."), 200),
    ("access_info", N_("Access: where it is, how to join online, and what help there is."), 300),
]
FIELD_KEYS = [key for key, _q, _n in TEXT_FIELDS]
LEVEL, PAYS, CLOSES, PREVIEW = "level", "pays", "closes", "preview"
SEND, EDIT = "send", "edit"  # what the preview's buttons carry after "on:"

# The order fields are asked in after the text fields.
AFTER = {
    "title": "about",
    "about": LEVEL,
    LEVEL: "can_change",
    "can_change": "cannot_change",
    "cannot_change": "time_needed",
    "time_needed": "dates",
    "dates": PAYS,
    PAYS: "access_info",
    "access_info": CLOSES,
    CLOSES: AUDIENCE,
}


@require(ORGANISERS, "opportunity.create")
@require_registered
async def new_opportunity(update: Update, context: BotContext) -> Any:
    OPPORTUNITY.begin(context, OpportunityDraft(key=uuid4().hex))
    await say(update, context, _("Let's write an opportunity. I will ask a few questions. Send /cancel to stop."))
    return await _ask(update, context, "title")


async def _ask(update: Update, context: BotContext, key: str) -> Any:
    asks = {LEVEL: ask_level, PAYS: ask_pays, CLOSES: ask_closes, AUDIENCE: WHO.show}
    if key in asks:
        return await asks[key](update, context)
    return await TEXT_STEPS[key][0](update, context)


async def _after(update: Update, context: BotContext, key: str) -> Any:
    """Next question, or back to the preview when changing one answer."""
    with OPPORTUNITY.editing(context) as draft:
        editing, draft.editing = draft.editing, False
    if editing:
        return await show_preview(update, context)
    return await _ask(update, context, AFTER[key])


def _after_step(key: str) -> Handler:
    """What comes after the step `key`: the next question, or the preview."""

    async def after(update: Update, context: BotContext) -> Any:
        return await _after(update, context, key)

    return after


TEXT_STEPS = {
    key: write_in(key, question, limit, OPPORTUNITY.keeper(key), _after_step(key), one_line=False)
    for key, question, limit in TEXT_FIELDS
}


ask_level, on_level = ladder.level_step(FormChoice, LEVEL, OPPORTUNITY.keeper("level"), _after_step(LEVEL))


ask_pays, on_pays = choose_one(
    FormChoice,
    PAYS,
    PAYS,
    N_("What is paid?"),
    PAYS_LABELS,
    OPPORTUNITY.keeper("pays"),
    _after_step(PAYS),
)


def _keep_closes(context: BotContext, closes: datetime) -> None:
    with OPPORTUNITY.editing(context) as draft:
        draft.closes_at = to_db(closes)


ask_closes, on_closes = type_in(
    CLOSES,
    lambda _context: _("What is the last day people can say they are interested? Type a date like 15/12."),
    day_to_come(N_("Please type a date in the future, like 15/12 or 15/12/2026.")),
    _keep_closes,
    _after_step(CLOSES),
)


# --- preview and edit --------------------------------------------------------------------


async def show_preview(update: Update, context: BotContext) -> Any:
    draft = OPPORTUNITY.of(context)
    fields = draft.fields()
    missing = [key for key in [*FIELD_KEYS, LEVEL, PAYS, "closes_at"] if fields[key] is None]
    if missing:
        return await _ask(update, context, CLOSES if missing[0] == "closes_at" else missing[0])
    target = draft.target
    reach = await context.services.opportunities.count_reach(target)
    tz = context.services.settings.timezone
    await say(
        update,
        context,
        _("<b>Preview</b> – this is what residents will see:") + "\n\n" + card(fields, tz, full=False),
        keyboard(resident_buttons(0, fields, full=False)),
    )
    summary = "\n\n".join(
        filter(
            None,
            [
                plain_words_note([fields[key] for key in FIELD_KEYS]),
                versions_line(VERSIONED, context),
                reach_text(reach) + "\n" + await WHO.describe(context, target),
            ],
        )
    )
    rows: list[list[Button]] = [
        [(_("🚀 Send now"), FormChoice(SEND, "go").pack())],
        [
            (_("✏️ Change something"), FormChoice(SEND, "edit").pack()),
            (_("👥 Change who gets it"), FormChoice(SEND, "audience").pack()),
        ],
        [add_button(VERSIONED)],
        [(_("Cancel"), FormChoice(SEND, "cancel").pack())],
    ]
    await say(update, context, summary, keyboard(rows))
    return PREVIEW


async def on_preview(update: Update, context: BotContext) -> Any:
    await acknowledge(update)
    choice = FormChoice.chosen(context.button, SEND)
    if choice == "go":
        await clear_buttons(update)
        return await send(update, context)
    if choice == "audience":
        await clear_buttons(update)
        return await WHO.show(update, context)
    if choice == "cancel":
        await clear_buttons(update)
        return await cancel(update, context)
    if choice == "edit":
        await clear_buttons(update)
        return await ask_change(update, context)
    return await show_preview(update, context)


def _changer(key: str) -> Any:
    async def change(update: Update, context: BotContext) -> Any:
        with OPPORTUNITY.editing(context) as draft:
            draft.editing = True
        return await _ask(update, context, key)

    return change


# What the preview's "Change something" offers, in the order the form asks it.
CHANGEABLE = {
    "title": N_("Title"),
    "about": N_("About"),
    LEVEL: N_("Level"),
    "can_change": N_("Can change"),
    "cannot_change": N_("Cannot change"),
    "time_needed": N_("Time"),
    "dates": N_("When"),
    PAYS: N_("Payment"),
    "access_info": N_("Access"),
    CLOSES: N_("Reply by"),
}
ask_change, on_change = choose_way(
    FormChoice,
    EDIT,
    PREVIEW,
    N_("What would you like to change?"),
    {key: (label, _changer(key)) for key, label in CHANGEABLE.items()},
    across=2,
)


# The coordinator's own words, which a version in another language replaces.
FIELD_NAMES = {key: CHANGEABLE[key] for key in FIELD_KEYS}
VERSIONED = Versioned(
    work.KIND, DRAFT, tuple((key, FIELD_NAMES[key], limit) for key, _q, limit in TEXT_FIELDS), show_preview
)
WHO = Audience(preview=show_preview)


def conversation() -> Flow:
    states = {key: step(asker, MessageHandler(typed_text(), answer)) for key, (asker, answer) in TEXT_STEPS.items()}
    add_version, version_steps = steps(VERSIONED)
    states.update(
        {
            LEVEL: step(ask_level, CallbackQueryHandler(on_level, pattern=FormChoice.at(LEVEL))),
            PAYS: step(ask_pays, CallbackQueryHandler(on_pays, pattern=FormChoice.at(PAYS))),
            CLOSES: step(ask_closes, MessageHandler(typed_text(), on_closes)),
            **WHO.states(),
            PREVIEW: step(
                show_preview,
                CallbackQueryHandler(on_preview, pattern=FormChoice.at(SEND)),
                CallbackQueryHandler(on_change, pattern=FormChoice.at(EDIT)),
                add_version,
            ),
            **version_steps,
        }
    )
    return Flow(
        name="opportunity",
        noun=N_("your opportunity"),
        states=restarting(states, new_opportunity),
        entry_points=[CommandHandler("opportunity", new_opportunity)],
        cancel=cancel,
        prefixes=(FormChoice.prefix, VersionButton.prefix, *PREFIXES),
        drafts=(DRAFT,),
        start=new_opportunity,
        command="opportunity",
    )
