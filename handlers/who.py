"""/who <name>: a person's titles over time and latest mentions, typo-tolerant; a title finds its holders."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import render
from bot.callbacks import PersonButton
from bot.context import BotContext
from bot.i18n import N_, Lang
from bot.matching import PERSON_CUTOFF
from bot.store import QueryTooBroad
from handlers.common import MESSAGES, CommandInfo, answer_name_query, button_press, show_press

COMMANDS = (CommandInfo("who", N_("A person's titles and mentions"), "/who tasmagambetov"),)
TOO_LONG = N_("That is too long for a name: please use at most {most} characters.")

log = logging.getLogger(__name__)


async def who_command(update: Update, context: BotContext) -> None:
    await answer_name_query(update, context, "who", TOO_LONG, _who_reply)


async def _who_reply(context: BotContext, name: str, lang: Lang) -> render.Reply:
    index = await context.services.people()
    if not name:
        return render.render_people_usage(index.most_mentioned(), lang=lang)
    person, candidates = await asyncio.to_thread(index.resolve, name)  # rapidfuzz, in chunks: off the loop
    if person is None:
        if candidates and candidates[0].score >= PERSON_CUTOFF:
            return render.render_person_choices(name, [c.person for c in candidates], lang=lang)
        try:
            holders = await context.store.title_holders(name)  # "/who Secretary General"
        except QueryTooBroad:
            log.info("/who: the title search for %r was stopped at its time budget", name)
            holders = []
        if holders:
            return render.render_title_holders(name, holders, lang=lang)
        return render.render_person_not_found(name, [c.person for c in candidates], lang=lang)
    profile = await context.store.person(person.id, mention_count=person.mention_count)
    if profile is None:
        return render.render_person_not_found(name, [], lang=lang)
    return render.render_person(profile, lang=lang)


async def who_choice(update: Update, context: BotContext) -> None:
    if (found := await button_press(update, context, PersonButton.parse)) is None:
        return
    query, press, lang = found
    person = (await context.services.people()).get(press.id)
    profile = await context.store.person(person.id, mention_count=person.mention_count) if person else None
    await show_press(update, query, render.render_person(profile, lang=lang) if profile else None, lang)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("who", who_command, filters=MESSAGES),
        CallbackQueryHandler(who_choice, pattern=PersonButton.PATTERN),
    ]
