"""A small fake Telegram Bot API server for end-to-end tests and the benchmark (not shipped in the wheel).

The real ``telegram.ext.Application`` polls it over loopback HTTP exactly as it would poll Telegram:

    async with FakeBotApi(token=TOKEN) as api:
        app = ApplicationBuilder().token(TOKEN).base_url(api.base_url).build()
        ...
        api.push_message(42, "/latest 3")
        [call] = await api.wait_for("sendMessage")
        assert call.chat_id == 42

What PTB 22 sends (``HTTPXRequest``): every method is a POST with a form-urlencoded body (multipart when a
file is uploaded); strings are sent as they are and every other value is JSON-dumped, so ``chat_id`` arrives
as ``"42"`` and ``reply_markup`` as a JSON string.  JSON bodies and GET query strings are accepted too.
Parameters are decoded back to Python values before they are recorded.

Errors use the Bot API's shape, ``{"ok": false, "error_code": ..., "description": ..., "parameters": ...}``,
and PTB maps them to exceptions: 403 → ``Forbidden``, 400 → ``BadRequest``, ``parameters.retry_after`` →
``RetryAfter``, ``parameters.migrate_to_chat_id`` → ``ChatMigrated``, 401/404 → ``InvalidToken``, 409 →
``Conflict``, anything else → ``NetworkError``.

Faults to inject: ``fail_next`` (an error answer), ``hang_next`` (a late answer: the client's read timeout
fires first), ``refuse_for`` (no server at all for a while, then back on the same port), ``limit_rate``.

Webhooks, as Telegram keeps them: ``setWebhook`` is recorded in ``webhook`` (url, secret_token,
allowed_updates …) until ``deleteWebhook``; meanwhile getUpdates answers 409. ``deliver`` posts an update
to the bot's webhook server the way Telegram does (JSON, the registered secret in
``X-Telegram-Bot-Api-Secret-Token``), at the registered URL's path on a local address, as a reverse proxy
in front of the bot would:

    status = await api.deliver(api.new_message(42, "/latest 1"), via="http://127.0.0.1:8080")
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import math
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from aiohttp import ClientSession, ClientTimeout, web

JSONDict = dict[str, Any]

# Parameters that are always plain strings, never JSON: decoding them would turn the text "42" into 42.
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "description",
        "short_description",
        "name",
        "title",
        "language_code",
        "emoji",
        "query",
        "data",
        "inline_query_id",
        "next_offset",
        "business_connection_id",
        "secret_token",
    }
)

# Methods that send something to a chat: the ones a rate limit applies to.
_SEND_METHODS = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "sendPhoto",
        "sendDocument",
        "copyMessage",
        "forwardMessage",
    }
)

# Methods the fake answers with ``true`` and otherwise ignores (besides recording them).
_TRUE_METHODS = frozenset(
    {
        "setMyCommands",
        "deleteMyCommands",
        "answerCallbackQuery",
        "close",
        "logOut",
        "sendChatAction",
        "deleteMessage",
        "deleteMessages",
        "setChatMenuButton",
        "setMyDescription",
        "setMyShortDescription",
        "setMyName",
        "pinChatMessage",
        "unpinChatMessage",
        "leaveChat",
        "setMessageReaction",
    }
)

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

GROUP_ANONYMOUS_BOT_ID = 1087968824
CHANNEL_BOT_ID = 136817688


@dataclass(frozen=True, slots=True)
class Call:
    """One request the bot made, with its parameters decoded and how the fake answered it."""

    index: int
    method: str
    params: JSONDict
    at: float  # time.monotonic() when it arrived
    ok: bool = True
    error_code: int | None = None
    response: Any = None  # the "result" on success, the whole error body on failure
    files: dict[str, bytes] = field(default_factory=dict)  # uploads (multipart), by field name

    @property
    def caption(self) -> str | None:
        return self.params.get("caption")

    @property
    def chat_id(self) -> int | str | None:
        return self.params.get("chat_id")

    @property
    def text(self) -> str | None:
        return self.params.get("text")

    @property
    def parse_mode(self) -> str | None:
        return self.params.get("parse_mode")

    @property
    def reply_markup(self) -> JSONDict | None:
        return self.params.get("reply_markup")

    @property
    def message_thread_id(self) -> int | None:
        return self.params.get("message_thread_id")

    @property
    def message_id(self) -> int | None:
        return self.params.get("message_id")

    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """The inline keyboard as rows of (text, callback_data); empty when there is none."""
        markup = self.reply_markup or {}
        return [
            [(button.get("text", ""), button.get("callback_data")) for button in row]
            for row in markup.get("inline_keyboard", [])
        ]


@dataclass(slots=True)
class _Fault:
    method: str
    status: int
    description: str
    retry_after: int | None
    migrate_to_chat_id: int | None
    chat_id: int | str | None
    times: int


@dataclass(slots=True)
class _Hang:
    method: str
    seconds: float
    times: int


@dataclass(slots=True)
class _RateLimit:
    per_second: float
    per_chat_per_second: float | None
    sent: deque[float] = field(default_factory=deque)
    sent_by_chat: dict[Any, deque[float]] = field(default_factory=dict)


_TELEGRAM_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)


class _TextOnly(HTMLParser):
    """Parses Telegram HTML like the real API: the text a client shows, or an error for bad markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TELEGRAM_TAGS:
            self.error = self.error or f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = self.error or f'Unmatched end tag "{tag}"'
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.error = self.error or "Unexpected unescaped < or >"
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        self.parts.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.parts.append(html.unescape(f"&#{name};"))


