"""Deep links: `/start <payload>` from a QR code or an invitation."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.i18n import _
from domain.deeplinks import LinkKind, parse_payload
from handlers import admin, projects
from handlers.common import say


async def follow_before_joining(update: Update, context: BotContext, payload: str) -> bool:
    """Handle what can be done before someone has finished joining; False means keep it for later.
    A staff invite waits for consent: nobody is given a role before they agreed to the notice."""
    link = parse_payload(payload)
    if link is None:
        await say(update, context, _("I don't recognise that link, but you can still join."))
        return True
    if link.kind is LinkKind.INVITE and context.participant is not None:
        await admin.redeem(update, context, link.code)
        return True
    return False


async def follow(update: Update, context: BotContext, payload: str) -> None:
    link = parse_payload(payload)
    if link is None or link.kind is LinkKind.OPPORTUNITY:
        await say(update, context, _("I don't recognise that link. Send /help to see what you can do."))
    elif link.kind is LinkKind.INVITE:
        await admin.redeem(update, context, link.code)
    else:
        await projects.join_by_code(update, context, link.code)
