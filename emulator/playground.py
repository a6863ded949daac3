"""The playground's web side: a phone-like chat page for several people at once, served by
the emulator, and a small JSON API the page uses to read chats and act as each person."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from emulator.server import FakeTelegram

STATIC = Path(__file__).resolve().parent / "static"
Settle = Callable[[int], Awaitable[None]]

_TAGS = {
    "bold": "b",
    "italic": "i",
    "underline": "u",
    "strikethrough": "s",
    "code": "code",
    "pre": "pre",
    "spoiler": 'span class="spoiler"',
    "blockquote": "blockquote",
}


@dataclass(frozen=True)
class Persona:
    """Someone the page shows a chat for."""

    user_id: int
    name: str
    role: str
    language: str


def render_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Telegram text + entities (UTF-16 offsets) → HTML for the page; every character escaped."""
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in entities:
        start, end = entity["offset"], entity["offset"] + entity["length"]
        kind = entity["type"]
        if kind in ("text_link", "url"):
            url = entity.get("url") or _utf16_slice(text, start, end)
            tag, close = f'a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener"', "a"
        elif kind in _TAGS:
            tag, close = _TAGS[kind], _TAGS[kind].split()[0]
        else:
            continue
        opens.setdefault(start, []).append(f"<{tag}>")
        closes.setdefault(end, []).insert(0, f"</{close}>")
    out: list[str] = []
    offset = 0
    for char in text:
        out += closes.get(offset, []) + opens.get(offset, [])
        out.append("<br>" if char == "\n" else html.escape(char))
        offset += len(char.encode("utf-16-le")) // 2
    out += closes.get(offset, [])
    return "".join(out)


def _utf16_slice(text: str, start: int, end: int) -> str:
    units = text.encode("utf-16-le")
    return units[start * 2 : end * 2].decode("utf-16-le", errors="ignore")


class Playground:
    """Routes for the page. `reset` rebuilds the demo; `settle` waits for the bot to answer."""

    def __init__(self, server: FakeTelegram, settle: Settle, reset: Callable[[], Awaitable[None]]) -> None:
        self.server = server
        self.settle = settle
        self.reset = reset
        self.people: list[Persona] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._page)
        app.router.add_static("/static/", STATIC)
        app.router.add_get("/api/people", self._people)
        app.router.add_get("/api/chat/{user_id:\\d+}", self._chat)
        app.router.add_post("/api/chat/{user_id:\\d+}/send", self._send)
        app.router.add_post("/api/chat/{user_id:\\d+}/tap", self._tap)
        app.router.add_post("/api/chat/{user_id:\\d+}/upload", self._upload)
        app.router.add_get("/api/file/{file_id}", self._file)
        app.router.add_post("/api/reset", self._reset)

    async def _page(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "playground.html")

    async def _people(self, request: web.Request) -> web.Response:
        return web.json_response([p.__dict__ for p in self.people])

    def _user(self, request: web.Request) -> int:
        user_id = int(request.match_info["user_id"])
        if user_id not in {p.user_id for p in self.people}:
            raise web.HTTPNotFound(text="no such person in the playground")
        return user_id

    async def _chat(self, request: web.Request) -> web.Response:
        user_id = self._user(request)
        messages = [self._message(message) for message in self.server.chat_messages(user_id)]
        keyboard = self.server.reply_keyboard(user_id)
        return web.json_response({"messages": messages, "reply_keyboard": keyboard})

    def _message(self, message: dict[str, Any]) -> dict[str, Any]:
        text = message.get("text") or message.get("caption") or ""
        entities = message.get("entities") or message.get("caption_entities") or []
        item: dict[str, Any] = {
            "id": message["message_id"],
            "from_bot": bool(message.get("from", {}).get("is_bot")),
            "html": render_html(text, entities),
            "buttons": [
                [{"text": b["text"], "data": b.get("callback_data"), "url": b.get("url")} for b in row]
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
            ],
        }
        if message.get("document"):
            item["file"] = {"id": message["document"]["file_id"], "name": message["document"].get("file_name", "file")}
        if message.get("photo"):
            item["photo"] = message["photo"][-1]["file_id"]
        if message.get("voice"):
            item["file"] = {"id": message["voice"]["file_id"], "name": "voice.ogg"}
        return item

    async def _send(self, request: web.Request) -> web.Response:
        user_id = self._user(request)
        text = str((await request.json()).get("text", "")).strip()
        if not text:
            raise web.HTTPBadRequest(text="empty message")
        await self.settle(self.server.push_message(user_id, text[:4096]))
        return web.json_response({"ok": True})

    async def _tap(self, request: web.Request) -> web.Response:
        user_id = self._user(request)
        body = await request.json()
        update_id, _query = self.server.push_callback(user_id, int(body["message_id"]), str(body["data"])[:64])
        await self.settle(update_id)
        return web.json_response({"ok": True, "answer": self.server.callback_answers.get(_query, {}).get("text")})

    async def _upload(self, request: web.Request) -> web.Response:
        user_id = self._user(request)
        form = await request.post()
        upload = form.get("file")
        if not isinstance(upload, web.FileField):
            raise web.HTTPBadRequest(text="no file")
        data = upload.file.read()
        caption = str(form.get("caption") or "") or None
        if (upload.content_type or "").startswith("image/"):
            update_id = self.server.push_message(user_id, photo=data, caption=caption)
        else:
            update_id = self.server.push_message(
                user_id,
                document=(upload.filename or "file", data, upload.content_type or "application/octet-stream"),
                caption=caption,
            )
        await self.settle(update_id)
        return web.json_response({"ok": True})

    async def _file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        try:
            data = self.server.file_bytes(file_id)
        except KeyError as exc:
            raise web.HTTPNotFound(text="no such file") from exc
        name = request.query.get("name", "file")
        return web.Response(body=data, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def _reset(self, request: web.Request) -> web.Response:
        await self.reset()
        return web.json_response({"ok": True})
