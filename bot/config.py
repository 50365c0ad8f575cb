"""Settings: config/default.yaml, overridden by CSTO_CONFIG's YAML, then environment variables, then flags.

Loaded once into a frozen dataclass. Secrets (the bot token, the webhook's secret token) only ever come
from the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml


def _locate_shipped_files() -> tuple[Path, bool]:
    """Where config/ and seeds/ are, and whether this is an installed wheel.

    A source checkout (an editable install too) has them at its top. A wheel carries them as
    bot/_data/config and bot/_data/seeds (pyproject.toml maps them there): nothing of ours lands at
    the top of site-packages, and bot/_data never exists in a checkout.
    """
    package = Path(__file__).resolve().parent
    wheel_data = package / "_data"
    if (wheel_data / "config" / "default.yaml").is_file():
        return wheel_data, True
    return package.parent, False


DATA_ROOT, INSTALLED = _locate_shipped_files()
DEFAULT_CONFIG = DATA_ROOT / "config" / "default.yaml"
TELEGRAM_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1:8080"
# What Telegram accepts as a webhook's secret_token (setWebhook): 1-256 of these characters.
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class ConfigError(ValueError):
    """The configuration cannot be used; the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None
    base_url: str
    poll_timeout: int
    corpus_dir: Path
    lexicon_path: Path
    max_file_bytes: int
    batch_files: int
    parse_processes: int
    watch: bool
    watch_debounce_ms: int
    db_path: Path
    latest_default: int
    latest_max: int
    search_page_size: int
    commands_per_user: int
    per_seconds: float
    admin_cache_seconds: float
    sends_per_second: float
    outbox_keep_days: float  # finished outbox rows (sent, failed, dropped) older than this are removed
    sender_interval: float
    alert_digest_from: int  # more alerts than this waiting for one chat go as one digest
    log_level: str
    webhook_url: str | None = None  # set: updates come over a webhook at this public https URL, not polling
    webhook_listen: tuple[str, int] = ("127.0.0.1", 8080)  # where the webhook's server listens (host, port)
    webhook_secret: str | None = None  # None: one is generated and kept in the database (bot.webhook)


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a mapping")
    return data


def _path(value: str | os.PathLike[str], root: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (root / path)


def _read_defaults() -> dict[str, Any]:
    """default.yaml with its corpus folder and lexicon made absolute, found where they were shipped.

    Any other relative path (the database, a path in another YAML) is relative to the project in a
    checkout, and to the working directory once installed: nothing is written inside site-packages.
    """
    data = _read_yaml(DEFAULT_CONFIG)
    corpus = data.get("corpus") or {}
    shipped = {key: str(_path(corpus[key], DATA_ROOT)) for key in ("dir", "lexicon") if key in corpus}
    return data | {"corpus": corpus | shipped}


def load_settings(
    config_file: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    corpus: str | Path | None = None,
    db: str | Path | None = None,
    log_level: str | None = None,
    webhook_url: str | None = None,
    webhook_listen: str | None = None,
) -> Settings:
    """Build the settings: defaults, then another YAML (flag or CSTO_CONFIG), env vars, flags."""
    env = os.environ if env is None else env
    data = _read_defaults()
    root = Path.cwd() if INSTALLED else DATA_ROOT  # for every other relative path: see _read_defaults
    extra = config_file or env.get("CSTO_CONFIG")
    if extra:
        data = _merge(data, _read_yaml(Path(extra).expanduser()))
    try:
        tg, cp, dbc = data["telegram"], data["corpus"], data["database"]
        rp, lim, al = data["replies"], data["limits"], data["alerts"]
        settings = Settings(
            token=env.get("TELEGRAM_BOT_TOKEN") or None,
            base_url=env.get("TELEGRAM_BASE_URL") or str(tg.get("base_url") or TELEGRAM_BASE_URL),
            poll_timeout=int(tg.get("poll_timeout_seconds", 30)),
            corpus_dir=_path(cp["dir"], root),
            lexicon_path=_path(cp["lexicon"], root),
            max_file_bytes=int(cp["max_file_bytes"]),
            batch_files=max(1, int(cp["batch_files"])),
            parse_processes=max(0, int(cp.get("parse_processes", 1))),
            watch=bool(cp["watch"]),
            watch_debounce_ms=int(cp["watch_debounce_ms"]),
            db_path=_path(dbc["path"], root),
            latest_default=int(rp["latest_default"]),
            latest_max=int(rp["latest_max"]),
            search_page_size=int(rp["search_page_size"]),
            commands_per_user=int(lim["commands_per_user"]),
            per_seconds=float(lim["per_seconds"]),
            admin_cache_seconds=float(lim["admin_cache_seconds"]),
            sends_per_second=max(0.1, float(lim.get("sends_per_second", 29))),
            outbox_keep_days=max(0.0, float(al.get("keep_days", 30))),
            sender_interval=float(al["sender_interval_seconds"]),
            alert_digest_from=max(1, int(al.get("digest_from", 50))),
            log_level=str(data.get("logging", {}).get("level", "INFO")).upper(),
            webhook_url=_webhook_url(
                webhook_url or env.get("TELEGRAM_WEBHOOK_URL") or str(tg.get("webhook_url") or "")
            ),
            webhook_listen=_listen_address(
                webhook_listen or env.get("CSTO_WEBHOOK_LISTEN") or str(tg.get("webhook_listen") or "")
            ),
            webhook_secret=_webhook_secret(env.get("TELEGRAM_WEBHOOK_SECRET")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"bad configuration value: {exc}") from exc
    if env.get("CSTO_CORPUS_DIR"):
        settings = replace(settings, corpus_dir=Path(env["CSTO_CORPUS_DIR"]).expanduser().resolve())
    if env.get("CSTO_DB_PATH"):
        settings = replace(settings, db_path=Path(env["CSTO_DB_PATH"]).expanduser().resolve())
    if corpus:
        settings = replace(settings, corpus_dir=Path(corpus).expanduser().resolve())
    if db:
        settings = replace(settings, db_path=Path(db).expanduser().resolve())
    if log_level:
        settings = replace(settings, log_level=log_level.upper())
    return settings


def _webhook_url(url: str) -> str | None:
    """The public URL Telegram posts updates to: https, as Telegram requires; empty means polling."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or parts.fragment:
        raise ConfigError(
            f"TELEGRAM_WEBHOOK_URL must be a public https URL such as https://bot.example.org/telegram, "
            f"not {url!r} (TLS ends at your reverse proxy, which forwards to CSTO_WEBHOOK_LISTEN)"
        )
    return url


def _listen_address(text: str) -> tuple[str, int]:
    """`host:port` (an IPv6 host in brackets) where the webhook's server listens."""
    text = text.strip() or DEFAULT_WEBHOOK_LISTEN
    host, _, port = text.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdecimal() or not 0 < int(port) < 65536:
        raise ConfigError(
            f"CSTO_WEBHOOK_LISTEN must be host:port, such as {DEFAULT_WEBHOOK_LISTEN}, not {text!r}"
        )
    return host, int(port)


def _webhook_secret(secret: str | None) -> str | None:
    """TELEGRAM_WEBHOOK_SECRET as Telegram accepts it; never quoted back (it is a secret)."""
    if not secret:
        return None
    if not WEBHOOK_SECRET_PATTERN.fullmatch(secret):
        raise ConfigError(
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters, each a letter, a digit, _ or - "
            "(unset it to have one generated and kept in the database)"
        )
    return secret
