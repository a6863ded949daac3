"""A local fake Telegram Bot API server for tests, benchmarks and the playground.

Point PTB at it with ``ApplicationBuilder().base_url(f"{server.base_url}/bot")
.base_file_url(f"{server.base_url}/file/bot")`` and act as users with ``push_message``
and ``push_callback``; read what the bot did with ``bot_messages`` and ``calls``.
"""

from emulator.limits import RateLimits
from emulator.server import Call, FakeTelegram, FakeUser

__all__ = ["Call", "FakeTelegram", "FakeUser", "RateLimits"]
