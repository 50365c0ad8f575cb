"""/operations [name]: every named operation with its purpose, dates and sources; one in detail."""

from __future__ import annotations

from rapidfuzz import fuzz, process
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.people_index import fold
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, argument_text

COMMANDS = (CommandInfo("operations", "Named operations and their purpose", "/operations channel"),)
OPERATION_CUTOFF = 70.0
CALLBACK = r"^op:(\d{1,9})$"


async def operations_command(update: Update, context: BotContext) -> None:
    name = argument_text(update.effective_message.text if update.effective_message else None)
    await answer(
        update, await context.services.cached(("operations", name), lambda: _operations_reply(context, name))
    )


async def _operations_reply(context: BotContext, name: str) -> render.Reply:
    operations = await context.services.operations()
    if not name:
        return render.render_operations(operations)
    best = process.extractOne(
        fold(name)[:100], {op.id: fold(op.name) for op in operations}, scorer=fuzz.WRatio,
        score_cutoff=OPERATION_CUTOFF,
    )
    detail = await context.store.operation(best[2]) if best else None
    if detail is None:
        return render.render_operations(operations, not_found=name)
    return render.render_operation(detail)


async def operation_choice(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None or not context.matches:
        return
    detail = await context.store.operation(int(context.matches[0].group(1)))
    if detail is None:
        await query.answer(render.render_expired_button().text[:190])
        return
    await query.answer()
    await answer(update, render.render_operation(detail))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("operations", operations_command, filters=MESSAGES),
        CallbackQueryHandler(operation_choice, pattern=CALLBACK),
    ]