def _plain(text: str, parse_mode: str | None) -> str:
    """The text Telegram would store; raises _ApiError(400) for markup Telegram would reject."""
    if (parse_mode or "").upper() != "HTML":
        return text
    parser = _TextOnly()
    parser.feed(text)
    parser.close()
    if parser.stack and parser.error is None:
        parser.error = f'Can\'t find end tag corresponding to start tag "{parser.stack[-1]}"'
    if parser.error is not None:
        raise _ApiError(400, f"Bad Request: can't parse entities: {parser.error}")
    return "".join(parser.parts)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeBotApi:
    """An aiohttp server on 127.0.0.1 that speaks enough of the Bot API for the bot's tests."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_username: str = "csto_test_bot",
        bot_id: int = 999,
        bot_first_name: str = "CSTO test bot",
        admins: dict[int, Iterable[int]] | None = None,
    ) -> None:
        self.token = token
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._admins: dict[int, list[int]] = {chat: list(users) for chat, users in (admins or {}).items()}
        self._creators: dict[int, int] = {}
        self._calls: list[Call] = []
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._next_callback_id = 1
        self._next_inline_id = 1
        self._message_ids: dict[Any, int] = {}
        self._messages: dict[tuple[Any, int], JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._commands: dict[str, list[JSONDict]] = {}
        self._faults: list[_Fault] = []
        self._rate: _RateLimit | None = None
        self.rate_limited = 0  # how many 429s the rate limit answered
        self._updates_event = asyncio.Event()
        self._calls_event = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self._hangs: list[_Hang] = []
        self.hung = 0  # how many calls hang_next held back
        self._reopen: asyncio.Task[None] | None = None
        self.webhook: JSONDict | None = None  # setWebhook's parameters while a webhook is set

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        await self._serve(0)
        return self

    async def stop(self) -> None:
        if self._reopen is not None:
            self._reopen.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reopen
            self._reopen = None
        await self._close()

    async def _serve(self, port: int) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only here
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        self._closing = False

    async def _close(self) -> None:
        self._closing = True
        self._wake_pollers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)`` / TELEGRAM_BASE_URL; PTB appends the token."""
        if self.port is None:
            raise RuntimeError("FakeBotApi is not started")
        return f"http://127.0.0.1:{self.port}/bot"

    # ------------------------------------------------------------------ configuration

    def set_admins(self, chat_id: int, user_ids: Iterable[int], *, creator_id: int | None = None) -> None:
        """Who getChatMember/getChatAdministrators report as administrators of ``chat_id``."""
        self._admins[chat_id] = list(user_ids)
        if creator_id is not None:
            self._creators[chat_id] = creator_id
            if creator_id not in self._admins[chat_id]:
                self._admins[chat_id].insert(0, creator_id)

    def fail_next(
        self,
        method: str,
        status: int = 500,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        chat_id: int | str | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (optionally only to ``chat_id``) with an error.

        A 429 without ``retry_after`` gets ``retry_after=1``, as Telegram always sends one.
        """
        if status == 429 and retry_after is None:
            retry_after = 1
        if description is None:
            description = _DEFAULT_DESCRIPTIONS.get(status, f"Error {status}").format(retry_after=retry_after)
        self._faults.append(
            _Fault(method, status, description, retry_after, migrate_to_chat_id, chat_id, times)
        )

    def clear_faults(self) -> None:
        """Forget every failure fail_next queued and has not used yet."""
        self._faults.clear()

    def hang_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Hold the next ``times`` calls of ``method`` for ``seconds`` before answering them as usual,
        as an overloaded server does: a client with a shorter read timeout gives up first. Counted in
        ``hung``; a stop ends the wait early."""
        self._hangs.append(_Hang(method, seconds, times))

    async def refuse_for(self, seconds: float) -> None:
        """Go away for ``seconds``: drop every open connection and stop listening now (clients get
        "connection refused"), then listen again on the same port. Updates pushed meanwhile wait for
        the next getUpdates. Returns once the port is closed; ``await api.reopened()`` to wait for
        the server to be back."""
        if self._runner is None or self.port is None:
            raise RuntimeError("FakeBotApi is not started")
        if self._reopen is not None and not self._reopen.done():
            raise RuntimeError("already refusing connections")
        port = self.port
        await self._close()

        async def reopen() -> None:
            await asyncio.sleep(seconds)
            await self._serve(port)

        self._reopen = asyncio.create_task(reopen())

    async def reopened(self, timeout: float = 10) -> None:
        """Wait (bounded) until the server refuse_for took away listens again."""
        if self._reopen is not None:
            await asyncio.wait_for(asyncio.shield(self._reopen), timeout)

    def limit_rate(self, per_second: float = 30, *, per_chat_per_second: float | None = None) -> None:
        """Answer sends beyond ``per_second`` (over a sliding second) with 429 and ``retry_after``."""
        self._rate = _RateLimit(per_second, per_chat_per_second)

    def clear_rate_limit(self) -> None:
        self._rate = None

    # ------------------------------------------------------------------ pushing updates

    def push_update(self, update: JSONDict) -> int:
        """Queue a raw update; an ``update_id`` is assigned when missing. Returns the update_id."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        self._updates.append(update)
        self._wake_pollers()
        return int(update["update_id"])

    def push_message(self, chat_id: int, text: str, **fields: Any) -> int:
        """Queue a text message from a user (``fields``: see new_message). Returns the update_id."""
        return self.push_update(self.new_message(chat_id, text, **fields))

    def new_message(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        thread_id: int | None = None,
        sender_chat: int | JSONDict | None = None,
        forward: bool = False,
        first_name: str = "Tester",
        username: str | None = None,
        chat_title: str | None = None,
        language_code: str | None = None,
    ) -> JSONDict:
        """A text message update from a user (``language_code``: their Telegram language, e.g. "ru"), not
        queued (no update_id yet): for push_update or deliver. A leading /command gets its bot_command
        entity."""
        chat = self._chat(chat_id, chat_type, chat_title)
        if user_id is None:
            user_id = chat_id if chat_type == "private" else 1001
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if sender_chat is not None:
            message.update(self._sender_chat_fields(chat, sender_chat))
        if forward:
            message["forward_origin"] = {
                "type": "user",
                "date": int(time.time()) - 60,
                "sender_user": {"id": 4242, "is_bot": False, "first_name": "Someone"},
            }
        return {"message": message}

    async def deliver(self, update: JSONDict, *, via: str, headers: dict[str, str] | None = None) -> int:
        """Post an update to the bot's webhook server as Telegram would, and return the HTTP status.

        ``via`` is the server's local address (``http://127.0.0.1:port``): the update goes to the
        registered URL's path there. ``headers`` replace the default ones (JSON, and the registered
        secret when there is one): pass ``{}`` or a wrong secret to play someone who is not Telegram."""
        if self.webhook is None:
            raise AssertionError("no webhook is set: the bot never called setWebhook")
        update = {"update_id": self._next_update_id, **update}
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        url = via.rstrip("/") + (urlsplit(str(self.webhook["url"])).path or "/")
        if headers is None:
            secret = self.webhook.get("secret_token")
            headers = {SECRET_HEADER: str(secret)} if secret else {}
        headers = {"Content-Type": "application/json", **headers}
        timeout = ClientTimeout(total=10)
        async with (
            ClientSession(timeout=timeout) as session,
            session.post(url, data=json.dumps(update), headers=headers) as response,
        ):
            await response.read()
            return response.status

    def push_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        first_name: str = "Tester",
    ) -> int:
        """Queue a button press on ``message_id``; the message is the one the bot sent, when known."""
        chat = self._chat(chat_id, chat_type, None)
        if user_id is None:
            user_id = chat_id if chat["type"] == "private" else 1001
        message = self._messages.get((chat_id, message_id)) or {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": "…",
        }
        callback = {
            "id": str(self._next_callback_id),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            "chat_instance": f"ci{chat_id}",
            "message": message,
            "data": data,
        }
        self._next_callback_id += 1
        return self.push_update({"callback_query": callback})

    def push_inline_query(
        self,
        query: str,
        *,
        user_id: int = 4242,
        offset: str = "",
        chat_type: str | None = "sender",
        first_name: str = "Tester",
    ) -> int:
        """Queue an inline query (``@bot query`` typed in a chat); ``offset`` is a next_offset the bot gave."""
        inline: JSONDict = {
            "id": str(self._next_inline_id),
            "from": {"id": user_id, "is_bot": False, "first_name": first_name},
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            inline["chat_type"] = chat_type
        self._next_inline_id += 1
        return self.push_update({"inline_query": inline})

    # ------------------------------------------------------------------ inspecting calls

    def calls(self, method: str | None = None) -> list[Call]:
        return [c for c in self._calls if method is None or c.method == method]

    def mark(self) -> int:
        """The number of calls so far; pass it as ``after=`` to wait only for later calls."""
        return len(self._calls)

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of successful sendMessage calls, optionally to one chat."""
        return [
            c.text or ""
            for c in self.calls("sendMessage")
            if c.ok and (chat_id is None or c.chat_id == chat_id)
        ]

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] | None = None,
        count: int = 1,
        timeout: float = 10,
        *,
        after: int = 0,
    ) -> list[Call]:
        """Wait until ``count`` calls of ``method`` (from index ``after``) satisfy ``predicate``.

        Returns every matching call; raises AssertionError listing what was seen on timeout.
        """
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            matches = [
                c for c in self._calls[after:] if c.method == method and (predicate is None or predicate(c))
            ]
            if len(matches) >= count:
                return matches
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                seen = [(c.method, c.params) for c in self._calls[after:]][-15:]
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {count} x {method} "
                    f"(got {len(matches)} matching); last calls: {seen}"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._calls_event.wait(), remaining)

    # ------------------------------------------------------------------ internals

    def _wake_pollers(self) -> None:
        event, self._updates_event = self._updates_event, asyncio.Event()
        event.set()

    def _record(self, call: Call) -> None:
        self._calls.append(call)
        event, self._calls_event = self._calls_event, asyncio.Event()
        event.set()

    def _chat(self, chat_id: int, chat_type: str | None, title: str | None) -> JSONDict:
        known = self._chats.get(chat_id)
        if known is not None and (chat_type is None or known["type"] == chat_type):
            return known
        if chat_type is None:
            chat_type = "private" if chat_id > 0 else "supergroup"
        chat: JSONDict = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "Tester"
        else:
            chat["title"] = title or f"Test {chat_type} {chat_id}"
        self._chats[chat_id] = chat
        return chat

    def _sender_chat_fields(self, chat: JSONDict, sender_chat: int | JSONDict) -> JSONDict:
        if isinstance(sender_chat, dict):
            return {
                "sender_chat": sender_chat,
                "from": {
                    "id": CHANNEL_BOT_ID,
                    "is_bot": True,
                    "first_name": "Channel",
                    "username": "Channel_Bot",
                },
            }
        if sender_chat == chat["id"]:  # an anonymous group administrator
            return {
                "sender_chat": chat,
                "from": {
                    "id": GROUP_ANONYMOUS_BOT_ID,
                    "is_bot": True,
                    "first_name": "Group",
                    "username": "GroupAnonymousBot",
                },
            }
        channel = {"id": sender_chat, "type": "channel", "title": f"Channel {sender_chat}"}
        return {
            "sender_chat": channel,
            "from": {
                "id": CHANNEL_BOT_ID,
                "is_bot": True,
                "first_name": "Channel",
                "username": "Channel_Bot",
            },
        }

    def _next_message_id(self, chat_id: Any) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, bytes]]:
        """The decoded parameters, and the bytes of each uploaded file by its field name."""
        params: JSONDict = dict(request.query)
        files: dict[str, bytes] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if isinstance(body, dict):
                    params.update(body)
            else:  # application/x-www-form-urlencoded or multipart/form-data
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, str):
                        params[key] = value
                    else:
                        params[key] = f"<file {getattr(value, 'filename', '')}>"
                        files[key] = value.file.read()
        return {key: _decode_value(key, value) for key, value in params.items()}, files

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await self._read_params(request)
        if request.match_info["token"] != self.token:
            return self._error(method, params, 401, "Unauthorized")
        hang = self._take_hang(method)
        if hang is not None:
            self.hung += 1
            deadline = time.monotonic() + hang
            while not self._closing and time.monotonic() < deadline:
                await asyncio.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
        fault = self._take_fault(method, params.get("chat_id"))
        if fault is not None:
            return self._error(
                method,
                params,
                fault.status,
                fault.description,
                retry_after=fault.retry_after,
                migrate_to_chat_id=fault.migrate_to_chat_id,
            )
        retry_after = self._rate_check(method, params.get("chat_id"))
        if retry_after is not None:
            self.rate_limited += 1
            return self._error(
                method, params, 429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        if method == "getUpdates" and self.webhook is not None:  # as Telegram: one way of getting updates
            return self._error(method, params, 409, WEBHOOK_CONFLICT)
        if method == "getUpdates":
            index = len(self._calls)
            self._record(Call(index, method, params, time.monotonic()))
            result = await self._get_updates(params)
            return web.json_response({"ok": True, "result": result})
        try:
            result = self._dispatch(method, params)
        except _ApiError as err:
            return self._error(method, params, err.status, err.description)
        self._record(Call(len(self._calls), method, params, time.monotonic(), response=result, files=files))
        return web.json_response({"ok": True, "result": result})

    def _error(
        self,
        method: str,
        params: JSONDict,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> web.Response:
        body: JSONDict = {"ok": False, "error_code": status, "description": description}
        parameters = {}
        if retry_after is not None:
            parameters["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        self._record(
            Call(
                len(self._calls), method, params, time.monotonic(), ok=False, error_code=status, response=body
            )
        )
        return web.json_response(body, status=status)

    def _take_fault(self, method: str, chat_id: Any) -> _Fault | None:
        for fault in self._faults:
            if fault.method != method:
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)
            return fault
        return None

    def _take_hang(self, method: str) -> float | None:
        for hang in self._hangs:
            if hang.method == method:
                hang.times -= 1
                if hang.times <= 0:
                    self._hangs.remove(hang)
                return hang.seconds
        return None

    def _rate_check(self, method: str, chat_id: Any) -> int | None:
        rate = self._rate
        if rate is None or method not in _SEND_METHODS:
            return None
        now = time.monotonic()
        waits = [_window_wait(rate.sent, now, rate.per_second)]
        per_chat = rate.sent_by_chat.setdefault(chat_id, deque())
        if rate.per_chat_per_second is not None:
            waits.append(_window_wait(per_chat, now, rate.per_chat_per_second))
        wait = max(waits)
        if wait > 0:
            return max(1, math.ceil(wait))
        rate.sent.append(now)
        per_chat.append(now)
        return None

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates") or None
        if offset > 0:  # confirm everything before the offset, as Telegram does
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self._updates if allowed is None or any(k in u for k in allowed)]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0 or self._closing:
                return ready[:limit]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._updates_event.wait(), remaining)

    def _dispatch(self, method: str, params: JSONDict) -> Any:
        if method == "getMe":
            return self.bot_user
        if method == "setMyCommands":
            self._commands[self._commands_key(params)] = list(params.get("commands") or [])
            return True
        if method == "getMyCommands":
            return self._commands.get(self._commands_key(params), [])
        if method in _TRUE_METHODS:
            return True
        if method == "setWebhook":
            if not str(params.get("url") or "").startswith("https://"):
                raise _ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
            self.webhook = dict(params)
            return True
        if method == "deleteWebhook":
            self.webhook = None
            return True
        if method == "sendMessage":
            return self._send_message(params)
        if method == "answerInlineQuery":
            return self._answer_inline_query(params)
        if method == "sendPhoto":
            return self._send_photo(params)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return self._edit_message(method, params)
        if method == "getChatMember":
            return self._member(int(params["chat_id"]), int(params["user_id"]))
        if method == "getChatAdministrators":
            chat_id = int(params["chat_id"])
            return [self._member(chat_id, user_id) for user_id in self._admins.get(chat_id, [])]
        if method == "getChat":
            chat_id = int(params["chat_id"])
            return {
                **self._chat(chat_id, None, None),
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                },
            }
        raise _ApiError(404, "Not Found: method not found")

    @staticmethod
    def _commands_key(params: JSONDict) -> str:
        return json.dumps([params.get("scope"), params.get("language_code")], sort_keys=True)

    def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = params.get("chat_id")
        text = params.get("text")
        if chat_id is None or not text:
            raise _ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(_plain(str(text), params.get("parse_mode"))) > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        chat = (
            self._chat(int(chat_id), None, None)
            if isinstance(chat_id, int)
            else {"id": -100, "type": "channel", "title": str(chat_id)}
        )
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": _plain(str(text), params.get("parse_mode")),
        }
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        if isinstance(params.get("reply_markup"), dict) and "inline_keyboard" in params["reply_markup"]:
            message["reply_markup"] = params["reply_markup"]
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _send_photo(self, params: JSONDict) -> JSONDict:
        """A photo (an upload, a file_id or a URL: not checked) with an optional caption of at most
        1,024 characters as parsed, like sendMessage's text."""
        chat_id = params.get("chat_id")
        if chat_id is None or not params.get("photo"):
            raise _ApiError(400, "Bad Request: there is no photo in the request")
        caption = _plain(str(params.get("caption") or ""), params.get("parse_mode"))
        if _utf16_len(caption) > 1024:
            raise _ApiError(400, "Bad Request: message caption is too long")
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "date": int(time.time()),
            "chat": self._chat(int(chat_id), None, None),
            "from": self.bot_user,
            "photo": [{"file_id": "photo-1", "file_unique_id": "p1", "width": 1000, "height": 560}],
        }
        if caption:
            message["caption"] = caption
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        return message

    def _edit_message(self, method: str, params: JSONDict) -> JSONDict | bool:
        if params.get("inline_message_id"):
            return True
        chat_id = params.get("chat_id")
        message_id = params.get("message_id")
        if chat_id is None or message_id is None:
            raise _ApiError(400, "Bad Request: message identifier is not specified")
        old = self._messages.get((chat_id, message_id))
        chat = self._chat(int(chat_id), None, None)
        text = old["text"] if old and method == "editMessageReplyMarkup" else params.get("text")
        if not text:
            raise _ApiError(400, "Bad Request: message text is empty")
        new_text = text if method == "editMessageReplyMarkup" else _plain(str(text), params.get("parse_mode"))
        markup = params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        if old is not None and old.get("text") == new_text and old.get("reply_markup") == markup:
            raise _ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        message: JSONDict = {
            "message_id": message_id,
            "date": old["date"] if old else int(time.time()),
            "edit_date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": new_text,
        }
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message_id)] = message
        return message

    def _answer_inline_query(self, params: JSONDict) -> bool:
        """Telegram's checks on an inline answer: at most 50 results, ids of 1-64 bytes each used once,
        each message's text non-empty, valid and at most 4,096 characters once parsed."""
        if not params.get("inline_query_id"):
            raise _ApiError(400, "Bad Request: QUERY_ID_INVALID")
        results = params.get("results")
        if not isinstance(results, list):
            raise _ApiError(400, "Bad Request: results are not a list")
        if len(results) > 50:
            raise _ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise _ApiError(400, "Bad Request: RESULT_ID_INVALID")
        if len(set(ids)) != len(ids):
            raise _ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        for result in results:
            content = result.get("input_message_content") or {}
            text = content.get("message_text")
            if not result.get("title") or not text:
                raise _ApiError(400, "Bad Request: MESSAGE_EMPTY")
            if _utf16_len(_plain(str(text), content.get("parse_mode"))) > 4096:
                raise _ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _member(self, chat_id: int, user_id: int) -> JSONDict:
        user = (
            self.bot_user
            if user_id == self.bot_user["id"]
            else {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        )
        if self._creators.get(chat_id) == user_id:
            return {"status": "creator", "user": user, "is_anonymous": False}
        if user_id in self._admins.get(chat_id, []):
            rights = dict.fromkeys(
                (
                    "can_manage_chat",
                    "can_delete_messages",
                    "can_manage_video_chats",
                    "can_restrict_members",
                    "can_change_info",
                    "can_invite_users",
                    "can_post_stories",
                    "can_edit_stories",
                    "can_delete_stories",
                    "can_pin_messages",
                ),
                True,
            )
            return {
                "status": "administrator",
                "user": user,
                "can_be_edited": False,
                "is_anonymous": False,
                "can_promote_members": False,
                **rights,
            }
        return {"status": "member", "user": user}


class _ApiError(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _window_wait(sent: deque[float], now: float, per_second: float) -> float:
    """Seconds until one more send fits in a sliding one-second window of ``per_second`` sends."""
    while sent and now - sent[0] >= 1.0:
        sent.popleft()
    if len(sent) < per_second:
        return 0.0
    return 1.0 - (now - sent[0])


__all__ = ["Call", "FakeBotApi"]
