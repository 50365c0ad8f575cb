"""/doc <id>: one item's full text, paged with buttons. Only ids: chat input never names a file."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.callbacks import DocPageButton
from bot.context import BotContext
from bot.i18n import N_
from bot.replies import answer
from handlers.common import (
    MESSAGES,
    CommandInfo,
    button_press,
    command_argument,
    parse_int,
    reply_lang,
    show_press,
)

COMMANDS = (CommandInfo("doc", N_("Read one item in full"), "/doc 3"),)


async def doc_command(update: Update, context: BotContext) -> None:
    lang = await reply_lang(update, context)
    item_id = parse_int(command_argument(update))
    if item_id is None:
        usage = lang._("Usage: /doc <id> — the number shown next to each item.")
        await answer(update, render.render_usage(usage, lang=lang))
        return

    async def build() -> render.Reply:
        item = await context.store.item(item_id)
        if item is None:
            missing = lang._("No item {id}. Try /latest or /search.").format(id=item_id)
            return render.render_usage(missing, lang=lang)
        return render.render_item(item, 0, lang=lang)

    await answer(update, await context.services.cached(("doc", item_id, 0), build, lang))


async def doc_page(update: Update, context: BotContext) -> None:
    if (found := await button_press(update, context, DocPageButton.parse)) is None:
        return
    query, press, lang = found
    item = await context.store.item(press.item_id)
    await show_press(update, query, render.render_item(item, press.page, lang=lang) if item else None, lang)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("doc", doc_command, filters=MESSAGES),
        CallbackQueryHandler(doc_page, pattern=DocPageButton.PATTERN),
    ]
