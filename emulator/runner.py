"""Run the real bot (`python -m bot`) as a separate process against this emulator.

Used where a test or benchmark must kill the process for real (SIGKILL), not just stop it.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from emulator.server import FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


class BotProcess:
    def __init__(self, server: FakeTelegram, database_path: Path, log_path: Path,
                 extra_env: dict[str, str] | None = None, module: str = "bot") -> None:
        self.server = server
        self.database_path = database_path
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.module = module
        self.process: asyncio.subprocess.Process | None = None

    def _env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key not in {"ADMIN_IDS", "DEFAULT_LANGUAGE"}}
        env.update({
            "BOT_TOKEN": self.server.token,
            "TELEGRAM_API_URL": self.server.base_url,
            "DATABASE_PATH": str(self.database_path),
            "PYTHONPATH": str(ROOT),
            **self.extra_env,
        })
        return env

    async def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", self.module, cwd=str(self.database_path.parent), env=self._env(),
            stdout=log, stderr=log)
        log.close()

    async def kill(self) -> None:
        """SIGKILL: no shutdown code runs, exactly like a crash or a power cut."""
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()
