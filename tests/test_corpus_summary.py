"""Headline trimming and one-sentence extractive summaries."""

from __future__ import annotations

import pytest

from bot.corpus.summary import SUMMARY_MAX, article_summary, is_ceremonial, trim


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short enough.", 50, "Short enough."),
        ("The meeting of the Council was held in Minsk today", 30, "The meeting of the Council\u2026"),
        ("Spaces   are\ncollapsed", 50, "Spaces are collapsed"),
        ("Cut after a comma, not before the word", 20, "Cut after a comma\u2026"),
    ],
)
def test_trim_cuts_on_a_word_boundary_with_an_ellipsis(text: str, limit: int, expected: str) -> None:
    assert trim(text, limit) == expected
    assert len(trim(text, limit)) <= limit


def test_dated_lead_sentence_is_the_summary() -> None:
    sentences = [
        "Dear colleagues!",
        "On 3 May 2026, in Minsk, the Council of Defence Ministers approved the plan of joint exercises.",
        "The plan covers the exercises of the Collective Forces in the autumn of this year.",
    ]
    assert article_summary("Ministers met in Minsk", sentences) == sentences[1]


def test_informative_sentence_beats_pleasantries() -> None:
    sentences = [
        "(video format)",
        "\u201cSecurity in Eurasia: the way forward\u201d",
        "Let me thank the organisers for inviting me to speak here today at this event.",
        "Border security cooperation between the member states remains the priority of border security work.",
        "Border guards of the member states held joint border security drills on the southern border.",
        "Thank you.",
    ]
    summary = article_summary("Speech by the Deputy Secretary General", sentences)
    assert summary.startswith("Border")


def test_summary_is_bounded() -> None:
    long_sentence = "On 3 May 2026 " + "the ministers discussed the plan " * 20 + "."
    summary = article_summary("Ministers met", [long_sentence])
    assert len(summary) <= SUMMARY_MAX and summary.endswith("\u2026")


@pytest.mark.parametrize(
    "sentence",
    [
        "I welcome you to the working session on “Prospects for collective security in Eurasia.”",
        "Let me thank the Albanian Chairmanship for organizing the Conference and inviting me.",
        "I am very grateful to our Belarusian friends for their traditional hospitality.",
        "Thank you for your attention, and I wish us all fruitful work.",
        "We would like to express our gratitude to the organizers of the forum.",
    ],
)
def test_courtesy_sentences_are_recognised(sentence: str) -> None:
    assert is_ceremonial(sentence)


def test_a_substantive_sentence_is_not_courtesy() -> None:
    assert not is_ceremonial("We welcomed delegations from 12 countries to discuss border security.")
    assert not is_ceremonial(
        "The CSTO member states strongly condemn international terrorism in all its forms."
    )


def test_speech_summary_skips_the_welcome_for_what_was_said() -> None:
    sentences = [
        "I welcome you to the working session on “Prospects for collective security in Eurasia.”",
        "I am very grateful to our Belarusian friends for their traditional hospitality and for the format.",
        "Large-scale conflicts have come close to the borders of the CSTO's area of responsibility.",
    ]
    summary = article_summary("Speech by the Deputy Secretary General at the working session", sentences)
    assert summary.startswith("Large-scale conflicts")
