"""People on the phrasings of the CSTO's real pages: initials, a middle initial, staff lists written
surname first under a title heading, titles written in parts (joined by a comma or a dash), a quoted
name inside a title, a lower-case title, and no run-on between two people.

Made-up sentences hold each rule; the real pages (third-party text, read at run time from
../shared/real-pages) check the rules where they were met, and skip when the pages are absent."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from corpus_fixtures import lexicon

from bench import quality
from bot.corpus import parse_page, people_runs
from bot.corpus.vocab import vocab_for

REAL_PAGES = quality.default_corpus()  # ../shared/real-pages, when present


def people(text: str, known: frozenset[str] = frozenset()) -> list[tuple[str, str | None]]:
    page = parse_page(text, lexicon(), known)
    return [(m.name, m.title) for item in page.items for m in item.people]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # initials before the surname, a title before them
            "The talks were chaired by the First Vice-Minister of Fisheries of the Union T.K. Varlamov.",
            [("T.K. Varlamov", "First Vice-Minister of Fisheries of the Union")],
        ),
        (  # "Title, Initials Surname," (a comma between them)
            "The Deputy Minister of Coastal Shipping of the Union, P.S. Ostrov, opened the meeting.",
            [("P.S. Ostrov", "Deputy Minister of Coastal Shipping of the Union")],
        ),
        (  # a middle initial
            "The President of the Republic of Belarus Ignat K. Varlamov signed the decree.",
            [("Ignat K. Varlamov", "President of the Republic of Belarus")],
        ),
        (  # an initial after a place in the title: the place is no given name
            "Greetings came from the Chairman, Minister for Regional Affairs of Norway, Mr A. Ostrov, by letter.",
            [("A. Ostrov", "Chairman, Minister for Regional Affairs of Norway")],
        ),
        (  # two posts joined by a dash are one title
            "The Secretary met the Deputy Prime Minister \u2013 Minister of Foreign Affairs of the Republic Pavel Ostrov.",
            [("Pavel Ostrov", "Deputy Prime Minister \u2013 Minister of Foreign Affairs of the Republic")],
        ),
        (  # "Name, title - title, title": the whole title after the name
            "He met Pavel Ostrov, the Deputy Prime Minister of the Federation - Minister of Trade, Chairman of the Commission.",
            [
                (
                    "Pavel Ostrov",
                    "Deputy Prime Minister of the Federation - Minister of Trade, Chairman of the Commission",
                )
            ],
        ),
        (  # the title's tail after "in": a place and an abbreviation
            "He met Anna Ostrova, the Head of the UN Support Office in Mongolia (UNSOM).",
            [("Anna Ostrova", "Head of the UN Support Office in Mongolia (UNSOM)")],
        ),
        (  # a rank and a title word in one hyphenated word
            "Major General Pavel Ostrov met the Editor-in-Chief Anna Varlamova.",
            [("Pavel Ostrov", "Major General"), ("Anna Varlamova", "Editor-in-Chief")],
        ),
        (  # a quoted name inside a title
            "He met the Director Ivan Sokolov and Editor-in-Chief of the magazine \u201cModern Army\u201d Pavel Ostrov.",
            [
                ("Ivan Sokolov", "Director"),
                ("Pavel Ostrov", "Editor-in-Chief of the magazine \u201cModern Army\u201d"),
            ],
        ),
        (  # a title whose object lists its parts: "on X, Y and Relations with Z"
            "The Deputy Chairman of the Committee on Trade Affairs, Regional Cooperation and Relations with "
            "Neighbours Pavel OSTROV spoke.",
            [
                (
                    "Pavel OSTROV",
                    "Deputy Chairman of the Committee on Trade Affairs, Regional Cooperation and Relations with "
                    "Neighbours",
                )
            ],
        ),
        (  # "Title: Name" lines of a staff page; a lower-case "deputy" belongs to the title
            "Representative of the Council of the Union, deputy Executive Secretary of the Assembly: "
            "Pavel Ostrov",
            [
                (
                    "Pavel Ostrov",
                    "Representative of the Council of the Union, deputy Executive Secretary of the Assembly",
                )
            ],
        ),
        (  # a title adjective and a lower-case title word before the title's object
            "Plenipotentiary representative of the Grand Assembly of the Union: Anna Varlamova",
            [("Anna Varlamova", "Plenipotentiary representative of the Grand Assembly of the Union")],
        ),
        (  # a possessive in lower case inside a title
            "He met the Minister of Defence Ivan Sokolov and the Secretary of the country's Maritime Council "
            "Pavel Ostrov.",
            [
                ("Ivan Sokolov", "Minister of Defence"),
                ("Pavel Ostrov", "Secretary of the country's Maritime Council"),
            ],
        ),
        (  # title adjectives joined by "and"; a surname shaped like a patronymic takes the title after it
            "Present were Ivan Grinevich, Permanent and Plenipotentiary Representative of the Republic to the "
            "Alliance, Pavel Ostrov, Minister Counselor of the Embassy, and others.",
            [
                (
                    "Ivan Grinevich",
                    "Permanent and Plenipotentiary Representative of the Republic to the Alliance",
                ),
                ("Pavel Ostrov", "Minister Counselor of the Embassy"),
            ],
        ),
        (
            "It was chaired by Anna Varlamova, Permanent and Plenipotentiary Representative of the Republic.",
            [("Anna Varlamova", "Permanent and Plenipotentiary Representative of the Republic")],
        ),
        (  # a title in lower case before an organisation and a name
            "Present were experts and the chief hydrologist of the Federal Ministry of Fisheries P.S. Ostrov.",
            [("P.S. Ostrov", "chief hydrologist of the Federal Ministry of Fisheries")],
        ),
        (  # "and the ..." starts a second person's title: no run-on
            "Talks were held between the Deputy Secretary General of the Alliance Pavel Ostrov and the Special "
            "Representative of the UN for the Arctic, Head of the UN Polar Centre (UNPC) Anna Varlamova.",
            [
                ("Pavel Ostrov", "Deputy Secretary General of the Alliance"),
                (
                    "Anna Varlamova",
                    "Special Representative of the UN for the Arctic, Head of the UN Polar Centre (UNPC)",
                ),
            ],
        ),
        (  # a staff list: surname first, title from the line or from the heading
            "Acting Secretary General of the Alliance - Ostrov Pavel Sergeyevich (biography) - Republic of Belarus\n\n"
            "Deputy Secretary Generals:\n\n"
            "- Varlamov Ignat Petrovich - (biography) - Kyrgyz Republic",
            [
                ("Pavel Ostrov", "Acting Secretary General of the Alliance"),
                ("Ignat Varlamov", "Deputy Secretary Generals"),
            ],
        ),
    ],
)
def test_phrasings_of_the_csto_sites(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The meeting was held in Group A. The Minister spoke.",  # a capital and a full stop end a sentence
        "Students of the University named after Professor M.A. Varlamov attended.",  # a name in a name
        "The list of participants:\n\n- Republic of Belarus\n\n- Kyrgyz Republic",  # a list of no people
        "The delegation of the Ministry of Health Ivan Petrov led was large.",  # no title word before it
        "The Minister of Defence, Kazakh Armed Forces with Ivan Petrov met.",  # no object before the name
        "The Secretary General: We will meet again.",  # a colon, then no name
    ],
)
def test_no_person_where_there_is_none(text: str) -> None:
    assert [name for name, title in people(text) if title is not None] == []


def test_initials_take_the_one_full_name_the_store_knows() -> None:
    text = "The Deputy Minister of Coastal Shipping of the Union, P.S. Ostrov, opened the meeting."
    assert people(text, frozenset({"Pavel Ostrov"})) == [
        ("Pavel Ostrov", "Deputy Minister of Coastal Shipping of the Union")
    ]
    assert people(text, frozenset({"Pavel Ostrov", "Pyotr Ostrov"}))[0][0] == "P.S. Ostrov"


def _real(name: str) -> str:
    assert REAL_PAGES is not None
    return (Path(REAL_PAGES) / "en" / name).read_text(encoding="utf-8")


@pytest.mark.skipif(REAL_PAGES is None, reason="../shared/real-pages is absent")
@pytest.mark.parametrize(
    ("page", "name", "title_words"),
    [
        ("028.txt", "T.S. Sultangaziev", "First Vice-Minister of Health"),
        ("066.txt", "R.T. Zhakupov", "Deputy Minister of the Interior"),
        ("002.txt", "Alexander G. Lukashenko", "President of the Republic of Belarus"),
        ("082.txt", "N. Bordyuzha", "Secretary-General"),
        ("008.txt", "Murat Nurtleu", "Deputy Prime Minister \u2013 Minister of Foreign Affairs"),
        (
            "031.txt",
            "Denis Manturov",
            "Deputy Prime Minister of the Russian Federation - Minister of Industry",
        ),
        ("018.txt", "Roza Otunbayeva", "in Afghanistan (UNAMA)"),
        ("019.txt", "Kakha Imnadze", "for Central Asia, Head of the UN Regional Centre"),
        ("023.txt", "Igor Korotchenko", "Editor-in-Chief of the magazine"),
        ("023.txt", "Alexander Shpakovsky", "Deputy of the House of Representatives"),
        ("073.txt", "Viktor Kogut", "Plenipotentiary representative of the National Assembly"),
        ("073.txt", "Mikhail Krotov", "Russian Federation - deputy Executive Secretary"),
        ("038.txt", "Marat Imankulov", "Secretary of the country's Security Council"),
        ("072.txt", "Umakhan UMAKHANOV", "Eurasian Integration and Relations with Compatriots"),
        ("007.txt", "Peter Tikhonovsky", "CSTO Deputy Secretary General"),
        ("007.txt", "Valeriy Semerikov", "Acting Secretary General of the CSTO"),
    ],
)
def test_real_pages_people_and_titles(page: str, name: str, title_words: str) -> None:
    titles = [title or "" for found, title in people(_real(page)) if found == name]
    assert any(title_words in title for title in titles), titles


@pytest.mark.skipif(REAL_PAGES is None, reason="../shared/real-pages is absent")
def test_real_page_titles_do_not_run_into_the_next_person() -> None:
    for found, title in people(_real("012.txt")) + people(_real("019.txt")) + people(_real("040.txt")):
        assert title is None or " and the " not in title, (found, title)
        assert (
            found != "Alexander Shpakovsky"
            or title
            == "Minister Counselor of the Embassy of the Republic of Belarus to the Russian Federation"
        )


GUARD_S = 5.0  # a linear rule reads these 200 KB sentences in a fraction of a second


@pytest.mark.parametrize(
    "unit",
    [
        "Minister of Defence of the Republic, ",  # one title in ten thousand parts
        "Deputy Prime Minister - ",
        "Editor-in-Chief of the magazine \u201cModern Army\u201d ",
        "the chief narcologist of the Federal Ministry of Health P.S. ",
        "T.S. R.T. A. ",
        "Ivan Petrov, the Minister of Defence - ",
    ],
)
def test_title_parts_in_a_long_sentence_are_read_in_linear_time(unit: str) -> None:
    sentence = unit * (200_000 // len(unit)) + "Ivan Petrov spoke."
    vocab = vocab_for(lexicon())
    started = time.perf_counter()
    runs, words = people_runs.sentence_runs(sentence, vocab)
    people_runs.titled_in_runs(sentence, runs, words, vocab)
    assert time.perf_counter() - started < GUARD_S
