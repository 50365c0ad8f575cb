"""Records in, Telegram HTML out: every reply the bot sends is built in this package (pure: no store, no
network). Split by what it renders, so each module stays one job; callers keep `from bot import render`
and ``render.render_x(...)``, re-exported here.

- core: Reply, Button and the text rules every reply follows (escaping, clipping, 4,096 units, dates)
- items: /latest, /search, /doc
- people: /who's card (with its Timeline button), choices, closest names, title holders
- operations: /operations' and /exercises' lists and cards
- alerts: new-item alerts, digests, /subscribe, /unsubscribe, /subscriptions
- help: /start, /help, /stats, /language, notices
- inline: inline-mode cards (imported as ``bot.render.inline``; not re-exported here)
"""

from bot.render.alerts import (
    render_alert_digest,
    render_new_items,
    render_subscribed,
    render_subscription,
    render_unsubscribed,
)
from bot.render.core import (
    MAX_BUTTONS,
    MAX_LABEL,
    MAX_MESSAGE,
    TIMELINE_LABEL,
    Button,
    Reply,
    format_date,
    telegram_length,
)
from bot.render.help import (
    MAX_TOAST,
    render_error,
    render_expired_button,
    render_help,
    render_language,
    render_stats,
    render_usage,
    with_loading_note,
)
from bot.render.items import render_item, render_latest, render_search
from bot.render.operations import render_operation, render_operations
from bot.render.people import (
    render_people_usage,
    render_person,
    render_person_choices,
    render_person_not_found,
    render_title_holders,
)

__all__ = [
    "MAX_BUTTONS",
    "MAX_LABEL",
    "MAX_MESSAGE",
    "MAX_TOAST",
    "TIMELINE_LABEL",
    "Button",
    "Reply",
    "format_date",
    "render_alert_digest",
    "render_error",
    "render_expired_button",
    "render_help",
    "render_item",
    "render_language",
    "render_latest",
    "render_new_items",
    "render_operation",
    "render_operations",
    "render_people_usage",
    "render_person",
    "render_person_choices",
    "render_person_not_found",
    "render_search",
    "render_stats",
    "render_subscribed",
    "render_subscription",
    "render_title_holders",
    "render_unsubscribed",
    "render_usage",
    "telegram_length",
    "with_loading_note",
]
