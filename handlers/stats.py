"""/stats: what the corpus holds and when it was last loaded."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.i18n import N_
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, reply_lang

COMMANDS = (CommandInfo("stats", N_("Corpus size and last load"), "/stats"),)


async def stats_command(update: Update, context: BotContext) -> None:
    lang = await reply_lang(update, context)
    stats = await context.store.stats()
    await answer(update, render.render_stats(stats, context.services.loading(), lang=lang))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("stats", stats_command, filters=MESSAGES)]
