"""Test helpers that read like a person using the bot: send text, tap a button by its
label, send a photo, read the replies. The real Application talks HTTP to the emulator."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.config import Settings
from bot.runtime import RunningBot, start_bot, stop_bot
from emulator import FakeTelegram, RateLimits


class Person:
    """One Telegram user in a private chat with the bot."""

    def __init__(self, bed: TestBed, user: Any) -> None:
        self.bed = bed
        self.user = user
        self.id: int = user.id
        self._mark = 0

    # --- doing things -------------------------------------------------------------------
    async def send(self, text: str) -> list[dict[str, Any]]:
        self._mark = len(self.bed.server.bot_messages(self.id))
        await self.bed.settle(self.bed.server.push_message(self.id, text))
        return self.replies

    async def tap(self, label: str) -> list[dict[str, Any]]:
        """Tap the newest button whose label contains `label` (case-insensitive)."""
        message, data = self.find_button(label)
        return await self.press(message["message_id"], data)

    async def press(self, message_id: int, data: str) -> list[dict[str, Any]]:
        """Send raw callback data, as a forged or replayed button press would."""
        self._mark = len(self.bed.server.bot_messages(self.id))
        update_id, query_id = self.bed.server.push_callback(self.id, message_id, data)
        self.last_query_id = query_id
        await self.bed.settle(update_id)
        return self.replies

    async def send_photo(self, data: bytes, caption: str | None = None) -> list[dict[str, Any]]:
        self._mark = len(self.bed.server.bot_messages(self.id))
        await self.bed.settle(self.bed.server.push_message(self.id, photo=data, caption=caption))
        return self.replies

    async def send_document(self, name: str, data: bytes, mime: str) -> list[dict[str, Any]]:
        self._mark = len(self.bed.server.bot_messages(self.id))
        await self.bed.settle(self.bed.server.push_message(self.id, document=(name, data, mime)))
        return self.replies

    # --- reading what the bot did -------------------------------------------------------
    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.bed.server.bot_messages(self.id)

    @property
    def replies(self) -> list[dict[str, Any]]:
        """Messages the bot sent since this person's last action."""
        return self.messages[self._mark:]

    @property
    def reply_text(self) -> str:
        return "\n".join(message_text(message) for message in self.replies)

    @property
    def last_text(self) -> str:
        return message_text(self.messages[-1]) if self.messages else ""

    def buttons(self) -> list[str]:
        """Labels of the buttons still on the newest message that has any."""
        for message in reversed(self.messages):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard")
            if rows:
                return [button["text"] for row in rows for button in row]
        return []

    def find_button(self, label: str) -> tuple[dict[str, Any], str]:
        """The newest message's button whose label is `label`, or else contains it."""
        wanted = label.casefold()
        for message in reversed(self.messages):
            buttons = [button for row in (message.get("reply_markup") or {}).get("inline_keyboard", [])
                       for button in row if "callback_data" in button]
            exact = [b for b in buttons if b["text"].casefold() == wanted]
            partial = [b for b in buttons if wanted in b["text"].casefold()]
            if exact or partial:
                return message, (exact or partial)[0]["callback_data"]
        raise AssertionError(f"No button {label!r}; buttons now: {self.buttons()}")

    def callback_answer(self) -> dict[str, Any]:
        return self.bed.server.callback_answers.get(self.last_query_id, {})


def message_text(message: dict[str, Any]) -> str:
    return message.get("text") or message.get("caption") or ""


class TestBed:
    """The emulator, a clock under the test's control, and the real bot, restartable."""

    __test__ = False

    def __init__(self, server: FakeTelegram, tmp_path: Path, *, admin_ids: frozenset[int] = frozenset()) -> None:
        self.server = server
        self.clock = FakeClock()
        self.settings = Settings(
            bot_token=server.token,
            telegram_api_url=server.base_url,
            database_path=tmp_path / "bot.sqlite3",
            admin_ids=admin_ids,
            # Fast by default; tests about pacing put Telegram's real limits back.
            messages_per_second=1000.0,
            chat_interval_seconds=0.0,
        )
        server.limits = RateLimits.unlimited()
        self.running: RunningBot | None = None

    @property
    def services(self) -> Any:
        assert self.running is not None
        return self.running.services

    @property
    def db(self) -> Any:
        return self.services.db

    def configure(self, **changes: Any) -> None:
        self.settings = replace(self.settings, **changes)

    async def start(self) -> None:
        self.running = await start_bot(self.settings, clock=self.clock, poll_timeout=5)

    async def stop(self) -> None:
        if self.running is not None:
            await stop_bot(self.running)
            self.running = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def settle(self, update_id: int) -> None:
        """Wait until the bot has fetched the update and finished handling it – no sleeping."""
        assert self.running is not None
        await self.server.wait_consumed(update_id)
        await self.running.application.update_queue.join()

    def person(self, first_name: str, language: str | None = "en", user_id: int | None = None) -> Person:
        return Person(self, self.server.add_user(first_name, language_code=language, user_id=user_id))

    async def joined(self, first_name: str, language: str = "en", user_id: int | None = None,
                     topics: tuple[str, ...] = (), area: str | None = None) -> Person:
        """A resident who has gone through onboarding with the buttons."""
        person = self.person(first_name, language, user_id)
        await person.send("/start")
        await person.tap(LANGUAGE_BUTTONS[language])
        await person.tap(CONSENT_BUTTONS[language])
        await person.send(first_name)
        await person.tap(SELF_BUTTONS[language])
        for topic in topics:
            await person.tap(topic)
        await person.tap("✔")
        if area:
            await person.send(area)
        else:
            await person.tap("»")
        await person.tap(ANY_TIME_BUTTONS[language])
        return person


LANGUAGE_BUTTONS = {"en": "English", "pl": "Polski"}
CONSENT_BUTTONS = {"en": "Yes, I agree", "pl": "Tak"}
SELF_BUTTONS = {"en": "For myself", "pl": "siebie"}
ANY_TIME_BUTTONS = {"en": "Any time", "pl": "dowolnej"}
