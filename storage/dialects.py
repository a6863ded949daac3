"""The few SQL spellings that differ between SQLite and PostgreSQL, as small functions.

Everything else the repositories write is portable; these are JSON lists kept in a TEXT
column (needs, skills, quotes) and gathering rows into one JSON object.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def placeholders(values: Sequence[Any]) -> str:
    """`?, ?, ?` for an `IN (…)` list of these values, on either engine."""
    return ", ".join("?" for _ in values) or "NULL"


class SqliteSql:
    name = "sqlite"

    def json_list_has(self, column: str, value: str) -> str:
        """`column` (a JSON list) holds the integer `value` (a placeholder or a column)."""
        return f"({column} IS NOT NULL AND EXISTS (SELECT 1 FROM json_each({column}) WHERE value = {value}))"

    def json_list_has_any(self, column: str, values: Sequence[str]) -> str:
        """`column` (a JSON list of strings) holds at least one of `values` (passed as parameters)."""
        return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE value IN ({placeholders(values)}))"

    # Rows a claim takes are locked against other processes' claims, which skip them.
    skip_locked = ""

    def json_object_agg(self, key: str, value: str) -> str:
        """One JSON object of `key` to `value` (a JSON text column) over the grouped rows."""
        return f"json_group_object({key}, json({value}))"


class PostgresSql(SqliteSql):
    name = "postgresql"
    skip_locked = " FOR UPDATE SKIP LOCKED"

    def json_list_has(self, column: str, value: str) -> str:
        return f"(({column})::jsonb @> jsonb_build_array(CAST({value} AS BIGINT)))"

    def json_list_has_any(self, column: str, values: Sequence[str]) -> str:
        return f"jsonb_exists_any(({column})::jsonb, ARRAY[{placeholders(values)}]::text[])"

    def json_object_agg(self, key: str, value: str) -> str:
        return f"json_object_agg({key}, ({value})::json)::text"
