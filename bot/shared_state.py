"""Conversations when several instances share the work (PostgreSQL and webhooks).

PTB keeps each ConversationHandler's states in memory, loaded once at start. With two
instances a person's next update may reach the other one, so before any handler looks at an
update this reads the person's stored states back into every conversation. The webhook
answers Telegram only once an update has been handled and its state written, and Telegram
sends a chat's next update only after that answer, so the state read here is never stale.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, ConversationHandler

from bot.context import BotContext
from storage.persistence import SQLitePersistence


def conversations(application: Application[Any, Any, Any, Any, Any, Any]) -> list[ConversationHandler[Any]]:
    return [
        handler
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler) and handler.persistent and handler.name
    ]


async def refresh_conversations(update: Update, context: BotContext) -> None:
    user = update.effective_user
    persistence = context.application.persistence
    if user is None or not isinstance(persistence, SQLitePersistence):
        return
    stored = await persistence.conversations_of(user.id)
    for handler in conversations(context.application):
        states = handler._conversations  # PTB's own store of this handler's states (no public setter)
        mine = stored.get(str(handler.name), {})
        for key in [key for key in states if user.id in key and key not in mine]:
            del states[key]
        for key, state in mine.items():
            if states.get(key) != state:
                states[key] = state
