"""bot.matching: one fold and one set of cutoffs, so /who, /operations and person:/op: filters agree."""

from __future__ import annotations

import pytest

from bot import matching
from bot.alert_filters import named_hits
from bot.matching import FILTER_CUTOFF, PERSON_CUTOFF, best_operation, fold
from bot.people_index import PeopleIndex
from bot.records import PersonName

PEOPLE = [
    PersonName(1, "Imangali Tasmagambetov", ("Imangali Nurgalievich Tasmagambetov",), 9),
    PersonName(2, "Ivan Belov", (), 3),
    PersonName(3, "Ivan Orlov", (), 2),
    PersonName(4, "Kassym-Jomart Tokayev", ("Kassym-Zhomart Tokaev",), 5),
    PersonName(5, "Sergei Lavrov", (), 4),
    PersonName(6, "Aleksandr Lukashenko", ("Alexander Lukashenka",), 4),
]
OPERATIONS = {1: "Channel", 2: "Kanal-2023", 3: "Proxy", 4: "Illegal"}  # operation id -> its name

# One item per person (item id = person id), naming them as the corpus writes them.
ITEMS_NAMING = {p.id: [p.name, *p.aliases] for p in PEOPLE}


def test_one_fold_for_every_matcher() -> None:
    """Case, accents and punctuation do not count, wherever a name is compared."""
    assert fold("Kassym-Jomart  TOKAYEV,") == "kassym jomart tokayev"
    assert fold("Lukašenka") == fold("lukasenka")
    assert matching.fold is fold


@pytest.mark.parametrize(
    "query",
    [
        "tasmagambetow",  # a typo
        "TASMAGAMBETOV",  # case
        "Imangaly",  # a first name alone, with a typo
        "Tasmagambetov,",  # punctuation
        "Ivan Belov",  # a near neighbour ("Ivan Orlov") is not them
        "ivan orlov",
        "Belov",  # a surname alone
        "Kassym Jomart Tokayev",  # a hyphen typed as a space
        "Jomart",  # one part of a hyphenated name
        "Tokaev",  # an alias
        "Lukashenka",
        "Aleksandr",
    ],
)
def test_a_person_filter_means_whom_who_answers(query: str) -> None:
    """The promise of /subscribe person:<name>: an item naming the person /who answers for that name
    is alerted, and an item naming anyone else is not."""
    person, candidates = PeopleIndex(PEOPLE).resolve(query)
    assert person is not None and candidates[0].score >= FILTER_CUTOFF
    hits = named_hits([f"person:{query}"], ITEMS_NAMING, {})
    assert [item_id for _, item_id in hits] == [person.id]


@pytest.mark.parametrize("query", ["Shoigu", "Rahmon", "xyz"])
def test_a_person_filter_matches_no_one_where_who_finds_no_one(query: str) -> None:
    _person, candidates = PeopleIndex(PEOPLE).resolve(query)
    assert not candidates or candidates[0].score < PERSON_CUTOFF
    assert named_hits([f"person:{query}"], ITEMS_NAMING, {}) == []


def test_a_name_several_people_share_matches_each_of_them() -> None:
    """/who offers both Ivans as buttons; the filter alerts about either."""
    person, candidates = PeopleIndex(PEOPLE).resolve("Ivan")
    assert person is None and {c.person.id for c in candidates} == {2, 3}
    assert [item_id for _, item_id in named_hits(["person:Ivan"], ITEMS_NAMING, {})] == [2, 3]


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("chanel", 1),  # a typo
        ("Channel 2024", 1),  # the operation's name with a year
        ("channel-2024", 1),
        ("kanal", 2),
        ("KANAL 2023", 2),
        ("proxy", 3),
        ("cobalt", None),
    ],
)
def test_an_operation_filter_means_what_operations_answers(query: str, meant: int | None) -> None:
    """/operations <name> and op:<name> use the same fold and scorer: the operation /operations shows
    is the one the filter alerts about (one item per operation, item id = operation id)."""
    ids, names = list(OPERATIONS), list(OPERATIONS.values())
    best = best_operation(query, names)
    assert (ids[best] if best is not None else None) == meant
    hits = named_hits([f"op:{query}"], {}, {op_id: [name] for op_id, name in OPERATIONS.items()})
    assert [item_id for _, item_id in hits] == ([meant] if meant else [])


def test_suggestions_want_short_words_nearer() -> None:
    assert matching.suggestion_cutoff("bear") > matching.suggestion_cutoff("mercenari")


@pytest.mark.parametrize("query", ["Сердюков", "Андрей Сердюков", "Serdyukov", "Andrey Serdyukov"])
def test_a_person_filter_in_either_script_means_the_one_person(query: str) -> None:
    """One key across spellings and scripts (name_keys), as /who: either script finds both mentions."""
    items = {1: ["Andrei Serdyukov"], 2: ["Андрей Сердюков"], 3: ["Irina Serdyukova"]}
    assert [item_id for _, item_id in named_hits([f"person:{query}"], items, {})] == [1, 2]
