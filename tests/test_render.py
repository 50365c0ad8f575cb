"""bot/render/: escaping, highlighting, Telegram's length limit, buttons and the console form."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.records import (
    MATCH_END,
    MATCH_START,
    CorpusStats,
    ItemDetail,
    ItemSummary,
    LatestItems,
    OperationDetail,
    OperationExcerpt,
    OperationSummary,
    PersonMentionRecord,
    PersonName,
    PersonProfile,
    PersonTitle,
    SearchHit,
    SearchPage,
    Source,
)
from bot.render import (
    Button,
    Reply,
    format_date,
    render_error,
    render_expired_button,
    render_help,
    render_item,
    render_latest,
    render_new_items,
    render_operation,
    render_operations,
    render_people_usage,
    render_person,
    render_person_choices,
    render_person_not_found,
    render_search,
    render_stats,
    render_usage,
    telegram_length,
)
from tests.html_check import to_plain_text

HOSTILE = '<b>&"</b><script>alert(1)</script> &amp; </i> <a href="x">'
DAY = dt.date(2025, 10, 31)
ALLOWED = {"b", "i", "u", "s", "code", "pre", "a", "blockquote"}
ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot);|#\d+;|#x[0-9a-fA-F]+;)")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag {tag}")
        if [name for name, _ in attrs if not (tag == "a" and name == "href")]:
            self.problems.append(f"attributes {attrs}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing {tag}")

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append(f"raw bracket in {data[:40]!r}")
        self.text.append(data)


def check(reply: Reply) -> Reply:
    """Everything Telegram would reject fails here."""
    assert isinstance(reply, Reply)
    assert 0 < telegram_length(reply.text) <= 4096
    checker = _Checker()
    checker.feed(reply.text)
    checker.close()
    assert checker.problems == []
    assert checker.stack == [], f"unclosed {checker.stack}"
    assert not ENTITY.search(reply.text), "bare & outside an entity"
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", reply.text)  # \t and \n only
    assert "<script>" not in reply.text
    for row in reply.buttons:
        for button in row:
            assert 1 <= len(button.callback_data.encode()) <= 64
            assert button.label.strip()
    return reply


def dated(items: list[ItemSummary]) -> LatestItems:
    """/latest's view of a corpus holding just these items."""
    with_date = sum(1 for item in items if item.date)
    return LatestItems(tuple(items), with_date, len(items) - with_date)


def summary(n: int, text: str = "Summary") -> ItemSummary:
    return ItemSummary(n, DAY if n % 2 else None, f"Headline {n}", text, (Source(f"page-{n}.txt"),))


def detail(body: str, *, people: tuple[str, ...] = ("Imangali Tasmagambetov",)) -> ItemDetail:
    return ItemDetail(
        12, "news", DAY, "CSTO exercise", "Summary.", body, (Source("csto-2025.txt"),), people, ("PROXY",)
    )


def hit(n: int, excerpt: str, headline: str = "Headline") -> SearchHit:
    return SearchHit(n, DAY, headline, excerpt, (Source(f"page-{n}.txt"),))


def search_page(hits: tuple[SearchHit, ...], page: int = 0, has_next: bool = False) -> SearchPage:
    return SearchPage("mercenar* -wagner", page, 5, hits, has_next, total=None if has_next else len(hits))


def person(n: int, name: str = "Person") -> PersonName:
    return PersonName(n, f"{name} {n}", (f"{name.upper()} {n}",), 10 - n)


STATS = CorpusStats(3, 120, 40, 5, dt.date(2021, 1, 5), DAY, dt.datetime(2025, 11, 1, 9, 30, tzinfo=dt.UTC))


# ---------------------------------------------------------------------------------------------- basics


def test_telegram_length_counts_utf16_units() -> None:
    assert telegram_length("abc") == 3
    assert telegram_length("Привет") == 6
    assert telegram_length("👍") == 2
    assert telegram_length("a\U0001f1f7\U0001f1fa") == 5


