"""The real bot against the fake Bot API on 127.0.0.1: the shared test rig.

End to end (the bot polls the fake server over HTTP, as it polls Telegram):

    async with running_bot(tmp_path) as bot:
        reply = await bot.send("/search mercenary")        # a private message; waits for the answer
        assert reply.parse_mode == "HTML" and "/doc" in reply.text
        answer, edited = await bot.press(reply, "▶")       # a button press; waits for the edit
        await bot.expect_silence("/latest@other_bot", chat_id=-100, chat_type="group")

One update at a time, in-process (``polling=False``: no Updater; replies still go over HTTP to the fake):

    async with running_bot(tmp_path, polling=False) as bot:
        [reply] = await bot.handle("/who tasmagambetow")   # every Bot API call made for this update
        calls = await bot.handle_press(reply, "▶")
        calls = await bot.process({"edited_message": {...}})  # any raw update
        with bot.unthrottled(): ...                           # hundreds of replies, no 30/s limiter

ERROR records anywhere (the error handler's, PTB's): ``with LoggedErrors.installed() as errors: ...``.

Alerts, with a corpus folder of its own that the test changes (``running_app`` yields the Application):

    async with FakeBotApi(token=TOKEN) as api, running_app(settings_for(tmp_path, api)) as app:
        await subscribe(api, 42)
        drop_page(corpus, "003_new.txt", seed_bytes("003"))
        alerts = await wait_alerts(api, count=1)

What runs is what `csto-bot run` runs: settings from bot.config.load_settings with TELEGRAM_BASE_URL
pointed at the fake, bot.app.build_application, started and stopped by bot.lifecycle.serving (the
steps of `run_polling` in its order, without its blocking loop). For one bot per test module:

    @pytest_asyncio.fixture(loop_scope="module", scope="module")
    async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
        async with running_bot(tmp_path_factory.mktemp("bot")) as rig:
            yield rig

and mark the tests ``@pytest.mark.asyncio(loop_scope="module")``. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import logging
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Update

from bot.config import Settings, load_settings
from bot.context import BotApplication
from bot.corpus_sync import CorpusSync
from bot.delivery import Delivery
from bot.lifecycle import serving
from bot.store import Store
from fakebotapi import Call, FakeBotApi

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TOKEN = "424242:RIG-SECRET-never-in-a-log"
BOT_USERNAME = "csto_test_bot"
PRIVATE_CHAT = 42
WAIT = 10.0  # seconds any single wait may take before the test fails
START_UP_WAIT = 30.0  # the start-up load of the seed corpus, on a busy machine
ALERT_HEADER = "<b>New in the corpus</b>"

# Seed pages 000 and 003 share four teasers and differ in their article (001 and 004 likewise), so
# dropping 003 next to 000 makes exactly one new item: a repeated teaser is not news.
MASADIKOV = "Taalatbek Masadikov"  # 003's article
GROUP = -100123  # a supergroup: admin 5, member 6
ADMIN, MEMBER = 5, 6


@dataclass
class BotRig:
    """A running bot and the fake Telegram it talks to."""

    api: FakeBotApi
    app: BotApplication
    settings: Settings
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1_000_000))

    # ------------------------------------------------------------------ end to end (polling)

    async def send(
        self, text: str, *, chat_id: int = PRIVATE_CHAT, timeout: float = WAIT, **push: Any
    ) -> Call:
        """Push a text message (``push`` goes to FakeBotApi.push_message: user_id, chat_type, thread_id
        …) and return the first sendMessage the bot makes to that chat afterwards."""
        mark = self.api.mark()
        self.api.push_message(chat_id, text, **push)
        [reply] = await self.api.wait_for(
            "sendMessage", lambda c: c.chat_id == chat_id, timeout=timeout, after=mark
        )
        return reply

    async def press(
        self, message: Call, label: str, *, expect: str | None = "editMessageText", **push: Any
    ) -> tuple[Call, Call | None]:
        """Press the button labelled ``label`` on a message the bot sent; see press_data."""
        return await self.press_data(
            message.chat_id, message_id(message), button_data(message, label), expect=expect, **push
        )

    async def press_data(
        self,
        chat_id: Any,
        message_id: int,
        data: str,
        *,
        expect: str | None = None,
        timeout: float = WAIT,
        **push: Any,
    ) -> tuple[Call, Call | None]:
        """Push a button press with any callback data (a stale or forged one too). Returns the
        answerCallbackQuery and, when ``expect`` names a method (editMessageText, sendMessage), the
        first such call to the chat that followed."""
        mark = self.api.mark()
        self.api.push_callback(int(chat_id), message_id, data, **push)
        [answer] = await self.api.wait_for("answerCallbackQuery", timeout=timeout, after=mark)
        if expect is None:
            return answer, None
        [reply] = await self.api.wait_for(expect, lambda c: c.chat_id == chat_id, timeout=timeout, after=mark)
        return answer, reply

    async def expect_silence(
        self, text: str, *, chat_id: int = PRIVATE_CHAT, settle: float = 0.2, **push: Any
    ) -> None:
        """Push ``text`` and fail if the bot answers it. Bounded: a /stats pushed right after it is
        answered, then ``settle`` seconds pass; the /stats reply must be the only message."""
        mark = self.api.mark()
        self.api.push_message(chat_id, text, **push)
        self.api.push_message(chat_id, f"/stats@{BOT_USERNAME}", **push)
        await self.api.wait_for(
            "sendMessage", lambda c: c.chat_id == chat_id and "Corpus" in (c.text or ""), after=mark
        )
        await asyncio.sleep(settle)
        sent = [c for c in self.api.calls()[mark:] if c.method == "sendMessage" and c.chat_id == chat_id]
        if len(sent) != 1:
            raise AssertionError(f"expected silence for {text!r}, the bot sent: {[c.text for c in sent]}")

    @contextmanager
    def unthrottled(self) -> Iterator[None]:
        """Without PTB's AIORateLimiter (30 messages a second) for a while: for tests that send
        hundreds of replies to check what they say, not how fast they may go."""
        bot = self.app.bot
        limiter, bot._rate_limiter = bot._rate_limiter, None
        try:
            yield
        finally:
            bot._rate_limiter = limiter

    # ------------------------------------------------------------------ one update, in-process

    async def handle(
        self,
        text: str,
        *,
        chat_id: int = PRIVATE_CHAT,
        chat_type: str = "private",
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> list[Call]:
        """Run one text message through the bot's handlers and return every Bot API call it made
        (getUpdates aside), in order. Deterministic: the handlers have finished when this returns.
        ``language_code`` is the sender's Telegram language ("ru"), absent when None."""
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": "Tester"} if chat_type == "private" else {"title": f"Group {chat_id}"})
        user_id = user_id if user_id is not None else (chat_id if chat_type == "private" else 1001)
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "Tester"},
            "text": text,
        }
        if language_code is not None:
            message["from"]["language_code"] = language_code
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            length = len(command.encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return await self._process({"update_id": next(self._ids), "message": message})

    async def handle_press(
        self,
        message: Call,
        label: str | None = None,
        *,
        data: str | None = None,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> list[Call]:
        """Press a button (by label, or any ``data``) on a message the bot sent, in-process."""
        callback_data = data if data is not None else button_data(message, label or "")
        shown = message.response if isinstance(message.response, dict) else {}
        chat_id = int(shown.get("chat", {}).get("id", message.chat_id))
        query: dict[str, Any] = {
            "id": str(next(self._ids)),
            "from": {"id": user_id or (chat_id if chat_id > 0 else 1001), "is_bot": False, "first_name": "T"},
            "chat_instance": f"ci{chat_id}",
            "message": shown,
            "data": callback_data,
        }
        if language_code is not None:
            query["from"]["language_code"] = language_code
        return await self._process({"update_id": next(self._ids), "callback_query": query})

    async def process(self, raw: dict[str, Any]) -> list[Call]:
        """Run any raw update (an edited message, a channel post, a sticker …) through the handlers,
        in-process; an ``update_id`` is added when missing. Returns the Bot API calls it made."""
        return await self._process({"update_id": next(self._ids), **raw})

    async def _process(self, raw: dict[str, Any]) -> list[Call]:
        mark = self.api.mark()
        await self.app.process_update(Update.de_json(raw, self.app.bot))
        return [c for c in self.api.calls()[mark:] if c.method != "getUpdates"]


class LoggedErrors(logging.Handler):
    """Every ERROR (or worse) record logged anywhere while installed: the error handler's, PTB's …

    with LoggedErrors.installed() as errors:
        ...
    assert errors.messages() == []
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, since: int = 0) -> list[str]:
        return [record.getMessage() for record in self.records[since:]]

    @classmethod
    @contextmanager
    def installed(cls) -> Iterator[LoggedErrors]:
        handler = cls()
        root = logging.getLogger()
        root.addHandler(handler)
        try:
            yield handler
        finally:
            root.removeHandler(handler)


def single(calls: list[Call], method: str = "sendMessage") -> Call:
    """The one successful call of ``method`` among ``calls`` (a failed call means Telegram refused it,
    e.g. bad HTML or over 4,096 characters)."""
    found = [c for c in calls if c.method == method]
    if len(found) != 1 or not found[0].ok:
        raise AssertionError(
            f"expected one successful {method}, got {[(c.method, c.ok, c.text) for c in calls]}"
        )
    return found[0]


def shown(call: Call) -> str:
    """The text as a Telegram client shows it (tags parsed away, entities decoded) by the fake."""
    return str(call.response["text"])


def message_id(call: Call) -> int:
    """The id of the message a sendMessage or editMessageText call made or changed."""
    if call.method == "sendMessage":
        return int(call.response["message_id"])
    return int(call.params["message_id"])


def button_data(call: Call, label: str) -> str:
    """The callback data of the button labelled ``label`` on a message the bot sent."""
    found = [data for row in call.buttons() for text, data in row if text == label and data]
    if not found:
        raise AssertionError(f"no button {label!r} on the message; buttons: {call.buttons()}")
    return found[0]


def rig_settings(
    tmp_path: Path, *, base_url: str, corpus: Path = SEEDS, token: str = TOKEN, **overrides: Any
) -> Settings:
    """Settings as `csto-bot run` builds them (bot.config.load_settings), database in tmp_path.

    Test defaults: the folder watcher off, a generous per-user flood guard (a test sends many commands
    as one user) and a 1 s long poll; pass e.g. ``watch=True`` or ``commands_per_user=5`` to change them.
    """
    settings = load_settings(
        env={"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_BASE_URL": base_url},
        corpus=corpus,
        db=tmp_path / "csto.sqlite3",
    )
    defaults: dict[str, Any] = {"watch": False, "commands_per_user": 1000, "poll_timeout": 1}
    return dataclasses.replace(settings, **{**defaults, **overrides})


@asynccontextmanager
async def running_app(
    settings: Settings, *, polling: bool = True, wait_for_start_up: bool = True
) -> AsyncIterator[BotApplication]:
    """The real bot (bot.app.build_application) started by bot.lifecycle.serving for the block, as
    `csto-bot run` starts it. The start-up load runs beside the bot; unless wait_for_start_up is
    False, the block begins once it is over."""
    from bot.app import build_application

    app = build_application(settings, polling=polling)
    async with serving(app, poll_timeout=settings.poll_timeout):
        if wait_for_start_up:
            await asyncio.wait_for(app.bot_data.started_up(), START_UP_WAIT)
        yield app


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    corpus: Path = SEEDS,
    token: str = TOKEN,
    polling: bool = True,
    api: FakeBotApi | None = None,
    wait_for_start_up: bool = True,
    **overrides: Any,
) -> AsyncIterator[BotRig]:
    """Start the fake Bot API (unless an already started ``api`` is given) and the real bot
    (running_app); stop both on exit. ``overrides`` replace Settings fields (see rig_settings)."""
    server = api or FakeBotApi(token=token, bot_username=BOT_USERNAME)
    if api is None:
        await server.start()
    try:
        settings = rig_settings(tmp_path, corpus=corpus, token=token, base_url=server.base_url, **overrides)
        async with running_app(settings, polling=polling, wait_for_start_up=wait_for_start_up) as app:
            yield BotRig(server, app, settings)
    finally:
        if api is None:
            await server.stop()


# ------------------------------------------------------------------ alerts: a corpus folder to change


def seed_path(prefix: str) -> Path:
    (path,) = [p for p in SEEDS.iterdir() if p.name.startswith(prefix)]
    return path


def seed_bytes(prefix: str) -> bytes:
    return seed_path(prefix).read_bytes()


def make_corpus(root: Path, *prefixes: str) -> Path:
    """A corpus folder holding copies of the named seed pages."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for prefix in prefixes:
        shutil.copy(seed_path(prefix), corpus / seed_path(prefix).name)
    return corpus


def drop_page(corpus: Path, name: str, data: bytes) -> float:
    """Write a page as a scraper should (temp name, then rename). Returns time.monotonic() of the rename."""
    temp = corpus / f"{name}.part"
    temp.write_bytes(data)
    os.replace(temp, corpus / name)
    return time.monotonic()


def settings_for(tmp_path: Path, api: FakeBotApi, corpus: Path | None = None, **overrides: Any) -> Settings:
    """rig_settings for alerts: a temp corpus (seed page 000 unless given), the folder watcher on and
    short debounce and sender intervals."""
    fast: dict[str, Any] = {"watch": True, "watch_debounce_ms": 300, "sender_interval": 0.05}
    return rig_settings(
        tmp_path,
        base_url=api.base_url,
        token=api.token,
        corpus=corpus or make_corpus(tmp_path, "000"),
        **{**fast, **overrides},
    )


def store_of(app: BotApplication) -> Store:
    return app.bot_data.store


def sender(app: BotApplication) -> Delivery:
    """The running alert sender (bot.delivery) of a bot started with an Updater."""
    delivery = app.bot_data.delivery
    assert delivery is not None, "the alert sender is not running"
    return delivery


def sync(app: BotApplication) -> CorpusSync:
    """The running start-up load, watcher and reloader (bot.corpus_sync) of a started bot."""
    corpus_sync = app.bot_data.corpus_sync
    assert corpus_sync is not None, "corpus sync is not running"
    return corpus_sync


def is_alert(call: Call) -> bool:
    return call.ok and (call.text or "").startswith(ALERT_HEADER)


def alerts_sent(api: FakeBotApi, after: int = 0) -> list[Call]:
    return [c for c in api.calls()[after:] if c.method == "sendMessage" and is_alert(c)]


async def command(api: FakeBotApi, chat_id: int, text: str, **push: Any) -> Call:
    """Push a message and return the bot's first answer to that chat (alerts aside)."""
    mark = api.mark()
    api.push_message(chat_id, text, **push)
    [reply] = await api.wait_for(
        "sendMessage", lambda c: c.chat_id == chat_id and not is_alert(c), after=mark, timeout=WAIT
    )
    return reply


async def subscribe(api: FakeBotApi, chat_id: int, filters: str = "", **push: Any) -> Call:
    reply = await command(api, chat_id, f"/subscribe {filters}".strip(), **push)
    assert "ubscribed" in (reply.text or "") or "updated" in (reply.text or ""), reply.text
    return reply


async def wait_alerts(
    api: FakeBotApi,
    count: int,
    *,
    after: int = 0,
    where: Callable[[Call], bool] | None = None,
    timeout: float = WAIT,
) -> list[Call]:
    return await api.wait_for(
        "sendMessage",
        lambda c: is_alert(c) and (where is None or where(c)),
        count=count,
        timeout=timeout,
        after=after,
    )


async def until(condition: Callable[[], Any], timeout: float = WAIT, what: str = "condition") -> None:
    """Poll an async or plain condition until it is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.02)


async def settle(app: BotApplication, extra: float = 0.25) -> None:
    """Wait until nothing is pending in the outbox, then a few sender intervals more, so that a
    duplicate (if the sender ever made one) would have been sent before the test counts."""
    store = store_of(app)
    await until(lambda: _no_pending(store), what="an empty outbox")
    await asyncio.sleep(extra)


async def _no_pending(store: Store) -> bool:
    return await store.pending_alert_count() == 0


__all__ = [
    "ADMIN",
    "ALERT_HEADER",
    "BOT_USERNAME",
    "GROUP",
    "MASADIKOV",
    "MEMBER",
    "PRIVATE_CHAT",
    "SEEDS",
    "TOKEN",
    "WAIT",
    "BotRig",
    "LoggedErrors",
    "alerts_sent",
    "button_data",
    "command",
    "drop_page",
    "is_alert",
    "make_corpus",
    "message_id",
    "rig_settings",
    "running_app",
    "running_bot",
    "seed_bytes",
    "sender",
    "settings_for",
    "settle",
    "shown",
    "single",
    "store_of",
    "subscribe",
    "sync",
    "until",
    "wait_alerts",
]
