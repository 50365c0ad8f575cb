"""/operations [name]: every named operation with its purpose, dates and sources; one in detail."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rapidfuzz import fuzz
from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.people_index import MAX_NAME_QUERY, best_scored, fold
from bot.records import OperationSummary
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, argument_text

COMMANDS = (CommandInfo("operations", "Named operations and their purpose", "/operations channel"),)
OPERATION_CUTOFF = 70.0
CALLBACK = r"^op:(\d{1,9})$"
TOO_LONG = f"That is too long for an operation's name: please use at most {MAX_NAME_QUERY} characters."


async def operations_command(update: Update, context: BotContext) -> None:
    name = argument_text(update.effective_message.text if update.effective_message else None)
    if len(name) > MAX_NAME_QUERY:
        await answer(update, render.render_usage(TOO_LONG))
        return
    await answer(
        update, await context.services.cached(("operations", name), lambda: _operations_reply(context, name))
    )


async def _operations_reply(context: BotContext, name: str) -> render.Reply:
    operations = await context.services.operations()
    if not name:
        return render.render_operations(operations)
    best = await asyncio.to_thread(_best_operation, name, operations)  # rapidfuzz, in chunks: off the loop
    detail = await context.store.operation(best) if best is not None else None
    if detail is None:
        return render.render_operations(operations, not_found=name)
    return render.render_operation(detail)


def _best_operation(name: str, operations: Sequence[OperationSummary]) -> int | None:
    """The id of the operation whose name is nearest `name` (at least OPERATION_CUTOFF), if any."""
    found = best_scored(fold(name), [fold(op.name) for op in operations], fuzz.WRatio, 1, OPERATION_CUTOFF)
    return operations[found[0][1]].id if found else None


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
