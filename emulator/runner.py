"""Run the real bot (`python -m bot`) as a separate process against this emulator.

Used where a test or benchmark must kill the process for real (SIGKILL), not just stop it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from emulator.server import FakeTelegram
from storage.engines import POSTGRES_SCHEMES

ROOT = Path(__file__).resolve().parent.parent


RUNNING = " is running"  # bot.runtime logs "Bot @name is running" once it is ready


class BotProcess:
    def __init__(
        self,
        server: FakeTelegram,
        database: str | Path,
        log_path: Path,
        extra_env: dict[str, str] | None = None,
        module: str = "bot",
    ) -> None:
        self.server = server
        self.database = database
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.module = module
        self.process: asyncio.subprocess.Process | None = None

    def use_webhook(self, public_url: str, secret: str) -> str:
        """Run in webhook mode on a free local port; returns the local URL that `public_url` must be
        routed to (`server.route_webhook`), as the proxy in front of this instance would."""
        port = free_port()
        self.extra_env.update(
            {
                "WEBHOOK_URL": public_url,
                "WEBHOOK_SECRET": secret,
                "WEBHOOK_LISTEN": "127.0.0.1",
                "WEBHOOK_PORT": str(port),
            }
        )
        return f"http://127.0.0.1:{port}{urlsplit(public_url).path or '/'}"

    def _env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in {"ADMIN_IDS", "DEFAULT_LANGUAGE"}}
        env.update(
            {
                "BOT_TOKEN": self.server.token,
                "TELEGRAM_API_URL": self.server.base_url,
                "DATABASE_URL" if str(self.database).startswith(POSTGRES_SCHEMES) else "DATABASE_PATH": str(
                    self.database
                ),
                "PYTHONPATH": str(ROOT),
                **self.extra_env,
            }
        )
        return env

    async def start(self, *, ready_within: float = 60) -> None:
        """Start the process; the bot's own module is waited for until it says it is running,
        so a test that waits for the bot to go quiet can't mistake its start-up for quiet."""
        runs = self._runs()
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", self.module, cwd=str(self.log_path.parent), env=self._env(), stdout=log, stderr=log
        )
        log.close()
        if self.module != "bot":
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + ready_within
        while self._runs() == runs:
            if self.process.returncode is not None:
                raise RuntimeError(f"the bot process exited with {self.process.returncode}; see {self.log_path}")
            if loop.time() > deadline:
                raise TimeoutError(f"the bot process did not start within {ready_within} s; see {self.log_path}")
            await asyncio.sleep(0.02)

    def _runs(self) -> int:
        """How many times the log says the bot started running."""
        return self.log_path.read_text(errors="replace").count(RUNNING) if self.log_path.exists() else 0

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a crash or a power cut."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it), for a process started next."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
