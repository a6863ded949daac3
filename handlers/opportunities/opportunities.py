"""Opportunities once sent: residents answer I'm interested / Tell me more / Not for me, or
pause them all; the organiser watches it go out, stops it, sees who is interested and invites
them to a group. Writing one is `handlers/opportunities/opportunity_form.py`."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.i18n import _, language, ngettext
from bot.keyboards import Button, column, keyboard
from bot.rights import leads
from bot.services import Services
from bot.versions import for_reader
from domain.deeplinks import LinkKind, start_link
from domain.participation import LEVEL_TERMS, Level
from domain.questions import Kind
from domain.roles import ORGANISERS
from handlers.kit.common import acknowledge, audit, clear_buttons, escape, refuse, require_registered, say
from handlers.kit.glossary import explain_button
from handlers.kit.text_versions import own_language
from handlers.opportunities import opportunity_outcome as outcome
from opportunities import work
from opportunities.buttons import InterestedButton, InviteInterestedButton, Reply, ReplyButton, StopSendingButton
from opportunities.views import PAYS_TERMS, card, fields_of, interested_text, progress_text
from questions.buttons import AskButton
from storage.opportunities import Opportunity
from storage.outbox import BatchProgress


def resident_buttons(opportunity_id: int, fields: dict[str, Any], *, full: bool) -> list[list[Button]]:
    rows: list[list[Button]] = [[(_("🙋 I'm interested"), ReplyButton(Reply.INTERESTED, opportunity_id).pack())]]
    if full:
        rows.append([(_("❓ Ask a question"), AskButton(Kind.OPPORTUNITY.value, opportunity_id).pack())])
    else:
        rows.append([(_("ℹ️ Tell me more"), ReplyButton(Reply.MORE, opportunity_id).pack())])
    rows.append([(_("Not for me"), ReplyButton(Reply.NOT_FOR_ME, opportunity_id).pack())])
    rows.append([explain_button(LEVEL_TERMS[Level(fields["level"])], *PAYS_TERMS[fields["pays"]])])
    return rows


def stop_markup(batch_id: int) -> InlineKeyboardMarkup:
    return keyboard([[(_("⏹ Stop sending"), StopSendingButton(batch_id).pack())]])


# --- the organiser ------------------------------------------------------------------------


def progress_hook(context_bot: Any, services: Services) -> Any:
    """Keep the coordinator's progress message up to date, in their language."""

    async def report(progress: BatchProgress) -> None:
        batch_id = progress.batch_id
        owner = await services.participants.by_id(progress.created_by) if progress.created_by else None
        with language(owner.language if owner else "en"):
            text = progress_text(progress)
            markup = None
            if progress.done:
                opportunity = await services.opportunities.by_batch(batch_id)
                if opportunity is not None:
                    rows = [[(_("👥 Who is interested"), InterestedButton(opportunity.id).pack())]]
                    if opportunity.outcome is None:
                        rows.append(outcome.close_button(opportunity))
                    markup = keyboard(rows)
            else:
                markup = stop_markup(batch_id)
        try:
            await context_bot.edit_message_text(
                text, progress.progress_chat_id, progress.progress_message_id, reply_markup=markup
            )
        except BadRequest as exc:  # "not modified": after a restart, or from another instance, it may be shown
            if "not modified" not in str(exc):
                raise

    return report


def _owns(context: BotContext, opportunity: Opportunity | None) -> bool:
    return work.owns(opportunity, context.participant.id if context.participant else None, context.role)


async def _owned(update: Update, context: BotContext, opportunity: Opportunity | None, action: str) -> bool:
    if not _owns(context, opportunity):
        await refuse(update, context, action)
        return False
    return True


async def on_stop(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, StopSendingButton)
    batch_id = button.batch
    services = context.services
    opportunity = await services.opportunities.by_batch(batch_id)
    if not await _owned(update, context, opportunity, "opportunity.stop"):
        return
    cancelled = await services.outbox.stop_batch(batch_id, services.clock.now())
    await audit(context, update, "opportunity.stop", "ok", subject=str(batch_id), detail=str(cancelled))
    await acknowledge(
        update,
        ngettext(
            "Stopped. {count} message was not sent.", "Stopped. {count} messages were not sent.", cancelled
        ).format(count=cancelled),
    )
    if services.sender is not None:  # one report at a time, so the sender's own can't repeat it
        await services.sender.report(batch_id)


async def on_list(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, InterestedButton)
    services = context.services
    opportunity = await services.opportunities.by_id(button.opportunity)
    if not await _owned(update, context, opportunity, "opportunity.interested"):
        return
    assert opportunity is not None
    await acknowledge(update)
    led = await services.projects.led_by(context.participant.id) if context.participant else []
    rows: list[list[Button]] = [
        [
            (
                _("➕ Invite them to “{name}”").format(name=project.name[:30]),
                InviteInterestedButton(opportunity.id, project.id).pack(),
            )
        ]
        for project in led[:5]
    ]
    if opportunity.outcome is None:
        rows.append(outcome.close_button(opportunity))
    text = interested_text(
        opportunity,
        await services.opportunities.interested(opportunity.id),
        await services.opportunities.response_counts(opportunity.id),
    )
    await say(update, context, text, keyboard(rows))


