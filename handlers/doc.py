"""/doc <id>: one item's full text, paged with buttons. Only ids: chat input never names a file."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.callbacks import DocPageButton
from bot.context import BotContext
from bot.replies import answer, edit
from handlers.common import MESSAGES, CommandInfo, command_argument, parse_int

COMMANDS = (CommandInfo("doc", "Read one item in full", "/doc 3"),)


async def doc_command(update: Update, context: BotContext) -> None:
    item_id = parse_int(command_argument(update))
    if item_id is None:
        await answer(update, render.render_usage("Usage: /doc <id> — the number shown next to each item."))
        return

    async def build() -> render.Reply:
        item = await context.store.item(item_id)
        if item is None:
            return render.render_usage(f"No item {item_id}. Try /latest or /search.")
        return render.render_item(item, 0)

    await answer(update, await context.services.cached(("doc", item_id, 0), build))


async def doc_page(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = DocPageButton.parse(query.data) if query else None
    if query is None or press is None:
        return
    item = await context.store.item(press.item_id)
    if item is None:
        await query.answer(render.render_expired_button())
        return
    await query.answer()
    await edit(update, render.render_item(item, press.page))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("doc", doc_command, filters=MESSAGES),
        CallbackQueryHandler(doc_page, pattern=DocPageButton.PATTERN),
    ]
