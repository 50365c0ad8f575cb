"""/language [ru | en | auto]: the language this chat's replies are written in, kept per chat.

Without a choice (auto) each user is answered in their Telegram language. In groups only admins may
change it (the same rule as for alerts: handlers.subscribe.allowed_here).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import render
from bot.context import BotContext
from bot.i18n import LANGUAGES, N_
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, command_argument, reply_lang
from handlers.subscribe import allowed_here

COMMANDS = (CommandInfo("language", N_("Reply language: ru, en or auto"), "/language ru"),)
AUTO = "auto"
USAGE = N_("Usage: /language ru | en | auto — auto follows each user's Telegram language.")
ONLY_ADMINS = N_("Only group admins can change the language of this group.")
NOT_HERE = N_("The language can be set in private chats and groups only.")


async def language_command(update: Update, context: BotContext) -> None:
    choice = command_argument(update).casefold()
    chat = update.effective_chat
    if chat is None:
        return
    if not choice:  # anyone may ask what the setting is
        current = await context.services.chat_language(chat.id)
        await answer(update, render.render_language(current, await reply_lang(update, context)))
        return
    if choice not in (*LANGUAGES, AUTO):
        lang = await reply_lang(update, context)
        await answer(update, render.render_usage(lang._(USAGE), lang=lang))
        return
    if await allowed_here(update, context, only_admins=ONLY_ADMINS, not_here=NOT_HERE) is None:
        return
    chosen = None if choice == AUTO else choice
    await context.services.set_chat_language(chat.id, chosen)
    # Said in the language replies now use: the new one, or the sender's own for auto.
    await answer(update, render.render_language(chosen, await reply_lang(update, context)))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [CommandHandler("language", language_command, filters=MESSAGES)]
