"""/help and the menu people see after /start: what they can do, for their role."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import _
from bot.menu import commands_for, role_name
from domain.roles import Role
from handlers.kit.common import escape, say


def commands_text(role: Role) -> str:
    return "\n".join(f"/{name} – {_(description)}" for name, description in commands_for(role))


async def help_command(update: Update, context: BotContext) -> None:
    lines = [_("Here is what you can do:"), "", commands_text(context.role)]
    if context.role is not Role.RESIDENT:
        lines += ["", _("You are signed in as: {role}.").format(role=role_name(context.role))]
    if context.participant is None or not context.participant.registered:
        lines += ["", _("You have not joined yet. Send /start to join.")]
    await say(update, context, "\n".join(lines))


async def show_menu(update: Update, context: BotContext) -> None:
    name = context.participant.display_name if context.participant else None
    greeting = _("Hello, {name}!").format(name=escape(name)) if name else _("Hello!")
    await say(update, context, "\n".join([greeting, _("What would you like to do?"), "", commands_text(context.role)]))
