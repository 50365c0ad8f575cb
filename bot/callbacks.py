"""Every button's callback data: each format built, parsed and registered from one class here.

``who:<person id>``, ``op:<operation id>``, ``doc:<item id>:<page>``, ``s:<token>:<page>``,
``tl:p:<person id>`` / ``tl:o:<operation id>``. A class's
`data()` builds the string bot.render puts on a button, `parse()` reads a press back (None for anything
else: a stale or forged press), and `PATTERN` is what its handler registers with, so the three never
disagree. Telegram takes 1-64 bytes of callback data: `check_size` is the one place that says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
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


def _digits(most: int) -> str:
    """A regex for 1 to `most` ASCII digits (\\d would take any script's, and $ a trailing newline)."""
    return f"[0-9]{{1,{most}}}"


@dataclass(frozen=True, slots=True)
class _Button:
    """``<PREFIX>:<field>:<field>…``: a subclass's fields in order, int fields as ASCII digits."""

    PREFIX: ClassVar[str]
    PATTERN: ClassVar[re.Pattern[str]]  # anchored at both ends: PTB applies it with re.match

    def data(self) -> str:
        return check_size(":".join([self.PREFIX, *(str(getattr(self, f.name)) for f in fields(self))]))

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        found = cls.PATTERN.match(data) if data else None
        if found is None:
            return None
        return cls(
            *(
                int(value) if f.type == "int" else value
                for f, value in zip(fields(cls), found.groups(), strict=True)
            )
        )


def _id_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"\A{prefix}:({_digits(MAX_ID_DIGITS)})\Z")


@dataclass(frozen=True, slots=True)
class PersonButton(_Button):
    """A person picked from a /who list: their profile."""

    id: int
    PREFIX = "who"
    PATTERN = _id_pattern(PREFIX)


@dataclass(frozen=True, slots=True)
class OperationButton(_Button):
    """An operation picked from the /operations list: its detail."""

    id: int
    PREFIX = "op"
    PATTERN = _id_pattern(PREFIX)


@dataclass(frozen=True, slots=True)
class DocPageButton(_Button):
    """◀ ▶ in /doc: another page of one item."""

    item_id: int
    page: int
    PREFIX = "doc"
    PATTERN = re.compile(rf"\A{PREFIX}:({_digits(MAX_ID_DIGITS)}):({_digits(MAX_DOC_PAGE_DIGITS)})\Z")


@dataclass(frozen=True, slots=True)
class SearchPageButton(_Button):
    """◀ ▶ in /search: another page of the results; the token stands for the query (bot.services)."""

    token: str
    page: int
    PREFIX = "s"
    PATTERN = re.compile(
        rf"\A{PREFIX}:([{TOKEN_CHARS}]{{1,{MAX_TOKEN_CHARS}}}):({_digits(MAX_SEARCH_PAGE_DIGITS)})\Z"
    )


@dataclass(frozen=True, slots=True)
class TimelineButton(_Button):
    """The Timeline button under a /who card or an /operations detail: the picture of a person (``p``)
    or an operation (``o``) over time."""

    kind: str
    id: int
    PREFIX = "tl"
    PERSON: ClassVar[str] = "p"
    OPERATION: ClassVar[str] = "o"
    PATTERN = re.compile(rf"\A{PREFIX}:([po]):({_digits(MAX_ID_DIGITS)})\Z")
