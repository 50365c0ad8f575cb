"""Alerts: the messages new items are sent in (one by one, or one digest for a bulk load) and the
replies to /subscribe, /unsubscribe and /subscriptions. Kept together because they speak of the
same subscription and the delivery side (bot.delivery) needs only this module's renderers."""

from __future__ import annotations

from collections.abc import Sequence

from bot.i18n import ENGLISH, Lang
from bot.records import ItemSummary, Subscription
from bot.render.core import (
    MAX_MESSAGE,
    Reply,
    bold,
    clip,
    finish,
    format_date,
    italic,
    summary_entry,
    telegram_length,
)


def render_new_items(items: Sequence[ItemSummary], lang: Lang = ENGLISH) -> list[Reply]:
    """The alert for new items, split over as many messages as it needs."""
    replies: list[Reply] = []
    header = bold(lang._("New in the corpus"))
    text = header
    for item in items:
        entry = summary_entry(item, None, compact=False, lang=lang)
        if telegram_length(f"{text}\n\n{entry}") > MAX_MESSAGE and text != header:
            replies.append(Reply(finish(text)))
            text = header + " " + italic(lang._("(continued)"))
        text = f"{text}\n\n{entry}"
    if items:
        replies.append(Reply(finish(text)))
    return replies


def render_alert_digest(count: int, newest: Sequence[ItemSummary], lang: Lang = ENGLISH) -> Reply:
    """Many new items at once for one chat (a bulk copy of pages): one message, not hundreds. A few
    compact entries (each well under 400 characters) always fit in one message."""
    head = (
        bold(lang._("New in the corpus"))
        + "\n"
        + lang.ngettext(
            "{count} new item, too many to send one by one.",
            "{count} new items, too many to send one by one.",
            count,
        )
    )
    if newest:
        head += " " + lang.ngettext("The newest {count}:", "The newest {count}:", len(newest))
    entries = [summary_entry(item, n, compact=True, lang=lang) for n, item in enumerate(newest, 1)]
    browse = lang._("Browse them all with /latest or /search.")
    return Reply(finish("\n\n".join([head, *entries, browse])))


def _filters_line(filters: Sequence[str], lang: Lang) -> str:
    if not filters:
        return lang._("No filters: every new item is sent.")
    shown = ", ".join(f"<code>{clip(f, 100)}</code>" for f in filters)
    return lang._("Filters: {filters} — an item is sent when any one of them matches.").format(filters=shown)


def render_subscribed(
    filters: Sequence[str], *, updated: bool, in_topic: bool, lang: Lang = ENGLISH
) -> Reply:
    """After /subscribe: new or updated, where alerts go, and the filters as parsed."""
    if updated:
        first = (
            lang._("Already subscribed: filters updated. Alerts go to this topic.")
            if in_topic
            else lang._("Already subscribed: filters updated. Alerts go to this chat.")
        )
    else:
        first = (
            lang._("Subscribed: new items in the corpus will be sent to this topic.")
            if in_topic
            else lang._("Subscribed: new items in the corpus will be sent to this chat.")
        )
    lines = [first, _filters_line(filters, lang)]
    if not updated:
        lines.append(
            lang._("Items already in the corpus are not sent. <code>/unsubscribe</code> stops the alerts.")
        )
    return Reply(finish("\n".join(lines)))


def render_unsubscribed(was_subscribed: bool, *, lang: Lang = ENGLISH) -> Reply:
    if not was_subscribed:
        return Reply(lang._("This chat is not subscribed."))
    return Reply(lang._("Unsubscribed: no more alerts in this chat."))


def render_subscription(subscription: Subscription | None, *, lang: Lang = ENGLISH) -> Reply:
    """/subscriptions: this chat's state and filters."""
    if subscription is None:
        return Reply(
            lang._("This chat is not subscribed. Send <code>/subscribe</code> to get new items here.")
        )
    since = format_date(subscription.created_at.date(), lang)
    if subscription.thread_id is not None:
        state = lang._("This chat is subscribed in this chat's topic where /subscribe was sent since {date}.")
    else:
        state = lang._("This chat is subscribed since {date}.")
    lines = [state.format(date=since), _filters_line(subscription.filters, lang)]
    return Reply(finish("\n".join(lines)))
