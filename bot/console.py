"""`csto-bot console`: the real Application and handlers, offline, in a terminal.

A ConsoleRequest stands in for HTTP: Bot API calls the handlers make (sendMessage, editMessageText,
answerCallbackQuery …) are answered locally and printed as plain text, so what you read here is
exactly what Telegram would show, minus formatting. A picture (sendPhoto) is saved as a PNG file in a
folder next to the database, and its path printed with the caption. Type a command; type a number to
press a button.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.config import Settings
from bot.html_text import strip_tags
from bot.i18n import Lang, translator

if TYPE_CHECKING:
    from bot.context import BotApplication

CONSOLE_CHAT = {"id": 1, "type": "private", "first_name": "You"}
CONSOLE_USER = {"id": 1, "is_bot": False, "first_name": "You"}
BOT_USER = {"id": 42, "is_bot": True, "first_name": "CSTO bot", "username": "csto_console_bot"}
PROMPT = "> "
CONSOLE_COMMANDS_PER_WINDOW = 1_000_000


class ConsoleRequest(BaseRequest):
    """Answers the Bot API in-process and prints what the bot says (out=None: prints and keeps nothing,
    for measuring the handlers without a network)."""

    def __init__(self, out: TextIO | None, pictures: Path | None = None) -> None:
        self.out = out
        self.pictures = pictures  # where pictures are saved (None: not saved)
        self.sent = 0
        self.message_ids = itertools.count(1)
        self.buttons: list[str] = []  # callback data of the last keyboard, in display order
        self.last_message: dict[str, Any] | None = None
        self.printed = 0  # how many things the bot said: "(no reply)" when an input changed nothing

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if endpoint == "sendPhoto":
            result: Any = self._save_photo(params, request_data.multipart_data if request_data else {})
        else:
            result = self._answer(endpoint, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, endpoint: str, params: dict[str, Any]) -> Any:
        if endpoint == "getMe":
            return BOT_USER
        if endpoint in ("sendMessage", "editMessageText"):
            return self._show(params, edited=endpoint == "editMessageText")
        if endpoint == "answerCallbackQuery":
            if params.get("text"):
                self._print(f"({params['text']})")
            return True
        if endpoint == "getChatMember":
            return {"status": "creator", "user": CONSOLE_USER, "is_anonymous": False}
        if endpoint == "getChatAdministrators":
            return [{"status": "creator", "user": CONSOLE_USER, "is_anonymous": False}]
        if endpoint == "getUpdates":
            return []
        return True

    def _show(self, params: dict[str, Any], *, edited: bool) -> dict[str, Any]:
        self.sent += 1
        text = str(params.get("text", ""))
        if self.out is None:
            return {
                "message_id": int(params.get("message_id") or next(self.message_ids)),
                "date": int(time.time()),
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private", "first_name": "You"},
                "from": BOT_USER,
                "text": text,
            }
        markup = params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        self.buttons = [b.get("callback_data", "") for row in rows for b in row]
        lines = ["(edited)"] if edited else []
        lines.append(strip_tags(text))
        number = itertools.count(1)
        for row in rows:  # one line per keyboard row, buttons numbered across rows
            lines.append("  ".join(f"[{next(number)}] {b.get('text', '')}" for b in row))
        self._print("\n".join(lines))
        message = {
            "message_id": int(params.get("message_id") or next(self.message_ids)),
            "date": int(time.time()),
            "chat": CONSOLE_CHAT,
            "from": BOT_USER,
            "text": strip_tags(text),
        }
        if rows:
            message["reply_markup"] = {"inline_keyboard": rows}
        self.last_message = message
        return message

    def _save_photo(self, params: dict[str, Any], uploads: Mapping[str, tuple[Any, ...]]) -> dict[str, Any]:
        """Keep the picture as a file and print its path and caption (nothing kept with out=None)."""
        self.sent += 1
        message: dict[str, Any] = {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": CONSOLE_CHAT,
            "from": BOT_USER,
            "photo": [{"file_id": "console", "file_unique_id": "console", "width": 1, "height": 1}],
        }
        upload = uploads.get("photo")
        if self.out is None or self.pictures is None or upload is None:
            return message
        content = upload[1] if isinstance(upload[1], bytes) else upload[1].read()
        self.pictures.mkdir(parents=True, exist_ok=True)
        path = self.pictures / f"timeline-{time.strftime('%Y%m%d-%H%M%S')}-{message['message_id']}.png"
        path.write_bytes(content)
        caption = strip_tags(str(params.get("caption") or ""))
        self._print(f"(picture saved to {path})" + (f"\n{caption}" if caption else ""))
        return message

    def _print(self, text: str) -> None:
        assert self.out is not None, "only a request with an output prints"
        self.printed += 1
        self.out.write(text + "\n\n")
        self.out.flush()


def console_user(language: str | None) -> dict[str, Any]:
    """The one person at the console, speaking `language` as Telegram would say it (None: unset)."""
    return CONSOLE_USER if language is None else {**CONSOLE_USER, "language_code": language}


def pictures_folder(db_path: Path) -> Path:
    """Where the console keeps the pictures the bot sends: beside the database (``csto-pictures``
    for ``csto.sqlite3``)."""
    return db_path.with_name(f"{db_path.stem}-pictures")


def message_update(update_id: int, text: str, user: dict[str, Any] = CONSOLE_USER) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": 10_000 + update_id,
        "date": int(time.time()),
        "chat": CONSOLE_CHAT,
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


def callback_update(
    update_id: int, data: str, message: dict[str, Any] | None, user: dict[str, Any] = CONSOLE_USER
) -> dict[str, Any]:
    query: dict[str, Any] = {"id": str(update_id), "from": user, "chat_instance": "1", "data": data}
    if message is not None:
        query["message"] = message
    return {"update_id": update_id, "callback_query": query}


async def run_console(settings: Settings, stdin: TextIO, stdout: TextIO, language: str | None = None) -> int:
    """Read commands until EOF or `quit`; each goes through the real handlers, as sent by a user whose
    Telegram speaks `language` (a language_code such as "ru"; None: English)."""
    from bot.app import build_application
    from bot.lifecycle import serving

    request = ConsoleRequest(stdout, pictures_folder(settings.db_path))
    # One local user typing (or piping) commands: the per-user flood guard would only get in the way.
    settings = dataclasses.replace(settings, commands_per_user=CONSOLE_COMMANDS_PER_WINDOW)
    app = build_application(settings, request=request, polling=False)
    async with serving(app):  # stopped in PTB's order on EOF, `quit` and Ctrl-C alike
        await app.bot_data.started_up()  # one person trying the bot: show them the whole corpus
        await _session(app, request, stdin, stdout, language)
    return 0


async def _read_line(stdin: TextIO) -> str:
    """The next line of input, read in a daemon thread.

    Not asyncio.to_thread: at exit asyncio.run waits for the default executor's threads, so Ctrl-C in a
    terminal would hang until the user pressed Enter. A daemon thread blocked on stdin does not hold the
    process.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[str] = loop.create_future()

    def settle(line: str) -> None:
        if not done.done():
            done.set_result(line)

    def read() -> None:
        try:
            line = stdin.readline()
        except (OSError, ValueError):  # stdin closed under us: the same as the end of input
            line = ""
        with contextlib.suppress(RuntimeError):  # the loop has already closed: nobody waits any more
            loop.call_soon_threadsafe(settle, line)

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return await done


