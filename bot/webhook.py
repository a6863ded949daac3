"""Webhook mode: a small aiohttp server that Telegram, through the council's reverse proxy,
posts updates to, and that answers the proxy's or the container's health checks.

PTB's own webhook server needs tornado; aiohttp is already a dependency (bot/http.py). An
update is answered 200 once it is stored, and handled after (bot/arrivals.py): Telegram posts
again whatever was not answered 2xx, so nothing is lost if this process dies before that.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.ext import Application

from bot.arrivals import Arrivals
from bot.config import HEALTH_PATH
from bot.services import Services

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A database that takes longer than this to answer SELECT 1 counts as down.
_DB_TIMEOUT = 5.0


class WebhookServer:
    """Listens on listen:port for POSTs on the webhook URL's path and GET /health."""

    def __init__(self, application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
        settings = services.settings
        self.application = application
        self.services = services
        self.path = urlsplit(settings.webhook_url).path or "/"
        self._secret = settings.webhook_secret.encode()
        self._listen = settings.webhook_listen
        self._port = settings.webhook_port
        self._runner: web.AppRunner | None = None
        self.arrivals = Arrivals(application, services.inbox, services.clock, shared=services.shared)

    @property
    def port(self) -> int:
        """The port really listened on (a test may ask for port 0, any free one)."""
        assert self._runner is not None, "WebhookServer is not started"
        return int(self._runner.addresses[0][1])

    @property
    def local_url(self) -> str:
        """Where a reverse proxy on this machine forwards the public webhook URL to."""
        return f"http://{self._listen}:{self.port}{self.path}"

    async def start(self) -> None:
        """Handle what an earlier run stored and did not finish, then listen for more."""
        await self.arrivals.resume()
        app = web.Application()
        app.router.add_post(self.path, self._update)
        app.router.add_get(HEALTH_PATH, self._health)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._listen, self._port).start()
        log.info("Webhook server listening on %s:%d%s", self._listen, self.port, self.path)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.arrivals.stop()

    async def _update(self, request: web.Request) -> web.Response:
        # Checked on every request, in constant time: the URL alone is not a secret.
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        body = await request.text()
        try:
            data = json.loads(body)
            update = Update.de_json(data, self.application.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError):
            update = None
        if update is None:
            return web.Response(status=400, text="expected a JSON Update")
        try:
            await self.arrivals.receive(update, body)
        except Exception:  # not stored, so not answered 2xx: Telegram posts it again
            log.exception("Could not store update %d; Telegram will post it again", update.update_id)
            return web.Response(status=500)
        return web.Response(status=200)

    async def _health(self, request: web.Request) -> web.Response:
        """200 when the database answers and the sender and scheduler run; 503 naming what failed."""
        parts = {
            "database": await self._database_answers(),
            "sender": self.services.sender is not None and self.services.sender.alive,
            "scheduler": self.services.scheduler is not None and self.services.scheduler.alive,
        }
        healthy = all(parts.values())
        body = {
            "status": "ok" if healthy else "failing",
            **{name: "ok" if fine else "failing" for name, fine in parts.items()},
        }
        return web.Response(status=200 if healthy else 503, text=json.dumps(body), content_type="application/json")

    async def _database_answers(self) -> bool:
        try:
            answer = await asyncio.wait_for(self.services.db.fetchval("SELECT 1"), _DB_TIMEOUT)
        except Exception as exc:  # any failure of the database is what a health check reports
            log.warning("Health check: the database did not answer SELECT 1: %r", exc)
            return False
        return bool(answer == 1)