def test_dates() -> None:
    assert format_date(DAY) == "31 Oct 2025"
    assert format_date(dt.date(2024, 1, 2)) == "2 Jan 2024"
    assert format_date(None) == "undated"


def test_button_callback_data_is_bounded() -> None:
    assert Button("▶", "x" * 64).callback_data
    with pytest.raises(ValueError):
        Button("▶", "x" * 65)
    with pytest.raises(ValueError):
        Button("▶", "ж" * 33)  # 66 bytes
    with pytest.raises(ValueError):
        Button("▶", "")


def test_reply_refuses_over_limit_text() -> None:
    with pytest.raises(ValueError):
        Reply("x" * 4097)
    with pytest.raises(ValueError):
        Reply("👍" * 2049)
    assert Reply("👍" * 2048)


# ---------------------------------------------------------------------------------------------- escaping


def test_hostile_corpus_text_is_escaped_everywhere() -> None:
    item = ItemSummary(1, DAY, HOSTILE, HOSTILE, (Source(HOSTILE),))
    for reply in (
        render_latest(LatestItems((item,), 1, 0), 1),
        *render_new_items([item]),
        render_item(
            ItemDetail(1, "news", None, HOSTILE, HOSTILE, HOSTILE, (Source(HOSTILE),), (HOSTILE,), (HOSTILE,))
        ),
        render_search(search_page((SearchHit(1, None, HOSTILE, HOSTILE, (Source(HOSTILE),)),))),
        render_search(SearchPage(HOSTILE, 0, 5, (), False), [HOSTILE]),
        render_usage(HOSTILE),
        render_person_choices(HOSTILE, [PersonName(1, HOSTILE, (HOSTILE,), 1)]),
        render_person_not_found(HOSTILE, [PersonName(1, HOSTILE, (), 1)]),
    ):
        check(reply)
        assert '&lt;b&gt;&amp;"&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp;amp;' in reply.text
        assert HOSTILE[:40] in to_plain_text(reply)  # a few short fields are clipped


def test_plain_text_gets_the_corpus_text_back() -> None:
    reply = check(render_item(detail(HOSTILE)))
    assert HOSTILE in to_plain_text(reply)


def test_control_characters_and_markers_are_dropped_outside_excerpts() -> None:
    reply = check(
        render_latest(dated([ItemSummary(1, DAY, f"a{MATCH_START}b\x00c\x1bd", "s", (Source("f"),))]), 1)
    )
    assert "abcd" in reply.text
    lone = check(
        render_search(search_page((hit(1, f"x\ud800y {MATCH_START}z\udfff{MATCH_END}", "h\udc00"),)))
    )
    assert "xy <b>z</b>" in lone.text and "<b>h</b>" in lone.text
    assert telegram_length("\ud800") == 1


# ---------------------------------------------------------------------------------------------- highlight


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        (f"the {MATCH_START}mercenary{MATCH_END} forces", "the <b>mercenary</b> forces"),
        (f"a<b> & {MATCH_START}x&y{MATCH_END}", "a&lt;b&gt; &amp; <b>x&amp;y</b>"),
        (f"cut in the {MATCH_START}midd", "cut in the <b>midd</b>"),
        (f"dle{MATCH_END} of a match", "dle of a match"),
        (f"{MATCH_START}{MATCH_START}a{MATCH_END}{MATCH_END} b", "<b>a</b> b"),
        (f"empty {MATCH_START}{MATCH_END}match", "empty match"),
        (f"{MATCH_START}<script>{MATCH_END}", "<b>&lt;script&gt;</b>"),
    ],
)
def test_highlight_escapes_first_then_marks(excerpt: str, expected: str) -> None:
    reply = check(render_search(search_page((hit(1, excerpt),))))
    assert reply.text.splitlines()[3] == expected


