"""Operations on small strings: which quoted names are operations, and the purpose given for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus_fixtures import lexicon

from bot.corpus.operation_names import clean_name, read_name
from bot.corpus.operation_purposes import goal_of
from bot.corpus.operations import find_operations
from bot.corpus.sentences import split_sentences
from bot.corpus.vocab import vocab_for


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
    sentence = (
        f'{title} During Operation "Horizon", carried out to combat human trafficking, 713 kg were seized.'
    )
    assert ops(sentence) == [("Horizon", "to combat human trafficking", 2)]
    assert ops('Operation "Proxy" to combat cybercrime, and operation " Spaced " too.') == [
        ("Proxy", "to combat cybercrime", 2)
    ]


# ------------------------------------------------------------------ families, instances, kinds (lexicon)


def found(text: str) -> list[tuple[str, str, str | None, str]]:
    """(family, kind, instance, purpose) per mention, with the shipped lexicon's families."""
    families = vocab_for(lexicon()).families
    return [
        (o.family_name, o.kind, o.instance, o.purpose or "")
        for o in find_operations(split_sentences(text), families)
    ]


@pytest.mark.parametrize(
    ("written", "family", "instance"),
    [
        ("Illegal-2019", "Illegal", "2019"),
        ("Nelegal - 2017", "Illegal", "2017"),
        ("Нелегал-2018", "Illegal", "2018"),
        ("Channel - Far Eastern Raid", "Channel", "Far Eastern Raid"),
        ("Channel-Center", "Channel", "Center"),
        ("Channel Center", "Channel", "Center"),
        ("Канал – Красный бархан", "Channel", "Красный бархан"),
        ("Канал-Западная Двина", "Channel", "Западная Двина"),
        ("Canal Volga Frontier", "Channel", "Volga Frontier"),
        ("PROXY", "Proxy", None),
        ("Наёмник", "Mercenary", None),
        ("Steppe Shield-2022", "Steppe Shield", "2022"),  # unknown: a trailing year is its instance
        ("Steppe - Night Watch", "Steppe", "Night Watch"),  # unknown: a phase after a spaced dash
    ],
)
def test_a_name_is_a_family_and_an_instance(written: str, family: str, instance: str | None) -> None:
    named = read_name(written, vocab_for(lexicon()).families)
    assert (named.family, named.instance) == (family, instance)


def test_spellings_and_phases_in_the_sites_shapes() -> None:
    text = (
        'Operation "Channel - Far Eastern Raid" was held in September. '
        "The PROXY operation continues. "
        "In the course of Operation Steppe Wind, weapons were seized."
    )
    assert found(text) == [
        ("Channel", "operation", "Far Eastern Raid", ""),
        ("Proxy", "operation", None, ""),
        ("Steppe Wind", "operation", None, ""),
    ]


def test_a_family_before_a_dash_and_a_quoted_phase_is_one_name() -> None:
    assert found('During the anti-drug operation Channel \u2014 "Western Shield" 5 tons were seized.') == [
        ("Channel", "operation", "Western Shield", "anti-drug operation")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The exercise \u201cIndestructible Brotherhood-2020\u201d was held after the peacekeeping operation.",
        "Operation planning for \u201cRubezh-2023\u201d was discussed.",
        "В ходе учений \u00abВзаимодействие-2019\u00bb отработана операция по освобождению заложников.",
    ],
)
def test_an_exercise_is_never_an_operation(text: str) -> None:
    assert [kind for _, kind, _, _ in found(text)] == ["exercise"]


def test_an_unknown_name_takes_its_kind_from_the_nearest_word() -> None:
    text = "The command-staff exercise \u201cSteppe Eagle-2024\u201d ended; the operation \u201cDune\u201d began."
    assert [(f, k, i) for f, k, i, _ in found(text)] == [
        ("Steppe Eagle", "exercise", "2024"),
        ("Dune", "operation", None),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The operation continued along the \u201cNorthern Route\u201d and the Balkan route.",
        "The operation staff met at the Park Hotel \u201cZenith\u201d near Moscow.",
        "Учения прошли на полигоне \u00abАлтай\u00bb в ходе операции.",
        "The Operations Department of the Joint Staff met.",
    ],
)
def test_routes_places_and_departments_are_not_operations(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "purpose"),
    [
        (
            'The operation "Dune-2021" was conducted to counter the smuggling of opiates.',
            "to counter the smuggling of opiates",
        ),
        (
            'The special operations on combating illegal migration "Nelegal - 2021" were held in two stages.',
            "on combating illegal migration",
        ),
        (
            'In order to block drug routes, the agencies of the member states held the operation "Dune".',
            "to block drug routes",
        ),
        (
            'The operation "Dune" was carried out in May, with a view to suppressing drug channels.',
            "suppressing drug channels",
        ),
        (
            "Прошла операция \u00abКанал-2020\u00bb. Ее цель \u2013 пресечь каналы поставки наркотиков.",
            "пресечь каналы поставки наркотиков",
        ),
        (
            (
                "Завершилась операция \u00abКанал-Дюна\u00bb. Операция проводилась в мае с целью пресечения "
                "каналов контрабанды."
            ),
            "с целью пресечения каналов контрабанды",
        ),
    ],
)
def test_purposes_in_more_forms(text: str, purpose: str) -> None:
    assert {p for _, _, _, p in found(text)} == {purpose}


def test_a_council_name_before_the_name_is_not_its_purpose() -> None:
    text = (
        "Председатель Координационного совета по противодействию незаконному обороту наркотиков, "
        "генерал Иван Петров подвел итоги операции \u00abКанал-Дюна\u00bb."
    )
    assert found(text) == [("Channel", "operation", "Дюна", "")]
