"""`python -m bot`: start the bot, or say in one line what to configure.

`python -m bot --health` is the container's health check: in webhook mode it asks the running
bot's GET /health and exits 0 only on 200; with long polling there is no server to ask.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path

from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, load_settings, read_env_file
from bot.i18n import CatalogError, available_languages, compile_catalogs
from bot.runtime import serve


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if "--playground" in argv:
        return _playground(argv)
    if "--health" in argv:
        return _health()
    try:
        compile_catalogs()
        settings = load_settings(supported_languages=available_languages())
    except ConfigError as exc:
        print(f"Cannot start: {exc} Or try it without Telegram: python -m bot --playground", file=sys.stderr)
        return 2
    except CatalogError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(settings))
    except InvalidToken:
        print("Cannot start: Telegram rejected BOT_TOKEN. Check it with @BotFather and update .env.", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"Cannot start: could not reach the Telegram Bot API at {settings.telegram_api_url} ({exc}).",
              file=sys.stderr)
        return 2
    return 0


def _health() -> int:
    """0 when the bot's /health answers 200 (or it polls, so has none); 1 otherwise, saying why."""
    values = read_env_file(Path(".env"))
    values.update(os.environ)
    if not values.get("WEBHOOK_URL", "").strip():
        print("Long polling: no health endpoint to ask.")
        return 0
    listen = values.get("WEBHOOK_LISTEN", "").strip()
    host = "127.0.0.1" if listen in ("", "0.0.0.0", "::") else listen
    url = f"http://{host}:{values.get('WEBHOOK_PORT', '').strip() or '8443'}/health"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as error:  # 503 names the failing part in its body
        print(error.read().decode())
    except OSError as error:
        print(f"{url} did not answer: {error}")
    return 1


def _playground(argv: list[str]) -> int:
    """The whole bot in a browser, on this computer, with no token."""
    from bot import playground

    port = 8080
    if "--port" in argv and argv.index("--port") + 1 < len(argv):
        port = int(argv[argv.index("--port") + 1])
    logging.getLogger().setLevel(logging.WARNING)
    compile_catalogs()
    asyncio.run(playground.run(port=port))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
