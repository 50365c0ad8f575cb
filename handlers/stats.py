"""/stats: what the corpus holds and when it was last loaded."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo

COMMANDS = (CommandInfo("stats", "Corpus size and last load", "/stats"),)


async def stats_command(update: Update, context: BotContext) -> None:
    await answer(update, render.render_stats(await context.store.stats(), context.services.loading()))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("stats", stats_command, filters=MESSAGES)]
