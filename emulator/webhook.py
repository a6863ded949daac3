"""Delivering updates by webhook, as Telegram does once setWebhook was given a URL.

Telegram only posts to https. Tests say where a public URL really lands with
`FakeTelegram.route_webhook(public_url, [local_url, ...])`, as a TLS-terminating reverse proxy
in front of one or more bot instances would. Each update goes to the next target in turn
(whichever instance receives it handles it); a target that refuses or is down makes the update
go to the next one, and when every target failed it is tried again after a short backoff, so
nothing is lost. Telegram's order per chat holds: a chat's next update is only posted once the
previous one was answered with 2xx; different chats go in parallel up to max_connections.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from emulator.server import FakeTelegram

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Real Telegram waits far longer between attempts; tests should not.
RETRY_FIRST = 0.05
RETRY_MOST = 1.0
_POST_TIMEOUT = aiohttp.ClientTimeout(total=30)
_UNROUTED = "Failed to resolve host: Name or service not known"


@dataclass(frozen=True)
class WebhookSettings:
    """What setWebhook was told."""

    url: str
    secret_token: str | None = None
    max_connections: int = 40


class WebhookDelivery:
    """Posts the server's pending updates to the webhook until each is answered with 2xx."""

    def __init__(self, server: FakeTelegram, settings: WebhookSettings, targets: Callable[[str], list[str]]) -> None:
        self.server = server
        self.settings = settings
        self._targets = targets
        self.last_error: tuple[int, str] | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._turn = 0
        self.delivered: Counter[str] = Counter()  # updates each target answered 2xx
        self._wake = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=_POST_TIMEOUT, connector=aiohttp.TCPConnector(limit=self.settings.max_connections)
        )
        self._loop = asyncio.create_task(self._run(), name="emulator-webhook")

    async def stop(self) -> None:
        """Stop posting; updates not yet answered stay pending (for getUpdates or a new webhook)."""
        tasks = [task for task in (self._loop, *self._in_flight.values()) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._in_flight.clear()
        if self._session is not None:
            await self._session.close()

    def wake(self) -> None:
        """An update arrived or a delivery finished: look for what can be posted now."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            self._launch_ready()
            await self._wake.wait()

    def _launch_ready(self) -> None:
        """Start posting every pending update whose chat has nothing earlier still unanswered."""
        busy: set[int] = set()
        for update_id, kind, payload in self.server._wanted_pending():
            chat = order_key(payload)
            if update_id in self._in_flight or (chat is not None and chat in busy):
                if chat is not None:
                    busy.add(chat)
                continue
            if len(self._in_flight) >= self.settings.max_connections:
                return
            body = json.dumps({"update_id": update_id, kind: payload}, ensure_ascii=False)
            self._in_flight[update_id] = asyncio.create_task(self._deliver(update_id, body))
            if chat is not None:
                busy.add(chat)

    async def _deliver(self, update_id: int, body: str) -> None:
        attempt = 0
        while not await self._post_once_round(body):
            await asyncio.sleep(min(RETRY_FIRST * 2**attempt, RETRY_MOST))
            attempt += 1
        del self._in_flight[update_id]
        self.server._webhook_answered(update_id)
        self.wake()

    async def _post_once_round(self, body: str) -> bool:
        """Offer the update to each target at most once, starting with the next in turn."""
        targets = self._targets(self.settings.url)
        if not targets:
            self.last_error = (int(time.time()), _UNROUTED)
            return False
        for _ in targets:
            target = targets[self._turn % len(targets)]
            self._turn += 1
            error = await self._post(target, body)
            if error is None:
                self.delivered[target] += 1
                return True
            self.last_error = (int(time.time()), error)
        return False

    async def _post(self, target: str, body: str) -> str | None:
        """None when the target answered 2xx, else Telegram's wording for what went wrong."""
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if self.settings.secret_token:
            headers[SECRET_HEADER] = self.settings.secret_token
        try:
            async with self._session.post(target, data=body.encode(), headers=headers) as response:
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except aiohttp.ClientConnectorError:
            return "Connection refused"
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientError as exc:
            return f"Connection error: {exc}"


def order_key(payload: dict[str, Any]) -> int | None:
    """The chat whose order an update belongs to (None: no order to keep)."""
    chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
    if isinstance(chat, dict) and isinstance(chat.get("id"), int):
        return int(chat["id"])
    sender = payload.get("from") or payload.get("user")
    if isinstance(sender, dict) and isinstance(sender.get("id"), int):
        return int(sender["id"])
    return None
