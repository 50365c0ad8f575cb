"""Line cleaning: navigation debris, spacing, and stray Cyrillic fragments."""

from __future__ import annotations

import pytest
from corpus_fixtures import lexicon

from bot.corpus import Lexicon
from bot.corpus.clean import clean_lines, strip_stray_cyrillic
from bot.corpus.vocab import build_vocab, vocab_for


@pytest.mark.parametrize(
    "line",
    [
        "Go back",
        "Back to the section",
        "Back to the all news",
        "BACK TO THE SECTION",
        "Back to news archive >",
        "Skip to main content",  # an accessibility link
        "Перейти к основному контенту",
    ],
)
def test_navigation_lines_are_dropped(line: str) -> None:
    assert clean_lines(f"News text.\n{line}\nMore news.", vocab_for(lexicon())) == [
        "News text.",
        "More news.",
    ]


def test_generic_back_to_rule_works_without_a_lexicon() -> None:
    assert clean_lines("Back to the photo gallery\nReal text.", build_vocab(Lexicon())) == ["Real text."]


def test_a_long_sentence_starting_with_back_to_is_kept() -> None:
    line = "Back to the negotiating table came the delegations of all member states after a long pause."
    assert clean_lines(line, vocab_for(lexicon())) == [line]


def test_curated_navigation_line_from_the_lexicon() -> None:
    vocab = build_vocab(Lexicon(navigation_lines=("Subscribe to our channel",)))
    assert clean_lines("Subscribe to our channel\nText.", vocab) == ["Text."]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("violations of national sovereignty.та.", "violations of national sovereignty."),
        ("the threat is growingна and real.", "the threat is growing and real."),
        ("the talks и the results were good.", "the talks the results were good."),
        (
            "Генеральный секретарь ОДКБ принял участие в заседании.",
            "Генеральный секретарь ОДКБ принял участие в заседании.",
        ),
        ("The operation «Канал» is annual.", "The operation «Канал» is annual."),
    ],
)
def test_stray_cyrillic_only_removed_from_english_lines(line: str, expected: str) -> None:
    assert strip_stray_cyrillic(line) == expected


def test_spacing_is_normalised_and_blank_lines_vanish() -> None:
    text = "  On June 6,\u00a0 2024,\u00a0in\tAlmaty  \n\n\n\u200bthe meeting was held. \r\n"
    assert clean_lines(text, vocab_for(lexicon())) == ["On June 6, 2024, in Almaty", "the meeting was held."]
