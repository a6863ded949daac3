"""`python -m bot`: start the bot, or say in one line what to configure."""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram.error import InvalidToken, NetworkError

from bot.config import ConfigError, load_settings
from bot.i18n import CatalogError, available_languages, compile_catalogs
from bot.runtime import serve


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if "--playground" in argv:
        return _playground(argv)
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
        print(
            f"Cannot start: could not reach the Telegram Bot API at {settings.telegram_api_url} ({exc}).",
            file=sys.stderr,
        )
        return 2
    return 0


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
