"""The benchmark corpus must look like the seeds and be reproducible, or benchmark figures mean nothing."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from bench import floors
from bench.generate import NAVIGATION, PERSON_POOL_SIZE, generate_corpus, iter_page_files, main, person_pool

DOTTED = re.compile(r"^\d\d\.\d\d\.\d{4}$")
MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
MDY_LEAD = re.compile(rf"^On {MONTH} \d{{1,2}}, \d{{4}},")
DMY_LEAD = re.compile(rf"^On \d{{1,2}} {MONTH} \d{{4}},")
HEADLINE_DATED = re.compile(r"^\S.{20,} \d\d\.\d\d\.\d{4}$")


def _pages(dest: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in iter_page_files(dest)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    dest = tmp_path_factory.mktemp("corpus")
    return generate_corpus(dest, 300, seed=7)


def test_same_seed_gives_identical_bytes_and_prefix_stability(tmp_path: Path) -> None:
    a = generate_corpus(tmp_path / "a", 40, seed=3)
    b = generate_corpus(tmp_path / "b", 40, seed=3)
    c = generate_corpus(tmp_path / "c", 15, seed=3)
    files_a = {p.name: p.read_bytes() for p in iter_page_files(a.dest)}
    files_b = {p.name: p.read_bytes() for p in iter_page_files(b.dest)}
    assert files_a == files_b
    assert a.bytes_written == b.bytes_written
    assert a.person_names == b.person_names
    files_c = {p.name: p.read_bytes() for p in iter_page_files(c.dest)}
    assert files_c == {name: files_a[name] for name in sorted(files_a)[:15]}
    other = generate_corpus(tmp_path / "d", 40, seed=4)
    assert {p.name for p in iter_page_files(other.dest)} != set(files_a)


def test_page_count_bytes_and_rerun_replaces_old_pages(tmp_path: Path) -> None:
    first = generate_corpus(tmp_path, 25)
    assert first.pages == 25
    assert len(list(iter_page_files(tmp_path))) == 25
    (tmp_path / "notes.md").write_text("keep me")
    again = generate_corpus(tmp_path, 10)
    files = list(iter_page_files(tmp_path))
    assert len(files) == 10
    assert again.bytes_written == sum(p.stat().st_size for p in files)
    assert (tmp_path / "notes.md").exists()
    for p in files:
        p.read_bytes().decode("utf-8")


def test_pages_have_the_seed_structure(corpus) -> None:
    pages = _pages(corpus.dest)
    assert len(pages) == 300
    with_debris = 0
    separators = Counter()
    dotted_pages = mdy_pages = dmy_pages = dated_headline_pages = 0
    for text in pages:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        # a headline: a longer line without final punctuation that is not a date, debris or a greeting
        assert any(
            len(line) > 20
            and line[-1] not in ".!?"
            and not DOTTED.match(line)
            and line not in NAVIGATION
            and not line.startswith(("Dear", "—", "("))
            for line in lines
        ), text
        if tuple(lines[-3:]) == NAVIGATION:
            with_debris += 1
        separators["blank" if "\n\n" in text else "single"] += 1
        dotted_pages += any(DOTTED.match(line) for line in lines)
        mdy_pages += any(MDY_LEAD.match(line) for line in lines)
        dmy_pages += any(DMY_LEAD.match(line) for line in lines)
        dated_headline_pages += any(HEADLINE_DATED.match(line) for line in lines)
    assert with_debris > 0.7 * len(pages)
    assert with_debris < len(pages)
    assert separators["blank"] > 30 and separators["single"] > 30
    assert min(dotted_pages, mdy_pages, dmy_pages, dated_headline_pages) > 5
    assert sum("Dear " in text and "On behalf of the Secretariat" in text for text in pages) > 20
    assert sum(re.search(r"^—\s.+\?$", text, re.MULTILINE) is not None for text in pages) > 10  # interviews
    assert any("—\u00a0" in text for text in pages)  # the seeds' no-break space after the dash


def test_teasers_repeat_across_pages_like_a_sidebar(corpus) -> None:
    seen: Counter[str] = Counter()
    for text in _pages(corpus.dest):
        seen.update({line.strip() for line in text.splitlines()[:6] if len(line.strip()) > 60})
    repeated = [line for line, n in seen.items() if n >= 3]
    assert len(repeated) > 20
    pages = _pages(corpus.dest)
    first_lines = Counter(p.splitlines()[0] for p in pages)
    assert first_lines.most_common(1)[0][1] >= 2  # neighbouring pages open with the same teaser


def test_people_titles_and_operations(corpus) -> None:
    text = "\n".join(_pages(corpus.dest))
    assert len(corpus.person_names) > 800
    assert set(corpus.person_names) <= set(person_pool(7))
    for name in corpus.sample_people:
        assert name in text
    assert re.search(r"the CSTO Deputy Secretary General [A-Z]\w+ [A-Z]\w+", text)
    assert re.search(r"the President of the Republic of \w+ [A-Z]\w+ [A-Z]\w+", text)
    assert re.search(r"the \w+ Foreign Minister [A-Z]\w+ [A-Z]\w+ said", text)
    assert re.search(r"[A-Z]\w+ [A-Z]\w+, Chairman of the [^,]+,", text)
    assert len(corpus.operation_names) >= 20
    assert re.search(r"annual operation [“\"«]\w+[”\"»] — to ", text)
    assert re.search(
        r"Operation [“\"«]\w+[”\"»] to (combat|suppress|block|counter|prevent|neutralize|detect)", text
    )
    assert corpus.rare_term in text and corpus.rare_terms[corpus.rare_term] == 1
    assert corpus.frequent_term_pages > 0.9 * corpus.pages
    assert len(corpus.people_queries) == 3 * len(corpus.sample_people)


def test_person_pool_has_5000_distinct_deterministic_names() -> None:
    pool = person_pool(0)
    assert len(pool) == PERSON_POOL_SIZE == len(set(pool))
    assert pool == person_pool(0)
    assert pool != person_pool(1)
    assert all(re.fullmatch(r"[A-Z][a-z]+ [A-Z][a-z]+", n) for n in pool)


def test_floors_run_on_20_pages(tmp_path: Path) -> None:
    corpus = generate_corpus(tmp_path / "pages", 20)
    rows = list(floors.corpus_rows(corpus.dest))
    assert len(rows) == 20 and all(headline and body for headline, body in rows)
    db = tmp_path / "floor.sqlite3"
    seconds = floors.raw_insert_floor(iter(rows), db)
    assert seconds > 0
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM fts WHERE fts MATCH 'csto'").fetchone()[0] == 20
    terms = list(corpus.search_terms) + ["Kassym-Jomart", 'say "hi"']
    latencies = floors.raw_search_floor(db, terms, repeats=2)
    assert len(latencies) == 2 * len(terms) and all(x >= 0 for x in latencies)
    fuzzy = floors.raw_fuzzy_floor(corpus.person_names, corpus.people_queries, repeats=2)
    assert len(fuzzy) == 2 * len(corpus.people_queries)
    assert floors.raw_insert_floor(floors.corpus_rows(corpus.dest), db) > 0  # replaces the db


def test_percentile() -> None:
    assert floors.percentile([3.0, 1.0, 2.0, 4.0], 50) == 2.5
    assert floors.percentile([5.0], 95) == 5.0
    assert floors.percentile([1.0, 2.0, 3.0], 100) == 3.0
    with pytest.raises(ValueError):
        floors.percentile([], 50)


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--pages", "5", "--out", str(tmp_path)]) == 0
    assert len(list(iter_page_files(tmp_path))) == 5
    assert "wrote 5 pages" in capsys.readouterr().out
