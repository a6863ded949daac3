"""A bare python-telegram-bot echo bot: the baseline the update benchmark compares against.

Same library, same emulator; it only echoes text and answers button presses. It uses PTB's
default HTTP client (httpx) unless ECHO_HTTP=aiohttp, which gives it the bot's own client, so
the benchmark can show how much of the difference is the client.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackContext, CallbackQueryHandler, MessageHandler, filters

from bot.http import AiohttpRequest


async def echo(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
    if update.effective_message and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


async def answer(update: Update, context: CallbackContext) -> None:  # type: ignore[type-arg]
    if update.callback_query:
        await update.callback_query.answer()


def main() -> None:
    api = os.environ["TELEGRAM_API_URL"]
    builder = (
        ApplicationBuilder().token(os.environ["BOT_TOKEN"]).base_url(f"{api}/bot").base_file_url(f"{api}/file/bot")
    )
    if os.environ.get("ECHO_HTTP") == "aiohttp":
        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest(connection_pool_size=1))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(answer))
    application.run_polling(poll_interval=0.0, timeout=30)


if __name__ == "__main__":
    main()
