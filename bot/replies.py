"""Sending a rendered Reply: the one place that turns render.Reply into Bot API calls."""

from __future__ import annotations

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.error import BadRequest

from bot.render import Reply


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.callback_data) for b in row] for row in reply.buttons]
    )


async def answer(update: Update, reply: Reply) -> Message | None:
    """Reply in the chat (and forum topic) the update came from."""
    message = update.effective_message
    if message is None:
        return None
    return await message.reply_text(reply.text, reply_markup=keyboard(reply), do_quote=False)


# Telegram's answers to an edit of a message it no longer lets the bot edit (too old, or deleted).
_CANNOT_EDIT = ("message to edit not found", "message can't be edited")


async def edit(update: Update, reply: Reply) -> None:
    """Replace the message a button belongs to (page turns); an unchanged page is not an error.

    A message the bot can no longer edit (Telegram marks it inaccessible, date 0, or refuses the
    edit) gets the page as a new message in its chat instead."""
    query = update.callback_query
    if query is None:
        return
    message = query.message
    if query.inline_message_id is None:
        if message is None:  # Telegram always names the message or the inline message
            return
        if not message.is_accessible:
            await _send_instead(query, message, reply)
            return
    try:
        await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
    except BadRequest as exc:
        problem = str(exc).lower()
        if "not modified" in problem:
            return
        if message is None or not any(words in problem for words in _CANNOT_EDIT):
            raise
        await _send_instead(query, message, reply)


async def _send_instead(query: CallbackQuery, message: MaybeInaccessibleMessage, reply: Reply) -> None:
    """The reply as a new message in the chat (and forum topic) of a message that cannot be edited."""
    if isinstance(message, Message):
        await message.reply_text(reply.text, reply_markup=keyboard(reply), do_quote=False)
    else:
        await query.get_bot().send_message(message.chat.id, reply.text, reply_markup=keyboard(reply))


async def reply_to_press(query: CallbackQuery, reply: Reply) -> None:
    """A new message in the chat (and forum topic) of the message whose button was pressed."""
    if query.message is not None:
        await _send_instead(query, query.message, reply)


PHOTO_NAME = "timeline.png"  # what a client offers to save the picture as


async def send_photo(query: CallbackQuery, png: bytes, caption: str) -> None:
    """A picture with its caption (Telegram HTML) in the chat (and forum topic) of the message whose
    button was pressed; a message the bot can no longer see still names its chat."""
    message = query.message
    if isinstance(message, Message):
        await message.reply_photo(png, caption=caption, filename=PHOTO_NAME, do_quote=False)
    elif message is not None:
        await query.get_bot().send_photo(message.chat.id, png, caption=caption, filename=PHOTO_NAME)
