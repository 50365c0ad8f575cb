"""/start and /help: what the bot knows and every command with an example."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo

COMMANDS = (
    CommandInfo("start", "What this bot is", "/start", in_menu=False),
    CommandInfo("help", "Commands and examples", "/help"),
)


async def help_command(update: Update, context: BotContext) -> None:
    stats = await context.store.stats()
    await answer(update, render.render_help(stats, context.services.commands, context.services.loading()))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler(["start", "help"], help_command, filters=MESSAGES)]
