"""What every command module shares: its menu entry and how arguments are read."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import filters

from bot.context import BotContext
from bot.i18n import Lang, translator

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
    """The argument of the command this update carries (argument_text of its message; "" without one)."""
    message = update.effective_message
    return argument_text(message.text if message else None)


def parse_int(text: str) -> int | None:
    """A plain positive integer, or None (no signs, no spaces, at most 9 digits).

    isdecimal, not isdigit: "²" is a digit that int() refuses."""
    text = text.strip()
    return int(text) if text.isdecimal() and len(text) <= 9 else None
