"""/glossary and the "What does this mean?" buttons: plain explanations, in any language.

They work in the middle of any conversation without disturbing it, so a person who meets a
word they don't know mid-claim can look it up and carry on where they were.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import Button, keyboard
from domain.glossary import TERMS, Term, keys_of, lookup
from handlers.kit.common import acknowledge, say

PREFIX = "gl"


def explain_button(*terms: str) -> Button:
    """A "What does this mean?" button for the terms a message uses."""
    return _("❓ What does this mean?"), f"{PREFIX}:{keys_of(*terms)}"


def explanation(terms: list[Term]) -> str:
    return "\n\n".join(f"<b>{_(term.name)}</b>\n{_(term.meaning)}" for term in terms)


async def glossary_command(update: Update, context: BotContext) -> None:
    buttons = [(_(term.name), f"{PREFIX}:{term.key}") for term in TERMS]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    await say(update, context, _("Which word would you like explained? Tap it."), keyboard(rows))
    raise ApplicationHandlerStop


async def explain(update: Update, context: BotContext) -> None:
    query = update.callback_query
    terms = lookup(query.data.partition(":")[2]) if query and query.data else []
    await acknowledge(update)
    if terms:
        await say(update, context, explanation(terms))
    else:
        await say(update, context, _("Sorry, I can't find that word. Send /glossary to see them all."))
    raise ApplicationHandlerStop


def handlers() -> list[BaseHandler]:  # type: ignore[type-arg]
    """Registered ahead of the conversations; they stop the update so no flow sees it."""
    return [CommandHandler("glossary", glossary_command), CallbackQueryHandler(explain, pattern=f"^{PREFIX}:")]
