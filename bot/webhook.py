"""Webhook mode: what `Updater.start_webhook` (and `Application.run_webhook`) is given, built once.

PTB serves the webhook itself (its `webhooks` extra, a tornado server): it listens on the address,
registers the public URL with setWebhook and the secret token, and answers 403 to any request whose
`X-Telegram-Bot-Api-Secret-Token` header is missing or wrong, before the update is read. The server
is mounted at the URL's path, so a reverse proxy that forwards the path unchanged needs no rewrite.

Polling needs nothing from here: PTB's start_polling always calls deleteWebhook first (getUpdates
answers 409 while a webhook is set), so going back to polling ends the webhook by itself.
"""

from __future__ import annotations

import errno
import secrets
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Update

from bot.config import Settings
from bot.crash import one_line
from bot.logs import redact_secret
from bot.store import Store

SECRET_META_KEY = "webhook_secret"


@dataclass(frozen=True, slots=True)
class Webhook:
    """A webhook to serve: the public URL, where to listen, and the secret Telegram sends back."""

    url: str
    listen: str
    port: int
    secret: str

    @property
    def url_path(self) -> str:
        """The path the server answers on: the public URL's (the proxy forwards it unchanged)."""
        return urlsplit(self.url).path or "/"

    def start_arguments(self) -> dict[str, Any]:
        """Keyword arguments of Updater.start_webhook, which Application.run_webhook takes too: `serving`
        and `csto-bot run` start the same webhook. Every update type is asked for, as when polling."""
        return {
            "listen": self.listen,
            "port": self.port,
            "url_path": self.url_path,
            "webhook_url": self.url,
            "secret_token": self.secret,
            "allowed_updates": Update.ALL_TYPES,
        }


async def webhook_for(settings: Settings) -> Webhook | None:
    """The webhook the settings ask for (None: polling), with its secret registered for redaction.

    Without TELEGRAM_WEBHOOK_SECRET the secret is generated once and kept in the database, so that a
    restart registers the same one (and a request Telegram queued meanwhile is still accepted)."""
    if settings.webhook_url is None:
        return None
    secret = settings.webhook_secret
    if secret is None:
        store = await Store.open(settings.db_path)
        try:
            secret = await kept_secret(store)
        finally:
            await store.close()
    redact_secret(secret)  # PTB logs setWebhook's parameters at DEBUG
    host, port = settings.webhook_listen
    return Webhook(url=settings.webhook_url, listen=host, port=port, secret=secret)


async def kept_secret(store: Store) -> str:
    """The database's webhook secret, made on first use (URL-safe: the characters Telegram accepts)."""
    secret = await store.meta_value(SECRET_META_KEY)
    if not secret:
        secret = secrets.token_urlsafe(32)
        redact_secret(secret)  # aiosqlite logs the statement's parameters at DEBUG
        await store.set_meta_value(SECRET_META_KEY, secret)
    return secret


LISTEN_ERRORS = frozenset({errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES})


def start_failure(exc: BaseException, webhook: Webhook) -> str | None:
    """The one line for a webhook that could not start (None: not the webhook's fault).

    run_webhook calls setWebhook, then listens: Telegram refusing the URL is a BadRequest (getMe, the
    step before, fails otherwise); an address that cannot be listened on is an OSError of bind."""
    from telegram.error import BadRequest

    if isinstance(exc, BadRequest):
        return (
            f"csto-bot: Telegram refused the webhook {webhook.url} ({one_line(exc)}): TELEGRAM_WEBHOOK_URL "
            "must be a public https URL Telegram can reach, on port 443, 80, 88 or 8443 (unset it to poll)."
        )
    if isinstance(exc, socket.gaierror) or (isinstance(exc, OSError) and exc.errno in LISTEN_ERRORS):
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else one_line(exc)
        return (
            f"csto-bot: cannot listen on {webhook.listen}:{webhook.port} for the webhook ({reason}): set "
            "CSTO_WEBHOOK_LISTEN (--webhook-listen) to a free host:port, the one your proxy forwards to."
        )
    return None
