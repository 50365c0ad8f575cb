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
from bot.i18n import N_
from bot.replies import answer
from handlers.common import MESSAGES, CommandInfo, argument_text, reply_lang

log = logging.getLogger(__name__)

COMMANDS = (
    CommandInfo(
        "subscribe", N_("Alerts about new documents in this chat"), "/subscribe person:Tasmagambetov"
    ),
    CommandInfo("unsubscribe", N_("Stop the alerts in this chat"), "/unsubscribe"),
    CommandInfo("subscriptions", N_("This chat's alerts and filters"), "/subscriptions"),
)

ADMIN_STATUSES = frozenset({ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR})
GONE_STATUSES = frozenset({ChatMemberStatus.LEFT, ChatMemberStatus.BANNED})
GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
MAX_CACHED = 10_000

ONLY_ADMINS = N_("Only group admins can change the alerts of this group.")
FORWARDED = N_("Forwarded commands don't count: send the command yourself.")
NOT_CHECKED = N_("Could not check your admin rights just now; please try again in a moment.")
NOT_HERE = N_("Alerts can be set up in private chats and groups only.")


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


async def _refusal(
    message: Message, chat: Chat, context: BotContext, only_admins: str, not_here: str
) -> str | None:
    """Why this message may not change the chat's settings; None when it may (an English msgid)."""
    if message.forward_origin is not None or message.is_automatic_forward:
        return FORWARDED
    if chat.type == ChatType.PRIVATE:
        return None
    if chat.type not in GROUPS:
        return not_here
    if message.sender_chat is not None:
        return None if message.sender_chat.id == chat.id else only_admins
    if message.from_user is None:
        return only_admins
    allowed = await _is_admin(context, chat.id, message.from_user.id)
    return NOT_CHECKED if allowed is None else (None if allowed else only_admins)


async def allowed_here(
    update: Update, context: BotContext, *, only_admins: str = ONLY_ADMINS, not_here: str = NOT_HERE
) -> tuple[Message, Chat] | None:
    """The message and chat when the sender may change this chat's alerts (or, with other refusals,
    another setting such as /language); otherwise answer why not, in the chat's language."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    refusal = await _refusal(message, chat, context, only_admins, not_here)
    if refusal is not None:
        lang = await reply_lang(update, context)
        await answer(update, render.render_usage(lang._(refusal), lang=lang))
        return None
    return message, chat


async def subscribe_command(update: Update, context: BotContext) -> None:
    allowed = await allowed_here(update, context)
    if allowed is None:
        return
    message, chat = allowed
    lang = await reply_lang(update, context)
    chosen = parse_filters(argument_text(message.text))
    thread_id = message.message_thread_id if message.is_topic_message else None
    updated = await context.store.subscribe(chat.id, thread_id, chosen)
    in_topic = thread_id is not None
    await answer(update, render.render_subscribed(chosen, updated=updated, in_topic=in_topic, lang=lang))


async def unsubscribe_command(update: Update, context: BotContext) -> None:
    allowed = await allowed_here(update, context)
    if allowed is None:
        return
    lang = await reply_lang(update, context)
    removed = await context.store.unsubscribe(allowed[1].id)
    await answer(update, render.render_unsubscribed(removed, lang=lang))


async def subscriptions_command(update: Update, context: BotContext) -> None:
    chat = update.effective_chat
    if chat is not None:
        lang = await reply_lang(update, context)
        subscription = await context.store.subscription(chat.id)
        await answer(update, render.render_subscription(subscription, lang=lang))


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
