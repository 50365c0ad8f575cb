"""What a user sees when csto-bot cannot go on: one line on stderr saying what is wrong and what to do,
a non-zero exit, never the token, and no traceback (that goes to the log at DEBUG, redacted).

The token is in every Bot API URL and PTB names it in some messages (``The token `…` was rejected``),
so besides log records (bot.logs) everything written to stdout and stderr passes a redacting stream,
and the last-resort hooks (sys.excepthook, threading.excepthook, the event loop's exception handler)
print or log one redacted line.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from types import TracebackType
from typing import Any, TextIO, cast

from bot.logs import redact, redact_secret

log = logging.getLogger("csto-bot")

DEBUG_HINT = "run with --log-level DEBUG to see where"
TOKEN_REJECTED = (
    "Telegram rejected the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN; if the token was revoked, "
    "get the current one from @BotFather (/mybots → API Token)."
)
TOKEN_REJECTED_WHILE_RUNNING = f"stopping: {TOKEN_REJECTED}"
# "telegram.ext" is PTB's retry loop; "telegram.request.BaseRequest" quotes an answer that is not JSON
TELEGRAM_LOGGERS = (
    "telegram.ext.Updater",
    "telegram.ext.Application",
    "telegram.ext",
    "telegram.request.BaseRequest",
)


class RedactingStream:
    """A text stream that writes through another one with every registered secret replaced."""

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        self.wrapped.write(redact(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding …
        return getattr(self.wrapped, name)


def one_line(exc: BaseException) -> str:
    """`Type: message` on one line, redacted and bounded."""
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return redact(text)[:300]


def report_unexpected(exc: BaseException, where: str = "") -> None:
    """An error nothing else explains: its traceback to the log at DEBUG, one line to stderr."""
    log.debug("the error below happened here", exc_info=exc)
    print(f"csto-bot: stopped on an unexpected error{where}: {one_line(exc)} ({DEBUG_HINT})", file=sys.stderr)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if isinstance(exc, KeyboardInterrupt):
        return
    report_unexpected(exc.with_traceback(tb))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or isinstance(args.exc_value, SystemExit):
        return
    name = args.thread.name if args.thread is not None else "?"
    report_unexpected(args.exc_value.with_traceback(args.exc_traceback), f" in thread {name}")


def _loop_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """asyncio's last resort (a task's exception never retrieved, a failed callback): one line."""
    exc = context.get("exception")
    message = redact(str(context.get("message") or "unhandled error in the event loop"))
    if isinstance(exc, BaseException):
        log.debug("%s", message, exc_info=exc)
        # PTB's retry loop can drop a failed getUpdates when a stop comes at the same moment: a network
        # error it would have retried, not a fault of the bot
        level = logging.WARNING if _is_network_error(exc) else logging.ERROR
        log.log(level, "%s: %s (%s)", message, one_line(exc), DEBUG_HINT)
    else:
        log.error("%s", message)


def _is_network_error(exc: BaseException) -> bool:
    from telegram.error import BadRequest, NetworkError

    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)


def install(token: str | None) -> None:
    """From the first line of main(): redact the token from stdout, stderr and every last-resort hook."""
    redact_secret(token)
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, RedactingStream):
            setattr(sys, name, cast(TextIO, RedactingStream(stream)))
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def install_loop_handler(loop: asyncio.AbstractEventLoop) -> None:
    """On the loop of each command (run, console, load, rebuild)."""
    loop.set_exception_handler(_loop_exception_handler)


class _TelegramOneLine(logging.Filter):
    """PTB logs a traceback for the network failures it rides out (the last getUpdates at shutdown, a
    retry loop giving up): one WARNING line with the error instead.
    A failed start-up (getMe, PTB's "Bootstrap" loop) and a Bot API answer that is not JSON are left to
    the line of whoever gets the error, and only shown at DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None and not record.exc_text:
            return True
        message = record.getMessage()
        if "Bootstrap" in message or "Invalid token" in message or record.name.startswith("telegram.request"):
            # the error reaches the bot too, which reports it (start-up line, token rejected, polling warning)
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        # bot.logs may already have turned the traceback into redacted text: its last line names the error
        summary = one_line(exc) if exc is not None else (record.exc_text or "").strip().splitlines()[-1]
        record.msg, record.args = f"{message.split('. ')[0]}: {summary}", None
        record.exc_info, record.exc_text = None, None
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def quiet_telegram_tracebacks() -> None:
    """Attach the one-line filter to PTB's loggers (once)."""
    for name in TELEGRAM_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _TelegramOneLine) for f in logger.filters):
            logger.addFilter(_TelegramOneLine())


class _DamageOneLine(logging.Filter):
    """A damaged database makes every part of the bot that reads it fail (the bot stops on it, with the
    way out): their records keep one line each, not a traceback each."""

    def filter(self, record: logging.LogRecord) -> bool:
        from bot.db_health import REBUILD_COMMAND, is_corruption

        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and is_corruption(exc):
            record.msg, record.args = (
                f"{record.getMessage()}: {one_line(exc)} (see `{REBUILD_COMMAND}`)",
                None,
            )
            record.exc_info, record.exc_text = None, None
        return True


def quiet_damage_tracebacks() -> None:
    """On every handler of the root logger (after setup_logging)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, _DamageOneLine) for f in handler.filters):
            handler.addFilter(_DamageOneLine())


def telegram_start_failure(exc: Exception, base_url: str) -> str:
    """The line for a Bot API that would not let the bot start (getMe failed at start-up)."""
    from telegram.error import InvalidToken

    where = redact(base_url)
    if isinstance(exc, InvalidToken):
        answer = str(
            exc.__cause__ or ""
        )  # PTB's own message names the token; its cause holds the HTTP answer
        if "Not Found" in answer or "404" in answer:
            return (
                f"csto-bot: the Bot API at {where} answered 404 Not Found: check TELEGRAM_BASE_URL (unset it to "
                "use https://api.telegram.org/bot) and that TELEGRAM_BOT_TOKEN is the whole token @BotFather gave."
            )
        return f"csto-bot: {TOKEN_REJECTED}"
    if _is_network_error(exc):  # TimedOut is one too
        return (
            f"csto-bot: cannot reach the Bot API at {where} ({one_line(exc)}): check the network connection, "
            "and TELEGRAM_BASE_URL if you set it."
        )
    return f"csto-bot: the Bot API at {where} would not let the bot start: {one_line(exc)}"
