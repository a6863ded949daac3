"""Acting as a person in a private chat with the bot: send text, tap a button by its label,
send a photo or a file, read the replies. Used by the tests and to seed the playground."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.server import FakeTelegram

Settle = Callable[[int], Awaitable[None]]


class Person:
    """One Telegram user; `settle(update_id)` waits until the bot has handled an update."""

    def __init__(self, server: FakeTelegram, settle: Settle, user: Any) -> None:
        self.server = server
        self.settle = settle
        self.user = user
        self.id: int = user.id
        self.last_query_id = ""
        self._mark = 0
        self._said: dict[int, str] = {}  # message id -> its text when this person last acted

    # --- doing things -------------------------------------------------------------------
    def _note(self) -> None:
        """Remember what is on screen now, so `replies` can tell what the bot says next."""
        messages = self.messages
        self._mark = len(messages)
        self._said = {message["message_id"]: message_text(message) for message in messages}

    async def _do(self, update_id: int) -> list[dict[str, Any]]:
        await self.settle(update_id)
        return self.replies

    async def send(self, text: str) -> list[dict[str, Any]]:
        self._note()
        return await self._do(self.server.push_message(self.id, text))

    async def tap(self, label: str) -> list[dict[str, Any]]:
        """Tap the newest button labelled `label` (or, failing that, containing it)."""
        message, data = self.find_button(label)
        return await self.press(message["message_id"], data)

    async def press(self, message_id: int, data: str) -> list[dict[str, Any]]:
        """Send raw callback data, as a forged or replayed button press would."""
        self._note()
        update_id, self.last_query_id = self.server.push_callback(self.id, message_id, data)
        return await self._do(update_id)

    async def send_photo(self, data: bytes, caption: str | None = None) -> list[dict[str, Any]]:
        self._note()
        return await self._do(self.server.push_message(self.id, photo=data, caption=caption))

    async def send_voice(self, data: bytes) -> list[dict[str, Any]]:
        self._mark = len(self.messages)
        return await self._do(self.server.push_message(self.id, voice=data))

    async def send_document(self, name: str, data: bytes, mime: str) -> list[dict[str, Any]]:
        self._note()
        return await self._do(self.server.push_message(self.id, document=(name, data, mime)))

    # --- reading what the bot did -------------------------------------------------------
    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.server.bot_messages(self.id)

    @property
    def replies(self) -> list[dict[str, Any]]:
        """What the bot said since this person's last action: new messages, and earlier ones
        whose text it edited (a flow moving on in place); taking buttons away says nothing."""
        messages = self.messages
        edited = [
            message
            for message in messages[: self._mark]
            if self._said.get(message["message_id"], message_text(message)) != message_text(message)
        ]
        return edited + messages[self._mark :]

    @property
    def reply_text(self) -> str:
        return "\n".join(message_text(message) for message in self.replies)

    @property
    def last_text(self) -> str:
        return message_text(self.messages[-1]) if self.messages else ""

    def buttons(self) -> list[str]:
        """Labels of the buttons on the newest message that has any."""
        for message in reversed(self.messages):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard")
            if rows:
                return [button["text"] for row in rows for button in row]
        return []

    def find_button(self, label: str) -> tuple[dict[str, Any], str]:
        wanted = label.casefold()
        for message in reversed(self.messages):
            buttons = [
                button
                for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
                for button in row
                if "callback_data" in button
            ]
            exact = [b for b in buttons if b["text"].casefold() == wanted]
            partial = [b for b in buttons if wanted in b["text"].casefold()]
            if exact or partial:
                return message, (exact or partial)[0]["callback_data"]
        raise AssertionError(f"No button {label!r}; buttons now: {self.buttons()}")

    def callback_answer(self) -> dict[str, Any]:
        return self.server.callback_answers.get(self.last_query_id, {})


def message_text(message: dict[str, Any]) -> str:
    return message.get("text") or message.get("caption") or ""
