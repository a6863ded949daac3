"""A lead or co-lead closes a group with its outcomes and what changed; members then say how it
felt and what they learned. A closed group leaves people's lists, but its record stays: on
its card, in /impact and in /myinvolvement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.i18n import N_, _, ngettext
from bot.keyboards import column, keyboard
from bot.text import escape
from decide.buttons import LeadActionButton
from decide.closing import close_group, feel, learn, open_decisions, outcome_lines
from decide.closing_buttons import ConfirmCloseButton, FeltButton
from domain.closing import CHANGED_MAX, LEARNED_MAX, OUTCOMES_MAX
from handlers.kit.choose import stoppable
from handlers.kit.common import acknowledge, audit, say
from handlers.kit.drafts import DraftSlot, restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_or_spoken, typed_text
from handlers.kit.write_in import write_in
from storage.projects import Project

OUTCOMES, CHANGED, CONFIRM = "outcomes", "changed", "confirm"
DRAFT = "group_close"
LEARNED = "learned"
PENDING = "group_reflection"  # the closed group whose member is saying what they learned


@dataclass
class CloseDraft:
    """The lead's closing of a group; the fields are the keys the draft had as a dict."""

    group: int
    key: str  # makes sending it twice (after a lost reply) close it once
    outcomes: str = ""
    changed: str = ""


@dataclass
class ReflectionDraft:
    """The closed group a member is saying what they learned in."""

    group: int


CLOSING = DraftSlot(DRAFT, CloseDraft)
REFLECTION = DraftSlot(PENDING, ReflectionDraft)


# --- the lead closes the group --------------------------------------------------------------------


async def start(update: Update, context: BotContext) -> Any:
    """From "Close the group" on the card; the gate has checked the lead right."""
    await acknowledge(update)
    button = context.button
    assert isinstance(button, LeadActionButton)
    project = await context.services.projects.by_id(button.group)
    if project is None or not await _may_close(update, context, project):
        return ConversationHandler.END
    CLOSING.begin(context, CloseDraft(project.id, uuid4().hex))
    return await ask_outcomes(update, context)


async def _may_close(update: Update, context: BotContext, project: Project) -> bool:
    """Not twice, and not while members are still deciding something."""
    if project.closed_at is not None:
        await say(update, context, _("This group has already closed."))
        return False
    count = await open_decisions(context.services, project)
    if count:
        await say(
            update,
            context,
            ngettext(
                "This group still has {count} open decision. Close it first, then close the group.",
                "This group still has {count} open decisions. Close them first, then close the group.",
                count,
            ).format(count=count),
        )
        return False
    return True


ask_changed, on_changed = write_in(
    CHANGED,
    lambda _context: _("What changed because of the group? Say it in plain words."),
    CHANGED_MAX,
    CLOSING.keeper("changed"),
    lambda update, context: ask_confirm(update, context),
    one_line=False,
)
ask_outcomes, on_outcomes = write_in(
    OUTCOMES,
    stoppable(N_("What did the group do? Write its outcomes in plain words. Every member will read them.")),
    OUTCOMES_MAX,
    CLOSING.keeper("outcomes"),
    ask_changed,
    one_line=False,
)


async def ask_confirm(update: Update, context: BotContext) -> Any:
    draft = CLOSING.of(context)
    project = await context.services.projects.by_id(draft.group)
    name = project.name if project else ""
    lines = [
        _("<b>Close {group}?</b>").format(group=escape(name)),
        *outcome_lines(draft.outcomes, draft.changed),
        "",
        _(
            "Every member gets this. We ask them how it felt and what they learned. The group leaves "
            "people's lists, but its record stays."
        ),
    ]
    group = draft.group
    await say(
        update,
        context,
        "\n".join(lines),
        keyboard(
            [
                [
                    (_("🏁 Close the group"), ConfirmCloseButton(group, True).pack()),
                    (_("✖️ Don't close it"), ConfirmCloseButton(group, False).pack()),
                ]
            ]
        ),
    )
    return CONFIRM


