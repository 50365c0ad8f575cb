"""Builds the one Application: config, defaults, rate limiter, handlers in order, error handler,
and the resources that open in post_init and close in post_shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from typing import cast

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

import handlers
from bot import crash, db_health, render
from bot.config import Settings
from bot.context import CONTEXT_TYPES, BotApplication, BotContext
from bot.flood import FloodGuard, Verdict
from bot.i18n import DEFAULT, ENGLISH, LANGUAGES, Lang, translator
from bot.lexicon import load_lexicon
from bot.loader import Loader
from bot.logs import redact_secret
from bot.polling import PollingUpdater
from bot.replies import answer
from bot.store import Store
from handlers.common import reply_lang, user_lang

log = logging.getLogger(__name__)

# PTB 22 deprecates RetryAfter.retry_after as an int; opt in to the timedelta form it will use.
os.environ.setdefault("PTB_TIMEDELTA", "1")

CONCURRENT_UPDATES = 32
_STOPPED_ON: dict[BotApplication, str] = {}  # why a bot stopped itself: csto-bot then exits 1
STOP_RETRY_SECONDS = 0.05


def build_application(
    settings: Settings, *, request: BaseRequest | None = None, polling: bool = True
) -> BotApplication:
    """The whole bot. `request` replaces HTTP (the offline console); polling=False drops the Updater."""
    # The token is in every Bot API URL (PTB logs them as the Bot is built): keep it out of every log
    # line, whoever set up logging, from before the first one.
    redact_secret(settings.token)
    crash.quiet_telegram_tracebacks()
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    builder = (
        ApplicationBuilder()
        .token(settings.token or "0:console")
        .base_url(settings.base_url)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(
            # One send every 1/29 s rather than 30 at once then 30/s: Telegram counts per second, and a
            # burst after a quiet spell would draw 429s. Groups keep PTB's 20 per minute.
            AIORateLimiter(
                overall_max_rate=1, overall_time_period=1 / settings.sends_per_second, max_retries=2
            )
        )
        # Updates run 32 at a time, over a pool of HTTP connections a little larger (below; the alert
        # sender shares it). PTB's defaults (256 and 256) make httpcore check every open connection on
        # every request, which cost more CPU than the handlers when many users wrote at once.
        .concurrent_updates(CONCURRENT_UPDATES)
        .context_types(CONTEXT_TYPES)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.connection_pool_size(CONCURRENT_UPDATES + 8)
    app = cast(BotApplication, builder.updater(None).build())  # the builder's generic types stay unbound
    if polling:  # what the builder would make, with our error_callback (PollingUpdater)
        updater = PollingUpdater(bot=app.bot, update_queue=app.update_queue)
        updater.on_token_rejected = lambda: _stop_on(app, crash.TOKEN_REJECTED_WHILE_RUNNING)
        app.updater = updater
    app.bot_data.settings = settings
    app.bot_data.flood = FloodGuard(settings.commands_per_user, settings.per_seconds)
    app.bot_data.commands = tuple(
        (c.name, c.description, c.example) for m in handlers.MODULES for c in m.COMMANDS if c.in_menu
    )
    register_handlers(app)
    return app


def register_handlers(app: BotApplication) -> None:
    """Handlers in the order they are tried. Groups -2 and -1 run before every command."""
    app.add_handler(TypeHandler(Update, _no_button_data), group=-2)
    app.add_handler(TypeHandler(Update, _flood_guard), group=-1)
    for module in handlers.MODULES:
        for handler in module.handlers():
            app.add_handler(handler)
    # Anything no command module claimed: unknown commands and stale buttons.
    app.add_handler(MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, _unknown_command))
    app.add_handler(CallbackQueryHandler(_expired_button))
    app.add_error_handler(_on_error)


def bot_commands(lang: Lang = ENGLISH) -> list[BotCommand]:
    """The command menu in one language (descriptions are msgids, see handlers.common.CommandInfo)."""
    return [
        BotCommand(c.name, lang._(c.description)) for m in handlers.MODULES for c in m.COMMANDS if c.in_menu
    ]


async def _set_command_menus(app: BotApplication) -> None:
    """The menu in English for everyone, and in each other language for users whose Telegram speaks it."""
    for code in LANGUAGES:
        try:
            language_code = None if code == DEFAULT else code
            await app.bot.set_my_commands(bot_commands(translator(code)), language_code=language_code)
        except TelegramError as exc:  # the menu is a convenience: never a reason not to start
            log.warning("could not set the command menu (%s): %s", code, exc)


async def _post_init(app: BotApplication) -> None:
    services = app.bot_data
    settings = services.config
    services.lexicon = load_lexicon(settings.lexicon_path)
    # Every page is read once to find damage: before the offline console starts (like `load`), beside
    # the polling bot (no start waits for it); damage stops either with the way out.
    offline = app.updater is None
    services.store = await Store.open(settings.db_path, verify=offline)
    if not offline:
        services.database_check = asyncio.create_task(_verify_database(app), name="database-check")
    services.loader = Loader.from_settings(services.store, settings, services.lexicon)
    # No load here: start_background runs the start-up load beside the bot, which answers meanwhile.
    await _set_command_menus(app)
    await services.start_background(app.bot if app.updater is not None else None)


async def _post_stop(app: BotApplication) -> None:
    """Stop alert delivery while the bot can still send: run_polling shuts the bot down before post_shutdown."""
    await app.bot_data.stop_background()


async def _post_shutdown(app: BotApplication) -> None:
    services = app.bot_data
    check, services.database_check = services.database_check, None
    if check is not None:
        check.cancel()
    await services.stop_background()
    await services.timelines.close()
    if services._store is not None:
        await services.store.close()
        services.store = None


async def _verify_database(app: BotApplication) -> None:
    path = app.bot_data.config.db_path
    try:
        problems = await asyncio.to_thread(db_health.quick_check, path)
    except sqlite3.Error as exc:  # not damage (the store opened it): say so, and carry on
        log.warning("could not check the database %s: %s", path, exc)
        return
    if problems:
        _stop_on(app, db_health.corruption_message(path, "; ".join(problems)))


def _stop_on(app: BotApplication, message: str) -> None:
    """The bot cannot go on (a damaged database, a revoked token): say so once, and stop polling (the
    offline console only says so)."""
    if app in _STOPPED_ON:
        return
    _STOPPED_ON[app] = message
    log.error("%s", message)
    if app.updater is not None:
        _stop_when_running(app)


def _stop_when_running(app: BotApplication) -> None:
    """run_polling heeds stop_running() once polling runs: before that (the check can end while polling
    starts), ask again shortly."""
    if app.running:
        app.stop_running()
    else:
        asyncio.get_running_loop().call_later(STOP_RETRY_SECONDS, _stop_when_running, app)


def stopped_on(app: BotApplication) -> str | None:
    """Why the bot stopped itself, if it did (csto-bot then exits non-zero)."""
    return _STOPPED_ON.pop(app, None)


async def _no_button_data(update: Update, context: BotContext) -> None:
    """A press with neither data nor a game (no button of ours; a forged one) is answered as expired.

    PTB's CallbackQueryHandler lets such a press match every pattern, with True for the match."""
    query = update.callback_query
    if query is not None and not query.data and not query.game_short_name:
        await query.answer(render.render_expired_button(await reply_lang(update, context)))
        raise ApplicationHandlerStop


