"""/search <terms>: ranked results with highlighted excerpts, five a page, ◀ ▶ buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.callbacks import SearchPageButton
from bot.context import BotContext
from bot.i18n import N_
from bot.replies import answer
from bot.search_query import parse_search_query
from bot.store import QueryTooBroad
from bot.suggest import did_you_mean
from handlers.common import MESSAGES, CommandInfo, button_press, command_argument, reply_lang, show_press

COMMANDS = (CommandInfo("search", N_("Full-text search"), '/search "illegal migration"'),)
USAGE = N_(
    'Usage: /search <words> — "exact phrase", prefix*, -excluded and a OR b work. '
    'Examples: /search mercenary, /search "illegal migration", /search terror* -Afghanistan, '
    "/search Channel OR Proxy"
)
TOO_BROAD = N_("Too broad — add a word or drop a prefix*.")


async def search_command(update: Update, context: BotContext) -> None:
    lang = await reply_lang(update, context)
    text = command_argument(update)
    query = parse_search_query(text)
    match = query.match_expression()
    if match is None:
        await answer(update, render.render_usage(lang._(USAGE), lang=lang))
        return
    if query.too_broad():
        await answer(update, render.render_usage(lang._(TOO_BROAD), lang=lang))
        return

    async def build() -> render.Reply:
        page = await context.store.search(match, text, 0, context.services.config.search_page_size)
        suggestions = await did_you_mean(context.store, query.terms()) if not page.hits else []
        token = context.services.buttons.put(text) if page.has_next else None  # only ▶ needs one
        return render.render_search(page, suggestions, token=token, lang=lang)

    try:
        reply = await context.services.cached(("search", text, 0), build, lang)
    except QueryTooBroad:  # not kept: on a quieter machine or a smaller corpus it may pass
        reply = render.render_usage(lang._(TOO_BROAD), lang=lang)
    _keep_tokens(context, reply, text)
    await answer(update, reply)


async def search_page(update: Update, context: BotContext) -> None:
    if (found := await button_press(update, context, SearchPageButton.parse)) is None:
        return
    callback, press, lang = found
    token, page_no = press.token, press.page
    text = context.services.buttons.get(token)
    match = parse_search_query(text).match_expression() if text else None
    if text is None or match is None:
        await show_press(update, callback, None, lang)
        return

    async def build() -> render.Reply:
        page = await context.store.search(match, text, page_no, context.services.config.search_page_size)
        return render.render_search(page, (), token=token, lang=lang)

    try:
        reply = await context.services.cached(("search", text, page_no), build, lang)
    except QueryTooBroad:
        await callback.answer(lang._(TOO_BROAD))
        return
    _keep_tokens(context, reply, text)
    await show_press(update, callback, reply, lang)


def _keep_tokens(context: BotContext, reply: render.Reply, text: str) -> None:
    """A kept answer's ◀ ▶ buttons carry the token it was built with: hold that token again."""
    for row in reply.buttons:
        for button in row:
            press = SearchPageButton.parse(button.callback_data)
            if press is not None:
                context.services.buttons.keep(press.token, text)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("search", search_command, filters=MESSAGES),
        CallbackQueryHandler(search_page, pattern=SearchPageButton.PATTERN),
    ]
