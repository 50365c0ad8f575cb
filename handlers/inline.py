"""Inline mode: `@Bot tasmagambetov` in any chat lists the people, operations and items that match,
best first, paged; `@Bot` alone lists the newest items. (Switched on with @BotFather's /setinline.)"""

from __future__ import annotations

import logging

from telegram import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import BaseHandler, InlineQueryHandler

from bot import inline_search
from bot.context import BotContext
from bot.render import inline as render_inline
from handlers.common import CommandInfo, user_lang

COMMANDS: tuple[CommandInfo, ...] = ()  # no command: Telegram sends inline queries by themselves

# Telegram keeps an answer this long for the user who asked (is_personal: the answer is in that user's
# language, and Telegram's shared cache knows only the words); the corpus changes with a load, so not for
# longer. An answer built during a load, or a refusal, is not kept.
CACHE_SECONDS = 300
UNKEPT_CACHE_SECONDS = 0

log = logging.getLogger(__name__)


async def inline_query(update: Update, context: BotContext) -> None:
    query = update.inline_query
    if query is None:
        return
    found = await inline_search.find(context.services, query.query, query.offset)
    await send(query, render_inline.render_inline(found, lang=user_lang(update)))


async def send(query: InlineQuery, answer: render_inline.InlineAnswer) -> None:
    """answerInlineQuery with the rendered cards. A query answered too late (Telegram waits about ten
    seconds) is only logged: the user has typed on, and there is no one left to tell."""
    results = [
        InlineQueryResultArticle(
            id=card.id,
            title=card.title,
            description=card.description or None,
            input_message_content=InputTextMessageContent(
                card.text,
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        for card in answer.cards
    ]
    button = (
        InlineQueryResultsButton(text=answer.button, start_parameter=render_inline.START_PARAMETER)
        if answer.button
        else None
    )
    try:
        await query.answer(
            results,
            cache_time=CACHE_SECONDS if answer.complete else UNKEPT_CACHE_SECONDS,
            is_personal=True,
            # Left out rather than "" at the end: PTB 22's Defaults turn an empty string into "[]"
            # (ExtBot._insert_defaults takes "" for an empty list of poll options).
            next_offset=answer.next_offset or None,
            button=button,
        )
    except BadRequest as exc:
        if "query is too old" not in str(exc).lower() and "query_id_invalid" not in str(exc).lower():
            raise
        log.info("an inline query expired before it was answered")


async def slow_down(update: Update, *, warn: bool) -> None:
    """The flood guard's answer: no results (kept for no one), and the first time a reason."""
    if update.inline_query is not None:
        await send(update.inline_query, render_inline.render_slow_down(warn, lang=user_lang(update)))


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [InlineQueryHandler(inline_query)]
