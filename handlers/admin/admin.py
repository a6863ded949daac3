"""Admin: invite codes that grant staff roles, the list of roles, and the audit log."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import N_, _, format_datetime
from bot.keyboards import column
from bot.menu import role_name, sync_chat_commands
from bot.text import fit_lines
from domain.deeplinks import LinkKind, new_code, start_link
from domain.invites import InviteStatus
from domain.roles import ADMINS, GRANTABLE, Role
from handlers.buttons.admin_buttons import InviteRoleButton, RevokeButton
from handlers.kit.common import Put, acknowledge, audit, clear_buttons, escape, require, say
from handlers.kit.links import Follower

# Whole sentences per role, so each language gets its own article and grammar ("an officer").
ROLE_BUTTONS = {Role.COORDINATOR: N_("Coordinator"), Role.OFFICER: N_("Officer")}
WELCOMES = {
    Role.COORDINATOR: N_("Welcome! You are now a coordinator. Send /help to see what you can do."),
    Role.OFFICER: N_("Welcome! You are now an officer. Send /help to see what you can do."),
}


@require(ADMINS, "invite")
async def invite_command(update: Update, context: BotContext) -> None:
    buttons = [(_(ROLE_BUTTONS[role]), InviteRoleButton(role).pack()) for role in GRANTABLE]
    await say(update, context, _("Which role should the invite give?"), column(buttons))


async def on_invite_role(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, InviteRoleButton)
    await acknowledge(update)
    if button.role not in GRANTABLE:
        return
    await clear_buttons(update)
    role = button.role
    services = context.services
    now = services.clock.now()
    expires = now + timedelta(days=services.settings.invite_days)
    code = new_code()
    await services.roles.create_invite(code, role, update.effective_user.id, now, expires)
    await audit(context, update, "invite.create", "ok", subject=role.value)
    link = start_link(context.bot.username, LinkKind.INVITE, code)
    await say(
        update,
        context,
        "\n".join(
            [
                _("Send this link to the new {role}. It works once and expires on {date}.").format(
                    role=role_name(role), date=format_datetime(expires, services.settings.timezone)
                ),
                "",
                escape(link),
            ]
        ),
    )


async def redeem(update: Update, context: BotContext, code: str, put: Put) -> None:
    """Called for `/start i_<code>` once the person has consented: grants the role once, then the
    code is spent."""
    services = context.services
    user = update.effective_user
    status, role = await services.roles.redeem_invite(code, user.id, services.clock.now())
    await audit(context, update, "invite.redeem", status.value, subject=code[:4] + "…")
    messages = {
        InviteStatus.UNKNOWN: _("This invite link is not valid. Please ask for a new one."),
        InviteStatus.USED: _("This invite link has already been used. Please ask for a new one."),
        InviteStatus.EXPIRED: _("This invite link has expired. Please ask for a new one."),
        InviteStatus.REVOKED: _("This invite link was cancelled. Please ask for a new one."),
    }
    if status is not InviteStatus.VALID or role is None:
        await put(update, context, messages.get(status, messages[InviteStatus.UNKNOWN]), None)
        return
    if context.role is Role.ADMIN:
        await put(update, context, _("You are an admin already, so this link does nothing."), None)
        return
    context.role = role
    await sync_chat_commands(context.bot, update.effective_chat.id, role, context.language)
    await put(update, context, _(WELCOMES[role]), None)


@require(ADMINS, "roles")
async def roles_command(update: Update, context: BotContext) -> None:
    staff = await context.services.roles.staff()
    admins = context.services.settings.admin_ids
    lines = [_("<b>Staff roles</b>"), _("Admins are set in the ADMIN_IDS setting: {count}.").format(count=len(admins))]
    buttons = []
    for member in staff:
        name = escape(member.display_name) or str(member.telegram_id)
        lines.append(f"• {name} – {role_name(member.role)}")
        buttons.append(
            (
                _("Remove role from {name}").format(name=member.display_name or member.telegram_id),
                RevokeButton(member.telegram_id).pack(),
            )
        )
    if not staff:
        lines.append(_("No one else has a staff role yet. Use /invite to add someone."))
    await say(update, context, fit_lines(lines), column(buttons[:50]) if buttons else None)


async def on_revoke(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, RevokeButton)
    telegram_id = button.telegram_id
    removed = await context.services.roles.revoke(telegram_id)
    await audit(context, update, "roles.revoke", "ok" if removed else "nothing", subject=str(telegram_id))
    await acknowledge(update, _("Role removed.") if removed else _("That person has no staff role now."))
    await clear_buttons(update)
    if removed:
        person = await context.services.participants.by_telegram_id(telegram_id)
        await sync_chat_commands(context.bot, telegram_id, Role.RESIDENT, person.language if person else "en")
        await roles_command(update, context)


@require(ADMINS, "audit")
async def audit_command(update: Update, context: BotContext) -> None:
    entries = await context.services.audit.entries(limit=20)
    lines = [_("<b>Last actions</b>")]
    for entry in entries:
        lines.append(
            escape(
                f"{entry['at'][:16]} · {entry['actor_telegram_id'] or '—'} · {entry['action']}"
                f" · {entry['outcome']}" + (f" · {entry['subject']}" if entry["subject"] else "")
            )
        )
    if not entries:
        lines.append(_("Nothing yet."))
    await say(update, context, "\n".join(lines))


def deep_links() -> dict[LinkKind, Follower]:
    """A staff invite is redeemed as soon as its person has consented, before they finish joining."""
    return {LinkKind.INVITE: Follower(redeem, before_joining=True)}


def handlers() -> list[object]:
    return [
        CommandHandler("invite", invite_command),
        CommandHandler("roles", roles_command),
        CommandHandler("audit", audit_command),
        CallbackQueryHandler(on_invite_role, pattern=InviteRoleButton.pattern()),
        CallbackQueryHandler(on_revoke, pattern=RevokeButton.pattern()),
    ]
