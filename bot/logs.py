"""Logging set-up: one format, httpx quiet, and the bot token redacted from every record.

The token sits in every Bot API URL, so redaction happens where records are made (a record
factory), which covers every handler, including ones a test or a deployment adds later.
"""

from __future__ import annotations

import logging
from typing import Any

_secrets: list[str] = []
_base_factory = logging.getLogRecordFactory()


def _redact(text: str) -> str:
    for secret in _secrets:
        text = text.replace(secret, "<token>")
    return text


def redact(text: str) -> str:
    """The text with every registered secret replaced: for what reaches a terminal without logging."""
    return _redact(text)


def _factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    if not _secrets:
        return record
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a malformed call: leave it to the handler to report
        return record
    redacted = _redact(message)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and record.exc_info[1] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        if any(s in text for s in _secrets):
            record.exc_text = _redact(text)
            record.exc_info = None
    return record


def redact_secret(secret: str | None) -> None:
    """Register a secret (the bot token) that must never reach a log line."""
    if secret and secret not in _secrets:
        _secrets.append(secret)
        # the token's numeric id alone is harmless; its whole form and its secret half are not
        if ":" in secret:
            _secrets.append(secret.split(":", 1)[1])
    logging.setLogRecordFactory(_factory)


def setup_logging(level: str, token: str | None) -> None:
    root = logging.getLogger()
    root.setLevel(level)
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    redact_secret(token)
    for noisy in ("httpx", "httpcore", "apscheduler", "watchfiles"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
