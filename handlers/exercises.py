"""/exercises [name]: the CSTO's named exercises (never counted as operations), with their years; one in
detail. Exercises share the operations' store rows, buttons and card, told apart by kind."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.i18n import N_, Lang
from handlers.common import MESSAGES, CommandInfo, answer_name_query
from handlers.operations import kind_reply

COMMANDS = (CommandInfo("exercises", N_("Named exercises and the years they ran"), "/exercises rubezh"),)
TOO_LONG = N_("That is too long for an exercise's name: please use at most {most} characters.")
KIND = "exercise"


async def exercises_command(update: Update, context: BotContext) -> None:
    await answer_name_query(update, context, "exercises", TOO_LONG, _reply)


async def _reply(context: BotContext, name: str, lang: Lang) -> render.Reply:
    return await kind_reply(context, name, lang, KIND)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """The card's buttons are the operations' (op:<id>), handled by handlers.operations."""
    return [CommandHandler("exercises", exercises_command, filters=MESSAGES)]