async def on_invite_to_project(update: Update, context: BotContext) -> None:
    """Everyone interested gets an invitation with a Join button, in their own language."""
    button = context.button
    assert isinstance(button, InviteInterestedButton)
    services = context.services
    opportunity = await services.opportunities.by_id(button.opportunity)
    project = await services.projects.by_id(button.group)
    if not _owns(context, opportunity) or not leads(context, project):
        await refuse(update, context, "opportunity.invite")
        return
    assert opportunity is not None and project is not None
    link = start_link(context.bot.username, LinkKind.PROJECT, project.join_code)
    added = await work.invite_interested(
        services, opportunity, project, context.participant.id if context.participant else None, link
    )
    await audit(
        context, update, "opportunity.invite", "ok", subject=f"{opportunity.id}:{project.id}", detail=str(added)
    )
    await acknowledge(
        update,
        ngettext(
            "Invitation on its way to {count} person.", "Invitations on their way to {count} people.", added
        ).format(count=added),
        alert=True,
    )


# --- residents ---------------------------------------------------------------------------


async def on_reply(update: Update, context: BotContext) -> None:
    """I'm interested or Not for me (a later tap changes the answer), Tell me more, or pausing."""
    button = context.button
    assert isinstance(button, ReplyButton)
    if button.reply is Reply.PAUSE:
        await on_pause(update, context)
        return
    found = await work.sent_to(context.services, button.ref, context.participant.id if context.participant else None)
    if found is work.Unavailable.NOT_SENT:
        await acknowledge(update, _("This button is no longer active. Send /help to see what you can do."), alert=True)
    elif found is work.Unavailable.CLOSED:
        await acknowledge(update, _("Sorry, this opportunity has closed."), alert=True)
    elif button.reply is Reply.MORE:
        await _more(update, context, found)
    else:
        await _answer(update, context, found, interested=button.reply is Reply.INTERESTED)


async def _answer(update: Update, context: BotContext, opportunity: Opportunity, *, interested: bool) -> None:
    assert context.participant is not None
    await work.answer(context.services, opportunity, context.participant.id, interested=interested)
    if interested:
        await acknowledge(update)
        await say(update, context, _("Thank you! We have told the organiser. They will be in touch here."))
    else:
        await acknowledge(update, _("No problem. Thank you for letting us know."))
        await clear_buttons(update)


async def _more(update: Update, context: BotContext, opportunity: Opportunity) -> None:
    await acknowledge(update)
    fields = fields_of(opportunity)
    services = context.services
    versions = await services.text_versions.of(work.KIND, opportunity.id)
    text = for_reader(
        versions, fields, own_language(context), lambda shown: card(shown, services.settings.timezone, full=True)
    )
    await say(update, context, text, keyboard(resident_buttons(opportunity.id, fields, full=True)))


@require_registered
async def opportunities_command(update: Update, context: BotContext) -> None:
    """Staff: what they sent and who is interested. Residents: pause or resume opportunities."""
    services = context.services
    assert context.participant is not None
    if context.role in ORGANISERS:
        mine = await services.opportunities.created_by(context.participant.id)
        lines = [_("<b>Your opportunities</b>")] + [f"• {escape(o.title)}" for o in mine]
        if not mine:
            lines.append(_("None yet. Send /opportunity to write one."))
        buttons = [(_("👥 {title}").format(title=o.title[:40]), InterestedButton(o.id).pack()) for o in mine]
        await say(update, context, "\n".join(lines), column(buttons) if buttons else None)
        return
    await _show_pause(update, context)


async def _show_pause(update: Update, context: BotContext) -> None:
    assert context.participant is not None
    paused = await context.services.opportunities.is_paused(context.participant.id)
    if paused:
        text = _("Opportunities are paused. You will not get new ones.")
        button = (_("▶️ Start getting them again"), ReplyButton(Reply.PAUSE, 0).pack())
    else:
        text = _("We send you ways to take part on your topics. To change topics or quiet hours, use /profile.")
        button = (_("⏸ Pause all opportunities"), ReplyButton(Reply.PAUSE, 1).pack())
    await say(update, context, text, column([button]))


@require_registered
async def on_pause(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, ReplyButton)
    await acknowledge(update)
    await clear_buttons(update)
    assert context.participant is not None
    await context.services.opportunities.set_paused(context.participant.id, button.ref == 1)
    await _show_pause(update, context)


def handlers() -> list[object]:
    return [
        CommandHandler("opportunities", opportunities_command),
        CallbackQueryHandler(on_reply, pattern=ReplyButton.pattern()),
        CallbackQueryHandler(on_stop, pattern=StopSendingButton.pattern()),
        CallbackQueryHandler(on_list, pattern=InterestedButton.pattern()),
        CallbackQueryHandler(on_invite_to_project, pattern=InviteInterestedButton.pattern()),
    ]
