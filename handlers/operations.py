"""/operations [name]: every named operation with its purpose, dates and sources; one in detail."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.callbacks import OperationButton
from bot.context import BotContext
from bot.i18n import N_, Lang
from handlers.common import MESSAGES, CommandInfo, answer_name_query, button_press, show_press

COMMANDS = (CommandInfo("operations", N_("Named operations and their purpose"), "/operations channel"),)
TOO_LONG = N_("That is too long for an operation's name: please use at most {most} characters.")
OPERATION = "operation"


async def operations_command(update: Update, context: BotContext) -> None:
    await answer_name_query(update, context, "operations", TOO_LONG, _operations_reply)


async def _operations_reply(context: BotContext, name: str, lang: Lang) -> render.Reply:
    return await kind_reply(context, name, lang, OPERATION)


async def kind_reply(context: BotContext, name: str, lang: Lang, kind: str) -> render.Reply:
    """One kind's list (operations or exercises), or the card its name matches. A name of the other
    kind (an exercise asked of /operations) answers with that card, whose heading says what it is:
    users rarely know which of the two the CSTO calls a name."""
    listed = await (context.services.operations if kind == OPERATION else context.services.exercises)()
    if not name:
        return render.render_operations(listed, kind=kind, lang=lang)
    detail = await context.services.operation_named(name, exercise_first=kind != OPERATION)
    if detail is not None:
        return render.render_operation(detail, lang=lang)
    return render.render_operations(listed, not_found=name, kind=kind, lang=lang)


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
