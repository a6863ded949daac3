"""Starting and stopping the bot. Used by `python -m bot` and by the tests alike.

The database opens before the Application is initialised because PTB loads persisted
conversations during initialisation, before any post_init hook would run. Updates arrive by
long polling (the default: one copy per token) or, with WEBHOOK_URL set, by webhook
(bot/webhook.py), which also serves /health and lets several copies share the work.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application

from bot.app import build_application, job_handlers, progress_hooks
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.i18n import load_catalogs
from bot.menu import register_default_commands
from bot.pacing import Pacer
from bot.peers import Peers
from bot.scheduler import Scheduler
from bot.sender import OutboxSender
from bot.services import Services
from bot.webhook import WebhookServer
from domain.delivery import PLANNING_SHARE
from storage.engines import database_for

log = logging.getLogger(__name__)

# Telegram's default update kinds, named: Telegram keeps the last allowed_updates it was given
# across getUpdates and setWebhook, so polling and the webhook both say which they want.
ALLOWED_UPDATES = [
    kind
    for kind in Update.ALL_TYPES
    if kind not in {Update.CHAT_MEMBER, Update.MESSAGE_REACTION, Update.MESSAGE_REACTION_COUNT}
]
ANOTHER_POLLER = (
    "Another copy of this bot is polling Telegram with the same token. Long polling allows only "
    "one; stop the other copy, or run every copy with WEBHOOK_URL set instead (on one PostgreSQL "
    "database, DATABASE_URL)."
)
WEBHOOK_ACTIVE = (
    "Telegram has a webhook set for this token, so polling gets nothing: another copy runs with "
    "WEBHOOK_URL set. Set WEBHOOK_URL here too, or stop that copy."
)


@dataclass
class RunningBot:
    application: Application[Any, Any, Any, Any, Any, Any]
    services: Services
    webhook: WebhookServer | None = None


async def start_bot(settings: Settings, *, clock: Clock | None = None, poll_timeout: int = 30) -> RunningBot:
    load_catalogs()
    db = database_for(settings.database)
    await db.open()
    services = Services(settings=settings, db=db, clock=clock or SystemClock())
    application = build_application(services)
    try:
        await application.initialize()
        await register_default_commands(application.bot)
        await application.start()
        webhook = await _receive_updates(application, services, poll_timeout)
        pacer = application.bot.rate_limiter
        assert isinstance(pacer, Pacer)
        services.sender = OutboxSender(
            services.outbox,
            application.bot,
            services.clock,
            rate=settings.messages_per_second * PLANNING_SHARE,
            paid=settings.paid_broadcasts,
            chat_busy_for=pacer.chat_busy_for,
        )
        for kind, hook in progress_hooks(application, services).items():
            services.sender.on_progress(kind, hook)
        if db.dialect == "postgresql":  # other instances may share the database: take this one's share first
            services.peers = Peers(db, pacer, services.sender, webhook.arrivals if webhook else None)
            await services.peers.start()
        await services.sender.start()
        services.scheduler = Scheduler(services.jobs, services.clock, max_attempts=settings.job_max_attempts)
        for kind, job in job_handlers(application, services).items():
            services.scheduler.register(kind, job)
        await services.scheduler.start()
    except BaseException:
        await db.close()
        raise
    log.info(
        "Bot @%s is running (%s)",
        application.bot.username,
        f"webhook {settings.webhook_url}" if webhook else "long polling",
    )
    return RunningBot(application, services, webhook)


async def _receive_updates(
    application: Application[Any, Any, Any, Any, Any, Any], services: Services, poll_timeout: int
) -> WebhookServer | None:
    """Listen first, then tell Telegram where to post; or poll when no WEBHOOK_URL is set."""
    settings = services.settings
    if not settings.webhook_url:
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0,
            timeout=poll_timeout,
            drop_pending_updates=False,
            allowed_updates=ALLOWED_UPDATES,
            error_callback=_polling_errors(),
        )
        return None
    webhook = WebhookServer(application, services)
    await webhook.start()
    try:
        await application.bot.set_webhook(
            settings.webhook_url,
            secret_token=settings.webhook_secret,
            allowed_updates=ALLOWED_UPDATES,
            max_connections=WEBHOOK_CONNECTIONS,
        )
    except BaseException:
        await webhook.stop()
        raise
    return webhook


# Each update is answered once stored (bot/arrivals.py), so connections are seldom all in use;
# 100, the most Telegram allows, rather than its default 40, keeps a crowd's posts flowing.
WEBHOOK_CONNECTIONS = 100


def _polling_errors() -> Callable[[TelegramError], None]:
    """PTB logs a traceback for every failed poll. While another copy polls with the same token,
    every poll fails with 409 Conflict, so say once what is going on and what to do instead."""
    told: set[str] = set()

    def report(exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            line = ANOTHER_POLLER if "getUpdates request" in exc.message else WEBHOOK_ACTIVE
            if line not in told:
                told.add(line)
                log.error(line)
            return
        log.error("Polling Telegram for updates failed; trying again", exc_info=exc)

    return report


async def stop_bot(running: RunningBot) -> None:
    application = running.application
    if running.webhook is not None:
        await running.webhook.stop()
    if running.services.scheduler is not None:
        await running.services.scheduler.stop()
    if running.services.peers is not None:
        await running.services.peers.stop()
    if running.services.sender is not None:
        await running.services.sender.stop()
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    await running.services.db.close()


async def serve(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM, then shut down cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    running = await start_bot(settings)
    try:
        await stop.wait()
    finally:
        await stop_bot(running)
