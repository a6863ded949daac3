"""Test helpers that read like a person using the bot: send text, tap a button by its
label, send a photo, read the replies. The real Application talks HTTP to the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.clock import FakeClock
from bot.config import Settings
from bot.runtime import RunningBot, start_bot, stop_bot
from emulator import FakeTelegram, RateLimits
from emulator.driver import Person
from tests.engines import ON_POSTGRES, fresh_database

# Webhook mode in tests: the public URL the bot sets, which the emulator routes to the bot's
# local port as the council's TLS-terminating reverse proxy would.
WEBHOOK_URL = "https://bot.example.gov.uk/telegram"
WEBHOOK_SECRET = "test-secret_0123456789"


async def until(condition: Callable[[], bool], seconds: float, why: str = "") -> None:
    """Wait for something the test can see (an answer the emulator recorded, a count reached),
    looking every hundredth of a second, and fail with `why` if it has not come in `seconds`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(why or f"not seen within {seconds:g} s")
        await asyncio.sleep(0.01)


class TestBed:
    """The emulator, a clock under the test's control, and the real bot, restartable."""

    __test__ = False

    def __init__(
        self, server: FakeTelegram, tmp_path: Path, *, admin_ids: frozenset[int] = frozenset(), webhook: bool = False
    ) -> None:
        self.server = server
        self.tmp_path = tmp_path
        self.clock = FakeClock()
        self.settings = Settings(
            bot_token=server.token,
            telegram_api_url=server.base_url,
            database_path=tmp_path / "bot.sqlite3",
            admin_ids=admin_ids,
            # Fast by default; tests about pacing put Telegram's real limits back.
            messages_per_second=1000.0,
            chat_interval_seconds=0.0,
            flood_limit=10_000,  # scripted people tap faster than anyone could
            # A handler's own answer to a tap (a refusal, a toast) must not lose the race to the
            # blank answer on a loaded CI machine; the rush test shows the blank one still comes.
            tap_grace_seconds=2.0,
        )
        if webhook:  # on any free port, added to the webhook's targets once listening
            self.configure(webhook_url=WEBHOOK_URL, webhook_secret=WEBHOOK_SECRET, webhook_port=0)
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
        if ON_POSTGRES and not self.settings.database_url:
            self.configure(database_url=str(await fresh_database(self.tmp_path)))
        self.running = await start_bot(self.settings, clock=self.clock, poll_timeout=5)
        if self.running.webhook is not None:
            self._route(self.running.webhook.local_url)

    async def stop(self) -> None:
        if self.running is not None:
            if self.running.webhook is not None:
                self._route(None)
            await stop_bot(self.running)
            self.running = None

    def _route(self, local_url: str | None) -> None:
        """This bed's place among the webhook's targets (several beds may share one URL)."""
        url = self.settings.webhook_url
        mine = {self.running.webhook.local_url} if self.running and self.running.webhook else set()
        others = [target for target in self.server.webhook_routes.get(url, []) if target not in mine]
        self.server.route_webhook(url, others + ([local_url] if local_url else []))

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def to_real_time(self) -> None:
        """Move the clock to the real time, for a test whose data a real `python -m bot` process
        takes over. That process reads the real clock: data dated days earlier would make its
        reminders and nudges fall due at once, on some days the suite runs and not others."""
        self.clock.advance(datetime.now(UTC) - self.clock.now())

    async def settle(self, update_id: int) -> None:
        """Wait until the bot has fetched the update and finished handling it – no sleeping."""
        assert self.running is not None
        await self.server.wait_consumed(update_id)
        await self.running.application.update_queue.join()
        if self.running.webhook is not None:  # answered once stored: handled after
            await self.running.webhook.arrivals.idle()

    def person(self, first_name: str, language: str | None = "en", user_id: int | None = None) -> Person:
        return Person(
            self.server, self.settle, self.server.add_user(first_name, language_code=language, user_id=user_id)
        )

    async def joined(
        self,
        first_name: str,
        language: str = "en",
        user_id: int | None = None,
        topics: tuple[str, ...] = (),
        area: str | None = None,
    ) -> Person:
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
