"""python-telegram-bot persistence in our database.

Conversation states and per-user drafts live in the database, so a resident half-way
through a flow continues where they were after a restart. The application flushes after
every update (see bot/app.py), not only every minute, so a crash loses at most the
update being handled. When several instances share a PostgreSQL database (`shared`), a
person's next update may reach another instance, so each update first reads the person's
drafts and conversation states back (bot/shared_state.py).
"""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from storage.db import Database


class SQLitePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    def __init__(self, db: Database, *, shared: bool = False) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=3600,
        )
        self.db = db
        self.shared = shared
        self._user_data: dict[int, dict[str, Any]] | None = None

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        if self._user_data is None:
            rows = await self.db.fetchall("SELECT telegram_id, data FROM user_drafts")
            self._user_data = {row["telegram_id"]: json.loads(row["data"]) for row in rows}
        return deepcopy(self._user_data)

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        if self._user_data is None:
            self._user_data = {}
        if self._user_data.get(user_id) == data:
            return
        self._user_data[user_id] = deepcopy(data)
        if data:
            await self.db.execute(
                "INSERT INTO user_drafts (telegram_id, data) VALUES (?, ?)"
                " ON CONFLICT (telegram_id) DO UPDATE SET data = excluded.data",
                (user_id, json.dumps(data)),
            )
        else:
            await self.db.execute("DELETE FROM user_drafts WHERE telegram_id = ?", (user_id,))

    async def drop_user_data(self, user_id: int) -> None:
        if self._user_data is not None:
            self._user_data.pop(user_id, None)
        await self.db.execute("DELETE FROM user_drafts WHERE telegram_id = ?", (user_id,))

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:
        """Read the person's drafts back when another instance may have written them since."""
        if not self.shared:
            return
        row = await self.db.fetchone("SELECT data FROM user_drafts WHERE telegram_id = ?", (user_id,))
        stored = json.loads(row["data"]) if row else {}
        if self._user_data is not None:
            self._user_data[user_id] = deepcopy(stored)
        user_data.clear()
        user_data.update(stored)

    async def conversations_of(self, user_id: int) -> dict[str, ConversationDict]:
        """Every conversation state stored for a key naming this person, by conversation name."""
        rows = await self.db.fetchall(
            f"SELECT name, key, state FROM conversation_states WHERE {self.db.sql.json_list_has('key', '?')}",
            (user_id,),
        )
        found: dict[str, ConversationDict] = {}
        for row in rows:
            found.setdefault(row["name"], {})[tuple(json.loads(row["key"]))] = json.loads(row["state"])
        return found

    async def get_conversations(self, name: str) -> ConversationDict:
        rows = await self.db.fetchall("SELECT key, state FROM conversation_states WHERE name = ?", (name,))
        return {tuple(json.loads(row["key"])): json.loads(row["state"]) for row in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        encoded_key = json.dumps(list(key))
        if new_state is None:
            await self.db.execute("DELETE FROM conversation_states WHERE name = ? AND key = ?", (name, encoded_key))
        else:
            await self.db.execute(
                "INSERT INTO conversation_states (name, key, state) VALUES (?, ?, ?)"
                " ON CONFLICT (name, key) DO UPDATE SET state = excluded.state",
                (name, encoded_key, json.dumps(new_state)),
            )

    async def flush(self) -> None:
        """Every write above is already committed."""

    # Chat data, bot data and callback data are not persisted (store_data says so).
    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def update_bot_data(self, data: dict[str, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:
        return None

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None
