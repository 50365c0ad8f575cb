"""/latest [n]: the newest dated items; /latest undated [n]: the items without a date. Each with its
date, summary, sources and /doc id, under a header counting the corpus's dated and undated items."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.i18n import N_
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, command_argument, parse_int, reply_lang

COMMANDS = (CommandInfo("latest", N_("Newest items first"), "/latest 5"),)
UNDATED = "undated"


async def latest_command(update: Update, context: BotContext) -> None:
    lang = await reply_lang(update, context)
    settings = context.services.config
    words = command_argument(update).split()
    undated = bool(words) and words[0].lower() == UNDATED
    count = words[1:] if undated else words
    n = parse_int(count[0]) if len(count) == 1 else settings.latest_default if not count else None
    if n is None or n < 1:
        usage = lang._(
            "Usage: /latest [n] — n from 1 to {most}; /latest undated [n]: the items without a date."
        )
        await answer(update, render.render_usage(usage.format(most=settings.latest_max), lang=lang))
        return

    async def build() -> render.Reply:
        latest = await context.store.latest_items(min(n, settings.latest_max), undated=undated)
        return render.render_latest(latest, n, most=settings.latest_max, lang=lang)

    await answer(update, await context.services.cached(("latest", undated, n), build, lang))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("latest", latest_command, filters=MESSAGES)]
