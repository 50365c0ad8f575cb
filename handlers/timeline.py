"""The Timeline button under /who and /operations: a person's or an operation's items over time, as a picture."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import render
from bot.callbacks import TimelineButton
from bot.context import BotContext
from bot.i18n import N_
from bot.replies import reply_to_press, send_photo
from bot.timeline import caption
from bot.timelines import DrawingFailed
from handlers.common import CommandInfo, button_press

COMMANDS: tuple[CommandInfo, ...] = ()  # a button, not a command
NOT_IN_INLINE = N_("The timeline is sent in a chat with the bot: open one and send the command there.")
NOT_DRAWN = N_("The timeline could not be drawn just now: please press the button again.")

log = logging.getLogger(__name__)


async def timeline_press(update: Update, context: BotContext) -> None:
    if (pressed := await button_press(update, context, TimelineButton.parse)) is None:
        return
    query, press, lang = pressed
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
