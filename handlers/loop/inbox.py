"""Officers close the loop: /inbox to answer feedback, one card at a time. Grouping it into
themes and publishing their "we did" is handlers/loop/themes.py, whose steps run inside this
conversation; what is slipping and the measures are in handlers/loop/impact.py."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from bot.context import BotContext
from bot.i18n import N_, _, ngettext
from bot.keyboards import Button, keyboard
from domain.delivery import CHAT_BURST
from domain.feedback import STATUSES
from domain.roles import OFFICERS
from feedback import work
from feedback.buttons import FeedbackActionButton, InboxViewButton, PublishThemeButton, ThemeChoiceButton
from feedback.views import item_text
from handlers.kit.common import acknowledge, audit, refuse, require, say, show_more
from handlers.kit.drafts import restarting
from handlers.kit.flow import Flow, ending, step, stopped, typed_text
from handlers.kit.text_versions import VersionButton
from handlers.kit.write_in import type_last
from handlers.loop import themes, we_did_preview
from handlers.loop.inbox_draft import CARD, ITEM, PUBLISHING, ItemDraft
from questions.buttons import FeedbackWriteButton
from storage.feedback import Feedback

CANT_REASON = "cant_reason"
STATUS_CODES = {"l": "looking", "p": "planned", "d": "done"}
PAGE = CHAT_BURST  # cards per page; the message after them, to see more, waits its turn


def item_buttons(item: Feedback) -> Any:
    return keyboard(
        [
            [
                (_("👀 Looking at it"), FeedbackActionButton(item.id, "l").pack()),
                (_("📋 Action planned"), FeedbackActionButton(item.id, "p").pack()),
            ],
            [
                (_("✅ Done"), FeedbackActionButton(item.id, "d").pack()),
                (_("🚫 Can't do"), FeedbackActionButton(item.id, "c").pack()),
            ],
            [(_("🧩 Add to a “You said” theme"), FeedbackActionButton(item.id, "t").pack())],
            [
                (_("💬 Reply to them"), FeedbackWriteButton(item.id, "r").pack()),
                (_("❓ Ask them more"), FeedbackWriteButton(item.id, "q").pack()),
            ],
        ]
    )


@require(OFFICERS, "feedback.inbox")
async def inbox_command(update: Update, context: BotContext) -> None:
    await show_inbox(update, context, newest_first=True, project_id=None)


async def show_inbox(
    update: Update, context: BotContext, *, newest_first: bool, project_id: int | None, start: int = 0
) -> None:
    """A page of cards, then one message to see more or sort and filter: a long inbox never
    sends more at once than one chat may get (see CHAT_BURST)."""
    services = context.services
    shown, total = await services.feedback.inbox(
        newest_first=newest_first, project_id=project_id, start=start, limit=PAGE
    )
    projects = {p.id: p for p in await services.projects.led_by(context.participant.id)} if context.participant else {}
    chat_id = update.effective_chat.id
    for item in shown:
        await say(update, context, await item_text(services, item), item_buttons(item))
        if item.voice_file_id:
            await context.bot.send_voice(chat_id, item.voice_file_id, caption=item.reference)
        if item.photo_file_id:
            await context.bot.send_photo(chat_id, item.photo_file_id, caption=item.reference)
    order = "n" if newest_first else "o"
    rows: list[list[Button]] = []
    left = total - start - len(shown)
    if left:
        rows.append([show_more(left, PAGE, InboxViewButton(order, project_id or 0, start + PAGE).pack())])
    rows.append(
        [
            (
                _("Oldest first") if newest_first else _("Newest first"),
                InboxViewButton("o" if newest_first else "n", project_id or 0, 0).pack(),
            ),
            (_("All groups"), InboxViewButton("n", 0, 0).pack()),
        ]
    )
    rows += [[(f"👥 {p.name[:30]}", InboxViewButton("n", p.id, 0).pack())] for p in list(projects.values())[:5]]
    if not total:
        header = _("No open feedback. Thank you.")
    else:
        header = (
            _("<b>Feedback waiting for an answer</b>")
            + "\n"
            + ngettext("You have seen {seen} of {count} item.", "You have seen {seen} of {count} items.", total).format(
                seen=start + len(shown), count=total
            )
        )
    await say(update, context, header, keyboard(rows))


async def on_inbox_view(update: Update, context: BotContext) -> None:
    button = context.button
    assert isinstance(button, InboxViewButton)
    if button.order not in ("n", "o") or button.start < 0:
        await refuse(update, context, "feedback.inbox")
        return
    await acknowledge(update)
    await show_inbox(
        update, context, newest_first=button.order == "n", project_id=button.group or None, start=button.start
    )


async def on_item_action(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, FeedbackActionButton)
    services = context.services
    item = await services.feedback.by_id(button.feedback)
    if item is None:
        await refuse(update, context, "feedback.status")
        return ConversationHandler.END
    status = STATUS_CODES.get(button.action)
    if status is not None:
        return await _set_status(update, context, item, status)
    await acknowledge(update)
    if button.action == "c":
        card = update.callback_query.message
        ITEM.begin(context, ItemDraft(item.id, card.message_id if card is not None else None))
        return await ask_cant_reason(update, context)
    if button.action == "t":
        themes = await services.feedback.themes(published=False)
        rows = [[(f"🧩 {t.title[:40]}", ThemeChoiceButton(item.id, t.id).pack())] for t in themes]
        rows.append([(_("➕ A new theme"), ThemeChoiceButton(item.id, 0).pack())])
        await say(
            update,
            context,
            _("Which “You said” theme does {reference} belong to?").format(reference=item.reference),
            keyboard(rows),
        )
    return ConversationHandler.END


async def _show_card(context: BotContext, chat_id: int, message_id: int, feedback_id: int) -> None:
    """A card is edited in place after a change of status: it shows the new status and keeps every
    action, "Add to theme" included, so the officer can carry on from it."""
    item = await context.services.feedback.by_id(feedback_id)
    if item is not None:
        await context.bot.edit_message_text(
            await item_text(context.services, item), chat_id, message_id, reply_markup=item_buttons(item)
        )


async def _set_status(update: Update, context: BotContext, item: Feedback, status: str) -> Any:
    if not await work.set_status(context.services, item, status):
        await acknowledge(
            update, _("{reference} is already: {status}.").format(reference=item.reference, status=_(STATUSES[status]))
        )
        return ConversationHandler.END
    await audit(context, update, "feedback.status", status, subject=item.reference)
    await acknowledge(
        update,
        _("{reference}: {status}. The person has been told.").format(
            reference=item.reference, status=_(STATUSES[status])
        ),
    )
    if update.callback_query.message is not None:
        await _show_card(context, update.effective_chat.id, update.callback_query.message.message_id, item.id)
    return ConversationHandler.END


async def _cant(update: Update, context: BotContext, reason: str) -> Any:
    services = context.services
    draft = ITEM.pop(context)
    item = await services.feedback.by_id(draft.item)
    if item is None:
        return ConversationHandler.END
    if await work.set_status(services, item, "cant", reason):
        await audit(context, update, "feedback.status", "cant", subject=item.reference)
        await ending(update, context)
        if draft.card:
            await _show_card(context, update.effective_chat.id, draft.card, item.id)
    await say(update, context, _("Noted, with your reason. The person has been told."))
    return ConversationHandler.END


ask_cant_reason, on_cant_reason = type_last(
    CANT_REASON,
    lambda _context: _(
        "Why can't it be done? Say it in plain words: the person will read it, and "
        "“can't do, and here is why” is a real answer."
    ),
    themes.read_reason,
    _cant,
)


cancel = stopped()


def conversation() -> Flow:
    return Flow(
        name="inbox",
        noun=N_("your answer to feedback"),
        states=restarting(
            {
                CANT_REASON: step(ask_cant_reason, MessageHandler(typed_text(), on_cant_reason)),
                themes.THEME_TITLE: step(themes.ask_theme_title, MessageHandler(typed_text(), themes.on_theme_title)),
                themes.WE_DID: step(themes.ask_we_did, MessageHandler(typed_text(), themes.on_we_did)),
                **we_did_preview.states(themes.ask_we_did, forget=PUBLISHING),
            },
            None,
        ),
        entry_points=[
            CallbackQueryHandler(on_item_action, pattern=FeedbackActionButton.pattern()),
            CallbackQueryHandler(themes.on_theme_choice, pattern=ThemeChoiceButton.pattern()),
            CallbackQueryHandler(themes.on_publish, pattern=PublishThemeButton.pattern()),
        ],
        cancel=cancel,
        prefixes=(
            FeedbackActionButton.prefix,
            ThemeChoiceButton.prefix,
            PublishThemeButton.prefix,
            we_did_preview.WeDidChoice.prefix,
            VersionButton.prefix,
        ),
        drafts=(PUBLISHING.key, CARD, we_did_preview.WE_DID.key),  # CARD: a draft stored by an earlier version
    )


def handlers() -> list[object]:
    return [
        CommandHandler("inbox", inbox_command),
        CallbackQueryHandler(on_inbox_view, pattern=InboxViewButton.pattern()),
    ]
