"""The fake Telegram server, driven by a real PTB Bot over HTTP (and raw requests where PTB
would refuse to send something malformed). Nothing here sleeps for more than a moment."""

from __future__ import annotations

import asyncio
import json
import struct
import time
import zlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
import telegram
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, EndPointNotFound, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes

from emulator import FakeTelegram, RateLimits
from emulator.html import EntityParseError, parse_html
from emulator.limits import RateLimiter
from emulator.markdown import parse_markdown_v2


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


@pytest_asyncio.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    client = telegram.Bot(fake.token, base_url=f"{fake.base_url}/bot", base_file_url=f"{fake.base_url}/file/bot")
    async with client:
        yield client


async def raw(
    fake: FakeTelegram, method: str, *, token: str | None = None, json_body: Any = None, **form: Any
) -> tuple[int, dict[str, Any]]:
    """A request PTB would never send; form values are sent exactly as given."""
    url = f"{fake.base_url}/bot{token or fake.token}/{method}"
    async with aiohttp.ClientSession() as session:
        kwargs = {"json": json_body} if json_body is not None else {"data": {k: str(v) for k, v in form.items()}}
        async with session.post(url, **kwargs) as response:
            return response.status, await response.json()


def png(width: int, height: int) -> bytes:
    """A real, tiny, valid PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def spec_required(fake: FakeTelegram) -> None:
    if fake.spec is None:
        pytest.skip("shared/telegram-bot-api/api.json is not present")


# --- basics -----------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_get_me(fake: FakeTelegram, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.id == fake.bot_id == 123456
    assert me.username == "coproduction_test_bot" and me.is_bot
    assert fake.calls[-1].method == "getMe" and fake.calls[-1].status == 200


@pytest.mark.asyncio
async def test_unknown_method_is_404(fake: FakeTelegram, bot: telegram.Bot) -> None:
    status, body = await raw(fake, "sendTelepathy", chat_id=1)
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("sendTelepathy", api_kwargs={"chat_id": 1})


@pytest.mark.asyncio
async def test_wrong_token_is_401(fake: FakeTelegram) -> None:
    status, body = await raw(fake, "getMe", token="999:WRONG")
    assert status == 401 and body["description"] == "Unauthorized"


@pytest.mark.asyncio
async def test_method_in_spec_but_not_emulated_is_501(fake: FakeTelegram) -> None:
    spec_required(fake)
    status, body = await raw(fake, "sendDice", chat_id=fake.add_user("Ann").id)
    assert status == 501 and body["description"] == "Not Implemented in emulator: sendDice"


@pytest.mark.asyncio
async def test_unknown_parameter_rejected_by_spec(fake: FakeTelegram) -> None:
    spec_required(fake)
    user = fake.add_user("Ann")
    status, body = await raw(fake, "sendMessage", chat_id=user.id, text="hi", colour="red")
    assert status == 400 and "colour" in body["description"]
    assert fake.rejected[-1][0] == "sendMessage"
    assert fake.bot_messages(user.id) == []


@pytest.mark.asyncio
async def test_missing_required_parameter_rejected_by_spec(fake: FakeTelegram) -> None:
    spec_required(fake)
    status, body = await raw(fake, "sendMessage", text="hi")
    assert status == 400 and body["description"] == "Bad Request: chat_id is empty"


@pytest.mark.asyncio
async def test_values_decoded_by_type_and_json_bodies_accepted(fake: FakeTelegram) -> None:
    user = fake.add_user("Ann")
    status, body = await raw(fake, "sendMessage", chat_id=str(user.id), text="123")
    assert status == 200 and body["result"]["text"] == "123"  # String field stays a string
    status, body = await raw(
        fake, "sendMessage", json_body={"chat_id": user.id, "text": "true", "reply_markup": {"inline_keyboard": []}}
    )
    assert status == 200 and body["result"]["text"] == "true"
    assert fake.rejected == []


# --- sending and formatting ----------------------------------------------------------------------
@pytest.mark.asyncio
async def test_send_html_message(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    message = await bot.send_message(
        user.id, "<b>Hi</b> &amp; <a href='https://x.org'>link</a>", parse_mode="HTML", reply_markup=keyboard
    )
    assert message.text == "Hi & link"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bold", 0, 2), ("text_link", 5, 4)]
    stored = fake.bot_messages(user.id)[-1]
    assert stored["text"] == "Hi & link" and stored["message_id"] == message.message_id
    assert stored["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "yes"
    assert fake.rejected == []


@pytest.mark.asyncio
async def test_invalid_html_tag_rejected(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    with pytest.raises(BadRequest, match='(?i)unsupported start tag "x" at byte offset 3'):
        await bot.send_message(user.id, "ab <x>y</x>", parse_mode="HTML")
    assert fake.rejected[-1][2] == 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 3'
    assert fake.bot_messages(user.id) == []


@pytest.mark.asyncio
async def test_unescaped_less_than_rejected(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(user.id, "price < 100", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.send_message(user.id, "Fish & Chips", parse_mode="HTML")
    assert (await bot.send_message(user.id, "price &lt; 100", parse_mode="HTML")).text == "price < 100"


def test_html_parser_details() -> None:
    text, entities = parse_html(
        '😀 <b>x<i>y</i></b> <pre><code class="language-py">a&lt;b</code></pre>'
        "<blockquote expandable>q</blockquote><tg-spoiler>s</tg-spoiler>&#65;&#x42;"
    )
    assert text == "😀 xy a<bqsAB"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 2},
        {"type": "italic", "offset": 4, "length": 1},
        {"type": "pre", "offset": 6, "length": 3, "language": "py"},
        {"type": "expandable_blockquote", "offset": 9, "length": 1},
        {"type": "spoiler", "offset": 10, "length": 1},
    ]
    bad = {
        "<b>x": 'Can\'t find end tag corresponding to start tag "b"',
        "<b>x</i>": 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
        "x</b>": "Unexpected end tag at byte offset 1",
        "<span>x</span>": 'Tag "span" must have class "tg-spoiler" at byte offset 0',
        "a &nbsp; b": 'Unsupported HTML entity or unescaped "&" ("&nbsp;") at byte offset 2',
        "é<br>": 'Unsupported start tag "br" at byte offset 2',
        "x <b": "Unclosed start tag at byte offset 2",
    }
    for source, message in bad.items():
        with pytest.raises(EntityParseError) as caught:
            parse_html(source)
        assert str(caught.value) == message, source


def test_markdown_v2_reserved_characters() -> None:
    assert parse_markdown_v2("*Hi* there\\.") == ("Hi there.", [{"type": "bold", "offset": 0, "length": 2}])
    with pytest.raises(EntityParseError, match="(?i)Character '.' is reserved"):
        parse_markdown_v2("Hi there.")


@pytest.mark.asyncio
async def test_text_limit_counts_after_parsing_in_utf16(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    message = await bot.send_message(user.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    assert len(message.text) == 4096
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(user.id, "a" * 4097)
    await bot.send_message(user.id, "😀" * 2048)  # 4096 UTF-16 code units
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(user.id, "😀" * 2049)
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode="HTML")


@pytest.mark.asyncio
async def test_callback_data_over_64_bytes_rejected(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="x" * 64)]])
    await bot.send_message(user.id, "fits", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "too long", reply_markup=too_long)
    with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):  # 33 two-byte characters = 66 bytes
        await bot.send_message(
            user.id, "bytes", reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("no", callback_data="ł" * 33)]])
        )
    assert len(fake.bot_messages(user.id)) == 1


@pytest.mark.asyncio
async def test_inline_button_needs_exactly_one_action(fake: FakeTelegram) -> None:
    user = fake.add_user("Ann")
    for button in ({"text": "none"}, {"text": "two", "callback_data": "a", "url": "https://x.org"}):
        status, body = await raw(
            fake, "sendMessage", chat_id=user.id, text="t", reply_markup=json.dumps({"inline_keyboard": [[button]]})
        )
        assert status == 400 and "inline keyboard button" in body["description"]


@pytest.mark.asyncio
async def test_blocked_user_and_unknown_chat(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    fake.block(user.id)
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_message(user.id, "hello?")
    fake.unblock(user.id)
    await bot.send_message(user.id, "hello again")
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(424242, "anyone?")


# --- limits and faults ------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_global_rate_limit_gives_429_with_retry_after(fake: FakeTelegram, bot: telegram.Bot) -> None:
    fake.limits = RateLimits(global_per_second=5)
    users = [fake.add_user(f"U{i}") for i in range(6)]
    for user in users[:5]:
        await bot.send_message(user.id, "hi")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(users[5].id, "hi")
    assert (
        int(
            caught.value.retry_after
            if isinstance(caught.value.retry_after, int)
            else caught.value.retry_after.total_seconds()
        )
        >= 1
    )
    assert fake.calls[-1].status == 429
    assert fake.calls[-1].result_or_error["parameters"]["retry_after"] >= 1
    assert fake.rejected[-1][2].startswith("Too Many Requests: retry after ")
    await bot.send_chat_action(users[5].id, "typing")  # not a message: not limited
    fake.limits = RateLimits.unlimited()
    await bot.send_message(users[5].id, "now it fits")


def test_rate_limiter_windows_without_sleeping() -> None:
    limiter = RateLimiter(
        RateLimits(global_per_second=None, per_chat_per_second=1, per_chat_burst=2, group_per_minute=3)
    )
    assert limiter.acquire(1, is_group=False, now=0.0) is None
    assert limiter.acquire(1, is_group=False, now=0.5) is None
    assert limiter.acquire(1, is_group=False, now=1.0) == 1  # 2 per 2 s
    assert limiter.acquire(2, is_group=False, now=1.0) is None  # other chats unaffected
    assert limiter.acquire(1, is_group=False, now=2.01) is None
    assert limiter.acquire(1, is_group=False, edit=True, now=2.5) is None
    assert limiter.acquire(1, is_group=False, edit=True, now=3.0) == 2  # edits share the chat's limit
    group = RateLimiter(RateLimits(global_per_second=None, group_per_minute=3))
    for second in (0, 1, 2):
        assert group.acquire(-5, is_group=True, now=float(second)) is None
    assert group.acquire(-5, is_group=True, now=3.0) == 57
    assert group.acquire(-5, is_group=True, now=60.5) is None


def test_edits_have_their_own_overall_pace() -> None:
    free = RateLimiter(RateLimits(global_per_second=1))
    assert free.acquire(1, is_group=False, now=0.0) is None
    assert [free.acquire(n, is_group=False, edit=True, now=0.1) for n in range(2, 6)] == [None] * 4
    assert free.acquire(6, is_group=False, now=0.2) == 1  # the edits took none of the new messages' budget
    capped = RateLimiter(RateLimits(global_per_second=1, edits_per_second=2))
    assert capped.acquire(1, is_group=False, edit=True, now=0.0) is None
    assert capped.acquire(2, is_group=False, edit=True, now=0.1) is None
    assert capped.acquire(3, is_group=False, edit=True, now=0.2) == 1
    assert capped.acquire(3, is_group=False, now=0.2) is None


@pytest.mark.asyncio
async def test_fail_next_injects_faults(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    fake.fail_next("sendMessage", 500)
    with pytest.raises(NetworkError):
        await bot.send_message(user.id, "first")
    await bot.send_message(user.id, "second")
    fake.fail_next("sendMessage", 429, count=2, retry_after=7)
    for _ in range(2):
        with pytest.raises(RetryAfter):
            await bot.send_message(user.id, "flood")
    assert fake.calls[-1].result_or_error["parameters"]["retry_after"] == 7
    fake.fail_next(None, 502)
    with pytest.raises(NetworkError, match="(?i)Bad Gateway"):
        await bot.get_me()
    await bot.get_me()
    assert [m["text"] for m in fake.bot_messages(user.id)] == ["second"]
    assert fake.rejected == []  # injected faults are not the bot's mistakes


# --- editing and callbacks --------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_edit_message_text_rules(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(user.id, "<b>Step 1</b>", parse_mode="HTML", reply_markup=keyboard)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("<b>Step 1</b>", user.id, sent.message_id, parse_mode="HTML", reply_markup=keyboard)
    edited = await bot.edit_message_text("Step 2", user.id, sent.message_id)
    assert edited.text == "Step 2" and edited.reply_markup is None  # an edit without markup drops it
    stored = fake.bot_messages(user.id)[-1]
    assert stored["text"] == "Step 2" and "reply_markup" not in stored and "entities" not in stored
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", user.id, 999)
    await bot.delete_message(user.id, sent.message_id)
    assert fake.chat_messages(user.id) == []


@pytest.mark.asyncio
async def test_callback_queries(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(user.id, "Pick", reply_markup=keyboard)
    update_id, query_id = fake.push_callback(user.id, sent.message_id, "a")
    [update] = await bot.get_updates(timeout=0)
    assert update.update_id == update_id and update.callback_query.data == "a"
    assert update.callback_query.message.reply_markup == keyboard
    with pytest.raises(BadRequest, match="(?i)MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(query_id, text="x" * 201)
    await bot.answer_callback_query(query_id, text="Done")
    assert fake.callback_answers[query_id]["text"] == "Done"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(query_id)


# --- files --------------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_document_upload_and_download(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    data = b"%PDF-1.4 fake but honest bytes" * 100
    message = await bot.send_document(user.id, data, filename="plan.pdf", caption="<i>Plan</i>", parse_mode="HTML")
    assert message.document.file_name == "plan.pdf" and message.document.file_size == len(data)
    assert message.caption == "Plan"
    assert fake.file_bytes(message.document.file_id) == data
    file = await bot.get_file(message.document.file_id)
    assert file.file_path and file.file_path.startswith(f"{fake.base_url}/file/bot{fake.token}/documents/")
    assert bytes(await file.download_as_bytearray()) == data
    again = await bot.send_document(user.id, message.document.file_id)  # re-send by file_id
    assert again.document.file_unique_id == message.document.file_unique_id
    with pytest.raises(BadRequest, match="(?i)HTTP URL"):
        await bot.send_document(user.id, "https://example.org/x.pdf")


@pytest.mark.asyncio
async def test_photos_report_honest_sizes(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    image = png(30, 20)
    message = await bot.send_photo(user.id, image)
    assert (message.photo[-1].width, message.photo[-1].height) == (30, 20)
    assert message.photo[-1].file_size == len(image)
    with pytest.raises(BadRequest, match="(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(user.id, b"not an image at all")
    update_id = fake.push_message(user.id, photo=png(8, 4), caption="mine")
    [update] = await bot.get_updates(timeout=0)
    assert update.update_id == update_id and update.message.caption == "mine"
    size = update.message.photo[-1]
    assert (size.width, size.height) == (8, 4)
    assert bytes(await (await bot.get_file(size.file_id)).download_as_bytearray()) == png(8, 4)


# --- updates ---------------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_long_poll_returns_promptly_and_wait_consumed(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()
    update_id = fake.push_message(user.id, "/start@coproduction_test_bot now")
    [update] = await asyncio.wait_for(poll, 2)
    assert time.monotonic() - started < 1.5
    assert update.message.text.startswith("/start") and update.message.from_user.id == user.id
    assert update.message.entities[0].type == "bot_command" and update.message.entities[0].length == 28
    with pytest.raises(TimeoutError):
        await fake.wait_consumed(update_id, timeout=0.05)  # delivered, but not yet confirmed
    waiter = asyncio.create_task(fake.wait_consumed(update_id, timeout=2))
    assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()
    await waiter
    # message ids are per chat and shared between the person and the bot
    reply = await bot.send_message(user.id, "hi")
    assert reply.message_id == update.message.message_id + 1
    assert [m["message_id"] for m in fake.chat_messages(user.id)] == [1, 2]


@pytest.mark.asyncio
async def test_allowed_updates_and_raw_updates(fake: FakeTelegram, bot: telegram.Bot) -> None:
    user = fake.add_user("Ann")
    member = {
        "chat": {"id": user.id, "type": "private", "first_name": "Ann"},
        "from": user.as_user(),
        "date": int(time.time()),
        "old_chat_member": {"status": "member", "user": fake.bot_user},
        "new_chat_member": {"status": "kicked", "user": fake.bot_user, "until_date": 0},
    }
    blocked_id = fake.push_update({"my_chat_member": member})
    skipped_id = fake.push_update({"chat_member": member})  # not sent unless asked for
    text_id = fake.push_message(user.id, "hello")
    updates = await bot.get_updates(timeout=0)
    assert [u.update_id for u in updates] == [blocked_id, text_id]
    assert updates[0].my_chat_member.new_chat_member.status == "kicked"
    await fake.wait_consumed(skipped_id, timeout=0.1)
    only_callbacks = await bot.get_updates(offset=text_id + 1, timeout=0, allowed_updates=["callback_query"])
    assert only_callbacks == ()


@pytest.mark.asyncio
async def test_application_polls_and_replies(fake: FakeTelegram) -> None:
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(f"Hello, <b>{update.effective_user.first_name}</b>!")

    application: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(fake.token)
        .base_url(f"{fake.base_url}/bot")
        .base_file_url(f"{fake.base_url}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    user = fake.add_user("Ann")
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=5)
    try:
        await fake.wait_consumed(fake.push_message(user.id, "/start"), timeout=5)
        await application.update_queue.join()
        for _ in range(100):  # the handler runs as a task after the queue hands it over
            if fake.bot_messages(user.id):
                break
            await asyncio.sleep(0.01)
        assert fake.bot_messages(user.id)[-1]["text"] == "Hello, Ann!"
    finally:
        stopping = time.monotonic()
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        assert time.monotonic() - stopping < 2
    assert fake.rejected == []


@pytest.mark.asyncio
async def test_commands_language_fallback(fake: FakeTelegram, bot: telegram.Bot) -> None:
    english = [telegram.BotCommand("start", "Start"), telegram.BotCommand("help", "Help")]
    polish = [telegram.BotCommand("start", "Zacznij")]
    await bot.set_my_commands(english)
    await bot.set_my_commands(polish, language_code="pl")
    private = telegram.BotCommandScopeAllPrivateChats()
    await bot.set_my_commands([telegram.BotCommand("menu", "Menu")], scope=private)
    assert await bot.get_my_commands(language_code="pl") == tuple(polish)
    assert await bot.get_my_commands(language_code="de") == tuple(english)
    assert [c.command for c in await bot.get_my_commands(scope=private, language_code="pl")] == ["menu"]
    assert fake.commands[('{"type":"default"}', "pl")] == [{"command": "start", "description": "Zacznij"}]
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([telegram.BotCommand("Start-Now", "x")])
    with pytest.raises(BadRequest, match="(?i)BOT_COMMANDS_TOO_MUCH"):
        await bot.set_my_commands([telegram.BotCommand(f"c{i}", "x") for i in range(101)])
    await bot.delete_my_commands(language_code="pl")
    assert await bot.get_my_commands(language_code="pl") == tuple(english)


# --- webhook delivery -------------------------------------------------------------------------------------
class Instance:
    """A stand-in bot instance behind the proxy: records what was posted and answers `status`;
    with `hold` cleared, it keeps each request open until the test sets it."""

    def __init__(self) -> None:
        self.got: list[dict[str, Any]] = []
        self.secrets: list[str | None] = []
        self.status = 200
        self.hold = asyncio.Event()
        self.hold.set()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> Instance:
        app = web.Application()
        app.router.add_post("/tg", self._post)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/tg"
        return self

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def _post(self, request: web.Request) -> web.Response:
        self.got.append(await request.json())
        self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        await self.hold.wait()
        return web.Response(status=self.status)

    def update_ids(self) -> list[int]:
        return [update["update_id"] for update in self.got]


HOOK = "https://bot.example.gov.uk/tg"


@pytest_asyncio.fixture
async def instances() -> AsyncIterator[list[Instance]]:
    started = [await Instance().start(), await Instance().start()]
    yield started
    for instance in started:
        await instance.stop()


@pytest.mark.asyncio
async def test_webhook_posts_in_turn_with_the_secret_and_fails_over(
    fake: FakeTelegram, bot: telegram.Bot, instances: list[Instance]
) -> None:
    first, second = instances
    fake.route_webhook(HOOK, [first.url, second.url])
    assert await bot.set_webhook(HOOK, secret_token="s3cret_-X")
    people = [fake.add_user(f"P{n}") for n in range(4)]
    ids = [fake.push_message(person.id, "hi") for person in people]
    for update_id in ids:
        await fake.wait_consumed(update_id, timeout=5)
    assert sorted(first.update_ids() + second.update_ids()) == ids
    assert len(first.got) == len(second.got) == 2, "whichever instance's turn it is receives it"
    assert set(first.secrets + second.secrets) == {"s3cret_-X"}
    with pytest.raises(telegram.error.Conflict):
        await bot.get_updates(timeout=0)

    second.status = 500  # refuses: the update goes to the other instance, not lost
    refused = [fake.push_message(person.id, "again") for person in people]
    for update_id in refused:
        await fake.wait_consumed(update_id, timeout=5)
    assert set(refused) <= set(first.update_ids())
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0 and info.max_connections == 40
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"

    await first.stop()  # down: its turn passes to the other instance, which answers again
    second.status = 200
    second_before = len(second.got)
    late = fake.push_message(people[0].id, "still there?")
    await fake.wait_consumed(late, timeout=5)
    assert second.update_ids()[second_before:].count(late) == 1


@pytest.mark.asyncio
async def test_webhook_keeps_each_chats_order_and_runs_chats_in_parallel(
    fake: FakeTelegram, bot: telegram.Bot, instances: list[Instance]
) -> None:
    first, second = instances
    fake.route_webhook(HOOK, [first.url, second.url])
    await bot.set_webhook(HOOK, max_connections=2)
    ann, ben, cat = fake.add_user("Ann"), fake.add_user("Ben"), fake.add_user("Cat")
    first.hold.clear()
    second.hold.clear()
    ann1, ann2 = fake.push_message(ann.id, "1"), fake.push_message(ann.id, "2")
    ben1, cat1 = fake.push_message(ben.id, "1"), fake.push_message(cat.id, "1")
    for _ in range(200):
        if len(first.got) + len(second.got) >= 2:
            break
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # room for a wrong third request to show itself
    # Ann's second waits for her first; two connections at most: Ann's and Ben's first go out.
    assert sorted(first.update_ids() + second.update_ids()) == [ann1, ben1]
    assert (await bot.get_webhook_info()).pending_update_count == 4
    first.hold.set()
    second.hold.set()
    for update_id in (ann1, ann2, ben1, cat1):
        await fake.wait_consumed(update_id, timeout=5)
    posted = first.update_ids() + second.update_ids()
    assert sorted(posted) == [ann1, ann2, ben1, cat1]


@pytest.mark.asyncio
async def test_webhook_without_a_route_keeps_updates_until_it_has_one(
    fake: FakeTelegram, bot: telegram.Bot, instances: list[Instance]
) -> None:
    await bot.set_webhook(HOOK)
    update_id = fake.push_message(fake.add_user("Ann").id, "hello")
    with pytest.raises(TimeoutError):
        await fake.wait_consumed(update_id, timeout=0.2)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1 and info.last_error_message.startswith("Failed to resolve host")
    fake.route_webhook(HOOK, [instances[0].url])
    await fake.wait_consumed(update_id, timeout=5)
    assert instances[0].update_ids() == [update_id]
    assert await bot.delete_webhook()
    polled_id = fake.push_message(fake.add_user("Ben").id, "by getUpdates again")
    assert [update.update_id for update in await bot.get_updates(timeout=0)] == [polled_id]


@pytest.mark.asyncio
async def test_set_webhook_is_checked_like_telegram(fake: FakeTelegram) -> None:
    status, body = await raw(fake, "setWebhook", url="http://bot.example.gov.uk/tg")
    assert status == 400 and "HTTPS URL must be provided" in body["description"]
    status, body = await raw(fake, "setWebhook", url=HOOK, secret_token="not allowed!")
    assert status == 400 and body["description"] == "Bad Request: secret token contains unallowed characters"
    status, body = await raw(fake, "setWebhook", url=HOOK, secret_token="x" * 257)
    assert status == 400 and body["description"] == "Bad Request: secret token is too long"
    status, body = await raw(fake, "setWebhook", url=HOOK, secret="typo")
    assert status == 400 and 'unknown parameter "secret"' in body["description"]
    assert fake.webhook_url == ""
    status, body = await raw(fake, "setWebhook", url=HOOK, max_connections=500, allowed_updates=json.dumps(["message"]))
    assert status == 200 and body["result"] is True
    status, body = await raw(fake, "getWebhookInfo")
    assert body["result"]["max_connections"] == 100 and body["result"]["allowed_updates"] == ["message"]
