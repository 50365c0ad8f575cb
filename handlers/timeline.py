"""The Timeline button under /who and /operations: a person's or an operation's items over time, as a picture."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import render
from bot.callbacks import TimelineButton
from bot.context import BotContext
from bot.replies import reply_to_press, send_photo
from bot.i18n import N_
from bot.timeline import caption
from bot.timelines import DrawingFailed
from handlers.common import CommandInfo, reply_lang

COMMANDS: tuple[CommandInfo, ...] = ()  # a button, not a command
NOT_IN_INLINE = N_("The timeline is sent in a chat with the bot: open one and send the command there.")
NOT_DRAWN = N_("The timeline could not be drawn just now: please press the button again.")

log = logging.getLogger(__name__)


async def timeline_press(update: Update, context: BotContext) -> None:
    query = update.callback_query
    press = TimelineButton.parse(query.data) if query else None
    if query is None or press is None:
        return
    lang = await reply_lang(update, context)
    if query.message is None:  # a card sent inline: no chat of ours to send a picture to
        await query.answer(lang._(NOT_IN_INLINE))
        return
    found = await context.services.timelines.find(context.store, press.kind, press.id)
    if found is None:
        await query.answer(render.render_expired_button(lang))
        return
    await query.answer()  # before drawing: the client stops its spinner at once
    try:
        picture = await context.services.timelines.picture(found)
    except DrawingFailed as exc:
        log.warning("timeline %s: %s", query.data, exc)
        await reply_to_press(query, render.render_usage(lang._(NOT_DRAWN), lang=lang))
        return
    await send_photo(query, picture.png, caption(picture.timeline, lang))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CallbackQueryHandler(timeline_press, pattern=TimelineButton.PATTERN)]
