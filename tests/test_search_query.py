"""bot/search_query.py: user text → safe FTS5 MATCH expression, checked against a real FTS5 table."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.search_query import MAX_TERMS, SearchQuery, parse_search_query

DOCS = [
    "Mercenary groups were discussed at the CSTO summit.",
    "The Wagner group is not a CSTO member.",
    "Collective security treaty: the collective rapid reaction forces met.",
    "Security of the collective was raised.",
    "Наёмники и Кремль: заявление секретариата ОДКБ.",
    "Le café de la Défense à Erevan.",
    "Operation PROXY targets cybercrime. C-130 aircraft landed in the U.S.",
    "Jean-Pierre spoke, and NEAR the border nothing happened.",
]


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t(rowid, a) VALUES (?, ?)", enumerate(DOCS))
    yield db
    db.close()


def search(db: sqlite3.Connection, text: str) -> list[int]:
    expression = parse_search_query(text).match_expression()
    assert expression is not None
    return [row[0] for row in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid", (expression,))]


# ---------------------------------------------------------------------------------------------- parsing


def test_plain_terms_are_quoted_and_anded() -> None:
    query = parse_search_query("  CSTO   summit ")
    assert query == SearchQuery(include=("CSTO", "summit"))
    assert query.match_expression() == '"CSTO" AND "summit"'
    assert query.terms() == ("CSTO", "summit")


def test_every_kind_of_term() -> None:
    query = parse_search_query('mercenar* "collective security" -wagner -"rapid reaction" -cyber* treaty')
    assert query.include == ("treaty",)
    assert query.phrases == ("collective security",)
    assert query.prefixes == ("mercenar",)
    assert query.exclude == ("wagner", "rapid reaction", "cyber*")
    assert query.match_expression() == (
        '("treaty" AND "collective security" AND "mercenar"*) NOT ("wagner" OR "rapid reaction" OR "cyber"*)'
    )
    assert query.terms() == ("treaty", "collective", "security")


@pytest.mark.parametrize(
    ("text", "include"),
    [
        ("AND NOT", ("AND", "NOT")),
        ("OR war", ("OR", "war")),  # an OR with nothing before it is a word
        ("war OR", ("war", "OR")),  # ... and with nothing after it
        ("NEAR(a b, 5)", ("NEAR", "a", "b", "5")),
        ("a:hello ^start", ("a", "hello", "start")),
        ("x or y", ("x", "or", "y")),  # only a capitalised OR joins alternatives
        ("C-130 U.S. jean-pierre", ("C-130", "U.S", "jean-pierre")),
        ("foo*bar", ("foo*bar",)),
        ("x* ab*", ("x",)),  # a one-letter prefix is just the letter
        ("café Défense", ("café", "Défense")),
        ("наёмники Кремль", ("наёмники", "Кремль")),
        ("peace 🕊️ talks 👍🏽", ("peace", "talks")),
        ("nul\x00byte \x1b[0m", ("nul", "byte", "0m")),
        ("lone \ud800 surrogate", ("lone", "surrogate")),
        ("CSTO csto Csto", ("CSTO",)),
    ],
)
def test_operators_and_punctuation_are_literal(text: str, include: tuple[str, ...]) -> None:
    assert parse_search_query(text).include == include


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t ", "* - -- ( ) ^ : ! ? \"\" ''", "-wagner", '-wagner -"rapid reaction"', "😀 🇷🇺", "a" * 0],
)
def test_nothing_to_search(text: str) -> None:
    query = parse_search_query(text)
    assert query.match_expression() is None
    assert query.is_empty()


def test_a_capitalised_or_joins_alternatives() -> None:
    query = parse_search_query('treaty mercenary OR "illegal migration" OR proxy* -wagner')
    assert query.include == ("treaty",) and query.exclude == ("wagner",)
    assert query.alternatives == (
        (("include", "mercenary"), ("phrases", "illegal migration"), ("prefixes", "proxy")),
    )
    assert query.match_expression() == (
        '("treaty" AND ("mercenary" OR "illegal migration" OR "proxy"*)) NOT ("wagner")'
    )
    assert query.terms() == ("treaty", "mercenary", "illegal", "migration")
    assert parse_search_query("(x OR y)").match_expression() == '("x" OR "y")'
    assert parse_search_query("a OR OR b").match_expression() == '("a" OR "b")'
    assert parse_search_query("a OR a b").match_expression() == '"a" AND "b"'  # a repeated term joins nothing
    assert parse_search_query("a OR -b c").match_expression() == '("a" AND "OR" AND "c") NOT ("b")'


def test_quotes_typographic_unclosed_and_doubled() -> None:
    assert parse_search_query("«Кремль» “collective security”").phrases == ("Кремль", "collective security")
    assert parse_search_query('"unclosed phrase here').phrases == ("unclosed phrase here",)
    assert parse_search_query('say"hi"there').include == ("say", "there")
    assert SearchQuery(include=('a"b',)).match_expression() == '"a""b"'


def test_bounded_terms_and_input() -> None:
    query = parse_search_query(" ".join(f"w{n}" for n in range(100)))
    assert len(query.include) == MAX_TERMS
    assert parse_search_query("x" * 3994 + " late words").include == ("x" * 3994, "late")


# ---------------------------------------------------------------------------------------------- against FTS5


def test_prefix_matches(fts: sqlite3.Connection) -> None:
    assert search(fts, "mercenar*") == [0]
    assert search(fts, "MERC*") == [0]


def test_exclusion_excludes(fts: sqlite3.Connection) -> None:
    assert search(fts, "CSTO") == [0, 1]
    assert search(fts, "CSTO -wagner") == [0]
    assert search(fts, 'collective -"rapid reaction"') == [3]
    assert search(fts, "collective -secur*") == []


def test_phrase_matches_only_the_phrase(fts: sqlite3.Connection) -> None:
    assert search(fts, "collective security") == [2, 3]
    assert search(fts, '"collective security"') == [2]
    assert search(fts, '"security collective"') == []


def test_typed_operators_are_words(fts: sqlite3.Connection) -> None:
    assert search(fts, "NEAR border") == [7]
    assert search(fts, "not member") == [1]
    assert search(fts, "a:summit") == []  # not a column filter: "a" is a word document 0 lacks
    assert search(fts, "C-130") == [6]
    assert search(fts, "jean-pierre") == [7]


def test_alternatives_find_either(fts: sqlite3.Connection) -> None:
    assert search(fts, "Кремль OR C-130") == [4, 6]
    assert search(fts, "CSTO OR Кремль -wagner") == [0, 4]
    assert search(fts, "Кремль or C-130") == []  # lower-case "or" is a word both must contain


def test_unicode_terms(fts: sqlite3.Connection) -> None:
    assert search(fts, "Кремль") == [4]
    assert search(fts, "наёмники") == [4]
    assert search(fts, "cafe defense") == [5]  # remove_diacritics folds é
    assert search(fts, "Défense 🕊️") == [5]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(max_size=300)
    | st.lists(
        st.sampled_from(
            ['"', "-", "*", "(", ")", "^", ":", "AND", "OR", "NOT", "NEAR", "a", "ab", " ", "«", ","]
        ),
        max_size=40,
    ).map("".join)
)
def test_any_text_is_a_valid_expression_or_none(fts: sqlite3.Connection, text: str) -> None:
    query = parse_search_query(text)
    expression = query.match_expression()
    if expression is None:
        assert not (query.include or query.phrases or query.prefixes or query.alternatives)
        return
    fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    assert len(query.include) + len(query.phrases) + len(query.prefixes) + len(query.exclude) <= MAX_TERMS


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300).map(lambda s: (s * (9000 // len(s) + 1))[:9000]))
def test_long_text_is_bounded(fts: sqlite3.Connection, text: str) -> None:
    expression = parse_search_query(text).match_expression()
    if expression is not None:
        assert len(expression) < 4000 * 3
        fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
