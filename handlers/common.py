"""What every command module shares: its menu entry and how arguments are read."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import filters

# New messages only: an edited message does not run a command again, channel posts are ignored.
MESSAGES = filters.UpdateType.MESSAGE

MAX_ARGUMENT_CHARS = 4000


@dataclass(frozen=True, slots=True)
class CommandInfo:
    name: str
    description: str
    example: str
    in_menu: bool = True


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
