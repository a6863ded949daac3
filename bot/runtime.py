"""Starting and stopping the bot. Used by `python -m bot` and by the tests alike.

The database opens before the Application is initialised because PTB loads persisted
conversations during initialisation, before any post_init hook would run.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from typing import Any

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
from domain.delivery import PLANNING_SHARE
from storage.engines import database_for

log = logging.getLogger(__name__)


@dataclass
class RunningBot:
    application: Application[Any, Any, Any, Any, Any, Any]
    services: Services


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
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=poll_timeout, drop_pending_updates=False)
        services.sender = OutboxSender(services.outbox, application.bot, services.clock,
                                       rate=settings.messages_per_second * PLANNING_SHARE,
                                       paid=settings.paid_broadcasts)
        for kind, hook in progress_hooks(application, services).items():
            services.sender.on_progress(kind, hook)
        await services.sender.start()
        if db.dialect == "postgresql":
            assert isinstance(application.bot.rate_limiter, Pacer)
            services.peers = Peers(db, application.bot.rate_limiter, services.sender)
            await services.peers.start()
        services.scheduler = Scheduler(services.jobs, services.clock, max_attempts=settings.job_max_attempts)
        for kind, job in job_handlers(application, services).items():
            services.scheduler.register(kind, job)
        await services.scheduler.start()
    except BaseException:
        await db.close()
        raise
    log.info("Bot @%s is running", application.bot.username)
    return RunningBot(application, services)


async def stop_bot(running: RunningBot) -> None:
    application = running.application
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
