"""People named without a title in English text: a given name the Russian dictionary knows, spelled in
Latin letters, and a surname with a surname's ending. Made-up sentences in the shape of news text."""

from __future__ import annotations

import pytest
from corpus_fixtures import lexicon

from bot.corpus import parse_page
from bot.corpus.people_untitled import is_given_name


def people(text: str) -> list[tuple[str, str | None]]:
    page = parse_page("14.05.2031\n" + text, lexicon())
    return [(m.name, m.title) for item in page.items for m in item.people]


@pytest.mark.parametrize(
    "word", ["Sergey", "Sergei", "Andrey", "Andrei", "Yury", "Yuri", "Nikolai", "Aleksandr"]
)
def test_given_names_are_known_in_their_latin_spellings(word: str) -> None:
    assert is_given_name(word)


@pytest.mark.parametrize("word", ["Jeenbek", "Nurlanbek", "Emomali", "Rustamjon", "Kairzhan", "Aigul"])
def test_central_asian_given_names_are_told_by_their_endings(word: str) -> None:
    assert is_given_name(word)


@pytest.mark.parametrize(
    "word", ["Summit", "Moscow", "Region", "Park", "Grace", "Council", "Uzbek", "Somali", "Dubai"]
)
def test_other_words_are_no_given_names(word: str) -> None:
    assert not is_given_name(word)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Oleg Sidorchuk met the delegation of the partner states in the capital.", "Oleg Sidorchuk"),
        ("According to Pavel Marinenko, the plan of joint training was adopted.", "Pavel Marinenko"),
        ("The talks were held with Dmitry Arakelyan in the capital yesterday.", "Dmitry Arakelyan"),
        # a Central Asian given name; curly quotes elsewhere in the sentence are still English text
        (
            "Speaking to the “Eurasia Today” weekly, Kubatbek Osmonaliev outlined the plan.",
            "Kubatbek Osmonaliev",
        ),
        # a possessive is no part of the name
        ("At the forum, Jeenbek Sultanov’s report on border security was heard.", "Jeenbek Sultanov"),
        ("The delegation studied Sergey Lavrov's proposal on the new plan.", "Sergey Lavrov"),
        # a surname ending like a patronymic, of no given name's stem (Belarusian surnames)
        ("The talks were held with Vladislav Gurinovich in the capital.", "Vladislav Gurinovich"),
        # the name opens a run that goes on with an organisation
        ("The forum heard Vyacheslav Volodin of the State Duma on the plan.", "Vyacheslav Volodin"),
    ],
)
def test_a_given_name_and_a_surname_name_a_person_without_a_title(text: str, name: str) -> None:
    assert people(text) == [(name, None)]


@pytest.mark.parametrize(
    "text",
    [
        "The delegation visited Victory Park and the Nur Sultan memorial.",  # no surname's ending
        "The photo was published by the agency. ITAR-TASS/Oleg Sidorchuk",  # a photo credit
        "The interview was long and detailed. Authored by Pavel Marinenko",  # a byline
        "The session ended at noon. Translator/editor: Irina Kovaleva",  # the translation's credit
        "By Irina Kovaleva",  # a byline under a headline
        # an interviewee addressed by given name and patronymic
        "\u2014 Nurlan Abishevich, you have visited the capital recently.",
        "Thank you, Nurlan Abishevich!",
        "The exercise took place near Maxim Gorky Park in the capital.",  # no surname's ending
    ],
)
def test_places_and_credits_are_no_people(text: str) -> None:
    assert people(text) == []


def test_a_titled_person_keeps_the_title() -> None:
    text = "The Minister of Defence of the Republic Oleg Sidorchuk met the delegation."
    assert people(text) == [("Oleg Sidorchuk", "Minister of Defence of the Republic")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Yury Kam: the joint forces are ready for any task\n\nThe council met in the capital.", "Yury Kam"),
        ("Oleg Brun: we will hold the drills in autumn\n\nThe plan was adopted.", "Oleg Brun"),
    ],
)
def test_the_speaker_of_a_quote_headline_is_a_person_whatever_the_surname(text: str, name: str) -> None:
    """ "Name: words" names its speaker: a short surname without a surname's ending still counts."""
    assert people(text) == [(name, None)]


@pytest.mark.parametrize(
    "text",
    [
        "Victory Park: a new gate opens for visitors\n\nThe works end in May.",
        "Yury Kam said the joint forces are ready for any task.",
    ],
)
def test_a_place_before_a_colon_or_a_short_surname_elsewhere_is_no_person(text: str) -> None:
    """A given name before a dictionary word is a place's name ("Victory Park"); outside a quote's
    opening, a surname without a surname's ending is not enough."""
    assert people(text) == []


def test_two_untitled_names_joined_by_and_are_two_people() -> None:
    assert people("Sergey Lavrov and Anatoly Sidorov met in the capital.") == [
        ("Sergey Lavrov", None),
        ("Anatoly Sidorov", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The drills began, said Vladislav Gurinovich, a spokesman for the CSTO Joint Staff.",
            ("Vladislav Gurinovich", "spokesman for the CSTO Joint Staff"),
        ),
        (
            "Sergei Mironov, former chairman of the Federation Council, spoke first.",
            ("Sergei Mironov", "former chairman of the Federation Council"),
        ),
        (
            "Marat Syzdykov was elected chairman of the Permanent Council on Monday.",
            ("Marat Syzdykov", "chairman of the Permanent Council"),
        ),
        # no office: a clause or a place after the comma
        ("Sergey Lavrov, who arrived in the capital, met the ministers.", ("Sergey Lavrov", None)),
        ("Sergey Lavrov, in the town of Minsk, said so.", ("Sergey Lavrov", None)),
        ("Sergey Lavrov, speaking at the forum in Minsk, said so.", ("Sergey Lavrov", None)),
    ],
)
def test_an_office_in_lower_case_after_the_name_is_its_title(
    text: str, expected: tuple[str, str | None]
) -> None:
    assert people(text) == [expected]
