"""`csto-bot [run] | console | load`: parse the command line, build the settings, run.

Telegram, the store and the rest are imported by the command that needs them: a parsing process
started during a load re-imports the script that started the bot (multiprocessing's spawn), and
should not carry the whole bot for that.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable, Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.logs import setup_logging

log = logging.getLogger("csto-bot")

NO_TOKEN = (
    "csto-bot: TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and run "
    "`TELEGRAM_BOT_TOKEN=<token> csto-bot`, or try the bot offline with `csto-bot console` (no token needed)."
)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="csto-bot", description="Telegram bot for the CSTO public record.")
    parser.add_argument(
        "command", nargs="?", default="run", choices=("run", "console", "load"),
        help="run: poll Telegram (default); console: the same handlers offline; load: refresh the database",
    )
    parser.add_argument("--config", help="another YAML file (overrides config/default.yaml; env CSTO_CONFIG)")
    parser.add_argument("--corpus", help="corpus folder (env CSTO_CORPUS_DIR)")
    parser.add_argument("--db", help="SQLite database path (env CSTO_DB_PATH)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING, ERROR")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        settings = load_settings(args.config, corpus=args.corpus, db=args.db, log_level=args.log_level)
    except ConfigError as exc:
        print(f"csto-bot: {exc}", file=sys.stderr)
        return 2
    if args.command == "console":
        setup_logging("WARNING" if args.log_level is None else settings.log_level, settings.token)
        from bot.console import run_console

        return _guard(lambda: asyncio.run(run_console(settings, sys.stdin, sys.stdout)))
    setup_logging(settings.log_level, settings.token)
    if args.command == "load":
        return _guard(lambda: asyncio.run(_load(settings)))
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    return _guard(lambda: _run(settings))


def _guard(action: Callable[[], int | None]) -> int:
    from bot.store import StoreError

    try:
        return action() or 0
    except StoreError as exc:
        print(f"csto-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _run(settings: Settings) -> int:
    from telegram import Update

    from bot.app import build_application

    app = build_application(settings)
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.poll_timeout)
    return 0


async def _load(settings: Settings) -> int:
    from bot.lexicon import load_lexicon
    from bot.loader import Loader
    from bot.store import Store

    store = await Store.open(settings.db_path)
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
        print(f"  the rules or the lexicon changed: every page parsed again, {report.items_refreshed} items rewritten")
    for problem in report.skipped:
        print(f"  skipped {problem}")
    return 0
