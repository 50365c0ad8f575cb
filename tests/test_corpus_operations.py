"""Operations on small strings: which quoted names are operations, and the purpose given for each."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.operations import clean_name, find_operations, goal_of
from bot.corpus.sentences import split_sentences


def ops(text: str) -> list[tuple[str, str | None, int]]:
    return [(o.name, o.purpose, o.purpose_quality) for o in find_operations(split_sentences(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            (
                "We conduct the operations \u201cBorder\u201d \u2014 to stop smuggling and \u201cNet\u201d "
                "\u2014 to counter cybercrime, among others."
            ),
            [("Border", "to stop smuggling", 2), ("Net", "to counter cybercrime", 2)],
        ),
        (
            "We also conduct an annual Operation \u201cFrontier\u201d to prevent illegal border crossings.",
            [("Frontier", "to prevent illegal border crossings", 2)],
        ),
        (
            "In order to cut the supply of weapons, Operation \u201cArsenal\u201d has been conducted.",
            [("Arsenal", "to cut the supply of weapons", 2)],
        ),
        (
            "The operation \u201cShield\u201d, aimed at protecting critical infrastructure, ended.",
            [("Shield", "aimed at protecting critical infrastructure", 2)],
        ),
        (
            "Операция \u00abКанал\u00bb \u2014 to combat drug trafficking.",
            [("Канал", "to combat drug trafficking", 2)],
        ),
        (
            "The operation \u201cFrontier\u201d was held in Dushanbe.",
            [("Frontier", None, 0)],
        ),
        (
            "During Operation \u201cCobalt\u201d, carried out to counter the arms trade, 40 rifles were seized.",
            [("Cobalt", "to counter the arms trade", 2)],
        ),
        (
            "Operation \u201cSteppe\u201d to combat human trafficking was conducted in Kazakhstan in May.",
            [("Steppe", "to combat human trafficking", 2)],
        ),
    ],
)
def test_operation_names_and_direct_purposes(text: str, expected: list[tuple[str, str | None, int]]) -> None:
    assert ops(text) == expected


def test_a_listed_goal_is_shared_with_quality_one() -> None:
    text = (
        "Ongoing operations include \u201cAlpha,\u201d \u201cBeta,\u201d and \u201cGamma.\u201d "
        "Their goal is to protect the borders of our states."
    )
    assert ops(text) == [
        ("Alpha", "to protect the borders of our states", 1),
        ("Beta", "to protect the borders of our states", 1),
        ("Gamma", "to protect the borders of our states", 1),
    ]


def test_a_goal_sentence_for_a_single_operation_is_its_own_purpose() -> None:
    text = "The operation \u201cDelta\u201d started in May. The aim is to dismantle trafficking routes."
    assert ops(text) == [("Delta", "to dismantle trafficking routes", 2)]


@pytest.mark.parametrize(
    "text",
    [
        "The status of \u201ccoordinating state\u201d allows us to take part in peacekeeping operations.",
        "We see \u201cpoints of growth\u201d in operations.",
        (
            "Russia's \u201cGreat Eurasian Partnership\u201d initiative and "
            "China's \u201cOne Belt, One Road\u201d "
            "initiative are projects."
        ),
        "Conference \u201cCountering Radicalization Leading to Terrorism\u201d discussed operations.",
        "The \u201cGreat Eurasian Partnership\u201d initiative supports joint operations.",
        "A delegation visited the park \u201cPatriot\u201d.",
        "The operational training at \u201cPatriot\u201d went well.",
        "Their \u201cbreeding ground.\u201d These operations matter.",
    ],
)
def test_quoted_phrases_that_are_not_operations(text: str) -> None:
    assert ops(text) == []


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Channel,", "Channel"),
        ("Mercenary.", "Mercenary"),
        ("PROXY", "PROXY"),
        ("Safe Summer", "Safe Summer"),
        ("points of growth", None),
        ("One Belt, One Road", None),
        ("2025", None),
    ],
)
def test_clean_name(raw: str, name: str | None) -> None:
    assert clean_name(raw) == name


def test_goal_sentence_forms() -> None:
    assert (
        goal_of("Their goal is to block channels of recruitment\u201d.") == "to block channels of recruitment"
    )
    assert goal_of("The purpose of these operations is to stop smuggling.") == "to stop smuggling"
    assert goal_of("The conference was a success.") is None
    assert goal_of("The purpose of this work is purely practical: to publish a report.") is None


def test_text_between_a_closing_and_an_opening_straight_quote_is_not_a_name() -> None:
    """Seed 001's title line in straight quotes, run into a sentence about an operation (as a page
    without a full stop after the title would have it): the words between the title's closing quote
    and the operation's opening one ("During Operation") were taken for an operation's name."""
    seed = next((Path(__file__).resolve().parent.parent / "seeds").glob("001_*.txt")).read_text("utf-8")
    title = next(line for line in seed.splitlines() if line.startswith('"Effective Partnership'))
    sentence = f'{title} During Operation "Horizon", carried out to combat human trafficking, 713 kg were seized.'
    assert ops(sentence) == [("Horizon", "to combat human trafficking", 2)]
    assert ops('Operation "Proxy" to combat cybercrime, and operation " Spaced " too.') == [
        ("Proxy", "to combat cybercrime", 2)
    ]