def test_highlight_stays_balanced_when_a_long_excerpt_is_cut() -> None:
    excerpt = " ".join(f"{MATCH_START}w&{n}{MATCH_END}" for n in range(3000))
    hits = tuple(hit(n, excerpt, headline="<&>" * 300) for n in range(5))
    reply = check(render_search(search_page(hits, has_next=True), token="t1"))
    assert reply.text.count("<b>") == reply.text.count("</b>")
    assert len(re.findall(r"/doc \d", reply.text)) == 5  # every hit kept, only excerpts shortened


# ---------------------------------------------------------------------------------------------- search


def test_search_page_layout_and_buttons() -> None:
    hits = tuple(hit(n, f"about {MATCH_START}mercenaries{MATCH_END}") for n in range(1, 6))
    reply = check(render_search(search_page(hits, page=1, has_next=True), token="k9"))
    assert reply.text.startswith("Results 6–10 for <b>mercenar* -wagner</b>")
    assert "6. 31 Oct 2025 · <b>Headline</b>" in reply.text
    assert "<i>page-5.txt</i> · <code>/doc 5</code>" in reply.text
    assert reply.buttons == ((Button("◀", "s:k9:0"), Button("▶", "s:k9:2")),)
    assert check(render_search(search_page(hits))).buttons == ()  # no token, no navigation


def test_search_without_results_suggests() -> None:
    reply = check(render_search(SearchPage("mercenry", 0, 5, (), False, 0), ["mercenary", "<x>"]))
    assert reply.text.startswith("No results for <b>mercenry</b>.")
    assert "Did you mean: <code>/search mercenary</code>, <code>/search &lt;x&gt;</code>?" in reply.text
    assert "Did you mean" not in check(render_search(SearchPage("zzz", 0, 5, (), False))).text
    past_end = check(render_search(SearchPage("zzz", 2, 5, (), False), token="t"))
    assert past_end.text.startswith("No more results") and past_end.buttons == ((Button("◀", "s:t:1"),),)


def test_search_rejects_a_string_as_suggestions_and_a_long_token() -> None:
    with pytest.raises(TypeError):
        render_search(search_page(()), "mercenary")
    with pytest.raises(ValueError):
        render_search(search_page((hit(1, "x"),), has_next=True), token="t" * 70)


# ---------------------------------------------------------------------------------------------- lists


def test_latest_lines() -> None:
    reply = check(render_latest(LatestItems((summary(1, "One line."), summary(3, "Three.")), 2, 0), 2))
    lines = reply.text.splitlines()
    assert lines[0] == "<b>Latest 2 of 2 items</b> — all dated"
    assert lines[2:5] == [
        "1. 31 Oct 2025 — <b>Headline 1</b>",
        "One line.",
        "<i>page-1.txt</i> · <code>/doc 1</code>",
    ]
    assert "2. 31 Oct 2025 — <b>Headline 3</b>" in lines
    assert "you asked for 5" in check(render_latest(LatestItems((summary(1),), 1, 0), 5)).text
    assert check(render_latest(LatestItems((), 0, 0), 5)).text.startswith("The corpus is empty")


def test_latest_counts_dated_and_undated_items_and_points_to_the_undated() -> None:
    three_of_21 = LatestItems((summary(1), summary(3), summary(5)), 3, 18)
    lines = check(render_latest(three_of_21, 5, most=20)).text.splitlines()
    assert lines[0] == "<b>Latest 3 of 21 items</b> — 3 dated, 18 undated (you asked for 5)"
    assert lines[1] == "<i>The undated ones:</i> <code>/latest undated</code>"
    only_undated = check(render_latest(LatestItems((), 0, 4), 5)).text
    assert only_undated == "No item in the corpus has a date; all 4 are undated: <code>/latest undated</code>"
    undated = LatestItems((summary(2), summary(4)), 3, 18, undated_listed=True)
    lines = check(render_latest(undated, 2)).text.splitlines()
    assert lines[0] == "<b>2 of 18 undated items</b> — the most recently loaded first"
    assert lines[2] == "1. undated — <b>Headline 2</b>"
    assert check(render_latest(LatestItems((), 3, 0, undated_listed=True), 5)).text.startswith("Every item")


