"""The Bot API methods the emulator implements, one small function each.

Each handler takes the server and the decoded parameters and returns the `result` Telegram
would return, or raises ApiError with Telegram's wording. Validation happens before any
state changes, and the flood check comes last, so a refused request leaves no trace but its
entry in `server.rejected`. Methods the spec knows but that are missing here answer 501.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from emulator.errors import ApiError, bad_request
from emulator.media import MAX_DOWNLOAD
from emulator.validation import (
    DEFAULT_SCOPE,
    action_fields_from_spec,
    canonical_scope,
    format_text,
    limited_string,
    require_int,
    validate_commands,
    validate_language,
    validate_reply_markup,
)
from emulator.webhook import WebhookSettings

if TYPE_CHECKING:
    from emulator.server import ChatState, FakeTelegram, Params

Handler = Callable[["FakeTelegram", "Params"], Any]
HANDLERS: dict[str, Handler] = {}

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
MEDIA_KEYS = ("photo", "document", "voice", "audio", "video", "animation")
CONFLICT_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
# setWebhook's secret_token: Telegram's own rule.
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)


def api(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            HANDLERS[name] = handler
        return handler

    return register


# --- the bot itself and polling ----------------------------------------------------------------
@api("getMe")
def get_me(s: FakeTelegram, p: Params) -> dict[str, Any]:
    return {
        **s.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@api("logOut", "close")
def log_out(s: FakeTelegram, p: Params) -> bool:
    return True


@api("deleteWebhook")
async def delete_webhook(s: FakeTelegram, p: Params) -> bool:
    if p.get("drop_pending_updates") is True:
        _drop_pending(s)
    await s.use_webhook(None)
    return True


@api("setWebhook")
async def set_webhook(s: FakeTelegram, p: Params) -> bool:
    url = str(p.get("url") or "")
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get("secret_token")
    if secret not in (None, ""):
        if not isinstance(secret, str) or len(secret) > 256:
            raise bad_request("secret token is too long")
        if not SECRET_TOKEN.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
    # Telegram clamps max_connections to 1-100 rather than refusing it.
    connections = min(100, max(1, _int(p.get("max_connections"), 40)))
    if p.get("drop_pending_updates") is True:
        _drop_pending(s)
    _remember_allowed(s, p)
    await s.use_webhook(WebhookSettings(url, secret or None, connections))
    return True


@api("getWebhookInfo")
def get_webhook_info(s: FakeTelegram, p: Params) -> dict[str, Any]:
    info: dict[str, Any] = {
        "url": s.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(s._pending),
    }
    if s.webhook is not None:
        info["max_connections"] = s.webhook.settings.max_connections
        if s.webhook.last_error is not None:
            info["last_error_date"], info["last_error_message"] = s.webhook.last_error
    if s._allowed_updates is not None:
        info["allowed_updates"] = sorted(s._allowed_updates)
    return info


def _remember_allowed(s: FakeTelegram, p: Params) -> None:
    """allowed_updates: a list replaces the setting ([] restores Telegram's default); absent keeps it."""
    allowed = p.get("allowed_updates")
    if isinstance(allowed, list):
        s._allowed_updates = frozenset(allowed) if allowed else None


def _drop_pending(s: FakeTelegram) -> None:
    s._dropped.update(update_id for update_id, _, _ in s._pending)
    s._pending.clear()
    s._confirm(s._next_update_id)


@api("getUpdates")
async def get_updates(s: FakeTelegram, p: Params) -> list[dict[str, Any]]:
    if s.webhook_url:
        raise ApiError(409, CONFLICT_WEBHOOK)
    limit = min(100, max(1, _int(p.get("limit"), 100)))
    timeout = max(0, _int(p.get("timeout"), 0))
    _remember_allowed(s, p)
    offset = p.get("offset")
    if isinstance(offset, int) and not isinstance(offset, bool):
        if offset < 0:
            keep = s._pending[offset][0] if -offset <= len(s._pending) else 0
            s._confirm(keep)
        else:
            s._confirm(offset)
    # A new poll ends any older one still waiting, as Telegram does.
    s._poll_generation += 1
    generation = s._poll_generation
    s._wake_pollers()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        updates = s._deliverable(limit)
        if updates or s._closing:
            return updates
        remaining = deadline - loop.time()
        if remaining <= 0:
            return []
        event = s._update_arrived
        try:
            await asyncio.wait_for(event.wait(), remaining)
        except TimeoutError:
            return []
        if s._poll_generation != generation:
            raise ApiError(409, CONFLICT_OTHER_POLL)


def _int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    raise bad_request("wrong parameter type")


# --- sending ------------------------------------------------------------------------------------
@api("sendMessage")
def send_message(s: FakeTelegram, p: Params) -> dict[str, Any]:
    chat = s._resolve_chat(p.get("chat_id"))
    text, entities = format_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    content: dict[str, Any] = {"text": text}
    if entities:
        content["entities"] = entities
    return _deliver(s, p, chat, content)


@api("sendPhoto")
def send_photo(s: FakeTelegram, p: Params) -> dict[str, Any]:
    return _send_media(s, p, "photo")


@api("sendDocument")
def send_document(s: FakeTelegram, p: Params) -> dict[str, Any]:
    return _send_media(s, p, "document")


@api("sendVoice")
def send_voice(s: FakeTelegram, p: Params) -> dict[str, Any]:
    return _send_media(s, p, "voice")


def _send_media(s: FakeTelegram, p: Params, kind: str) -> dict[str, Any]:
    chat = s._resolve_chat(p.get("chat_id"))
    caption, entities = format_text(p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True)
    stored = s._store_upload(kind, p.get(kind), p.attachments)
    content: dict[str, Any] = {kind: stored.as_media()}
    if caption:
        content["caption"] = caption
    if entities:
        content["caption_entities"] = entities
    return _deliver(s, p, chat, content)


@api("sendMediaGroup")
def send_media_group(s: FakeTelegram, p: Params) -> list[dict[str, Any]]:
    chat = s._resolve_chat(p.get("chat_id"))
    media = p.get("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("media group must include 2-10 items")
    kinds = {item.get("type") for item in media if isinstance(item, dict)}
    if not kinds <= {"photo", "document"}:
        raise ApiError(501, "Not Implemented in emulator: sendMediaGroup with media other than photo/document")
    if len(kinds) > 1:
        raise bad_request("document can't be mixed with other media types")
    contents = []
    for item in media:
        caption, entities = format_text(
            item.get("caption"), item.get("parse_mode"), item.get("caption_entities"), caption=True
        )
        stored = s._store_upload(item["type"], item.get("media"), p.attachments)
        content: dict[str, Any] = {item["type"]: stored.as_media()}
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        contents.append(content)
    reply_to = _reply_target(chat, p)
    s._rate_limit(chat)
    group_id = str(13_000_000_000 + len(s.calls))
    return [
        dict(s._store_message(chat, s.bot_user, {**content, "media_group_id": group_id}, reply_to=reply_to))
        for content in contents
    ]


def _deliver(s: FakeTelegram, p: Params, chat: ChatState, content: dict[str, Any]) -> dict[str, Any]:
    """Shared tail of every send: keyboard, reply target, flood check, then store."""
    markup = validate_reply_markup(p.get("reply_markup"), action_fields=_action_fields(s))
    reply_to = _reply_target(chat, p)
    s._rate_limit(chat)
    if markup is not None:
        if "inline_keyboard" in markup:
            content["reply_markup"] = markup
        else:
            s.reply_keyboards[chat.id] = markup if "keyboard" in markup else None
    return dict(s._store_message(chat, s.bot_user, content, reply_to=reply_to))


def _reply_target(chat: ChatState, p: Params) -> dict[str, Any] | None:
    reply = p.get("reply_parameters")
    if isinstance(reply, dict):
        message_id, allow = reply.get("message_id"), reply.get("allow_sending_without_reply")
    elif p.get("reply_to_message_id") is not None:
        message_id, allow = p.get("reply_to_message_id"), p.get("allow_sending_without_reply")
    else:
        return None
    target = chat.messages.get(message_id) if isinstance(message_id, int) else None
    if target is None and allow is not True:
        raise bad_request("message to be replied not found")
    return target


def _action_fields(s: FakeTelegram) -> frozenset[str]:
    cached = getattr(s, "_button_actions", None)
    if cached is None:
        spec_fields = s.spec.types.get("InlineKeyboardButton") if s.spec is not None else None
        cached = s._button_actions = action_fields_from_spec(spec_fields)  # type: ignore[attr-defined]
    return cached


@api("sendChatAction")
def send_chat_action(s: FakeTelegram, p: Params) -> bool:
    s._resolve_chat(p.get("chat_id"))
    if p.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


# --- editing and deleting -------------------------------------------------------------------------
def _editable(s: FakeTelegram, p: Params) -> tuple[ChatState, dict[str, Any]]:
    if p.get("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = s._resolve_chat(p.get("chat_id"))
    message_id = require_int(p, "message_id", missing="message identifier is not specified")
    message = chat.messages.get(message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if message["from"]["id"] != s.bot_id:
        raise bad_request("message can't be edited")
    return chat, message


def _apply_edit(s: FakeTelegram, chat: ChatState, message: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Telegram drops an inline keyboard that an edit doesn't repeat; identical edits are refused."""
    if all(message.get(key) == value for key, value in changes.items()):
        raise bad_request(NOT_MODIFIED)
    s._rate_limit(chat, edit=True)
    for key, value in changes.items():
        if value is None:
            message.pop(key, None)
        else:
            message[key] = value
    message["edit_date"] = int(time.time())
    return dict(message)


def _inline_markup(s: FakeTelegram, p: Params) -> dict[str, Any] | None:
    return validate_reply_markup(p.get("reply_markup"), action_fields=_action_fields(s), inline_only=True)


@api("editMessageText")
def edit_message_text(s: FakeTelegram, p: Params) -> dict[str, Any]:
    chat, message = _editable(s, p)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    text, entities = format_text(p.get("text"), p.get("parse_mode"), p.get("entities"))
    markup = _inline_markup(s, p)
    return _apply_edit(s, chat, message, {"text": text, "entities": entities or None, "reply_markup": markup})


@api("editMessageCaption")
def edit_message_caption(s: FakeTelegram, p: Params) -> dict[str, Any]:
    chat, message = _editable(s, p)
    if not any(key in message for key in MEDIA_KEYS):
        raise bad_request("there is no caption in the message to edit")
    caption, entities = format_text(p.get("caption"), p.get("parse_mode"), p.get("caption_entities"), caption=True)
    markup = _inline_markup(s, p)
    return _apply_edit(
        s, chat, message, {"caption": caption or None, "caption_entities": entities or None, "reply_markup": markup}
    )


@api("editMessageReplyMarkup")
def edit_message_reply_markup(s: FakeTelegram, p: Params) -> dict[str, Any]:
    chat, message = _editable(s, p)
    return _apply_edit(s, chat, message, {"reply_markup": _inline_markup(s, p)})


@api("deleteMessage")
def delete_message(s: FakeTelegram, p: Params) -> bool:
    chat = s._resolve_chat(p.get("chat_id"), sending=False)
    message_id = require_int(p, "message_id", missing="message identifier is not specified")
    if chat.messages.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    return True


@api("deleteMessages")
def delete_messages(s: FakeTelegram, p: Params) -> bool:
    chat = s._resolve_chat(p.get("chat_id"), sending=False)
    ids = p.get("message_ids")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message_ids must contain 1-100 message identifiers")
    for message_id in ids:
        chat.messages.pop(message_id, None)
    return True


# --- callback queries ------------------------------------------------------------------------------
@api("answerCallbackQuery")
def answer_callback_query(s: FakeTelegram, p: Params) -> bool:
    query_id = str(p.get("callback_query_id"))
    if s._callback_queries.get(query_id, True):
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = p.get("text")
    if text is not None and len(str(text)) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    s._callback_queries[query_id] = True
    s.callback_answers[query_id] = dict(p)
    return True


# --- files and chats -------------------------------------------------------------------------------
@api("getFile")
def get_file(s: FakeTelegram, p: Params) -> dict[str, Any]:
    stored = s.files.by_id.get(str(p.get("file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.file_size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.as_file()


@api("getChat")
def get_chat(s: FakeTelegram, p: Params) -> dict[str, Any]:
    chat = s._resolve_chat(p.get("chat_id"), sending=False)
    gifts = dict.fromkeys(
        ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"), False
    )
    return {**chat.as_chat(), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}


@api("setChatMenuButton")
def set_chat_menu_button(s: FakeTelegram, p: Params) -> bool:
    chat_id = p.get("chat_id")
    if chat_id is not None:
        chat = s._resolve_chat(chat_id, sending=False)
        if chat.type != "private":
            raise bad_request("menu button can be changed only in private chats")
        chat_id = chat.id
    button = p.get("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("commands", "web_app", "default"):
        raise bad_request("can't parse menu button JSON object")
    if button["type"] == "web_app":
        url = (button.get("web_app") or {}).get("url", "")
        if not button.get("text") or not str(url).startswith("https://"):
            raise bad_request("BUTTON_URL_INVALID" if button.get("text") else "BUTTON_TEXT_INVALID")
    s.menu_buttons[chat_id] = button
    return True


@api("getChatMenuButton")
def get_chat_menu_button(s: FakeTelegram, p: Params) -> dict[str, Any]:
    chat_id = p.get("chat_id")
    return s.menu_buttons.get(chat_id) or s.menu_buttons.get(None) or {"type": "default"}


# --- commands and profile texts ---------------------------------------------------------------------
def _scope_key(s: FakeTelegram, p: Params) -> tuple[str, str]:
    scope = canonical_scope(p.get("scope"))
    scope_obj = p.get("scope")
    if isinstance(scope_obj, dict) and "chat_id" in scope_obj:
        s._resolve_chat(scope_obj["chat_id"], sending=False)
    return scope, validate_language(p.get("language_code"))


@api("setMyCommands")
def set_my_commands(s: FakeTelegram, p: Params) -> bool:
    commands = validate_commands(p.get("commands"))
    key = _scope_key(s, p)
    if commands:
        s.commands[key] = commands
    else:
        s.commands.pop(key, None)
    return True


@api("getMyCommands")
def get_my_commands(s: FakeTelegram, p: Params) -> list[dict[str, Any]]:
    scope, language = _scope_key(s, p)
    for key in ((scope, language), (scope, ""), (DEFAULT_SCOPE, language), (DEFAULT_SCOPE, "")):
        if key in s.commands:
            return [dict(command) for command in s.commands[key]]
    return []


@api("deleteMyCommands")
def delete_my_commands(s: FakeTelegram, p: Params) -> bool:
    s.commands.pop(_scope_key(s, p), None)
    return True


def _set_text(table: dict[str, str], p: Params, field: str, limit: int) -> bool:
    value = limited_string(p.get(field), field, limit)
    language = validate_language(p.get("language_code"))
    if value:
        table[language] = value
    else:
        table.pop(language, None)
    return True


def _get_text(table: dict[str, str], p: Params, default: str = "") -> str:
    language = validate_language(p.get("language_code"))
    return table.get(language) or table.get("") or default


@api("setMyDescription")
def set_my_description(s: FakeTelegram, p: Params) -> bool:
    return _set_text(s.descriptions, p, "description", 512)


@api("getMyDescription")
def get_my_description(s: FakeTelegram, p: Params) -> dict[str, str]:
    return {"description": _get_text(s.descriptions, p)}


@api("setMyShortDescription")
def set_my_short_description(s: FakeTelegram, p: Params) -> bool:
    return _set_text(s.short_descriptions, p, "short_description", 120)


@api("getMyShortDescription")
def get_my_short_description(s: FakeTelegram, p: Params) -> dict[str, str]:
    return {"short_description": _get_text(s.short_descriptions, p)}


@api("setMyName")
def set_my_name(s: FakeTelegram, p: Params) -> bool:
    return _set_text(s.names, p, "name", 64)


@api("getMyName")
def get_my_name(s: FakeTelegram, p: Params) -> dict[str, str]:
    return {"name": _get_text(s.names, p, s.bot_user["first_name"])}
