"""Checks Telegram makes on message content, keyboards and command lists, with its wording.

Pure functions on decoded parameters: they return normalised values or raise ApiError, so
the method handlers stay short and every refusal reads the same way Telegram's does.
"""

from __future__ import annotations

import json
import re
from typing import Any

from emulator.errors import ApiError, bad_request
from emulator.html import Entity, EntityParseError, parse_html, utf16_len
from emulator.markdown import parse_markdown, parse_markdown_v2

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
MAX_BUTTONS = 100

# Fields of InlineKeyboardButton that are not the button's action (from its documentation:
# "exactly one of the fields other than text, icon_custom_emoji_id and style must be used").
_NON_ACTION_FIELDS = frozenset({"text", "icon_custom_emoji_id", "style"})
_FALLBACK_ACTION_FIELDS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_SCOPES_WITH_CHAT = {"chat", "chat_administrators", "chat_member"}
_SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"} | _SCOPES_WITH_CHAT
DEFAULT_SCOPE = '{"type":"default"}'


def format_text(text: Any, parse_mode: Any, entities: Any, *, caption: bool = False) -> tuple[str, list[Entity]]:
    """Apply the parse mode and Telegram's length limits; returns (plain text, entities)."""
    if text is None or text == "":
        if caption:
            return "", []
        raise bad_request("message text is empty")
    if not isinstance(text, str):
        text = json.dumps(text) if not isinstance(text, (int, float)) else str(text)
    if entities not in (None, "", []):
        parsed = _explicit_entities(text, entities)
    elif parse_mode not in (None, ""):
        parsed = _parse(text, str(parse_mode))
    else:
        parsed = (text, [])
    plain = parsed[0]
    if not caption and not plain.strip():
        raise bad_request("message text is empty")
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    if utf16_len(plain) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return parsed


def _parse(text: str, parse_mode: str) -> tuple[str, list[Entity]]:
    mode = parse_mode.lower()
    parser = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}.get(mode)
    if parser is None:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    try:
        return parser(text)
    except EntityParseError as error:
        raise bad_request(f"can't parse entities: {error}") from None


def _explicit_entities(text: str, entities: Any) -> tuple[str, list[Entity]]:
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise bad_request("can't parse entities JSON object")
    size = utf16_len(text)
    for entity in entities:
        offset, length = entity.get("offset"), entity.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or "type" not in entity:
            raise bad_request('can\'t parse MessageEntity: field "type", "offset" or "length" is missing')
        if offset < 0 or length < 0 or offset + length > size:
            raise bad_request("entity beginning/end is out of the text")
    return text, [dict(e) for e in entities if e["length"] > 0]


def validate_reply_markup(
    markup: Any, *, action_fields: frozenset[str] | None = None, inline_only: bool = False
) -> dict[str, Any] | None:
    """The markup as a dict if Telegram would accept it; ApiError otherwise."""
    if markup in (None, ""):
        return None
    if isinstance(markup, str):
        try:
            markup = json.loads(markup)
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"], action_fields or _FALLBACK_ACTION_FIELDS)
        return markup
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
        for row in rows:
            for button in row:
                label = button.get("text") if isinstance(button, dict) else button
                if not isinstance(label, str) or not label:
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def action_fields_from_spec(type_fields: frozenset[str] | None) -> frozenset[str]:
    return frozenset(type_fields - _NON_ACTION_FIELDS) if type_fields else _FALLBACK_ACTION_FIELDS


def _check_inline_keyboard(rows: Any, action_fields: frozenset[str]) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    count = 0
    for row in rows:
        for button in row:
            count += 1
            if not isinstance(button, dict):
                raise bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
            if not isinstance(button.get("text"), str) or not button["text"]:
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = [key for key in button if key in action_fields]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
            if len(actions) > 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    f"must be used, got {', '.join(actions)}"
                )
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
            if "url" in button:
                url = button["url"]
                if not isinstance(url, str) or not re.match(r"(https?://[^\s/]+|tg://\w+)", url):
                    raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    if count > MAX_BUTTONS:
        raise bad_request("reply markup is too long")


def canonical_scope(scope: Any) -> str:
    """A BotCommandScope as the sorted compact JSON string that keys `server.commands`."""
    if scope in (None, ""):
        return DEFAULT_SCOPE
    if isinstance(scope, str):
        try:
            scope = json.loads(scope)
        except ValueError:
            raise bad_request("can't parse BotCommandScope JSON object") from None
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("wrong bot command scope type specified")
    kind = scope["type"]
    clean: dict[str, Any] = {"type": kind}
    if kind in _SCOPES_WITH_CHAT:
        if "chat_id" not in scope:
            raise bad_request("chat_id is empty")
        clean["chat_id"] = scope["chat_id"]
    if kind == "chat_member":
        if not isinstance(scope.get("user_id"), int):
            raise bad_request("user_id is empty")
        clean["user_id"] = scope["user_id"]
    return json.dumps(clean, sort_keys=True, separators=(",", ":"))


def validate_language(code: Any) -> str:
    if code in (None, ""):
        return ""
    if not isinstance(code, str) or not _LANGUAGE.fullmatch(code):
        raise bad_request("invalid language code specified")
    return code


def validate_commands(commands: Any) -> list[dict[str, str]]:
    if isinstance(commands, str):
        try:
            commands = json.loads(commands)
        except ValueError:
            raise bad_request("can't parse commands JSON object") from None
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    clean = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not description.strip():
            raise bad_request("command description is empty")
        if len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        clean.append({"command": command, "description": description})
    return clean


def require_int(params: dict[str, Any], name: str, *, missing: str | None = None) -> int:
    value = params.get(name)
    if value in (None, ""):
        raise bad_request(missing or f"{name} is empty")
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        raise bad_request(f"invalid {name} specified")
    return value


def limited_string(value: Any, name: str, limit: int) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if len(text) > limit:
        raise ApiError(400, f"Bad Request: {name} is too long")
    return text