def test_latest_with_many_long_items_stays_under_the_limit() -> None:
    items = [ItemSummary(n, DAY, "&" * 900, "<" * 2000, (Source("f&" * 200),)) for n in range(60)]
    reply = check(render_latest(dated(items), 60))
    assert re.search(r"… and \d+ more", reply.text)


def test_new_items_split_over_several_messages() -> None:
    items = [
        ItemSummary(n, DAY, f"Headline {n} " + "&" * 150, "summary <" * 40, (Source("f.txt"),))
        for n in range(1, 81)
    ]
    replies = [check(r) for r in render_new_items(items)]
    assert len(replies) > 1
    assert replies[0].text.startswith("<b>New in the corpus</b>")
    assert replies[1].text.startswith("<b>New in the corpus</b> <i>(continued)</i>")
    shown = [int(m) for r in replies for m in re.findall(r"/doc (\d+)", r.text)]
    assert shown == list(range(1, 81))
    assert render_new_items([]) == []


# ---------------------------------------------------------------------------------------------- one item


def test_item_header_and_single_page() -> None:
    reply = check(render_item(detail("First paragraph.\n\nSecond & last.")))
    assert reply.text.splitlines()[:4] == [
        "<b>CSTO exercise</b>",
        "31 Oct 2025 · <i>csto-2025.txt</i>",
        "People: Imangali Tasmagambetov",
        "Operations: PROXY",
    ]
    assert reply.text.endswith("First paragraph.\n\nSecond &amp; last.")
    assert reply.buttons == ()


def test_long_item_is_paged_within_the_limit() -> None:
    paragraphs = [f"Paragraph {n}: " + "Forces & units <moved> 🇷🇺 east. " * 30 for n in range(40)]
    body = "\n\n".join(paragraphs)
    first = check(render_item(detail(body)))
    assert first.buttons == ((Button("▶", "doc:12:1"),),)
    pages = [first]
    while pages[-1].buttons and pages[-1].buttons[0][-1].label == "▶":
        pages.append(check(render_item(detail(body), page=len(pages))))
    assert len(pages) > 5
    assert pages[1].buttons == ((Button("◀", "doc:12:0"), Button("▶", "doc:12:2")),)
    assert pages[-1].buttons == ((Button("◀", f"doc:12:{len(pages) - 2}"),),)
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1].text
    text = "".join(to_plain_text(p).split("Operations: PROXY", 1)[1].rsplit("Page", 1)[0] for p in pages)
    assert "".join(text.split()) == "".join(body.split())  # nothing lost, nothing repeated
    assert render_item(detail(body), page=999).text == pages[-1].text  # out of range: last page


def test_item_with_one_enormous_word_and_hostile_header() -> None:
    item = ItemDetail(
        1, "news", None, "<" * 5000, "", "&" * 20000, (Source("<" * 900),), ("&" * 3000,), ("'" * 500,)
    )
    reply = check(render_item(item, page=2))
    assert "undated" in reply.text


# ---------------------------------------------------------------------------------------------- people


def test_person_profile() -> None:
    profile = PersonProfile(
        7,
        "Imangali Tasmagambetov",
        ("Imangali Tasmagambetov", "I. Tasmagambetov"),
        (PersonTitle("Secretary General", DAY, 12),),
        2,
        (
            PersonMentionRecord(
                12, DAY, "Meeting", "Tasmagambetov met <officials>.", "Secretary General", (Source("a.txt"),)
            ),
        ),
    )
    reply = check(render_person(profile))
    assert reply.text.splitlines()[:3] == [
        "<b>Imangali Tasmagambetov</b>",
        "Also written: I. Tasmagambetov",
        "Mentioned in 2 items",
    ]
    assert "• Secretary General — 31 Oct 2025 · <code>/doc 12</code>" in reply.text
    assert "«Tasmagambetov met &lt;officials&gt;.» <i>(Secretary General)</i>" in reply.text


