"""/latest [n]: the newest dated items, each with its date, summary, source and /doc id."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.i18n import N_
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, command_argument, parse_int, reply_lang

COMMANDS = (CommandInfo("latest", N_("Newest items first"), "/latest 5"),)


async def latest_command(update: Update, context: BotContext) -> None:
    lang = await reply_lang(update, context)
    settings = context.services.config
    text = command_argument(update)
    n = parse_int(text) if text else settings.latest_default
    if n is None or n < 1:
        usage = lang._("Usage: /latest [n] — n from 1 to {most}.").format(most=settings.latest_max)
        await answer(update, render.render_usage(usage, lang=lang))
        return

    async def build() -> render.Reply:
        items = await context.store.latest(min(n, settings.latest_max))
        return render.render_latest(items, n, most=settings.latest_max, lang=lang)

    await answer(update, await context.services.cached(("latest", n), build, lang))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("latest", latest_command, filters=MESSAGES)]
