"""/start and /help: what the bot knows and every command with an example."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.i18n import N_
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, reply_lang

COMMANDS = (
    CommandInfo("start", N_("What this bot is"), "/start", in_menu=False),
    CommandInfo("help", N_("Commands and examples"), "/help"),
)


async def help_command(update: Update, context: BotContext) -> None:
    lang = await reply_lang(update, context)
    stats = await context.store.stats()
    services = context.services
    await answer(update, render.render_help(stats, services.commands, services.loading(), lang=lang))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler(["start", "help"], help_command, filters=MESSAGES)]
