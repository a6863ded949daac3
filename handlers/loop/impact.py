"""Officers see how the loop is closing: /overdue for what is slipping, /impact for the measures
overall and per group, with the same figures as a spreadsheet."""

from __future__ import annotations

import io
from datetime import timedelta

from telegram import Update
from telegram.ext import CommandHandler

from approvals.export import impact_csv
from bot.context import BotContext
from bot.i18n import _
from bot.keyboards import column
from bot.text import fit_lines
from decide.closing_views import impact_lines
from domain.roles import OFFICERS
from feedback import work
from feedback.views import measure_lines, together_lines
from feedback.we_did import FOLLOW_UP
from handlers.kit.common import escape, require, say
from questions.views import overdue_lines
from success.buttons import OfficerWeButton
from success.views import i_and_we_lines

WE_GROUPS = 10  # groups offered for the 'We' answers under /impact


@require(OFFICERS, "feedback.overdue")
async def overdue_command(update: Update, context: BotContext) -> None:
    services = context.services
    settings = services.settings
    now = services.clock.now()
    waiting = await services.feedback.overdue_feedback(now - timedelta(days=settings.feedback_nudge_days))
    themes = await services.feedback.overdue_themes(now - timedelta(weeks=settings.theme_overdue_weeks))
    followups = await services.jobs.pending(FOLLOW_UP, now + timedelta(days=7))
    lines = [
        _("<b>Overdue</b>"),
        _("No response after {days} days: {count}").format(days=settings.feedback_nudge_days, count=len(waiting)),
    ]
    lines += [f"• {f.reference}" for f in waiting[:30]]
    lines.append(
        _("Themes with no “we did” after {weeks} weeks: {count}").format(
            weeks=settings.theme_overdue_weeks, count=len(themes)
        )
    )
    lines += [f"• {escape(t.title)}" for t in themes[:20]]
    lines.append(_("Follow-ups due in the next week: {count}").format(count=len(followups)))
    lines += await overdue_lines(services)
    await say(update, context, fit_lines(lines))


@require(OFFICERS, "feedback.impact")
async def impact_command(update: Update, context: BotContext) -> None:
    """The measures overall and per group, as text and as a CSV file."""
    services = context.services
    groups = await services.projects.all_open()
    scopes = await work.impact(services, groups, _("All groups"))
    lines: list[str] = []
    for scope in scopes:
        lines += [
            *measure_lines(scope.label, scope.result),
            *(together_lines(scope.together) if scope.together else []),
            *(
                await i_and_we_lines(context.services, scope.project_id, scope.checkins)
                if scope.project_id is not None
                else []
            ),
            "",
        ]
    await say(
        update,
        context,
        fit_lines(lines),
        column(
            (_("🤝 'We' answers: {group}").format(group=p.name[:30]), OfficerWeButton(p.id, 0, 0).pack())
            for p in groups[:WE_GROUPS]
        )
        if groups
        else None,
    )
    closed = await impact_lines(services)
    if closed:
        await say(update, context, fit_lines(closed))
    await context.bot.send_document(
        update.effective_chat.id,
        io.BytesIO(impact_csv(scopes)),
        filename="impact.csv",
        caption=_("The same figures as a spreadsheet."),
    )


def handlers() -> list[object]:
    return [
        CommandHandler("overdue", overdue_command),
        CommandHandler("impact", impact_command),
    ]