async def _flood_guard(update: Update, context: BotContext) -> None:
    """One user cannot starve the others: excess commands (button presses, inline queries) get one
    "slow down", then silence.

    Counted per sender: the chat for someone posting as a chat (every group's anonymous admins share
    one user id, GroupAnonymousBot, and everyone posting as a channel another), else the user."""
    sender = update.effective_sender
    is_command = _is_own_command(update.message.text if update.message else None, context.bot.username)
    if sender is None or not (is_command or update.callback_query or update.inline_query):
        return
    verdict = context.services.flood.check(sender.id)
    if verdict is Verdict.ALLOW:
        return
    lang = await reply_lang(update, context) if verdict is Verdict.WARN else ENGLISH
    if update.inline_query:
        await handlers.inline.slow_down(update, warn=verdict is Verdict.WARN)
    elif update.callback_query:
        await update.callback_query.answer(lang._("Slow down a little.") if verdict is Verdict.WARN else None)
    elif verdict is Verdict.WARN:
        slow_down = lang._("Slow down a little: too many commands at once.")
        await answer(update, render.render_usage(slow_down, lang=lang))
    raise ApplicationHandlerStop


def _is_own_command(text: str | None, username: str | None) -> bool:
    """A /command meant for this bot: /cmd or /cmd@ThisBot, never /cmd@OtherBot (which is ignored)."""
    if not text or not text.startswith("/"):
        return False
    _, _, addressee = text.split(maxsplit=1)[0].partition("@")
    return not addressee or addressee.casefold() == (username or "").casefold()


async def _unknown_command(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is not None and chat.type == chat.PRIVATE:
        lang = await reply_lang(update, context)
        unknown = lang._("I don't know that command. Send /help to see what I can do.")
        await answer(update, render.render_usage(unknown, lang=lang))


async def _expired_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(render.render_expired_button(await reply_lang(update, context)), show_alert=False)


async def _on_error(update: object, context: BotContext) -> None:
    error = context.error
    if update is None and isinstance(error, TelegramError):
        # run_polling routes a failed getUpdates here: PTB retries it; one line, not a traceback each time
        updater = context.application.updater
        if isinstance(updater, PollingUpdater):
            updater.polling_errors(error)
        else:
            log.warning("Bot API call failed: %s", error)
        return
    if error is not None and db_health.is_corruption(error):
        _stop_on(
            cast(BotApplication, context.application),
            db_health.corruption_message(context.services.config.db_path, str(error)),
        )
    else:
        log.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            # The sender's language without the store: the store may be why this failed.
            await answer(update, render.render_error(user_lang(update)))
        except TelegramError as exc:
            log.warning("could not send the apology: %s", exc)
