"""Identity keys for people, operations and items."""

from __future__ import annotations

import pytest

from bot.corpus import item_key, operation_key, person_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kassym-Jomart Tokayev", "kassym jomart  TOKAYEV"),
        ("Kassym\u2013Jomart Tokayev", "Kassym-Jomart Tokayev"),
        ("Tokáyev", "Tokayev"),
        (" Ivan\tPetrov ", "Ivan Petrov"),
    ],
)
def test_person_key_identifies_spelling_variants(a: str, b: str) -> None:
    assert person_key(a) == person_key(b)


def test_person_key_tells_different_people_apart() -> None:
    assert person_key("Ivan Petrov") != person_key("Ivan Petrova")


def test_operation_key_ignores_case_and_spacing() -> None:
    assert operation_key("PROXY") == operation_key("Proxy") == operation_key(" proxy ")
    assert operation_key("Safe  Summer") == operation_key("safe summer")
    assert operation_key("Channel") != operation_key("Illegal")


def test_item_key_ignores_case_spacing_and_quote_style() -> None:
    a = item_key("The \u201cPatriot\u201d park\nwas visited.")
    assert a == item_key('the "patriot" park was   visited.')
    assert a == item_key("The \u00abPatriot\u00bb park was visited.")
    assert a != item_key("The Patriot park was visited again.")
    assert len(a) == 32
