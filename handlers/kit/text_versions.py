"""Versions of staff-typed words in another language or in Easy Read, added from a preview.

A feature's flow declares which of its fields are typed words (`Versioned`) and takes the two
steps below into its own states, so adding a version is part of writing the item: the draft
keeps the versions, the feature saves them with the item when it is sent, and every reader's
copy goes through `bot.versions.for_reader`: their language's version when there is one, otherwise the
original with a line saying there is no version in their language yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler

from bot.callbacks import ANYONE, CallbackData
from bot.context import BotContext
from bot.i18n import SOURCE_LANGUAGE, _, available_languages, language_name
from bot.keyboards import Button, column
from handlers.kit.common import Handler, acknowledge, clear_buttons, escape, say
from handlers.kit.flow import Step, read_text, step, typed_text
from storage.text_versions import Versions

LANGUAGE, FIELD = "version_language", "version_field"
VERSIONS = "versions"  # in the feature's draft: language -> field -> text
WORKING = "version_working"  # in the feature's draft: [language, index of the field being asked]
ADD, SAME, REST, BACK = "add", "same", "rest", "back"


@dataclass(frozen=True)
class VersionButton(CallbackData, prefix="lv", needs=ANYONE):
    """A step of adding a version to the person's own draft: which kind of item, and what was
    chosen (add, a language code, this field or all the rest as the original, back). It only ever changes the
    presser's own draft; the feature checks rights when the draft is sent."""

    kind: str
    choice: str


@dataclass(frozen=True)
class Versioned:
    """A feature's typed fields: (field, its N_() name, longest answer), in the order asked."""

    kind: str
    draft: str  # the drafts key of the item being written
    fields: tuple[tuple[str, str, int], ...]
    back: Handler  # the preview, shown again when the version is done


def add_button(spec: Versioned) -> Button:
    return _("🌐 Add a version in another language"), VersionButton(spec.kind, ADD).pack()


def own_language(context: BotContext) -> str:
    return context.participant.language if context.participant else SOURCE_LANGUAGE


def versions_line(spec: Versioned, context: BotContext) -> str | None:
    """For the preview: which versions the draft has, if any."""
    versions: Versions = context.drafts.get(spec.draft, {}).get(VERSIONS, {})
    if not versions:
        return None
    return _("Versions: {languages}").format(languages=", ".join(language_name(code) for code in versions))


def _choice(context: BotContext, spec: Versioned) -> str | None:
    pressed = context.button
    return pressed.choice if isinstance(pressed, VersionButton) and pressed.kind == spec.kind else None


def _following(spec: Versioned, draft: Mapping[str, Any], index: int) -> int | None:
    """The next field after `index` that the original has words in: a version has nothing to
    say for a field the original leaves empty (a vote's explanation, a voice note)."""
    return next((later for later in range(index + 1, len(spec.fields)) if draft.get(spec.fields[later][0])), None)


def steps(spec: Versioned) -> tuple[CallbackQueryHandler[Any, Any], dict[str, Step]]:
    """The handler for the preview's Add button, and the two steps to add to the flow's states."""
    pattern = VersionButton.pattern()

    async def ask_language(update: Update, context: BotContext) -> Any:
        own = own_language(context)
        buttons = [
            (language_name(code), VersionButton(spec.kind, code).pack())
            for code in available_languages()
            if code != own
        ]
        await say(
            update,
            context,
            _("Which language is this version in?"),
            column([*buttons, (_("‹ Back to the preview"), VersionButton(spec.kind, BACK).pack())]),
        )
        return LANGUAGE

    async def on_add(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        await clear_buttons(update)
        return await ask_language(update, context)

    async def on_language(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        chosen = _choice(context, spec)
        if chosen == BACK:
            await clear_buttons(update)
            return await spec.back(update, context)
        if chosen not in available_languages() or chosen == own_language(context):
            return await ask_language(update, context)
        await clear_buttons(update)
        draft = context.drafts.setdefault(spec.draft, {})
        draft.setdefault(VERSIONS, {})[chosen] = {}
        draft[WORKING] = [chosen, 0]
        return await ask_field(update, context)

    async def ask_field(update: Update, context: BotContext) -> Any:
        draft = context.drafts.get(spec.draft, {})
        code, index = draft.get(WORKING) or [SOURCE_LANGUAGE, 0]
        field, name, _limit = spec.fields[index]
        original = draft.get(field) or ""
        text = (
            _("{language}: type “{field}” in this language, or tap Same as the original. The original says:").format(
                field=_(name), language=language_name(code)
            )
            + "\n"
            + escape(original)
        )
        buttons = [(_("Same as the original"), VersionButton(spec.kind, SAME).pack())]
        if _following(spec, draft, index) is not None:
            buttons.append((_("✔ Done: the rest as the original"), VersionButton(spec.kind, REST).pack()))
        await say(update, context, text, column(buttons))
        return FIELD

    async def next_field(update: Update, context: BotContext, text: str | None, *, rest: bool = False) -> Any:
        draft = context.drafts.get(spec.draft, {})
        code, index = draft.get(WORKING) or [SOURCE_LANGUAGE, 0]
        if text:
            draft.setdefault(VERSIONS, {}).setdefault(code, {})[spec.fields[index][0]] = text
        if (following := _following(spec, draft, index)) is not None and not rest:
            draft[WORKING] = [code, following]
            return await ask_field(update, context)
        draft.pop(WORKING, None)
        await say(
            update,
            context,
            _("Thank you. People who read {language} will get this version.").format(language=language_name(code)),
        )
        return await spec.back(update, context)

    async def on_text(update: Update, context: BotContext) -> Any:
        index = (context.drafts.get(spec.draft, {}).get(WORKING) or [SOURCE_LANGUAGE, 0])[1]
        text = await read_text(update, context, spec.fields[index][2], one_line=False)
        return FIELD if text is None else await next_field(update, context, text)

    async def on_same(update: Update, context: BotContext) -> Any:
        await acknowledge(update)
        chosen = _choice(context, spec)
        if chosen not in (SAME, REST):
            return await ask_field(update, context)
        await clear_buttons(update)
        return await next_field(update, context, None, rest=chosen == REST)

    return (
        CallbackQueryHandler(on_add, pattern=f"^{VersionButton.prefix}:{spec.kind}:{ADD}$"),
        {
            LANGUAGE: step(ask_language, CallbackQueryHandler(on_language, pattern=pattern)),
            FIELD: step(
                ask_field, MessageHandler(typed_text(), on_text), CallbackQueryHandler(on_same, pattern=pattern)
            ),
        },
    )
