"""Themes of what residents said: an officer groups feedback from /inbox into a "You said"
theme, then from /themes publishes its "we did", or says why it cannot be done; the text is
previewed (handlers/loop/we_did_preview.py) before everyone who said it gets it. The steps run
inside the /inbox conversation, which owns the drafts."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.context import BotContext
from bot.i18n import _, ngettext
from bot.keyboards import keyboard
from domain.delivery import CHAT_BURST
from domain.feedback import reason_ok
from domain.roles import OFFICERS
from feedback import work
from feedback.buttons import PublishThemeButton, ThemeChoiceButton, ThemesPageButton
from handlers.kit.common import acknowledge, clear_buttons, escape, refuse, require, say, show_more, turn_page
from handlers.kit.flow import ending, read_text
from handlers.kit.write_in import type_last, write_last
from handlers.loop import we_did_preview
from handlers.loop.inbox_draft import ITEM, PUBLISHING, ItemDraft, PublishDraft

THEME_TITLE, WE_DID = "theme_title", "we_did"
PAGE = CHAT_BURST  # themes per page: the page's messages fit in one chat's burst
WORDS_MAX = 800  # a "we did", or why not: one message to everyone who said it


async def on_theme_choice(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, ThemeChoiceButton)
    services = context.services
    item = await services.feedback.by_id(button.feedback)
    if item is None:
        await refuse(update, context, "feedback.theme")
        return ConversationHandler.END
    await acknowledge(update)
    await clear_buttons(update)
    if button.theme == 0:
        ITEM.begin(context, ItemDraft(item.id))
        return await ask_theme_title(update, context)
    theme = await work.add_to_theme(services, item, button.theme)
    if theme is None:
        await say(update, context, _("That theme is already published. Choose another."))
        return ConversationHandler.END
    await say(
        update,
        context,
        _("Added {reference} to “{title}”.").format(reference=item.reference, title=escape(theme.title)),
    )
    return ConversationHandler.END


async def _new_theme(update: Update, context: BotContext, title: str) -> Any:
    services = context.services
    item = await services.feedback.by_id(ITEM.pop(context).item)
    if item is None or context.participant is None:
        return ConversationHandler.END
    await work.new_theme(services, item, title, context.participant.id)
    await ending(update, context)
    await say(
        update,
        context,
        _("New theme “{title}” with {reference} in it. Publish the “we did” from /themes.").format(
            title=escape(title), reference=item.reference
        ),
    )
    return ConversationHandler.END


ask_theme_title, on_theme_title = write_last(
    THEME_TITLE,
    lambda _context: _(
        "Write the “You said” in plain words, as residents would say it. For example: "
        "“Meetings are at times carers can't make.”"
    ),
    200,
    _new_theme,
    one_line=True,
)


# --- publishing "we did" ---------------------------------------------------------------


@require(OFFICERS, "feedback.themes")
async def themes_command(update: Update, context: BotContext) -> None:
    await _show_themes(update, context, 0)


async def _show_themes(update: Update, context: BotContext, start: int) -> None:
    """A page of the themes waiting, each with its two answers; under the last, a button for the
    next page: a long list never sends more at once than one chat may get (see CHAT_BURST)."""
    waiting, total = await context.services.feedback.waiting_themes(start, PAGE)
    if not waiting:
        await say(update, context, _("No themes waiting. Group feedback into themes from /inbox."))
        return
    left = total - start - len(waiting)
    for number, (theme, count) in enumerate(waiting, 1):
        rows = [
            [(_("✅ We did it"), PublishThemeButton(theme.id, "done").pack())],
            [(_("🚫 We can't, and here is why"), PublishThemeButton(theme.id, "cant").pack())],
        ]
        if number == len(waiting) and left > 0:
            rows.append([show_more(left, PAGE, ThemesPageButton(start + len(waiting)).pack())])
        await say(
            update,
            context,
            ngettext(
                "🧩 <b>{title}</b> – from {count} person", "🧩 <b>{title}</b> – from {count} people", count
            ).format(title=escape(theme.title), count=count),
            keyboard(rows),
        )


async def on_publish(update: Update, context: BotContext) -> Any:
    button = context.button
    assert isinstance(button, PublishThemeButton)
    theme = await context.services.feedback.theme(button.theme)
    if theme is None or button.outcome not in ("done", "cant") or theme.published_at is not None:
        await refuse(update, context, "feedback.publish")
        return ConversationHandler.END
    await acknowledge(update)
    await clear_buttons(update)
    PUBLISHING.begin(context, PublishDraft(theme.id, button.outcome))
    return await ask_we_did(update, context)


async def read_reason(update: Update, context: BotContext) -> str | None:
    """Why something can't be done, typed: a few words at least, for the person reading it."""
    text = await read_text(update, context, WORDS_MAX, one_line=False)
    if text is not None and not reason_ok(text):
        await say(update, context, _("Please give a reason of a few words, so the person understands why."))
        return None
    return text


def _we_did_question(context: BotContext) -> str:
    if PUBLISHING.of(context).outcome == "done":
        return _("What did you do? Plain words; everyone who said this will get it.")
    return _("Why can't it be done? Plain words; everyone who said this will get it.")


async def _read_we_did(update: Update, context: BotContext) -> str | None:
    if PUBLISHING.of(context).outcome == "cant":
        return await read_reason(update, context)
    return await read_text(update, context, WORDS_MAX, one_line=False)


async def _preview(update: Update, context: BotContext, text: str) -> Any:
    draft = PUBLISHING.of(context)
    theme = await context.services.feedback.theme(draft.theme)
    if theme is None or theme.published_at is not None:
        PUBLISHING.drop(context)
        await say(update, context, _("That theme is already published. Choose another."))
        return ConversationHandler.END
    we_did_preview.hold(context, theme, draft.outcome, text)
    return await we_did_preview.show(update, context)


ask_we_did, on_we_did = type_last(WE_DID, _we_did_question, _read_we_did, _preview)


def handlers() -> list[object]:
    return [
        CommandHandler("themes", themes_command),
        CallbackQueryHandler(turn_page(_show_themes), pattern=ThemesPageButton.pattern()),
    ]
