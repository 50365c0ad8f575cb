"""The fake Bot API server, driven by the real python-telegram-bot Application over loopback HTTP."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
)

from fakebotapi import FakeBotApi

TOKEN = "123456:TEST-TOKEN"

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22.2+ warns (an error here) whenever RetryAfter is built unless this opt-in is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        yield server


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("▶", callback_data="echo:1")]])
    await update.effective_message.reply_text(
        " ".join(context.args or []) or "nothing", reply_markup=keyboard, do_quote=False
    )


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"<b>pressed</b> {query.data}")


async def _admins(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat = update.effective_chat
    user = update.effective_user
    assert chat is not None and user is not None and update.effective_message is not None
    member = await context.bot.get_chat_member(chat.id, user.id)
    admins = await context.bot.get_chat_administrators(chat.id)
    await update.effective_message.reply_text(
        f"{member.status} {len(admins)}", message_thread_id=update.effective_message.message_thread_id
    )


@pytest.fixture
async def app(api: FakeBotApi) -> AsyncIterator[Application]:
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    application.add_handler(CommandHandler("echo", _echo))
    application.add_handler(CommandHandler("admins", _admins))
    application.add_handler(CallbackQueryHandler(_pressed))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


async def test_echo_command_and_button(api: FakeBotApi, app: Application) -> None:
    assert app.bot.username == "csto_test_bot"
    api.push_message(42, "/echo hi there")
    [sent] = await api.wait_for("sendMessage", timeout=10)
    assert sent.chat_id == 42
    assert sent.text == "hi there"
    assert sent.parse_mode == "HTML"
    assert sent.buttons() == [[("▶", "echo:1")]]
    message_id = sent.response["message_id"]

    api.push_callback(42, message_id, "echo:1")
    [answer] = await api.wait_for("answerCallbackQuery", timeout=10)
    assert answer.params["callback_query_id"] == "1"
    [edit] = await api.wait_for("editMessageText", timeout=10)
    assert edit.chat_id == 42 and edit.message_id == message_id
    assert edit.text == "<b>pressed</b> echo:1"
    assert edit.response["text"] == "pressed echo:1"  # what a client shows, tags parsed away


async def test_updates_are_confirmed_by_offset(api: FakeBotApi, app: Application) -> None:
    for n in range(3):
        api.push_message(7, f"/echo {n}")
    sent = await api.wait_for("sendMessage", count=3, timeout=10)
    assert sorted(c.text or "" for c in sent) == ["0", "1", "2"]
    assert [c.response["message_id"] for c in sent] == [1 + 3, 2 + 3, 3 + 3]  # per chat, after the 3 pushed
    await asyncio.sleep(0.2)
    assert len(api.calls("sendMessage")) == 3  # nothing delivered twice


async def test_group_topic_and_admins(api: FakeBotApi, app: Application) -> None:
    api.set_admins(-100200, [5], creator_id=6)
    mark = api.mark()
    api.push_message(-100200, "/admins@csto_test_bot", user_id=5, chat_type="supergroup", thread_id=77)
    [sent] = await api.wait_for("sendMessage", after=mark)
    assert sent.chat_id == -100200
    assert sent.message_thread_id == 77
    assert sent.text == "administrator 2"
    assert [c.method for c in api.calls() if c.method.startswith("getChat")] == [
        "getChatMember",
        "getChatAdministrators",
    ]


async def test_command_for_another_bot_is_ignored(api: FakeBotApi, app: Application) -> None:
    api.push_message(-5, "/echo@other_bot hi", chat_type="group")
    api.push_message(-5, "/echo mine", chat_type="group")
    [sent] = await api.wait_for("sendMessage")
    assert sent.text == "mine"


async def test_long_poll_waits_for_a_push(api: FakeBotApi) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{api.base_url}{TOKEN}/getUpdates"
        started = time.monotonic()
        async with session.post(url, data={"timeout": "0.3"}) as response:
            body = await response.json()
        assert body == {"ok": True, "result": []}
        assert time.monotonic() - started >= 0.25

        async def push_later() -> None:
            await asyncio.sleep(0.1)
            api.push_message(1, "hello")

        pusher = asyncio.create_task(push_later())
        async with session.post(url, json={"timeout": 5}) as response:
            body = await response.json()
        await pusher
        assert time.monotonic() - started < 3
        [update] = body["result"]
        assert update["message"]["text"] == "hello"
        assert "entities" not in update["message"]
        async with session.get(url, params={"offset": str(update["update_id"] + 1)}) as response:
            assert (await response.json())["result"] == []


async def test_parameters_are_decoded_from_every_encoding(api: FakeBotApi) -> None:
    markup = {"inline_keyboard": [[{"text": "x", "callback_data": "d"}]]}
    url = f"{api.base_url}{TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as session:
        await session.post(url, data={"chat_id": "5", "text": "123", "reply_markup": json.dumps(markup)})
        await session.post(url, json={"chat_id": 5, "text": "json", "reply_markup": markup})
        form = aiohttp.FormData()
        form.add_field("chat_id", "5")
        form.add_field("text", "multi")
        form.add_field("document", b"bytes", filename="a.txt")
        await session.post(url, data=form)
        async with session.post(f"{api.base_url}wrong/getMe") as response:
            assert response.status == 401
    calls = api.calls("sendMessage")
    assert [(c.chat_id, c.text) for c in calls] == [(5, "123"), (5, "json"), (5, "multi")]
    assert calls[0].reply_markup == markup and calls[1].reply_markup == markup
    assert [c.response["message_id"] for c in calls] == [1, 2, 3]


async def test_bad_html_is_rejected_like_telegram(api: FakeBotApi) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(1, "<b>open", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(1, "<script>x</script>", parse_mode=ParseMode.HTML)
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(1, "x" * 4097)
        message = await bot.send_message(1, "a &lt; b &amp; <i>c</i>", parse_mode=ParseMode.HTML)
        assert message.text == "a < b & c"
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("a &lt; b &amp; <i>c</i>", 1, message.message_id, parse_mode="HTML")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"status": 403}, Forbidden),
        ({"status": 400, "description": "Bad Request: chat not found"}, BadRequest),
        ({"status": 429, "retry_after": 3}, RetryAfter),
        ({"status": 400, "migrate_to_chat_id": -1009}, ChatMigrated),
        ({"status": 500}, NetworkError),
        ({"status": 404}, InvalidToken),
    ],
)
async def test_injected_failures_raise_ptb_errors(
    api: FakeBotApi, kwargs: dict[str, object], error: type[Exception]
) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        api.fail_next("sendMessage", **kwargs)  # type: ignore[arg-type]
        with pytest.raises(error) as caught:
            await bot.send_message(1, "hi")
        if isinstance(caught.value, RetryAfter):
            assert caught.value.retry_after.total_seconds() == 3
        if isinstance(caught.value, ChatMigrated):
            assert caught.value.new_chat_id == -1009
        await bot.send_message(1, "again")  # only the next call failed
    failed, ok = api.calls("sendMessage")
    assert not failed.ok and failed.error_code == kwargs["status"]
    assert failed.response["ok"] is False and failed.response["error_code"] == kwargs["status"]
    assert ok.ok


async def test_failure_for_one_chat_only(api: FakeBotApi) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        api.fail_next("sendMessage", 403, chat_id=2, times=2)
        await bot.send_message(1, "fine")
        for _ in range(2):
            with pytest.raises(Forbidden, match="blocked"):
                await bot.send_message(2, "blocked")
        await bot.send_message(2, "unblocked")
    assert [(c.chat_id, c.ok) for c in api.calls("sendMessage")] == [
        (1, True),
        (2, False),
        (2, False),
        (2, True),
    ]


async def test_rate_limit_answers_429(api: FakeBotApi) -> None:
    api.limit_rate(per_second=5)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        for n in range(5):
            await bot.send_message(n, "ok")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(9, "too fast")
        assert caught.value.retry_after.total_seconds() >= 1
        assert api.rate_limited == 1
        await bot.get_me()  # not a send: never limited
        api.clear_rate_limit()
        await bot.send_message(9, "fine now")


async def test_per_chat_rate_limit(api: FakeBotApi) -> None:
    api.limit_rate(per_second=30, per_chat_per_second=1)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await bot.send_message(1, "a")
        await bot.send_message(2, "b")
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "c")
    assert api.rate_limited == 1


async def test_commands_round_trip(api: FakeBotApi) -> None:
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        await bot.set_my_commands([("latest", "Latest news"), ("who", "A person")])
        commands = await bot.get_my_commands()
        assert [(c.command, c.description) for c in commands] == [
            ("latest", "Latest news"),
            ("who", "A person"),
        ]
        assert await bot.delete_webhook()
        assert await bot.close()


async def test_wait_for_times_out_with_a_clear_message(api: FakeBotApi) -> None:
    with pytest.raises(AssertionError, match="waiting for 1 x sendMessage"):
        await api.wait_for("sendMessage", timeout=0.2)


async def test_push_message_shapes(api: FakeBotApi) -> None:
    api.push_message(-100, "/echo@csto_test_bot x", chat_type="supergroup", sender_chat=-100)
    api.push_message(-100, "from a channel", chat_type="supergroup", sender_chat=-100777)
    api.push_message(3, "fwd", forward=True)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        anonymous, channel, forwarded = await bot.get_updates(timeout=0)
    assert anonymous.effective_message is not None and anonymous.effective_message.sender_chat is not None
    assert anonymous.effective_message.sender_chat.id == -100
    assert anonymous.effective_message.entities[0].length == len("/echo@csto_test_bot")
    assert channel.effective_message is not None and channel.effective_message.sender_chat is not None
    assert channel.effective_message.sender_chat.type == "channel"
    assert forwarded.effective_message is not None and forwarded.effective_message.forward_origin is not None
