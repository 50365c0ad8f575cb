"""Every button's callback data: each format built, parsed and registered from one class here.

``who:<person id>``, ``op:<operation id>``, ``doc:<item id>:<page>``, ``s:<token>:<page>``. A class's
`data()` builds the string render.py puts on a button, `parse()` reads a press back (None for anything
else: a stale or forged press), and `PATTERN` is what its handler registers with, so the three never
disagree. Telegram takes 1-64 bytes of callback data: `check_size` is the one place that says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar, Self

MAX_CALLBACK_BYTES = 64
MAX_ID_DIGITS = 9  # store ids
MAX_DOC_PAGE_DIGITS = 4
MAX_SEARCH_PAGE_DIGITS = 5
MAX_TOKEN_CHARS = 16
TOKEN_CHARS = "A-Za-z0-9_-"  # what bot.services' button tokens are made of (URL-safe base64)


def check_size(data: str) -> str:
    """`data` if Telegram accepts it as callback data (1-64 bytes of UTF-8); otherwise ValueError."""
    size = len(data.encode("utf-8"))
    if not 1 <= size <= MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data must be 1-{MAX_CALLBACK_BYTES} bytes, got {size}: {data!r}")
    return data


def _match(pattern: re.Pattern[str], data: str | None) -> re.Match[str] | None:
    return pattern.fullmatch(data) if data else None


def _id_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^{prefix}:(\d{{1,{MAX_ID_DIGITS}}})$")


@dataclass(frozen=True, slots=True)
class _OneIdButton:
    """``<prefix>:<store id>``: a thing picked from a list."""

    id: int
    PREFIX: ClassVar[str]
    PATTERN: ClassVar[re.Pattern[str]]

    def data(self) -> str:
        return check_size(f"{self.PREFIX}:{self.id}")

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        found = _match(cls.PATTERN, data)
        return cls(int(found[1])) if found else None


@dataclass(frozen=True, slots=True)
class PersonButton(_OneIdButton):
    """A person picked from a /who list: their profile."""

    PREFIX = "who"
    PATTERN = _id_pattern(PREFIX)


@dataclass(frozen=True, slots=True)
class OperationButton(_OneIdButton):
    """An operation picked from the /operations list: its detail."""

    PREFIX = "op"
    PATTERN = _id_pattern(PREFIX)


@dataclass(frozen=True, slots=True)
class DocPageButton:
    """◀ ▶ in /doc: another page of one item."""

    item_id: int
    page: int
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        rf"^doc:(\d{{1,{MAX_ID_DIGITS}}}):(\d{{1,{MAX_DOC_PAGE_DIGITS}}})$"
    )

    def data(self) -> str:
        return check_size(f"doc:{self.item_id}:{self.page}")

    @classmethod
    def parse(cls, data: str | None) -> DocPageButton | None:
        found = _match(cls.PATTERN, data)
        return cls(int(found[1]), int(found[2])) if found else None


@dataclass(frozen=True, slots=True)
class SearchPageButton:
    """◀ ▶ in /search: another page of the results; the token stands for the query (bot.services)."""

    token: str
    page: int
    PATTERN: ClassVar[re.Pattern[str]] = re.compile(
        rf"^s:([{TOKEN_CHARS}]{{1,{MAX_TOKEN_CHARS}}}):(\d{{1,{MAX_SEARCH_PAGE_DIGITS}}})$"
    )

    def data(self) -> str:
        return check_size(f"s:{self.token}:{self.page}")

    @classmethod
    def parse(cls, data: str | None) -> SearchPageButton | None:
        found = _match(cls.PATTERN, data)
        return cls(found[1], int(found[2])) if found else None
