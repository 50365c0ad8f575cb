"""/operations [name]: every named operation with its purpose, dates and sources; one in detail."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.callbacks import OperationButton
from bot.context import BotContext
from bot.i18n import N_, Lang
from bot.matching import MAX_NAME_QUERY, best_operation
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, command_argument, reply_lang

COMMANDS = (CommandInfo("operations", N_("Named operations and their purpose"), "/operations channel"),)
TOO_LONG = N_("That is too long for an operation's name: please use at most {most} characters.")


async def operations_command(update: Update, context: BotContext) -> None:
    lang = await reply_lang(update, context)
    name = command_argument(update)
    if len(name) > MAX_NAME_QUERY:
        await answer(update, render.render_usage(lang._(TOO_LONG).format(most=MAX_NAME_QUERY), lang=lang))
        return
    await answer(
        update,
        await context.services.cached(
            ("operations", name), lambda: _operations_reply(context, name, lang), lang
        ),
    )


async def _operations_reply(context: BotContext, name: str, lang: Lang) -> render.Reply:
    operations = await context.services.operations()
    if not name:
        return render.render_operations(operations, lang=lang)
    names = [op.name for op in operations]
    best = await asyncio.to_thread(best_operation, name, names)  # rapidfuzz, in chunks: off the loop
    detail = await context.store.operation(operations[best].id) if best is not None else None
    if detail is None:
        return render.render_operations(operations, not_found=name, lang=lang)
    return render.render_operation(detail, lang=lang)


async def operation_choice(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = OperationButton.parse(query.data) if query else None
    if query is None or press is None:
        return
    lang = await reply_lang(update, context)
    detail = await context.store.operation(press.id)
    if detail is None:
        await query.answer(render.render_expired_button(lang))
        return
    await query.answer()
    await answer(update, render.render_operation(detail, lang=lang))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("operations", operations_command, filters=MESSAGES),
        CallbackQueryHandler(operation_choice, pattern=OperationButton.PATTERN),
    ]
