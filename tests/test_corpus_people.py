"""People rules on small strings: title before/after the name, addresses, aliases, known names."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

import pytest
from corpus_fixtures import lexicon

from bot.corpus import Lexicon, PersonMention, parse_page


def people(
    text: str, lex: Lexicon | None = None, known: Iterable[str] = frozenset()
) -> list[tuple[str, str | None]]:
    page = parse_page(text, lex or lexicon(), known)
    return [(m.name, m.title) for item in page.items for m in item.people]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Kyrgyz President Sadyr Japarov received the ministers.",
            [("Sadyr Japarov", "Kyrgyz President")],
        ),
        (
            "He spoke with the Uzbek President Shavkat Mirziyoyev on the phone.",
            [("Shavkat Mirziyoyev", "Uzbek President")],
        ),
        (
            (
                "The President of Russia Vladimir Putin and "
                "the President of Kazakhstan Kassym-Jomart Tokayev met."
            ),
            [("Vladimir Putin", "President of Russia"), ("Kassym-Jomart Tokayev", "President of Kazakhstan")],
        ),
        (
            (
                "The talks were held with the Chief of the General Staff "
                "of the Armed Forces of Belarus Pavel "
                "Muraveiko."
            ),
            [("Pavel Muraveiko", "Chief of the General Staff of the Armed Forces of Belarus")],
        ),
        (
            (
                "Following talks with Secretary General Imangali Tasmagambetov, "
                "Prime Minister Ivan Petrov spoke."
            ),
            [("Imangali Tasmagambetov", "Secretary General"), ("Ivan Petrov", "Prime Minister")],
        ),
    ],
)
def test_title_before_name(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Olga Smirnova, Head of the CSTO Information and Analytical Department, presented the report.",
            [("Olga Smirnova", "Head of the CSTO Information and Analytical Department")],
        ),
        (
            "Sergey Lavrov, the Russian Foreign Minister, arrived in Minsk.",
            [("Sergey Lavrov", "Russian Foreign Minister")],
        ),
        (
            "The report was made by Anna Ivanova, Deputy Minister of Foreign Affairs.",
            [("Anna Ivanova", "Deputy Minister of Foreign Affairs")],
        ),
    ],
)
def test_title_after_name(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(sentence) == expected


def test_patronymic_in_a_full_name_is_dropped_from_the_canonical_name() -> None:
    assert people("Kassym-Jomart Kemelevich Tokayev, President of Kazakhstan, opened the summit.") == [
        ("Kassym-Jomart Tokayev", "President of Kazakhstan")
    ]


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Dear Anna Sergeyevna!", "Anna Sergeyevna"),
        ("Dear Ivan Petrovich!", "Ivan Petrovich"),
        ("Dear Mikhail Yuryevich, dear colleagues!", "Mikhail Yuryevich"),
        ("Уважаемый Сергей Кужугетович!", "Сергей Кужугетович"),
    ],
)
def test_addressed_person_by_first_name_and_patronymic(line: str, name: str) -> None:
    text = f"{line}\nOn behalf of the Secretariat, I welcome the participants of the meeting."
    assert people(text) == [(name, None)]


@pytest.mark.parametrize(
    "line",
    ["Dear Chairman!", "Dear Colleagues!", "Dear Secretaries of the Security Councils!", "Dear Ivan Kim!"],
)
def test_addresses_without_a_patronymic_name_nobody(line: str) -> None:
    assert people(f"{line}\nI welcome the participants of the meeting of the Security Council.") == []


def test_alias_maps_an_addressed_person_to_the_curated_name() -> None:
    lex = dataclasses.replace(lexicon(), aliases={"Anna Sergeyevna": "Anna Kuznetsova"})
    assert people("Dear Anna Sergeyevna!\nI welcome you.", lex) == [("Anna Kuznetsova", None)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The Foreign Ministers of Kyrgyzstan, Belarus and Russia met in Minsk.",
        "The meeting of the Secretaries of the Security Councils of the CIS member states was held.",
        "Ladies and Gentlemen, the Secretary General of the CSTO welcomed the guests.",
        "The President of the Republic of Kazakhstan opened the session.",
        "The Collective Security Treaty Organization and the Russian Federation signed it.",
        "In Central Asia, the Deputy Ministers of the Interior gathered.",
        "Sputnik Armenia reports that the Secretary General arrived.",
    ],
)
def test_organisations_places_and_bare_titles_are_not_people(sentence: str) -> None:
    assert people(sentence) == []


def test_known_names_are_found_without_a_title() -> None:
    # a given name no rule knows, a surname with no surname's ending: only the store can tell
    text = "Kanat Zhumabai visited Minsk. Later, Zhumabai said the talks went well."
    found = people(text, known=frozenset({"Kanat Zhumabai"}))
    assert found == [("Kanat Zhumabai", None), ("Kanat Zhumabai", None)]
    assert people(text) == []  # without the store's names, an untitled name is not guessed


def test_known_names_accept_any_iterable_and_keep_the_store_spelling() -> None:
    page = parse_page(
        "The CSTO Secretary General Imangali Tasmagambetov arrived.", lexicon(), ["Imangali TASMAGAMBETOV"]
    )
    assert [m.name for m in page.items[0].people] == ["Imangali TASMAGAMBETOV"]


def test_surname_shared_by_two_known_people_is_not_guessed() -> None:
    known = frozenset({"Ivan Petrov", "Oleg Petrov"})
    assert people("Petrov spoke at the session.", known=known) == []
    assert people("Ivan Petrov spoke at the session.", known=known) == [("Ivan Petrov", None)]


def test_surname_later_in_the_page_is_tied_to_the_titled_person() -> None:
    text = (
        "The CSTO Deputy Secretary General Ivan Petrov arrived in Dushanbe.\n"
        "Petrov held talks with the Minister of Defence. Petrov also visited the border."
    )
    page = parse_page(text, lexicon())
    assert [(m.name, m.title, m.sentence) for m in page.items[0].people] == [
        (
            "Ivan Petrov",
            "CSTO Deputy Secretary General",
            "The CSTO Deputy Secretary General Ivan Petrov arrived in Dushanbe.",
        ),
        ("Ivan Petrov", None, "Petrov held talks with the Minister of Defence."),
        ("Ivan Petrov", None, "Petrov also visited the border."),
    ]


def test_one_mention_per_person_per_sentence() -> None:
    page = parse_page(
        "The CSTO Secretary General Ivan Petrov thanked the hosts, and Ivan Petrov's team stayed.", lexicon()
    )
    assert page.items[0].people == (
        PersonMention(
            "Ivan Petrov",
            "CSTO Secretary General",
            "The CSTO Secretary General Ivan Petrov thanked the hosts, and Ivan Petrov's team stayed.",
        ),
    )


def test_a_surname_inside_another_word_is_not_a_mention() -> None:
    known = frozenset({"Ivan Petrov"})
    assert people("The anti-Petrov camp and the Petrovsky Palace were mentioned.", known=known) == []


def test_known_names_follow_the_collection_as_it_grows_and_shrinks() -> None:
    text = "Khrenin inspected the exercises."
    known: set[str] = {"Ivan Petrov"}
    assert people(text, known=known) == []
    known.add("Viktor Khrenin")
    assert people(text, known=known) == [("Viktor Khrenin", None)]
    known.discard("Viktor Khrenin")
    assert people(text, known=known) == []


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        (
            "A talk with the acting Secretary General of the Council Oleg Brunov took place.",
            "acting Secretary General of the Council",
        ),
        ("The acting Secretary General, Oleg Brunov, opened the session.", "acting Secretary General"),
        (
            "The staff met the interim Chairman of the Board Oleg Brunov in the capital.",
            "interim Chairman of the Board",
        ),
        ("The staff met the Chairman of the Board Oleg Brunov in the capital.", "Chairman of the Board"),
    ],
)
def test_an_acting_or_interim_office_is_part_of_the_title(sentence: str, title: str) -> None:
    """ "acting" makes another office: the title as written keeps it, in lower case too."""
    assert people(sentence) == [("Oleg Brunov", title)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The column was led by Lt. Gen. Ruslan Zhaksybekov at dawn.", [("Ruslan Zhaksybekov", "Lt. Gen.")]),
        ("The drills were watched by Col.-Gen. Vladimir Oreshkin.", [("Vladimir Oreshkin", "Col.-Gen.")]),
        ("A brigade of Maj. Gen. Almaz Dzhumabayev took part.", [("Almaz Dzhumabayev", "Maj. Gen.")]),
    ],
)
def test_an_abbreviated_rank_is_the_title_as_written(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert people(sentence) == expected


def test_the_end_of_an_organisation_name_the_rules_cannot_read_is_no_part_of_the_title() -> None:
    sentence = "The group was led by the chief of the Air Assault Forces Major General Almaz Jumakeyev."
    assert people(sentence) == [("Almaz Jumakeyev", "Major General")]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Secretary of the Security Council of Tajikistan Rahmon Yusuf Ahmadzoda met the envoy.",
            [("Rahmon Ahmadzoda", "Secretary of the Security Council of Tajikistan")],
        ),
        # more capitalised words before the name: an organisation's, not a father's name
        (
            "The Chairman of the Center for Computer Incidents Gulnara Iskakzoda spoke.",
            [("Gulnara Iskakzoda", "Chairman of the Center for Computer Incidents")],
        ),
    ],
)
def test_a_tajik_fathers_name_goes_as_a_patronymic(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a rank before the name, the office after it: both, as written
        (
            "The drills were watched by Colonel General Pavel Ostrov, Chief of the Joint Staff, on Friday.",
            [("Pavel Ostrov", "Colonel General, Chief of the Joint Staff")],
        ),
        # an office before the name keeps its own title
        (
            "The Kyrgyz President Sadyr Japarov, Chairman of the Council, received the ministers.",
            [("Sadyr Japarov", "Kyrgyz President")],
        ),
        # a list of titled names: each keeps its own title
        (
            "It was attended by the President of Belarus Ivan Petrov, the President of Armenia Oleg Sidorov.",
            [("Ivan Petrov", "President of Belarus"), ("Oleg Sidorov", "President of Armenia")],
        ),
    ],
)
def test_an_office_after_a_ranked_name_joins_the_rank(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert people(sentence) == expected


def test_an_office_in_lower_case_after_a_ranked_name_joins_the_rank() -> None:
    sentence = "Colonel General Pavel Ostrov, chief of the CSTO Joint Staff, said the drills went well."
    assert people(sentence) == [("Pavel Ostrov", "Colonel General, chief of the CSTO Joint Staff")]


def test_a_title_part_that_says_where_the_office_is_stays_in_the_title() -> None:
    sentence = (
        "The Commander of the Collective Peacekeeping Forces in the Republic of Kazakhstan, "
        "Colonel-General Pavel Ostrov, reported to the council."
    )
    assert people(sentence) == [
        (
            "Pavel Ostrov",
            "Commander of the Collective Peacekeeping Forces in the Republic of Kazakhstan, Colonel-General",
        )
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The appeal of the President of the country Kasym-Zhomart Tokayev was heard.",
            [("Kasym-Zhomart Tokayev", "President of the country")],
        ),
        (
            "The Secretary General of the Post-Soviet security bloc Yuri Khachaturov said so.",
            [("Yuri Khachaturov", "Secretary General of the Post-Soviet security bloc")],
        ),
        # a verb between the title and the name: no title of his
        ("The Secretary General spoke with Yuri Khachaturov on Monday.", [("Yuri Khachaturov", None)]),
    ],
)
def test_a_title_object_in_lower_case_stays_in_the_title(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    assert people(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a national or possessive word opens the organisation's name: all of it is the title
        ("Russian State Duma Speaker Vyacheslav Volodin led the delegation.", "Russian State Duma Speaker"),
        (
            "The drills were led by Kazakhstan's Air Assault Forces Major General Almaz Jumakeyev.",
            "Kazakhstan's Air Assault Forces Major General",
        ),
        # a name the rules can't read opens it: the title starts at its first title word
        ("The Shanghai Cooperation Organization Secretary General Zhang Ming arrived.", "Secretary General"),
    ],
)
def test_an_organisation_name_before_the_title_word(sentence: str, expected: str) -> None:
    [(_, title)] = people(sentence)
    assert title == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The minister thanked outgoing secretary general of the Treaty Organization (CSTO) Ivan Petrov.",
            ("Ivan Petrov", "outgoing secretary general of the Treaty Organization (CSTO)"),
        ),
        (
            "The talks were held with deputy head of the Ministry of Defence Oleg Sidorov in Minsk.",
            ("Oleg Sidorov", "deputy head of the Ministry of Defence"),
        ),
    ],
)
def test_a_lower_case_title_after_a_verb_or_a_preposition(sentence: str, expected: tuple[str, str]) -> None:
    assert people(sentence) == [expected]
