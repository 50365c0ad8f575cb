"""bot.callbacks: every button format is built, parsed and registered from one place."""

from __future__ import annotations

import pytest

from bot.callbacks import (
    MAX_CALLBACK_BYTES,
    MAX_DOC_PAGE_DIGITS,
    MAX_ID_DIGITS,
    MAX_SEARCH_PAGE_DIGITS,
    MAX_TOKEN_CHARS,
    DocPageButton,
    OperationButton,
    PersonButton,
    SearchPageButton,
    TimelineButton,
    check_size,
)
from bot.render import Button

LARGEST_ID = 10**MAX_ID_DIGITS - 1
BUTTONS = [
    PersonButton(1),
    PersonButton(LARGEST_ID),
    OperationButton(7),
    OperationButton(LARGEST_ID),
    DocPageButton(3, 0),
    DocPageButton(LARGEST_ID, 10**MAX_DOC_PAGE_DIGITS - 1),
    SearchPageButton("a", 0),
    SearchPageButton("Zz-_" * (MAX_TOKEN_CHARS // 4), 10**MAX_SEARCH_PAGE_DIGITS - 1),
    TimelineButton(TimelineButton.PERSON, LARGEST_ID),
    TimelineButton(TimelineButton.OPERATION, 1),
]
FORMATS = (PersonButton, OperationButton, DocPageButton, SearchPageButton, TimelineButton)


@pytest.mark.parametrize("button", BUTTONS, ids=repr)
def test_each_format_round_trips_within_telegrams_64_bytes(button: object) -> None:
    data = button.data()  # type: ignore[attr-defined]
    assert 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES
    assert type(button).parse(data) == button
    assert type(button).PATTERN.match(data)  # what its handler is registered with takes it
    assert [kind for kind in FORMATS if kind.parse(data) is not None] == [type(button)]  # and no other


@pytest.mark.parametrize(
    "data",
    [None, "", "who:", "who:x", "who:1:2", "who:-1", "who:1234567890", "op:1 ", " op:1", "op:1\n", "doc:1",
     "doc:1:12345", "s:tok:1:2", "s:t/k:1", "s::1", "s:" + "a" * 17 + ":1", "s:tok:123456", "who:١",
     "tl:x:1", "tl:p:", "tl:p:1:2", "tl:P:1", "tl:o:1234567890", "tl:p:1\n"],
)  # fmt: skip
def test_a_stale_or_forged_press_parses_as_nothing(data: str | None) -> None:
    assert all(kind.parse(data) is None for kind in FORMATS)


def test_the_64_byte_limit_is_checked_in_one_place() -> None:
    assert check_size("x" * MAX_CALLBACK_BYTES) == "x" * MAX_CALLBACK_BYTES
    for bad in ("", "x" * (MAX_CALLBACK_BYTES + 1), "é" * 33):
        with pytest.raises(ValueError):
            check_size(bad)
        with pytest.raises(ValueError):
            Button("label", bad)


def test_each_format_is_registered_with_its_own_pattern() -> None:
    """The handlers take presses with the very patterns the builders' data is parsed with."""
    from telegram.ext import CallbackQueryHandler

    import handlers

    registered = [
        h.pattern for m in handlers.MODULES for h in m.handlers() if isinstance(h, CallbackQueryHandler)
    ]
    assert sorted(registered, key=str) == sorted((kind.PATTERN for kind in FORMATS), key=str)
