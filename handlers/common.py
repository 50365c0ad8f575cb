"""What every command module shares: its menu entry and how arguments are read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram import CallbackQuery, Update
from telegram.ext import filters

from bot import render
from bot.context import BotContext
from bot.corpus.decode import one_script_words
from bot.i18n import Lang, translator
from bot.matching import MAX_NAME_QUERY
from bot.replies import answer, edit

Press = TypeVar("Press")

# New messages only: an edited message does not run a command again, channel posts are ignored.
MESSAGES = filters.UpdateType.MESSAGE

MAX_ARGUMENT_CHARS = 4000


@dataclass(frozen=True, slots=True)
class CommandInfo:
    """A command's menu entry; `description` is an English msgid (mark it with N_), translated where it
    is shown (/help, the command menu of each language)."""

    name: str
    description: str
    example: str
    in_menu: bool = True


async def reply_lang(update: Update, context: BotContext) -> Lang:
    """The language to answer in: the chat's /language choice, else the sender's Telegram language
    (English when the bot has no catalog for it)."""
    chat = update.effective_chat
    chosen = await context.services.chat_language(chat.id) if chat is not None else None
    if chosen is not None:
        return translator(chosen)
    return user_lang(update)


def user_lang(update: Update) -> Lang:
    """The sender's Telegram language alone (no store: for the error handler's apology)."""
    user = update.effective_user
    return translator(user.language_code if user is not None else None)


def argument_text(text: str | None) -> str:
    """Everything after the command word (and its @botname), whitespace-trimmed and bounded."""
    if not text:
        return ""
    parts = text.split(maxsplit=1)
    return parts[1].strip()[:MAX_ARGUMENT_CHARS] if len(parts) > 1 else ""


def command_argument(update: Update) -> str:
    """The argument of the command this update carries (argument_text of its message; "" without one),
    each word in one script as the corpus is (a Latin "a" typed in a Russian name finds the name)."""
    message = update.effective_message
    return one_script_words(argument_text(message.text if message else None))


def parse_int(text: str) -> int | None:
    """A plain positive integer, or None (no signs, no spaces, at most 9 digits).

    isdecimal, not isdigit: "²" is a digit that int() refuses."""
    text = text.strip()
    return int(text) if text.isdecimal() and len(text) <= 9 else None


async def button_press(
    update: Update, context: BotContext, parse: Callable[[str | None], Press | None]
) -> tuple[CallbackQuery, Press, Lang] | None:
    """The button press this update carries, read by `parse` (a bot.callbacks class's parse), with the
    language to answer in; None when there is nothing to answer (no press, or data `parse` refuses)."""
    query = update.callback_query
    press = parse(query.data) if query else None
    if query is None or press is None:
        return None
    return query, press, await reply_lang(update, context)


async def show_press(
    update: Update, query: CallbackQuery, reply: render.Reply | None, lang: Lang, *, replace: bool = True
) -> None:
    """Answer a press with `reply`, in place of the pressed message (`replace`: page turns) or as a new
    one; `reply` None means what the button names is gone, said in a toast (the button has expired)."""
    if reply is None:
        await query.answer(render.render_expired_button(lang))
        return
    await query.answer()
    await (edit(update, reply) if replace else answer(update, reply))


async def answer_name_query(
    update: Update,
    context: BotContext,
    command: str,
    too_long: str,
    build: Callable[[BotContext, str, Lang], Awaitable[render.Reply]],
) -> None:
    """A command that looks a name up (/who, /operations): a name over MAX_NAME_QUERY gets `too_long`
    (a msgid with {most}); else the reply `build` makes, kept in the answer cache under (command, name)."""
    lang = await reply_lang(update, context)
    name = command_argument(update)
    if len(name) > MAX_NAME_QUERY:
        await answer(update, render.render_usage(lang._(too_long).format(most=MAX_NAME_QUERY), lang=lang))
        return
    await answer(
        update, await context.services.cached((command, name), lambda: build(context, name, lang), lang)
    )
