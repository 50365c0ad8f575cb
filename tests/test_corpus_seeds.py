"""The corpus rules on the five real seed pages: items, keys, dates, debris, people, operations."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterable

import pytest
from corpus_fixtures import all_seed_items, article, seed_items, seed_paths, seed_text

from bot.corpus import ParsedItem, operation_key, person_key
from bot.corpus.summary import HEADLINE_MAX, SUMMARY_MAX


def _distinct(items: Iterable[ParsedItem]) -> dict[str, ParsedItem]:
    return {i.key: i for i in items}


def _teaser(body_start: str) -> ParsedItem:
    (item,) = [i for i in _distinct(all_seed_items()).values() if i.body.startswith(body_start)]
    return item


def test_the_seeds_hold_sixteen_distinct_items() -> None:
    distinct = _distinct(all_seed_items())
    kinds = [i.kind for i in distinct.values()]
    assert len(distinct) == 16
    assert kinds.count("article") == 5
    assert kinds.count("teaser") + kinds.count("salutation") == 11
    assert kinds.count("salutation") == 1


def test_every_page_has_exactly_one_main_article_last() -> None:
    for path in seed_paths():
        items = seed_items(path.name[:3])
        assert [i.kind for i in items].count("article") == 1, path.name
        assert items[-1].kind == "article"
        assert [i.position for i in items] == list(range(len(items)))


@pytest.mark.parametrize(("a", "b", "shared"), [("000", "003", 4), ("001", "004", 3)])
def test_shared_teasers_get_the_same_keys(a: str, b: str, shared: int) -> None:
    first, second = seed_items(a), seed_items(b)
    assert [i.key for i in first[:shared]] == [i.key for i in second[:shared]]
    assert first[shared].key != second[shared].key  # the main articles differ


@pytest.mark.parametrize(
    ("page", "headline_start", "date"),
    [
        ("000", "The CSTO Secretary General spoke at Third CIS Conference", dt.date(2025, 10, 23)),
        ("001", "Speech by the CSTO Deputy Secretary General Valery Semerikov", dt.date(2020, 9, 14)),
        ("002", "Interview of the CSTO Secretary General Imangali Tasmagambetov to the TASS agency", None),
        ("003", "Speech by Taalatbek Masadikov, the CSTO Deputy Secretary General", dt.date(2025, 10, 29)),
        (
            "004",
            "The CSTO Secretary General Imangali Tasmagambetov delivered a welcoming",
            dt.date(2023, 11, 8),
        ),
    ],
)
def test_main_article_headline_and_date(page: str, headline_start: str, date: dt.date | None) -> None:
    item = article(page)
    assert item.headline.startswith(headline_start)
    assert item.date == date


def test_repeated_headline_with_date_is_folded_not_kept_in_body() -> None:
    body = article("001").body
    assert "14.09.2020" not in body
    assert body.startswith('"Effective Partnership')
    assert "08.11.2023" not in article("004").body


def test_article_date_line_is_not_part_of_the_body() -> None:
    assert article("003").body.startswith("Dear colleagues!")


def test_teaser_dates() -> None:
    assert _teaser("On October 31, 2025, in Astana").date == dt.date(2025, 10, 31)
    assert _teaser("On June 6, 2024, in Almaty").date == dt.date(2024, 6, 6)
    teasers_002 = [i.date for i in seed_items("002") if i.kind == "teaser"]
    assert teasers_002 == [
        dt.date(2025, 7, 7),
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 30),
        dt.date(2025, 6, 26),
    ]
    others = [i for i in _distinct(all_seed_items()).values() if i.kind != "article" and i.date is None]
    assert len(others) == 5  # the rest of the teasers (and the salutation) are undated


def test_dated_teaser_takes_its_date_line_not_the_date_in_its_text() -> None:
    first = seed_items("002")[0]
    assert first.body.startswith("On July 4, 2025")
    assert first.date == dt.date(2025, 7, 7)


def test_undated_interview_does_not_borrow_a_neighbours_date() -> None:
    assert seed_items("002")[-2].date is not None
    assert article("002").date is None


def test_salutation_block_is_one_item() -> None:
    (salutation,) = [i for i in seed_items("000") if i.kind == "salutation"]
    assert salutation.body.startswith(
        "Dear Sergey Kuzhugetovich!\n\nDear Secretaries of the Security Councils!"
    )
    assert "On behalf of the Secretariat" in salutation.body
    assert salutation.headline.startswith("On behalf of the Secretariat")


def test_dear_colleagues_stays_inside_the_article() -> None:
    items = seed_items("004")
    assert not any(i.kind == "salutation" for i in items)
    assert "Dear Nikolai Platonovich!" in article("004").body
    assert article("004").body.count("Dear Colleagues!") == 2


def test_navigation_debris_never_reaches_an_item() -> None:
    for item in all_seed_items():
        for text in (item.body, item.headline, item.summary):
            assert "Go back" not in text
            assert "Back to the" not in text


def test_stray_cyrillic_fragment_is_removed() -> None:
    body = article("004").body
    assert "violations of national sovereignty.\n\n" in body
    assert not any("\u0400" <= ch <= "\u04ff" for ch in body)


def test_typographic_quotes_and_dashes_are_kept() -> None:
    body = article("003").body
    assert "\u201cProspects for collective security" in body
    assert "opponents\u2014hybrid wars" in body


def test_non_breaking_spaces_are_normalised() -> None:
    teaser = seed_items("001")[1]
    assert "On June 6, 2024, in Almaty, a meeting of the CSTO Committee" in teaser.body
    assert "\u00a0" not in teaser.body


def test_headlines_and_summaries_are_bounded_single_sentences() -> None:
    for item in all_seed_items():
        assert 0 < len(item.headline) <= HEADLINE_MAX
        assert 0 < len(item.summary) <= SUMMARY_MAX
        assert "\n" not in item.summary
        assert not item.summary.startswith("Dear ")


def test_long_headline_is_trimmed_on_a_word_boundary() -> None:
    line = next(x for x in seed_text("003").splitlines() if x.startswith("Speech by Taalatbek"))
    headline = article("003").headline
    assert len(line) > HEADLINE_MAX
    assert headline.endswith("\u2026") and len(headline) <= HEADLINE_MAX
    assert line.startswith(headline[:-1]) and line[len(headline) - 1] == " "


@pytest.mark.parametrize(
    ("page", "summary_start"),
    [
        ("000", "On October 23, 2025, Secretary General of the Collective Security Treaty Organization"),
        ("002", "Imangali Tasmagambetov \u2014 on the results of the Council"),
        ("004", "On 8 November 2023, in Moscow, the 11th meeting"),
    ],
)
def test_article_summary_prefers_a_dated_or_headline_echoing_lead(page: str, summary_start: str) -> None:
    assert article(page).summary.startswith(summary_start)


def test_article_summary_skips_titles_asides_and_salutations() -> None:
    summary = article("001").summary
    assert not summary.startswith(('"', "\u201c", "(", "Dear", "Ladies"))
    assert len(summary) >= 40
    assert summary in article("001").body or summary.endswith("\u2026")


REQUIRED_PEOPLE = [
    "Imangali Tasmagambetov",
    "Denis Manturov",
    "Kassym-Jomart Tokayev",
    "Emomali Rahmon",
    "Valery Semerikov",
    "Taalatbek Masadikov",
    "Safar Umarzoda",
    "Sadyr Japarov",
    "Ararat Mirzoyan",
    "Nurlan Seitimov",
    "Yevgeny Sysoev",
    "Piao Yangfan",
    "Vladimir Putin",
]


def _people(aliases: bool = True) -> dict[str, set[str | None]]:
    titles: dict[str, set[str | None]] = {}
    for item in all_seed_items(aliases):
        for mention in item.people:
            titles.setdefault(mention.name, set()).add(mention.title)
    return titles


def test_required_people_are_found() -> None:
    people = _people()
    for name in REQUIRED_PEOPLE:
        assert name in people, name


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Imangali Tasmagambetov", "CSTO Secretary General"),
        ("Imangali Tasmagambetov", "Secretary General of the Collective Security Treaty Organization (CSTO)"),
        ("Imangali Tasmagambetov", "Organization's Secretary General"),
        ("Kassym-Jomart Tokayev", "President of the Republic of Kazakhstan"),
        ("Emomali Rahmon", "President of the Republic of Tajikistan"),
        ("Yevgeny Sysoev", "Head of the CIS Anti-Terrorism Center"),
        ("Sadyr Japarov", "Kyrgyz President"),
        ("Ararat Mirzoyan", "Armenian Foreign Minister"),
        ("Vladimir Putin", "Russian President"),
        ("Piao Yangfan", "SCO Deputy Secretary General"),
        ("Nurlan Seitimov", "CIS Deputy Secretary General"),
        ("Valery Semerikov", "CSTO Deputy Secretary General"),
        (
            "Denis Manturov",
            (
                "Chairman of the CSTO Interstate Commission on Military-Economic Cooperation and "
                "First Deputy Prime Minister of the Russian Federation"
            ),
        ),
        ("Taalatbek Masadikov", "CSTO Deputy Secretary General"),
        (
            "Safar Umarzoda",
            "Head of the Department for Countering Challenges and Threats of the CSTO Secretariat",
        ),
    ],
)
def test_titles_as_written(name: str, title: str) -> None:
    assert title in _people()[name]


def test_addressed_people_are_discovered_without_aliases() -> None:
    people = _people(aliases=False)
    assert people["Sergey Kuzhugetovich"] == {None}
    assert people["Nikolai Platonovich"] == {None}


def test_curated_aliases_merge_addressed_people() -> None:
    people = _people()
    assert "Sergey Shoigu" in people and "Nikolai Patrushev" in people
    assert "Sergey Kuzhugetovich" not in people


@pytest.mark.parametrize(
    "not_a_person",
    [
        "Secretaries of the Security Councils",
        "Republic of Kazakhstan",
        "Security Council",
        "Treaty Organization",
        "Secretary General",
        "Dear Chairman",
        "Dear Colleagues",
        "Russian Federation",
        "Sputnik Armenia",
        "Ladies and Gentlemen",
    ],
)
def test_non_persons_are_never_people(not_a_person: str) -> None:
    keys = {person_key(n) for n in _people(aliases=False)}
    assert person_key(not_a_person) not in keys


def test_every_person_found_is_a_two_word_name() -> None:
    for name in _people(aliases=False):
        assert len(name.split()) == 2, name


def test_untitled_later_mention_of_a_page_person() -> None:
    mentions = [m for m in article("000").people if m.sentence.startswith("In his speech, Imangali")]
    assert [(m.name, m.title) for m in mentions] == [("Imangali Tasmagambetov", None)]


def test_one_mention_per_person_and_sentence() -> None:
    for item in all_seed_items():
        pairs = [(person_key(m.name), m.sentence) for m in item.people]
        assert len(pairs) == len(set(pairs))


def test_operations_are_exactly_the_four_named_ones() -> None:
    names = {operation_key(o.name) for i in all_seed_items() for o in i.operations}
    assert names == {operation_key(name) for name in ("Channel", "Illegal", "Proxy", "Mercenary")}


def test_each_operation_has_a_direct_purpose_somewhere() -> None:
    best: dict[str, int] = {}
    for item in all_seed_items():
        for op in item.operations:
            key = operation_key(op.name)
            best[key] = max(best.get(key, 0), op.purpose_quality)
    assert best == {operation_key(name): 2 for name in ("Channel", "Illegal", "Proxy", "Mercenary")}


@pytest.mark.parametrize(
    ("name", "purpose"),
    [
        ("Channel", "to combat drug-related crimes"),
        ("Illegal", "to suppress illegal migration"),
        ("Proxy", "to combat crimes related to innovative technologies"),
        ("Mercenary", "to block the channels of recruitment, exit / entry of citizens"),
    ],
)
def test_direct_purposes_in_the_speech(name: str, purpose: str) -> None:
    (op,) = [o for o in article("001").operations if o.name == name]
    assert op.purpose_quality == 2
    assert op.purpose is not None and op.purpose.startswith(purpose)


def test_listed_operations_share_the_following_goal_sentence() -> None:
    ops = article("000").operations
    assert [o.name for o in ops] == ["Channel", "Illegal", "PROXY", "Mercenary"]
    assert {o.purpose_quality for o in ops} == {1}
    assert len({o.purpose for o in ops}) == 1
    assert ops[0].purpose is not None and ops[0].purpose.startswith(
        "to systematically combat drug trafficking"
    )
    assert not ops[0].purpose.endswith(("\u201d", "."))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_parsed_items_cross_a_process_boundary_unchanged(prefix: str) -> None:
    """A parsing process sends its items pickled: what arrives is what was parsed, people and all."""
    items = seed_items(prefix)
    assert any(item.people for item in items)
    assert pickle.loads(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)) == items