def test_huge_person_profile_stays_under_the_limit() -> None:
    titles = tuple(PersonTitle("&" * 300, None, n) for n in range(40))
    latest = tuple(
        PersonMentionRecord(n, None, "<" * 900, "&" * 3000, "<" * 300, (Source("&" * 500),)) for n in range(3)
    )
    check(render_person(PersonProfile(1, "<" * 900, ("&" * 2000,), titles, 99, latest)))


def test_person_choices_and_not_found() -> None:
    choices = check(render_person_choices("Ivanov", [person(1, "Ivanov"), person(2, "Ivanov")]))
    assert choices.buttons == ((Button("Ivanov 1", "who:1"),), (Button("Ivanov 2", "who:2"),))
    assert "(IVANOV 1)" in choices.text
    missing = check(render_person_not_found("Ivanof", [person(3, "Ivanov")]))
    assert missing.text.startswith("No one called <b>Ivanof</b>")
    assert missing.buttons == ((Button("Ivanov 3", "who:3"),),)
    assert check(render_person_not_found("x", [])).buttons == ()


def test_people_usage_and_long_labels() -> None:
    top = [PersonName(n, "Very long name " * 10, (), 3) for n in range(1, 13)]
    reply = check(render_people_usage(top))
    assert reply.text.startswith("Usage: <code>/who &lt;name&gt;</code>")
    assert sum(len(row) for row in reply.buttons) == 10
    assert all(len(b.label) <= 40 for row in reply.buttons for b in row)
    assert "e.g. <code>/who Tasmagambetov</code>" in check(render_people_usage([])).text


# ---------------------------------------------------------------------------------------------- operations


def test_operations_list_and_detail() -> None:
    ops = [OperationSummary(n, f"OP{n}", "Counter <drug> trafficking", DAY, DAY, n) for n in range(1, 4)]
    listing = check(render_operations(ops))
    assert "• <b>OP1</b> — Counter &lt;drug&gt; trafficking" in listing.text
    assert "  31 Oct 2025 · 1 document" in listing.text
    assert listing.buttons[0] == (Button("OP1", "op:1"), Button("OP2", "op:2"))
    assert check(render_operations([])).text.startswith("No operations")

    op = OperationSummary(1, "PROXY", None, dt.date(2020, 1, 1), DAY, 4)
    excerpts = tuple(
        OperationExcerpt(n, DAY, "Headline", "Operation PROXY & more.", (Source("a.txt"),)) for n in range(3)
    )
    reply = check(render_operation(OperationDetail(op, ("PROXY", "Proxy"), excerpts)))
    assert reply.text.splitlines()[:3] == [
        "<b>Operation PROXY</b>",
        "Also written: Proxy",
        "Seen: 1 Jan 2020 – 31 Oct 2025 · 4 documents",
    ]
    assert "«Operation PROXY &amp; more.»" in reply.text


def test_many_operations_and_excerpts_stay_under_the_limit() -> None:
    ops = [OperationSummary(n, "<" * 100, "&" * 400, None, None, n) for n in range(300)]
    reply = check(render_operations(ops))
    assert sum(len(row) for row in reply.buttons) <= 40
    op = OperationSummary(1, "&" * 500, "<" * 900, None, None, 1)
    excerpts = tuple(
        OperationExcerpt(n, None, "<" * 300, "&" * 2000, (Source("<" * 400),)) for n in range(50)
    )
    check(render_operation(OperationDetail(op, tuple("&" * 80 for _ in range(50)), excerpts)))


# ---------------------------------------------------------------------------------------------- corpus, help