async def on_confirm(update: Update, context: BotContext) -> Any:
    button = context.button
    draft = CLOSING.of(context)
    if not isinstance(button, ConfirmCloseButton) or button.group != draft.group:
        return await ask_confirm(update, context)
    await acknowledge(update)
    CLOSING.drop(context)
    await ending(update, context)
    if not button.close:
        await say(update, context, _("Stopped. Nothing was changed."))
        return ConversationHandler.END
    services = context.services
    project = await services.projects.by_id(button.group)
    assert context.participant is not None
    if project is None or not await _may_close(update, context, project):
        return ConversationHandler.END
    sent = await close_group(services, project, context.participant.id, draft.outcomes, draft.changed, draft.key)
    if sent is None:
        await say(update, context, _("This group has already closed."))
        return ConversationHandler.END
    await audit(context, update, "group.close", "ok", subject=str(project.id))
    await say(
        update,
        context,
        ngettext(
            "The group is closed. We sent its outcomes to {count} member.",
            "The group is closed. We sent its outcomes to {count} members.",
            sent,
        ).format(count=sent),
    )
    return ConversationHandler.END


def conversation() -> Flow:
    return Flow(
        name="group_close",
        noun=N_("closing the group"),
        states=restarting(
            {
                OUTCOMES: step(ask_outcomes, MessageHandler(typed_text(), on_outcomes)),
                CHANGED: step(ask_changed, MessageHandler(typed_text(), on_changed)),
                CONFIRM: step(ask_confirm, CallbackQueryHandler(on_confirm, pattern=ConfirmCloseButton.pattern())),
            },
            None,
        ),
        entry_points=[CallbackQueryHandler(start, pattern=LeadActionButton.pattern_where(action="close"))],
        cancel=stopped(),
        prefixes=(ConfirmCloseButton.prefix,),
        drafts=(DRAFT,),
    )


# --- members say how it felt and what they learned ----------------------------------------------


def _learned_question(group: int) -> tuple[str, Any]:
    return (
        _("Thank you. What did you learn by taking part? Type it or send a voice note. Or tap Skip."),
        column([(_("Skip »"), FeltButton(group, 0).pack())]),
    )


async def on_felt(update: Update, context: BotContext) -> Any:
    """A feeling saves it and asks what they learned; 0 (Skip) ends."""
    button = context.button
    assert isinstance(button, FeltButton) and context.participant is not None
    if not await feel(context.services, button.group, context.participant.id, button.felt):
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
        return ConversationHandler.END
    await acknowledge(update)
    if button.felt == 0:
        REFLECTION.drop(context)
        await update.callback_query.edit_message_text(_("Thank you for taking part in the group."))
        return ConversationHandler.END
    REFLECTION.begin(context, ReflectionDraft(button.group))
    text, markup = _learned_question(button.group)
    await update.callback_query.edit_message_text(text, reply_markup=markup)
    return LEARNED


async def ask_learned(update: Update, context: BotContext) -> Any:
    await say(update, context, *_learned_question(REFLECTION.of(context).group))
    return LEARNED


async def _learned(update: Update, context: BotContext, text: str | None, voice: str | None) -> Any:
    pending = REFLECTION.pop(context)
    assert context.participant is not None
    await learn(context.services, pending.group, context.participant.id, text, voice)
    await ending(update, context)
    await say(update, context, _("Thank you. It goes into the group's record without your name."))
    return ConversationHandler.END


on_learned = typed_or_spoken(LEARNED, LEARNED_MAX, _learned)


def reflection() -> Flow:
    felt = CallbackQueryHandler(on_felt, pattern=FeltButton.pattern())
    return Flow(
        name="group_reflection",
        noun=N_("what you learned"),
        states=restarting(
            {LEARNED: step(ask_learned, felt, MessageHandler(typed_text() | filters.VOICE, on_learned))}, None
        ),
        entry_points=[felt],
        cancel=stopped(N_("Stopped. What you chose is saved.")),
        prefixes=(FeltButton.prefix,),
        drafts=(PENDING,),
    )
