"""Sending a rendered Reply: the one place that turns render.Reply into Bot API calls."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
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


async def edit(update: Update, reply: Reply) -> None:
    """Replace the message a button belongs to (page turns); an unchanged page is not an error."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(reply.text, reply_markup=keyboard(reply))
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