def test_stats_and_help() -> None:
    stats = check(render_stats(STATS))
    assert "Dates: 5 Jan 2021 – 31 Oct 2025" in stats.text
    assert "Last loaded: 1 Nov 2025 09:30 UTC" in stats.text
    empty = CorpusStats(0, 0, 0, 0, None, None, None)
    assert "Last loaded: never" in check(render_stats(empty)).text

    commands = [
        ("latest", "Latest news", "/latest 5"),
        ("/who", "A person <name>", "who Ivanov"),
        ("help", "Help", ""),
    ]
    text = check(render_help(STATS, commands)).text
    assert "120 items from 3 documents, 5 Jan 2021 – 31 Oct 2025." in text
    assert "<code>/latest</code> — Latest news\n   e.g. <code>/latest 5</code>" in text
    assert "<code>/who</code> — A person &lt;name&gt;\n   e.g. <code>/who Ivanov</code>" in text
    assert text.endswith("<code>/help</code> — Help")
    check(render_help(STATS, [("c" * 100, "&" * 400, "<" * 200)] * 50))


def test_fixed_replies() -> None:
    assert render_expired_button() == "This button has expired — send the command again."
    assert check(render_error()).text
    assert check(render_usage("Usage: /who <name>")).text == "Usage: /who &lt;name&gt;"
    check(render_usage("&" * 10000))


# ---------------------------------------------------------------------------------------------- console


def test_to_plain_text() -> None:
    reply = Reply(
        "<b>Results</b> for <i>a &lt; b &amp; c</i>\n<code>/doc 1</code>",
        ((Button("◀", "s:t:0"), Button("▶", "s:t:2")), (Button("Ivanov", "who:1"),)),
    )
    assert to_plain_text(reply) == "Results for a < b & c\n/doc 1\n\n[1] ◀  [2] ▶\n[3] Ivanov"
    assert to_plain_text(Reply("just &quot;text&quot;")) == 'just "text"'


# ---------------------------------------------------------------------------------------------- properties

_TEXT = st.text(st.characters(codec="utf-8"), max_size=6000) | st.sampled_from(
    ["", HOSTILE * 200, "👍" * 5000, f"{MATCH_START}&{MATCH_END}" * 2000]
)


@settings(max_examples=60, deadline=None)
@given(headline=_TEXT, body=_TEXT, page=st.integers(0, 5))
def test_any_item_renders_valid_html(headline: str, body: str, page: int) -> None:
    item = ItemDetail(1, "news", None, headline, body[:100], body, (Source(headline[:50]),), (body[:80],), ())
    reply = check(render_item(item, page))
    assert to_plain_text(reply)


@settings(max_examples=60, deadline=None)
@given(query=_TEXT, excerpt=_TEXT, headline=_TEXT)
def test_any_search_page_renders_valid_html(query: str, excerpt: str, headline: str) -> None:
    hits = tuple(SearchHit(n, None, headline, excerpt, (Source(headline),)) for n in range(5))
    check(render_search(SearchPage(query, 3, 5, hits, True), token="abc"))
    check(render_search(SearchPage(query, 0, 5, (), False), [query, excerpt]))
    for reply in render_new_items(
        [ItemSummary(n, None, headline, excerpt, (Source(query),)) for n in range(8)]
    ):
        check(reply)


def test_a_long_list_of_operations_turns_compact_and_names_what_it_leaves_out() -> None:
    """37 operations (the 10k benchmark corpus) overflowed the full form and were cut mid-list."""
    ops = [
        OperationSummary(
            n, f"Operation{n}", "to block the channels of recruitment of citizens " * 2, DAY, DAY, n
        )
        for n in range(1, 38)
    ]
    text = check(render_operations(ops)).text
    assert text.startswith(
        "<b>Operations in the corpus</b> (37) · documents each\n• <b>Operation1</b> — to block"
    )
    assert all(f"<b>Operation{n}</b>" in text for n in range(1, 38)) and "more</i>" not in text
    many = [OperationSummary(n, f"Op{n}", "to counter " * 20, DAY, DAY, n) for n in range(1, 101)]
    text = check(render_operations(many)).text
    shown = sum(f"<b>Op{n}</b>" in text for n in range(1, 101))
    assert 30 < shown < 100 and text.endswith(
        f"<i>… and {100 - shown} more</i> — <code>/operations name</code> for one"
    )
