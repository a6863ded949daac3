"""The machine-readable Bot API description, read at run time from the shared folder.

It is public data kept outside the project, so it is read from there (never copied in).
It gives three things: which method names exist, which parameters each accepts and which
are required, and which parameters are plain strings (so "123" sent as `text` stays "123"
while "123" sent as `chat_id` becomes 123, as Telegram decodes them).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SPEC_ENV_VAR = "TELEGRAM_API_SPEC"
DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[2] / "shared" / "telegram-bot-api" / "api.json"

# Used only when no spec file is present: parameters that are plain strings, so they must
# not go through json.loads ("true", "12" and "null" are all valid message texts).
_FALLBACK_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "file_id",
        "title",
        "description",
        "short_description",
        "name",
        "language_code",
        "url",
        "action",
        "query",
        "business_connection_id",
        "message_effect_id",
        "secret_token",
        "ip_address",
        "emoji",
        "custom_emoji_id",
        "sticker_set_name",
        "invite_link",
        "address",
        "question",
        "payload",
    }
)


# Parameters PTB fills in from `Defaults` on every method built on its shared send helper,
# even where the method doesn't take them (e.g. parse_mode on editMessageReplyMarkup).
# Telegram ignores unknown parameters, so these pass silently instead of being refused.
DEFAULTS_INJECTED = frozenset(
    {
        "parse_mode",
        "disable_notification",
        "protect_content",
        "link_preview_options",
        "allow_sending_without_reply",
        "disable_web_page_preview",
    }
)


def default_spec_path() -> Path:
    """`$TELEGRAM_API_SPEC` if set, else shared/telegram-bot-api/api.json beside the repo."""
    override = os.environ.get(SPEC_ENV_VAR)
    return Path(override) if override else DEFAULT_SPEC_PATH


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool

    @property
    def string_only(self) -> bool:
        return self.types == ("String",)

    @property
    def takes_file(self) -> bool:
        return "InputFile" in self.types


class ApiSpec:
    """Method and parameter tables of one api.json, with case-insensitive method lookup."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = str(raw.get("version", ""))
        self.methods: dict[str, dict[str, FieldSpec]] = {}
        for name, method in raw.get("methods", {}).items():
            fields = {
                field["name"]: FieldSpec(field["name"], tuple(field.get("types", ())), bool(field.get("required")))
                for field in method.get("fields", []) or []
            }
            self.methods[name] = fields
        self._by_lower = {name.lower(): name for name in self.methods}
        self.types: dict[str, frozenset[str]] = {
            name: frozenset(field["name"] for field in kind.get("fields", []) or [])
            for name, kind in raw.get("types", {}).items()
        }

    def canonical(self, method: str) -> str | None:
        """Telegram matches method names case-insensitively; return the documented spelling."""
        return self._by_lower.get(method.lower())

    def fields(self, method: str) -> dict[str, FieldSpec] | None:
        return self.methods.get(method)

    def decode(self, method: str, name: str, raw: str) -> Any:
        """Turn one form value into the value Telegram would see."""
        field = self.methods.get(method, {}).get(name)
        if field is not None and field.string_only:
            return raw
        return decode_json_value(raw)

    def check(self, method: str, params: dict[str, Any]) -> str | None:
        """Unknown or missing parameters, as a Telegram-like description; None when fine."""
        fields = self.methods.get(method)
        if fields is None:
            return None
        for name in params:
            if name not in fields and name not in DEFAULTS_INJECTED:
                return f'Bad Request: unknown parameter "{name}" for method {method}'
        for field in fields.values():
            if field.required and params.get(field.name) in (None, ""):
                return f"Bad Request: {missing_description(field.name)}"
        return None


def missing_description(name: str) -> str:
    """Telegram's wording for the common missing parameters, a generic one for the rest."""
    return {
        "text": "message text is empty",
        "chat_id": "chat_id is empty",
        "callback_query_id": "QUERY_ID_INVALID",
    }.get(name, f"parameter {name} is required")


def decode_json_value(raw: str) -> Any:
    """PTB JSON-encodes every non-string value; a value that isn't JSON is a string."""
    if not raw:
        return raw
    first = raw[0]
    if first in '{["-0123456789tfn':
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def fallback_decode(name: str, raw: str) -> Any:
    """Decoding without a spec: known string parameters stay strings, others try JSON."""
    return raw if name in _FALLBACK_STRING_FIELDS else decode_json_value(raw)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> ApiSpec:
    with open(path, encoding="utf-8") as handle:
        return ApiSpec(json.load(handle))


def load_spec(path: Path | None) -> ApiSpec | None:
    """The spec at `path`, parsed once per process; None when there is no file."""
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _load_cached(str(path), stat.st_mtime_ns)
