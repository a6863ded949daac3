"""Versions of staff-typed words in other languages: saved with the item they belong to, read
once per batch of messages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from storage.db import Database, Tx
from storage.times import to_db

# language -> field name -> text
Versions = dict[str, dict[str, str]]


class TextVersions:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save(
        self, kind: str, item_id: int, written_in: str, versions: Mapping[str, Mapping[str, str]], now: datetime
    ) -> None:
        """Store the item's versions and the language of the original (a version with no fields of
        its own); saving the same again (a repeated Send) replaces them."""
        async with self.db.transaction() as conn:
            await self.write(conn, kind, item_id, {written_in: {}, **versions}, now)

    @staticmethod
    async def write(conn: Tx, kind: str, item_id: int, rows: Mapping[str, Mapping[str, str]], now: datetime) -> None:
        """`save` inside the caller's transaction, for an item whose copies are queued in it too:
        `rows` already holds the original's language."""
        await conn.executemany(
            "INSERT INTO text_versions (item_kind, item_id, language, fields, created_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (item_kind, item_id, language) DO UPDATE SET fields = excluded.fields",
            [(kind, item_id, code, json.dumps(dict(fields)), to_db(now)) for code, fields in rows.items()],
        )

    async def of(self, kind: str, item_id: int) -> Versions:
        rows = await self.db.fetchall(
            "SELECT language, fields FROM text_versions WHERE item_kind = ? AND item_id = ?", (kind, item_id)
        )
        return {row["language"]: json.loads(row["fields"]) for row in rows}
