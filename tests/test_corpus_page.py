"""parse_page on invented pages of the same site: nothing may be keyed to the seed pages."""

from __future__ import annotations

import datetime as dt

import pytest
from corpus_fixtures import lexicon
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.corpus import item_key, operation_key, parse_page

NEW_PAGE = """12.03.2026

On March 11, 2026, in Minsk, the CSTO Deputy Secretary General Ivan Petrov met with the Minister of Defence of the Republic of Belarus Viktor Khrenin.

Dear Anna Sergeyevna!

Dear participants of the seminar!

On behalf of the CSTO Secretariat, I congratulate you on the opening of the seminar.

Olga Smirnova, Head of the CSTO Information and Analytical Department, presented the annual report.

The CSTO Deputy Secretary General Ivan Petrov summed up the results of the border operation

On 10 March 2026, the CSTO Deputy Secretary General Ivan Petrov summed up the results of the operation \u201cFrontier\u201d in Dushanbe.

Dear colleagues!

The operation \u201cFrontier\u201d \u2014 to prevent the illegal crossing of state borders \u2014 was held for the first time. Petrov thanked the border services of the member states.

Go back to the news list

Back to the section
"""


def test_new_page_items_dates_and_kinds() -> None:
    items = parse_page(NEW_PAGE, lexicon()).items
    assert [(i.kind, i.date) for i in items] == [
        ("teaser", dt.date(2026, 3, 12)),
        ("salutation", None),
        ("teaser", None),
        ("article", dt.date(2026, 3, 10)),
    ]
    assert (
        items[3].headline
        == "The CSTO Deputy Secretary General Ivan Petrov summed up the results of the border operation"
    )
    assert items[3].body.count("Dear colleagues!") == 1
    assert all("Back to" not in i.body and "Go back" not in i.body for i in items)


def test_new_page_people_and_operation() -> None:
    items = parse_page(NEW_PAGE, lexicon()).items
    people = {(m.name, m.title) for i in items for m in i.people}
    assert ("Ivan Petrov", "CSTO Deputy Secretary General") in people
    assert ("Ivan Petrov", None) in people  # "Petrov thanked ..." later in the article
    assert ("Viktor Khrenin", "Minister of Defence of the Republic of Belarus") in people
    assert ("Anna Sergeyevna", None) in people
    assert ("Olga Smirnova", "Head of the CSTO Information and Analytical Department") in people
    ops = [o for i in items for o in i.operations]
    assert {operation_key(o.name) for o in ops} == {"frontier"}
    assert max(o.purpose_quality for o in ops) == 2
    assert any(o.purpose == "to prevent the illegal crossing of state borders" for o in ops)


def test_page_without_headline_is_one_article_headed_by_its_first_sentence() -> None:
    text = "On 2 May 2026 the Council met in Yerevan. It adopted a statement on border security.\n"
    (item,) = parse_page(text, lexicon()).items
    assert item.kind == "article"
    assert item.headline == "On 2 May 2026 the Council met in Yerevan."
    assert item.date == dt.date(2026, 5, 2)


def test_date_line_above_the_headline_dates_the_article() -> None:
    text = (
        "A teaser about an earlier meeting of the Council.\n"
        "05.05.2026\n"
        "The Council of Defence Ministers met in Minsk\n"
        "The ministers discussed joint exercises in detail."
    )
    items = parse_page(text, lexicon()).items
    assert [(i.kind, i.date) for i in items] == [("teaser", None), ("article", dt.date(2026, 5, 5))]


@pytest.mark.parametrize(
    "line",
    [
        "Dear colleagues and dear friends,",
        "The following documents were signed by the ministers:",
        "and then the ministers went on to discuss the exercises",
    ],
)
def test_lines_that_are_not_headlines(line: str) -> None:
    text = f"{line}\nThe Council of Defence Ministers met in Minsk\nThe ministers discussed joint exercises."
    items = parse_page(text, lexicon()).items
    assert items[-1].headline == "The Council of Defence Ministers met in Minsk"


def test_single_and_double_newlines_give_the_same_items() -> None:
    blank = NEW_PAGE
    single = "\n".join(line for line in NEW_PAGE.splitlines() if line.strip())
    assert [i.key for i in parse_page(blank, lexicon()).items] == [
        i.key for i in parse_page(single, lexicon()).items
    ]


def test_same_teaser_on_another_page_keeps_its_key_despite_spacing_and_quotes() -> None:
    a = parse_page(
        "The \u201cPatriot\u201d park  was visited by the delegation.\nA headline of the main news story",
        lexicon(),
    )
    b = parse_page(
        'The "Patriot" park was visited by the delegation.\n\nAnother headline of the main story', lexicon()
    )
    assert a.items[0].key == b.items[0].key == item_key('The "Patriot" park was visited by the delegation.')
    assert a.items[1].key != b.items[1].key


def test_empty_or_debris_only_text_has_no_items() -> None:
    assert parse_page("", lexicon()).items == ()
    assert parse_page("Go back\n\nBack to the section\n", lexicon()).items == ()


def test_russian_page_is_left_intact() -> None:
    text = "31 октября 2025 года в Астане состоялась встреча генеральных секретарей."
    (item,) = parse_page(text, lexicon()).items
    assert item.body == text
    assert item.date == dt.date(2025, 10, 31)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_any_text_parses_into_bounded_items_without_markers(text: str) -> None:
    for item in parse_page(text, lexicon(), ("Ivan Petrov",)).items:
        assert len(item.headline) <= 150 and len(item.summary) <= 200
        assert not any(ch in item.body + item.headline + item.summary for ch in "\x02\x03")
        assert item.kind in {"teaser", "salutation", "article"}
