"""FakeTelegram: a local Bot API server that the real PTB Application talks HTTP to.

This module holds the state (people, chats, message history, the update queue, files,
faults, limits) and the HTTP layer; the Bot API methods themselves live in methods.py.
Everything is in memory and every bookkeeping step is O(1) per request, so the broadcast
benchmark can push ten thousand messages through it.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from aiohttp import BodyPartReader, web

from emulator.errors import ApiError, bad_request, forbidden
from emulator.html import utf16_len
from emulator.limits import RateLimiter, RateLimits
from emulator.media import FileStore, StoredFile, Upload, image_size, ogg_duration
from emulator.methods import HANDLERS
from emulator.spec import ApiSpec, default_spec_path, fallback_decode, load_spec
from emulator.webhook import WebhookDelivery, WebhookSettings

_DEFAULT_SPEC = object()
log = logging.getLogger(__name__)
_MAX_BODY = 64 * 1024 * 1024
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?(?=\s|$)")
# What Telegram sends when getUpdates is called without allowed_updates ever being set.
_NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class FakeUser:
    """A person who talks to the bot. Their private chat with the bot has chat id == id."""

    id: int
    first_name: str
    language_code: str | None = "en"
    username: str | None = None
    last_name: str | None = None

    def as_user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            value = getattr(self, key)
            if value:
                user[key] = value
        return user


@dataclass
class Call:
    """One request as the emulator answered it."""

    method: str
    params: dict[str, Any]
    status: int
    result_or_error: Any
    at: float


@dataclass
class ChatState:
    id: int
    type: str
    title: str | None = None
    user: FakeUser | None = None
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked: bool = False

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def as_chat(self) -> dict[str, Any]:
        if self.user is not None:
            chat: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.user.first_name}
            if self.user.last_name:
                chat["last_name"] = self.user.last_name
            if self.user.username:
                chat["username"] = self.user.username
            return chat
        return {"id": self.id, "type": self.type, "title": self.title or ""}


@dataclass
class _Fault:
    method: str | None
    status: int
    remaining: int
    retry_after: int | None
    description: str | None


@dataclass
class Hold:
    """One request the test keeps waiting (FakeTelegram.hold): it has `arrived`, and goes on once
    `released` is set."""

    method: str
    chat_id: int
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)


class Params(dict[str, Any]):
    """Decoded request parameters plus file parts only referenced as attach://name."""

    attachments: dict[str, Upload]


