"""Putting something to a group: /propose (any member, unless the charter says leads only)
and /vote (a lead or co-lead: a dot vote or a ranked choice). One conversation for both:
the steps they share are written once, and the draft says which kind it is. This module opens it
(the group, and a vote's kind) and declares its steps; the words, the closing date and the quorum
are asked in handlers/decide/decide_steps.py, the preview and sending in handlers/decide/decide_draft.py."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _
from bot.keyboards import column
from decide.buttons import DraftChoice, GroupActionButton, LeadActionButton
from domain.decisions import Kind
from handlers.decide.decide_draft import (
    BODY,
    CLOSES,
    CONFIRM,
    DECISION,
    DOTS,
    DRAFT,
    GROUP,
    KIND,
    OPTIONS,
    QUORUM,
    TITLE,
    VERSIONED,
    DecisionDraft,
    allowed_groups,
    ask_confirm,
    on_confirm,
)
from handlers.decide.decide_steps import (
    ask_body,
    ask_closes,
    ask_dots,
    ask_options,
    ask_quorum,
    ask_title,
    on_body,
    on_closes,
    on_closes_typed,
    on_dots,
    on_options,
    on_quorum,
    on_title,
)
from handlers.kit.choose import choose_one
from handlers.kit.common import acknowledge, ask, require_registered, say
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, step, stopped, typed_text
from handlers.kit.text_versions import VersionButton, steps

# --- starting ---------------------------------------------------------------------------


@require_registered
async def propose_command(update: Update, context: BotContext) -> Any:
    return await _start(update, context, Kind.PROPOSAL)


@require_registered
async def vote_command(update: Update, context: BotContext) -> Any:
    return await _start(update, context, None)


async def from_group_card(update: Update, context: BotContext) -> Any:
    """ "Put a proposal" or "Start a vote" on a group's card: the gate has checked the right."""
    await acknowledge(update)
    button = context.button
    if isinstance(button, GroupActionButton):
        return await _start(update, context, Kind.PROPOSAL, group_id=button.group)
    if isinstance(button, LeadActionButton):
        return await _start(update, context, None, group_id=button.group)
    return ConversationHandler.END


async def _start(update: Update, context: BotContext, kind: Kind | None, group_id: int | None = None) -> Any:
    leading = kind is None
    groups = await allowed_groups(context, leading=leading)
    if group_id is not None:
        groups = [g for g in groups if g[0] == group_id]
    if not groups:
        await say(
            update,
            context,
            _("Only a group's leads and co-leads can start a vote. You can put a proposal with /propose.")
            if leading
            else _(
                "You can put a proposal to a group you are in. You are not in one yet, or your group lets only "
                "its leads do this. Send /groups to see your groups."
            ),
        )
        return ConversationHandler.END
    only = groups[0][0] if len(groups) == 1 else None
    DECISION.begin(context, DecisionDraft(uuid4().hex, kind, group=only))
    if only is not None:
        return await _after_group(update, context)
    await ask(
        update,
        context,
        _("Which group is it for?"),
        column((name[:40], DraftChoice(GROUP, str(pid)).pack()) for pid, name in groups[:20]),
    )
    return GROUP


async def _groups(context: BotContext) -> dict[str, str]:
    groups = await allowed_groups(context, leading=DECISION.of(context).kind is None)
    return {str(pid): name[:40] for pid, name in groups[:20]}


async def _after_group(update: Update, context: BotContext) -> Any:
    return await ask_title(update, context) if DECISION.of(context).kind else await ask_kind(update, context)


GROUP_AGAIN = N_("Please tap the group it is for, or send /cancel to stop.")
ask_group, on_group = choose_one(
    DraftChoice, GROUP, GROUP, GROUP_AGAIN, _groups, DECISION.keeper("group"), _after_group
)
KINDS = {
    Kind.DOTS.value: N_("🔵 Dot vote: everyone spreads dots across options"),
    Kind.RANKED.value: N_("🔢 Ranked choice: everyone puts options in order"),
}


ask_kind, on_kind = choose_one(
    DraftChoice, KIND, KIND, N_("What kind of vote?"), KINDS, DECISION.keeper("kind"), ask_title
)


def conversation() -> Flow:
    choice = DraftChoice.pattern()
    add_version, version_steps = steps(VERSIONED)
    return Flow(
        name="new_decision",
        noun=N_("your proposal or vote"),
        states=restarting(
            {
                GROUP: step(ask_group, CallbackQueryHandler(on_group, pattern=choice)),
                KIND: step(ask_kind, CallbackQueryHandler(on_kind, pattern=choice)),
                TITLE: step(ask_title, MessageHandler(typed_text(), on_title)),
                BODY: step(ask_body, MessageHandler(typed_text() | filters.VOICE, on_body)),
                OPTIONS: step(ask_options, MessageHandler(typed_text(), on_options)),
                DOTS: step(ask_dots, CallbackQueryHandler(on_dots, pattern=choice)),
                CLOSES: step(
                    ask_closes,
                    CallbackQueryHandler(on_closes, pattern=choice),
                    MessageHandler(typed_text(), on_closes_typed),
                ),
                QUORUM: step(ask_quorum, CallbackQueryHandler(on_quorum, pattern=choice)),
                CONFIRM: step(ask_confirm, CallbackQueryHandler(on_confirm, pattern=choice), add_version),
                **version_steps,
            },
            None,
        ),
        entry_points=[
            CommandHandler("propose", propose_command),
            CommandHandler("vote", vote_command),
            CallbackQueryHandler(from_group_card, pattern=GroupActionButton.pattern_where(action="propose")),
            CallbackQueryHandler(from_group_card, pattern=LeadActionButton.pattern_where(action="vote")),
        ],
        cancel=stopped(),
        prefixes=(DraftChoice.prefix, VersionButton.prefix),
        drafts=(DRAFT,),
        command="propose",
    )
