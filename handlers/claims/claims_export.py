"""Officers download approved and paid claims for finance: /export_claims, then a date range."""

from __future__ import annotations

import io
from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from approvals.buttons import ExportButton
from approvals.export import claims_csv
from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import column
from domain.claims import tax_year_bounds
from domain.money import tax_year_start
from domain.roles import OFFICERS
from handlers.kit.common import acknowledge, audit, require, say


@require(OFFICERS, "claims.export")
async def export_command(update: Update, context: BotContext) -> None:
    today = context.services.clock.now().astimezone(context.services.settings.timezone).date()
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    year_start, year_end = tax_year_bounds(tax_year_start(today))
    ranges = [
        (_("This month"), month_start, today),
        (_("Last month"), last_month_end.replace(day=1), last_month_end),
        (_("This tax year"), year_start, year_end),
    ]
    await say(
        update,
        context,
        _("Approved and paid claims, one row per item, for finance. Which dates?"),
        column((label, ExportButton(start, end).pack()) for label, start, end in ranges),
    )


async def on_export(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, ExportButton)
    start, end = button.start, button.end
    await acknowledge(update)
    rows = await context.services.claims.export_rows(start, end)
    await audit(context, update, "claims.export", "ok", detail=f"{start}..{end}:{len(rows)}")
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(claims_csv(rows)),
        filename=f"claims-{start}-{end}.csv",
        caption=_("{count} rows, {start} to {end}.").format(count=len(rows), start=start, end=end),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("export_claims", export_command),
        CallbackQueryHandler(on_export, pattern=ExportButton.pattern()),
    ]
