"""/subscribe [filters], /unsubscribe, /subscriptions, and the bot's own membership changes.

In groups only administrators may change the alerts, and nothing else passes for one:
- an anonymous administrator posts as the group itself: sender_chat.id == chat.id (no API call);
- any other sender_chat (a channel posting, a linked channel's automatic forward) is refused;
- a forwarded command is refused: it is someone else's command, whoever forwards it;
- otherwise getChatMember must say creator or administrator (cached for admin_cache_seconds).
"""

from __future__ import annotations

import logging
import time

from telegram import Chat, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError
from telegram.ext import BaseHandler, ChatMemberHandler, CommandHandler, MessageHandler, filters

from bot import render
from bot.alert_filters import parse_filters
from bot.context import BotContext
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, argument_text

log = logging.getLogger(__name__)

COMMANDS = (
    CommandInfo("subscribe", "Alerts about new documents in this chat", "/subscribe person:Tasmagambetov"),
    CommandInfo("unsubscribe", "Stop the alerts in this chat", "/unsubscribe"),
    CommandInfo("subscriptions", "This chat's alerts and filters", "/subscriptions"),
)

ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
GONE_STATUSES = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})
GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
MAX_CACHED = 10_000

ONLY_ADMINS = "Only group admins can change the alerts of this group."
FORWARDED = "Forwarded commands don't count: send the command yourself."
NOT_CHECKED = "Could not check your admin rights just now; please try again in a moment."
NOT_HERE = "Alerts can be set up in private chats and groups only."


async def _is_admin(context: BotContext, chat_id: int, user_id: int) -> bool | None:
    """getChatMember, cached briefly (both answers); None when Telegram could not say."""
    services = context.services
    cache = services.admin_cache
    now = time.monotonic()
    cached = cache.get((chat_id, user_id))
    if cached is not None and now - cached[0] < services.config.admin_cache_seconds:
        return cached[1]
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError as exc:
        log.warning("could not check admin rights of user %s in chat %s: %s", user_id, chat_id, exc)
        return None
    if len(cache) >= MAX_CACHED:
        cache.clear()  # a few thousand lookups again beat an unbounded dict
    is_admin = member.status in ADMIN_STATUSES
    cache[(chat_id, user_id)] = (now, is_admin)
    return is_admin


async def _refusal(message: Message, chat: Chat, context: BotContext) -> str | None:
    """Why this message may not change the chat's alerts; None when it may."""
    if message.forward_origin is not None or message.is_automatic_forward:
        return FORWARDED
    if chat.type == ChatType.PRIVATE:
        return None
    if chat.type not in GROUPS:
        return NOT_HERE
    if message.sender_chat is not None:
        return None if message.sender_chat.id == chat.id else ONLY_ADMINS
    if message.from_user is None:
        return ONLY_ADMINS
    allowed = await _is_admin(context, chat.id, message.from_user.id)
    return NOT_CHECKED if allowed is None else (None if allowed else ONLY_ADMINS)


async def _allowed(update: Update, context: BotContext) -> tuple[Message, Chat] | None:
    """The message and chat when the sender may manage alerts here; otherwise answer why not."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    refusal = await _refusal(message, chat, context)
    if refusal is not None:
        await answer(update, render.render_usage(refusal))
        return None
    return message, chat


async def subscribe_command(update: Update, context: BotContext) -> None:
    allowed = await _allowed(update, context)
    if allowed is None:
        return
    message, chat = allowed
    chosen = parse_filters(argument_text(message.text))
    thread_id = message.message_thread_id if message.is_topic_message else None
    updated = await context.store.subscribe(chat.id, thread_id, chosen)
    await answer(update, render.render_subscribed(chosen, updated=updated, in_topic=thread_id is not None))


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    allowed = await _allowed(update, context)
    if allowed is None:
        return
    removed = await context.store.unsubscribe(allowed[1].id)
    await answer(update, render.render_unsubscribed(removed))


async def subscriptions_command(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is not None:
        await answer(update, render.render_subscription(await context.store.subscription(chat.id)))


async def bot_membership(update: Update, context: BotContext) -> None:
    """Kicked, blocked or left: nobody is left to receive the alerts, so the subscription goes."""
    change = update.my_chat_member
    if change is None or change.new_chat_member.status not in GONE_STATUSES:
        return
    if await context.store.unsubscribe(change.chat.id):
        status = change.new_chat_member.status
        log.info("chat %s removed the bot (%s); subscription removed", change.chat.id, status)


async def chat_migrated(update: Update, context: BotContext) -> None:
    """A group became a supergroup (new id): the subscription follows before any alert bounces."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        await context.store.move_subscription(message.chat.id, message.migrate_to_chat_id)
    elif message.migrate_from_chat_id:
        await context.store.move_subscription(message.migrate_from_chat_id, message.chat.id)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("subscribe", subscribe_command, filters=MESSAGES),
        CommandHandler("unsubscribe", unsubscribe_command, filters=MESSAGES),
        CommandHandler("subscriptions", subscriptions_command, filters=MESSAGES),
        ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
        MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
    ]
