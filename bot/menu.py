"""The commands each role sees: in /help and in Telegram's command menu, per language."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.i18n import N_, _, available_languages, language, telegram_language_code
from domain.roles import Role

log = logging.getLogger(__name__)

_RESIDENT = [
    ("start", N_("Start, or see your menu")),
    ("profile", N_("See and change your details")),
    ("access", N_("What you need to take part")),
    ("projects", N_("Your groups")),
    ("groups", N_("Decide together in your groups")),
    ("propose", N_("Put a proposal to your group")),
    ("decisions", N_("What your groups decided")),
    ("cycle", N_("Where your group is in working together for change")),
    ("opportunities", N_("Opportunities: pause or restart")),
    ("meetings", N_("Your meetings")),
    ("claim", N_("Claim expenses or payment for your time")),
    ("claims", N_("Your claims")),
    ("statement", N_("Statement of payments for a tax year")),
    ("myinvolvement", N_("What you have done with us, and a certificate")),
    ("feedback", N_("Tell us what you think")),
    ("yousaidwedid", N_("What was done with feedback")),
    ("language", N_("Change language")),
    ("glossary", N_("What words mean")),
    ("privacy", N_("How we use your data")),
    ("mydata", N_("Download your data")),
    ("delete", N_("Delete your data")),
    ("help", N_("What I can do")),
]
_ORGANISER = [
    ("newproject", N_("Create a group")),
    ("opportunity", N_("Write and send an opportunity")),
    ("meeting", N_("Plan a meeting and find a time")),
    ("addperson", N_("Add someone who takes part without Telegram")),
    ("people", N_("People who take part through staff")),
]
_OFFICER = [
    ("approvals", N_("Claims waiting for a decision")),
    ("export_claims", N_("Claims for finance, as a spreadsheet")),
    ("inbox", N_("Feedback waiting for an answer")),
    ("themes", N_("Publish what we did")),
    ("overdue", N_("Feedback and themes that are late")),
    ("impact", N_("How well we close the loop")),
]
_ADMIN = [
    ("invite", N_("Invite a member of staff")),
    ("roles", N_("See and remove staff roles")),
    ("audit", N_("Recent actions log")),
    ("jobs", N_("Scheduled jobs that failed")),
]


def commands_for(role: Role) -> list[tuple[str, str]]:
    """(command, untranslated description) pairs for a role, resident ones first."""
    commands = list(_RESIDENT)
    if role in (Role.COORDINATOR, Role.OFFICER, Role.ADMIN):
        commands += _ORGANISER
    if role in (Role.OFFICER, Role.ADMIN):
        commands += _OFFICER
    if role is Role.ADMIN:
        commands += _ADMIN
    return commands


def _bot_commands(role: Role) -> list[BotCommand]:
    return [BotCommand(name, _(description)) for name, description in commands_for(role)]


async def register_default_commands(bot: Bot) -> None:
    """Residents' menu in every language we speak, set once at start-up."""
    for code in available_languages():
        telegram_code = telegram_language_code(code)
        if telegram_code is None:
            continue  # Easy Read readers get it per chat once they choose it
        with language(code):
            await bot.set_my_commands(
                _bot_commands(Role.RESIDENT), scope=BotCommandScopeDefault(), language_code=telegram_code
            )
    with language("en"):
        await bot.set_my_commands(_bot_commands(Role.RESIDENT), scope=BotCommandScopeDefault())


async def sync_chat_commands(bot: Bot, chat_id: int, role: Role, language_code: str) -> None:
    """Each person's menu in their chat, for their role and in the language they chose,
    which may differ from their phone's (that is what the default menus follow)."""
    try:
        with language(language_code):
            await bot.set_my_commands(_bot_commands(role), scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:
        # The menu is a convenience; a failure here must not break the reply the user is waiting for.
        log.warning("Could not update the command menu for chat %s: %s", chat_id, exc)


def role_name(role: Role) -> str:
    """A role as staff and residents read it, in the reader's language."""
    names = {
        Role.RESIDENT: _("resident"),
        Role.COORDINATOR: _("coordinator"),
        Role.OFFICER: _("officer"),
        Role.ADMIN: _("administrator"),
    }
    return names[role]
