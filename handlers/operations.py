"""/operations [name]: every named operation with its purpose, dates and sources; one in detail."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.callbacks import OperationButton
from bot.context import BotContext
from bot.i18n import N_, Lang
from bot.matching import best_operation
from handlers.common import MESSAGES, CommandInfo, answer_name_query, button_press, show_press

COMMANDS = (CommandInfo("operations", N_("Named operations and their purpose"), "/operations channel"),)
TOO_LONG = N_("That is too long for an operation's name: please use at most {most} characters.")


async def operations_command(update: Update, context: BotContext) -> None:
    await answer_name_query(update, context, "operations", TOO_LONG, _operations_reply)


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
    if (found := await button_press(update, context, OperationButton.parse)) is None:
        return
    query, press, lang = found
    detail = await context.store.operation(press.id)
    reply = render.render_operation(detail, lang=lang) if detail else None
    await show_press(update, query, reply, lang, replace=False)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("operations", operations_command, filters=MESSAGES),
        CallbackQueryHandler(operation_choice, pattern=OperationButton.PATTERN),
    ]