class FakeTelegram:
    """A fake Telegram Bot API on 127.0.0.1 with people the test can act as."""

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "coproduction_test_bot",
        limits: RateLimits | None = None,
        spec_path: Path | None = _DEFAULT_SPEC,  # type: ignore[assignment]
        bot_first_name: str = "Co-production Bot",
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.spec_path: Path | None = default_spec_path() if spec_path is _DEFAULT_SPEC else spec_path
        self.spec: ApiSpec | None = load_spec(self.spec_path)
        self._limiter = RateLimiter(limits or RateLimits())

        self.users: dict[int, FakeUser] = {}
        self.chats: dict[int, ChatState] = {}
        self._next_user_id = 1_000_001
        self._next_group_id = -100_001
        self.files = FileStore()

        self.calls: list[Call] = []
        self.listeners: list[Callable[[Call], None]] = []
        self.latency = 0.0  # seconds added to every answer except long polls, like a real network
        self.rejected: list[tuple[str, dict[str, Any], str]] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.reply_keyboards: dict[int, dict[str, Any] | None] = {}
        # Public webhook URL -> the local addresses it really lands on (see route_webhook).
        self.webhook_routes: dict[str, list[str]] = {}
        self._webhook: WebhookDelivery | None = None
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._next_query = 1
        self._faults: list[_Fault] = []
        self._holds: list[Hold] = []

        self._pending: deque[tuple[int, str, dict[str, Any]]] = deque()
        self._next_update_id = 1
        self._confirmed_below = 0  # every update_id below this has been taken by the bot
        self._answered: set[int] = set()  # taken out of order: answered 2xx by a webhook
        self._dropped: set[int] = set()  # filtered out by allowed_updates: never delivered
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._update_arrived = asyncio.Event()
        self._consumed = asyncio.Event()
        self._closing = False

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._host = "127.0.0.1"

    # --- lifecycle ------------------------------------------------------------------------
    async def start(
        self, host: str = "127.0.0.1", port: int = 0, extra_routes: Callable[[web.Application], None] | None = None
    ) -> None:
        """Listen on host:port (0 picks a free port); `base_url` is valid afterwards.

        `extra_routes` lets a front end (the playground page) live on the same server.
        """
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        if extra_routes is not None:
            extra_routes(app)
        self._closing = False
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self._host = host
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Release waiting long polls at once, then close the listener."""
        self._closing = True
        self._wake_pollers()
        await self.use_webhook(None)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        if self._port is None:
            raise RuntimeError("FakeTelegram is not started")
        return f"http://{self._host}:{self._port}"

    # --- limits and faults ----------------------------------------------------------------
    @property
    def limits(self) -> RateLimits:
        return self._limiter.limits

    @limits.setter
    def limits(self, value: RateLimits) -> None:
        """New limits start with empty windows, as after a quiet period."""
        self._limiter = RateLimiter(value)

    def fail_next(
        self,
        method: str | None,
        status: int,
        count: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Make the next `count` calls of `method` (None: any method) fail with `status`."""
        name = (self._canonical(method) or method) if method else None
        self._faults.append(_Fault(name, status, count, retry_after, description))

    def hold(self, method: str, chat_id: int) -> Hold:
        """Keep the next `method` call to `chat_id` waiting, as a slow network would, until the test
        releases it: a way to make a race happen every time instead of now and then."""
        hold = Hold(self._canonical(method) or method, chat_id)
        self._holds.append(hold)
        return hold

    async def _wait_if_held(self, method: str, params: dict[str, Any]) -> None:
        for hold in self._holds:
            if hold.method == method and str(params.get("chat_id")) == str(hold.chat_id):
                self._holds.remove(hold)
                hold.arrived.set()
                await hold.released.wait()
                return

    def _take_fault(self, method: str) -> None:
        for fault in self._faults:
            if fault.remaining > 0 and fault.method in (None, method):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                retry_after = fault.retry_after
                if fault.status == 429 and retry_after is None:
                    retry_after = 1
                description = fault.description or _default_description(fault.status, retry_after)
                raise ApiError(fault.status, description, retry_after=retry_after, record=False)

    # --- webhook -------------------------------------------------------------------------
    def route_webhook(self, public_url: str, targets: list[str]) -> None:
        """Say where a public https URL really lands, like a TLS-terminating proxy: updates for a
        webhook set to `public_url` are posted to these http URLs, in turn."""
        self.webhook_routes[public_url] = list(targets)

    @property
    def webhook_url(self) -> str:
        return self._webhook.settings.url if self._webhook is not None else ""

    @property
    def webhook(self) -> WebhookDelivery | None:
        return self._webhook

    async def use_webhook(self, settings: WebhookSettings | None) -> None:
        """Deliver by webhook from now on (None: back to getUpdates); unanswered updates stay pending."""
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        if settings is not None and settings.url:
            self._webhook = WebhookDelivery(self, settings, lambda url: self.webhook_routes.get(url, []))
            self._webhook.start()

    def _webhook_answered(self, update_id: int) -> None:
        """A webhook answered 2xx: the update is taken, even if earlier ones (other chats) are not."""
        for index, entry in enumerate(self._pending):
            if entry[0] == update_id:
                del self._pending[index]
                break
        self._answered.add(update_id)
        self._confirmed_below = max(
            self._confirmed_below, self._pending[0][0] if self._pending else self._next_update_id
        )
        self._consumed.set()
        self._consumed = asyncio.Event()

    # --- people and chats ------------------------------------------------------------------
    def add_user(
        self,
        first_name: str,
        *,
        language_code: str | None = "en",
        user_id: int | None = None,
        username: str | None = None,
        last_name: str | None = None,
    ) -> FakeUser:
        """A person with a private chat to the bot; adding an existing id updates it."""
        if user_id is None:
            while self._next_user_id in self.users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        user = self.users.get(user_id)
        if user is None:
            user = self.users[user_id] = FakeUser(user_id, first_name, language_code, username, last_name)
        else:
            user.first_name, user.language_code = first_name, language_code
            user.username, user.last_name = username, last_name
        if user_id not in self.chats:
            self.chats[user_id] = ChatState(user_id, "private", user=user)
        return user

    def add_group(self, title: str) -> int:
        """A basic group the bot is in; returns its (negative) chat id."""
        chat_id = self._next_group_id
        self._next_group_id -= 1
        self.chats[chat_id] = ChatState(chat_id, "group", title=title)
        return chat_id

    def clear_history(self) -> None:
        """Forget every chat's messages (the playground's "reset demo"); people stay."""
        for chat in self.chats.values():
            chat.messages.clear()
        self.reply_keyboards.clear()

    def block(self, user_id: int, *, tell_bot: bool = False) -> int | None:
        """The user blocks the bot: every send to their chat fails with 403 until unblock.
        With `tell_bot`, the bot also gets the my_chat_member update Telegram sends (its id)."""
        self._chat(user_id).blocked = True
        return self._push_my_status(user_id, "member", "kicked") if tell_bot else None

    def unblock(self, user_id: int, *, tell_bot: bool = False) -> int | None:
        self._chat(user_id).blocked = False
        return self._push_my_status(user_id, "kicked", "member") if tell_bot else None

    def _push_my_status(self, user_id: int, old: str, new: str) -> int:
        chat, user = self._chat(user_id), self._user(user_id)

        def member(status: str) -> dict[str, Any]:
            return {"status": status, "user": self.bot_user, **({"until_date": 0} if status == "kicked" else {})}

        return self.push_update(
            {
                "my_chat_member": {
                    "chat": chat.as_chat(),
                    "from": user.as_user(),
                    "date": int(time.time()),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    def _chat(self, chat_id: int) -> ChatState:
        try:
            return self.chats[chat_id]
        except KeyError:
            raise KeyError(f"No chat {chat_id}: call add_user/add_group first") from None

    def _user(self, user_id: int) -> FakeUser:
        try:
            return self.users[user_id]
        except KeyError:
            raise KeyError(f"No user {user_id}: call add_user first") from None

    # --- acting as a person -----------------------------------------------------------------
    def push_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        chat_id: int | None = None,
        photo: bytes | None = None,
        document: tuple[str, bytes, str] | None = None,
        voice: bytes | None = None,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> int:
        """The user sends a message; returns the update_id of the resulting update."""
        user = self._user(user_id)
        chat = self._chat(user_id if chat_id is None else chat_id)
        content: dict[str, Any] = {}
        if text:
            content["text"] = text
            entities = _command_entities(text)
            if entities:
                content["entities"] = entities
        if photo is not None:
            width, height = image_size(photo) or (0, 0)
            content["photo"] = self.files.add("photo", photo, width=width, height=height).as_media()
        if document is not None:
            name, data, mime = document
            content["document"] = self.files.add("document", data, file_name=name, mime_type=mime).as_media()
        if voice is not None:
            content["voice"] = self.files.add(
                "voice", voice, mime_type="audio/ogg", duration=ogg_duration(voice)
            ).as_media()
        if caption is not None:
            content["caption"] = caption
        if not content:
            raise ValueError("push_message needs text, photo, document or voice")
        reply_to = chat.messages.get(reply_to_message_id) if reply_to_message_id is not None else None
        message = self._store_message(chat, user.as_user(), content, reply_to=reply_to)
        return self._enqueue("message", message)

    def push_callback(self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None) -> tuple[int, str]:
        """The user taps an inline button; returns (update_id, callback_query_id).

        The query carries the message as it is now; a message that no longer exists arrives
        as an InaccessibleMessage (date 0), as Telegram sends for messages it can't show."""
        user = self._user(user_id)
        chat = self._chat(user_id if chat_id is None else chat_id)
        current = chat.messages.get(message_id)
        if current is not None:
            message = dict(current)
        else:
            message = {"chat": chat.as_chat(), "message_id": message_id, "date": 0}
        query_id = str(4_000_000_000_000_000 + self._next_query)
        self._next_query += 1
        self._callback_queries[query_id] = False
        query = {
            "id": query_id,
            "from": user.as_user(),
            "message": message,
            "chat_instance": str(abs(hash((chat.id, self.bot_id)))),
            "data": data,
        }
        return self._enqueue("callback_query", query), query_id

    def push_update(self, payload: dict[str, Any]) -> int:
        """Any other update kind, e.g. {"my_chat_member": {...}}; the update_id is assigned here."""
        kinds = [key for key in payload if key != "update_id"]
        if len(kinds) != 1:
            raise ValueError(f"An update has exactly one kind, got {kinds}")
        return self._enqueue(kinds[0], payload[kinds[0]])

    def _enqueue(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self._next_update_id
        self._next_update_id += 1
        self._pending.append((update_id, kind, payload))
        self._wake_pollers()
        return update_id

    def _wake_pollers(self) -> None:
        self._update_arrived.set()
        self._update_arrived = asyncio.Event()
        if self._webhook is not None:
            self._webhook.wake()

    async def wait_consumed(self, update_id: int, timeout: float = 10.0) -> None:
        """Return once the bot has confirmed `update_id`: a getUpdates with a later offset, or its
        webhook answered 2xx."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not (self._confirmed_below > update_id or update_id in self._dropped or update_id in self._answered):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"The bot did not take update {update_id} within {timeout} s")
            event = self._consumed
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass

    def _confirm(self, offset: int) -> None:
        pending = self._pending
        while pending and pending[0][0] < offset:
            pending.popleft()
        if offset > self._confirmed_below:
            self._confirmed_below = offset
            self._consumed.set()
            self._consumed = asyncio.Event()

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        result = []
        for update_id, kind, payload in self._wanted_pending():
            result.append({"update_id": update_id, kind: payload})
            if len(result) >= limit:
                break
        return result

    def _wanted_pending(self) -> deque[tuple[int, str, dict[str, Any]]]:
        """The pending updates, once those allowed_updates excludes are dropped (never delivered)."""
        allowed = self._allowed_updates

        def allowed_check(kind: str) -> bool:
            return kind not in _NOT_SENT_BY_DEFAULT if allowed is None else kind in allowed

        if any(not allowed_check(kind) for _, kind, _ in self._pending):
            kept: deque[tuple[int, str, dict[str, Any]]] = deque()
            for entry in self._pending:
                if allowed_check(entry[1]):
                    kept.append(entry)
                else:
                    self._dropped.add(entry[0])
            self._pending = kept
            self._consumed.set()
            self._consumed = asyncio.Event()
        return self._pending

    # --- reading what happened ---------------------------------------------------------------
    def chat_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Every message still in the chat, oldest first, with edits applied (copies)."""
        chat = self.chats.get(chat_id)
        return copy.deepcopy(list(chat.messages.values())) if chat else []

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Only the messages the bot sent in this chat."""
        chat = self.chats.get(chat_id)
        if chat is None:
            return []
        return copy.deepcopy([m for m in chat.messages.values() if m["from"]["id"] == self.bot_id])

    def reply_keyboard(self, chat_id: int) -> dict[str, Any] | None:
        """The reply keyboard the user currently sees (None if none or removed)."""
        markup = self.reply_keyboards.get(chat_id)
        return copy.deepcopy(markup) if markup and "keyboard" in markup else None

    def file_bytes(self, file_id: str) -> bytes:
        return self.files.by_id[file_id].data

    # --- used by method handlers --------------------------------------------------------------
    def _store_message(
        self,
        chat: ChatState,
        sender: dict[str, Any],
        content: dict[str, Any],
        *,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": chat.next_message_id,
            "from": sender,
            "chat": chat.as_chat(),
            "date": int(time.time()),
        }
        chat.next_message_id += 1
        if reply_to is not None:
            message["reply_to_message"] = {k: v for k, v in reply_to.items() if k != "reply_to_message"}
        message.update(content)
        chat.messages[message["message_id"]] = message
        return message

    def _resolve_chat(self, chat_id: Any, *, sending: bool = True) -> ChatState:
        """The chat a request targets; 400 if unknown, 403 if it blocked the bot (for sends)."""
        chat: ChatState | None = None
        if isinstance(chat_id, int) and not isinstance(chat_id, bool):
            chat = self.chats.get(chat_id)
        elif isinstance(chat_id, str) and chat_id.startswith("@"):
            wanted = chat_id[1:].lower()
            chat = next(
                (c for c in self.chats.values() if c.user is not None and (c.user.username or "").lower() == wanted),
                None,
            )
        elif chat_id in (None, ""):
            raise bad_request("chat_id is empty")
        if chat is None:
            raise bad_request("chat not found")
        if sending and chat.blocked:
            raise forbidden("bot was blocked by the user")
        return chat

    def chat_wait(self, chat_id: int) -> float:
        """Seconds until the per-chat limit lets one more new message into this chat."""
        return self._limiter.chat_wait(chat_id)

    def _rate_limit(self, chat: ChatState, *, edit: bool = False) -> None:
        retry_after = self._limiter.acquire(chat.id, is_group=chat.is_group, edit=edit)
        if retry_after is not None:
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    def _store_upload(self, kind: str, value: Any, attachments: dict[str, Upload]) -> StoredFile:
        """A file parameter (upload, attach://name, known file_id) as a stored file."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = attachments.get(value[9:])
            if value is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
        if isinstance(value, Upload):
            return self._new_file(kind, value)
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {kind} in the request")
        if value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        stored = self.files.by_id.get(value)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
        return stored

    def _new_file(self, kind: str, upload: Upload) -> StoredFile:
        data = upload.data
        if not data:
            raise bad_request("file must be non-empty")
        if len(data) > (10 if kind == "photo" else 50) * 1024 * 1024:
            raise bad_request("file is too big")
        if kind == "photo":
            size = image_size(data)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            width, height = size
            if width == 0 or height == 0 or width + height > 10000 or max(width, height) > 20 * min(width, height):
                raise bad_request("PHOTO_INVALID_DIMENSIONS")
            return self.files.add("photo", data, width=width, height=height)
        if kind == "voice":
            return self.files.add(
                "voice", data, mime_type=upload.content_type or "audio/ogg", duration=ogg_duration(data)
            )
        return self.files.add(kind, data, file_name=upload.filename, mime_type=upload.content_type)

    def _canonical(self, method: str) -> str | None:
        if self.spec is not None:
            name = self.spec.canonical(method)
            if name is not None:
                return name
        return _HANDLERS_LOWER.get(method.lower())

    # --- HTTP -------------------------------------------------------------------------------
    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        raw_method = request.match_info["method"]
        params: dict[str, Any] = {}
        method = raw_method
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            canonical = self._canonical(raw_method)
            if canonical is None:
                raise ApiError(404, "Not Found")
            method = canonical
            if self.latency and method != "getUpdates":
                await asyncio.sleep(self.latency)
            params = await self._read_params(request, method)
            await self._wait_if_held(method, params)
            self._take_fault(method)
            if self.spec is not None:
                problem = self.spec.check(method, params)
                if problem:
                    raise ApiError(400, problem)
            handler = HANDLERS.get(method)
            if handler is None:
                raise ApiError(501, f"Not Implemented in emulator: {method}")
            result = handler(self, params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            return self._refuse(request, method, params, error)
        except ConnectionResetError:
            # The client went away mid-request (a killed bot): like Telegram, nothing happened.
            return web.Response(status=499)
        except Exception as bug:  # an emulator bug must be loud, and visible in `rejected`
            log.exception("Emulator failed on %s", method)
            return self._refuse(request, method, params, ApiError(500, f"Internal Server Error: emulator bug: {bug!r}"))
        self._record(Call(method, params, 200, result, time.time()))
        return _json_response({"ok": True, "result": result}, 200)

    def _record(self, call: Call) -> None:
        """Keep the call, and tell listeners (a benchmark timing replies) as it happens."""
        self.calls.append(call)
        for listener in self.listeners:
            listener(call)

    def _refuse(self, request: web.Request, method: str, params: dict[str, Any], error: ApiError) -> web.Response:
        if error.status == 409 and request.transport is None:
            return web.Response(status=409)  # a long poll whose client went away
        self._record(Call(method, params, error.status, error.body(), time.time()))
        if error.record:
            self.rejected.append((method, params, error.description))
        return _json_response(error.body(), error.status)

    async def _read_params(self, request: web.Request, method: str) -> Params:
        params = Params()
        params.attachments = {}
        decode = (lambda name, raw: self.spec.decode(method, name, raw)) if self.spec is not None else fallback_decode
        for name, raw in request.query.items():
            params[name] = decode(name, raw)
        if request.method != "POST" or not request.can_read_body:
            return params
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON request body") from None
            if not isinstance(body, dict):
                raise bad_request("JSON request body must be an object")
            params.update(body)
        elif content_type == "multipart/form-data":
            await self._read_multipart(request, params, decode)
        else:
            form = await request.post()
            for name, field in form.items():
                params[name] = decode(name, field) if isinstance(field, str) else field
        return params

    async def _read_multipart(self, request: web.Request, params: Params, decode: Any) -> None:
        reader = await request.multipart()
        texts: list[str] = []
        uploads: dict[str, Upload] = {}
        total = 0
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader) or part.name is None:
                continue
            if part.filename is None:
                raw = await part.text()
                texts.append(raw)
                params[part.name] = decode(part.name, raw)
                continue
            chunks = []
            while chunk := await part.read_chunk():
                total += len(chunk)
                if total > _MAX_BODY:
                    raise ApiError(413, "Request Entity Too Large")
                chunks.append(chunk)
            uploads[part.name] = Upload(part.filename, part.headers.get("Content-Type"), b"".join(chunks))
        for name, upload in uploads.items():
            reference = f"attach://{name}"
            if any(reference in text for text in texts):
                params.attachments[name] = upload
            else:
                params[name] = upload

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        stored = self.files.by_path.get(request.match_info["path"])
        if stored is None:
            return _json_response({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")


_HANDLERS_LOWER = {name.lower(): name for name in HANDLERS}


def _json_response(body: dict[str, Any], status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False, separators=(",", ":")), status=status, content_type="application/json"
    )


def _default_description(status: int, retry_after: int | None) -> str:
    if status == 429:
        return f"Too Many Requests: retry after {retry_after}"
    if status == 400:
        return "Bad Request: injected fault"
    if status == 403:
        return "Forbidden: injected fault"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Error {status}"


def _command_entities(text: str) -> list[dict[str, Any]]:
    """A leading /command gets a bot_command entity, as Telegram's clients add it."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]
