"""Sentence splitting: boundaries a reader sees, and the dots that are not boundaries."""

from __future__ import annotations

import pytest

from bot.corpus.sentences import ends_sentence, split_sentences


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("The CSTO met. The CIS met too.", ["The CSTO met.", "The CIS met too."]),
        (
            "Mr. Petrov spoke first. Then Dr. Ivanova spoke.",
            ["Mr. Petrov spoke first.", "Then Dr. Ivanova spoke."],
        ),
        ("Growth was 2.5 percent. It rose.", ["Growth was 2.5 percent.", "It rose."]),
        ("He told Cronos.Asia about it. Fine.", ["He told Cronos.Asia about it.", "Fine."]),
        ("The U.S. delegation came.", ["The U.S. delegation came."]),
        ("V. Putin signed it.", ["V. Putin signed it."]),
        ("Kh. Sultonov and Sh. J. Faizullozoda spoke.", ["Kh. Sultonov and Sh. J. Faizullozoda spoke."]),
        (
            "their \u201cbreeding ground.\u201d These are implemented.",
            ["their \u201cbreeding ground.\u201d", "These are implemented."],
        ),
        ("Is it possible? \u2014 Yes, it is.", ["Is it possible?", "\u2014 Yes, it is."]),
        ("Dear colleagues! I welcome you.", ["Dear colleagues!", "I welcome you."]),
        ("i.e., they depend on many things.", ["i.e., they depend on many things."]),
        ("Ends without punctuation", ["Ends without punctuation"]),
        # ranks as agencies abbreviate them, also joined by a hyphen
        (
            "The staff of Col.-Gen. Orlov and Maj. Gen. Ivanov met. Then they left.",
            ["The staff of Col.-Gen. Orlov and Maj. Gen. Ivanov met.", "Then they left."],
        ),
    ],
)
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("as a space for dialogue\u201d", False),
        ("as a space for dialogue.\u201d", True),
        ("Dear colleagues!", True),
        ("What next?", True),
        ("The CSTO Secretary General spoke at Third CIS Conference", False),
    ],
)
def test_ends_sentence(text: str, expected: bool) -> None:
    assert ends_sentence(text) is expected
