"""`csto-bot [run] | console | load | rebuild`: parse the command line, build the settings, run.

Telegram, the store and the rest are imported by the command that needs them: a parsing process
started during a load re-imports the script that started the bot (multiprocessing's spawn), and
should not carry the whole bot for that.

Whatever goes wrong ends in one line on stderr saying what to do and a non-zero exit (bot.crash): 2 for
the command line or the configuration, 1 for the rest, 130 for Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence

from bot import crash
from bot.config import ConfigError, Settings, load_settings
from bot.instance import InstanceLock, InstanceRunning
from bot.logs import setup_logging

log = logging.getLogger("csto-bot")

NO_TOKEN = (
    "csto-bot: TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and run "
    "`TELEGRAM_BOT_TOKEN=<token> csto-bot`, or try the bot offline with `csto-bot console` (no token needed)."
)
COMMANDS = {
    "run": "poll Telegram, or serve a webhook with --webhook-url (default)",
    "console": "the same handlers offline",
    "load": "refresh the database from the corpus",
    "rebuild": "a new database from the corpus for a damaged one, keeping the subscriptions (bot stopped)",
}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="csto-bot", description="Telegram bot for the CSTO public record.")
    parser.add_argument(
        "command", nargs="?", default="run", choices=tuple(COMMANDS),
        help="; ".join(f"{name}: {what}" for name, what in COMMANDS.items()),
    )  # fmt: skip
    parser.add_argument("--config", help="another YAML file (overrides config/default.yaml; env CSTO_CONFIG)")
    parser.add_argument("--corpus", help="corpus folder (env CSTO_CORPUS_DIR)")
    parser.add_argument("--db", help="SQLite database path (env CSTO_DB_PATH)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING, ERROR")
    parser.add_argument(
        "--lang", help="console: the language your Telegram would report, e.g. ru (default: none, English)"
    )
    parser.add_argument(
        "--webhook-url", help="public https URL: a webhook instead of polling (env TELEGRAM_WEBHOOK_URL)"
    )
    parser.add_argument(
        "--webhook-listen", help="host:port of the webhook's server (env CSTO_WEBHOOK_LISTEN; 127.0.0.1:8080)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    # Before anything can fail: the token (only ever from the environment) is redacted from stdout,
    # stderr and the last-resort exception hooks.
    crash.install(os.environ.get("TELEGRAM_BOT_TOKEN"))
    args = parse_args(argv)
    try:
        settings = load_settings(
            args.config, corpus=args.corpus, db=args.db, log_level=args.log_level,
            webhook_url=args.webhook_url, webhook_listen=args.webhook_listen,
        )  # fmt: skip
    except ConfigError as exc:
        print(f"csto-bot: {exc}", file=sys.stderr)
        return 2
    crash.install(settings.token)
    if args.command == "console":
        setup_logging("WARNING" if args.log_level is None else settings.log_level, settings.token)
        crash.quiet_damage_tracebacks()
        return _guard(settings, lambda: asyncio.run(_console(settings, args.lang)))
    setup_logging(settings.log_level, settings.token)
    crash.quiet_damage_tracebacks()
    if args.command == "load":
        return _guard(settings, lambda: asyncio.run(_load(settings)))
    if args.command == "rebuild":
        return _guard(settings, lambda: _locked(settings, "rebuild", lambda: asyncio.run(_rebuild(settings))))
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    return _guard(settings, lambda: _locked(settings, "run", lambda: _run(settings)))


def _guard(settings: Settings, action: Callable[[], int | None]) -> int:
    """Run a command; whatever it raises becomes one line on stderr and an exit status."""
    import sqlite3

    from bot import db_health
    from bot.store import StoreError

    try:
        return action() or 0
    except (StoreError, InstanceRunning) as exc:
        print(f"csto-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except (sqlite3.Error, OSError) as exc:  # a damaged or read-only database met after opening it
        explained = db_health.explain(exc, settings.db_path)
        if explained is None:
            crash.report_unexpected(exc)
        else:
            print(f"csto-bot: {explained}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last boundary: one line, never a traceback
        crash.report_unexpected(exc)
        return 1


def _locked(settings: Settings, command: str, action: Callable[[], int | None]) -> int | None:
    """One bot per database: `run` and `rebuild` hold the database's lock while they run."""
    with InstanceLock(settings.db_path, command):
        return action()


def _run(settings: Settings) -> int:
    from telegram import Update
    from telegram.error import TelegramError

    from bot.app import build_application, stopped_on
    from bot.webhook import start_failure, webhook_for

    app = build_application(settings)
    webhook = asyncio.run(webhook_for(settings))  # None: polling
    loop = asyncio.new_event_loop()  # run_polling runs on the current loop: ours, with the one-line handler
    asyncio.set_event_loop(loop)
    crash.install_loop_handler(loop)
    try:
        if webhook is None:
            app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.poll_timeout)
        else:
            app.run_webhook(**webhook.start_arguments())
    except (TelegramError, OSError) as exc:  # getMe, setWebhook or listening failed: the bot did not start
        refused = start_failure(exc, webhook) if webhook is not None else None
        if refused is None and not isinstance(exc, TelegramError):
            raise  # not the webhook's: _guard explains it (a database error, say)
        log.debug("the bot could not start", exc_info=exc)
        print(refused or crash.telegram_start_failure(exc, settings.base_url), file=sys.stderr)
        return 1
    return 1 if stopped_on(app) else 0


async def _console(settings: Settings, language: str | None) -> int:
    from bot.console import run_console

    crash.install_loop_handler(asyncio.get_running_loop())
    return await run_console(settings, sys.stdin, sys.stdout, language)


async def _load(settings: Settings) -> int:
    """A load beside a running bot is safe: SQLite serialises the writes, an item is stored (and its
    alerts queued) once whichever process sees it first, and only the bot sends the alerts."""
    from bot.heap import collect_for_loading
    from bot.lexicon import load_lexicon
    from bot.loader import Loader
    from bot.store import Store

    crash.install_loop_handler(asyncio.get_running_loop())
    collect_for_loading()  # this process does nothing but load (and parse a share)
    store = await Store.open(settings.db_path, verify=True, bulk=True)
    try:
        loader = Loader.from_settings(store, settings, load_lexicon(settings.lexicon_path), beside_bot=False)
        report = await loader.load()
    finally:
        await store.close()
    print(
        f"Loaded {settings.corpus_dir}: {report.files_read} files read, {report.files_unchanged} unchanged, "
        f"{report.files_skipped} skipped, {report.files_removed} removed; {report.items_total} items "
        f"(+{report.items_added} -{report.items_removed}), {report.people} people, "
        f"{report.operations} operations in {report.seconds:.2f}s -> {settings.db_path}"
    )
    if report.rules_changed:
        print(
            f"  the rules or the lexicon changed: every page parsed again, {report.items_refreshed} items rewritten"
        )
    for problem in report.skipped:
        print(f"  skipped {problem}")
    return 0


async def _rebuild(settings: Settings) -> int:
    from bot.rebuild import describe, rebuild

    crash.install_loop_handler(asyncio.get_running_loop())
    report = await rebuild(settings)
    for line in describe(report, settings):
        print(line)
    return 0