async def _session(
    app: BotApplication, request: ConsoleRequest, stdin: TextIO, stdout: TextIO, language: str | None
) -> None:
    """Read commands until EOF or `quit`; each goes through the real handlers."""
    lang: Lang = translator(language)
    user = console_user(language)
    stdout.write(
        lang._("csto-bot console: type /help, a command, or a button's number; `quit` to leave.") + "\n\n"
    )
    for update_id in itertools.count(1):
        stdout.write(PROMPT)
        stdout.flush()
        line = await _read_line(stdin)
        if not line:
            break
        text = line.strip()
        if text in ("quit", "exit"):
            break
        if not text:
            continue
        if text.isdecimal() and request.buttons and not 1 <= int(text) <= len(request.buttons):
            count = len(request.buttons)
            no_button = lang._("(no button {number}: the last message has buttons 1–{count})")
            stdout.write(no_button.format(number=text, count=count) + "\n\n")
            continue
        if text.isdecimal() and request.buttons:
            raw = callback_update(update_id, request.buttons[int(text) - 1], request.last_message, user)
        else:
            raw = message_update(update_id, text, user)
        said = request.printed
        await app.process_update(Update.de_json(raw, app.bot))
        if request.printed == said:
            stdout.write(lang._("(no reply)") + "\n\n")
