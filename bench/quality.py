"""python -m bench.quality [--truth FILE] [--corpus DIR] [--lang en|ru|all]: the corpus rules scored
against hand-labelled real pages, through the real pipeline (Loader into a temporary Store).

The pages themselves are third-party text and stay outside the project (../shared/real-pages); the
project keeps only the labels (bench/quality_labels/*.yaml: names, titles, dates, the first words that
locate an item). The labelled files are copied into a temporary corpus folder under flat names
("en-001.txt", so the English and Russian 001 do not collide as sources), loaded by the bot's own
Loader, and read back with Store queries only; each figure is then a pure function of the labels and
what the store returned, so the tests can check the counting on tiny handmade pages.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.corpus.clean import fold_lookalikes

if TYPE_CHECKING:
    from bot.records import ItemDetail
    from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
LABELS_DIR = Path(__file__).resolve().parent / "quality_labels"
OUT_FILE = Path(__file__).resolve().parent / "out" / "quality.json"
LANGUAGES = ("en", "ru")
REAL_PAGES_ENV = "CSTO_REAL_PAGES"


def default_corpus() -> Path | None:
    """../shared/real-pages beside the project (the main checkout), or two levels up (a worktree under
    /work/wt/), or $CSTO_REAL_PAGES; None when none exists."""
    candidates = [Path(os.environ[REAL_PAGES_ENV])] if os.environ.get(REAL_PAGES_ENV) else []
    candidates += [ROOT.parent / "shared" / "real-pages", ROOT.parent.parent / "shared" / "real-pages"]
    return next((c for c in candidates if c.is_dir()), None)


# ----------------------------------------------------------------------------------------- labels


@dataclass(frozen=True, slots=True)
class LabelItem:
    headline: str  # the first words that locate the item in the page text
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class LabelPerson:
    key: str  # canonical identity across spellings and scripts, e.g. "Andrei Serdyukov"
    name: str  # as the page names them (nominative), e.g. "Андрей Сердюков"
    titles: tuple[str, ...]  # every title the page writes for them (empty: none)


@dataclass(frozen=True, slots=True)
class LabelOperation:
    key: str  # canonical, e.g. "Channel"
    names: tuple[str, ...]  # spellings as written, e.g. ("Kanal-2019",)
    kind: str  # "operation" | "exercise"
    instance: str | None
    purpose: str | None


@dataclass(frozen=True, slots=True)
class LabelPage:
    file: str  # "en/001.txt"
    items: tuple[LabelItem, ...] = ()
    people: tuple[LabelPerson, ...] = ()
    operations: tuple[LabelOperation, ...] = ()

    @property
    def lang(self) -> str:
        return self.file.split("/", 1)[0]


def _as_date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)  # type: ignore[attr-defined]


BLOCKS_KEY = "_blocks"  # sidebar blocks shared by many pages, written once


def _with_blocks(file: str, page: Mapping[str, Any], blocks: Mapping[str, Any]) -> dict[str, Any]:
    """The page's own labels after those of the sidebar blocks it names (they come first on the page)."""
    merged: dict[str, list[Any]] = {"items": [], "people": [], "operations": []}
    for name in page.get("blocks") or ():
        if name not in blocks:
            raise ValueError(f"{file}: unknown block {name!r}")
        for part in merged:
            merged[part] += list(blocks[name].get(part) or ())
    for part in merged:
        merged[part] += list(page.get(part) or ())
    keys = [p["key"] for p in merged["people"]]
    if len(keys) != len(set(keys)):  # one entry per person per page: the page's own entry wins
        own = {p["key"]: p for p in merged["people"]}
        merged["people"] = list(own.values())
    return merged


def labels_from_mapping(data: Mapping[str, Any]) -> dict[str, LabelPage]:
    """The YAML's pages (keyed by file name) as LabelPage records; a malformed entry raises ValueError."""
    blocks = data.get(BLOCKS_KEY) or {}
    pages: dict[str, LabelPage] = {}
    for file, raw in data.items():
        if file == BLOCKS_KEY:
            continue
        page = _with_blocks(file, raw or {}, blocks)
        try:
            items = tuple(LabelItem(str(i["h"]), _as_date(i.get("date"))) for i in page.get("items") or ())
            people = tuple(
                LabelPerson(str(p["key"]), str(p.get("name") or p["key"]), _strings(p.get("title")))
                for p in page.get("people") or ()
            )
            operations = tuple(
                LabelOperation(
                    str(o["key"]),
                    _strings(o.get("names")) or (str(o["key"]),),
                    str(o.get("kind", "operation")),
                    None if o.get("instance") is None else str(o["instance"]),
                    o.get("purpose"),
                )
                for o in page.get("operations") or ()
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{file}: malformed label: {exc!r}") from exc
        pages[str(file)] = LabelPage(str(file), items, people, operations)
    return pages


def load_labels(paths: Iterable[Path]) -> dict[str, LabelPage]:
    pages: dict[str, LabelPage] = {}
    for path in paths:
        pages.update(labels_from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")) or {}))
    return pages


# ------------------------------------------------------------------------------------ normalising

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіўәғқңөұүһ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "i",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "-",
            "y",
            "-",
            "e",
            "iu",
            "ia",
            "i",
            "u",
            "a",
            "g",
            "k",
            "n",
            "o",
            "u",
            "u",
            "h",
        ],
        strict=True,
    )
)
_VARIANTS = (("kh", "h"), ("yev", "ev"), ("iev", "ev"), ("ey", "ei"), ("iy", "i"), ("y", "i"), ("ii", "i"),
             ("j", "i"), ("ks", "x"))  # fmt: skip


_PATRONYMIC_ENDINGS = ("vich", "vna", "ogli", "kizi", "ulu", "ichna")


def fold(text: str) -> str:
    """Lower case, accents off, Cyrillic transliterated, anything not a letter or digit a space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    out = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue
        mapped = _CYRILLIC.get(ch)
        out.append("" if mapped == "-" else mapped if mapped is not None else ch if ch.isalnum() else " ")
    return " ".join("".join(out).split())


def words(text: str) -> list[str]:
    """The text's words for locating an item: case, punctuation and script of quotes aside, Cyrillic
    look-alike letters of an English text read as the Latin ones ("The ХХ session")."""
    return re.findall(r"\w+", fold_lookalikes(text).casefold())


def name_key(name: str) -> str:
    """A loose key for one person: first and last word, transliteration variants folded
    (Andrey/Andrei, Shoygu/Shoigu, Khasan/Hasan, Сердюков/Serdyukov); a patronymic or middle initial
    is dropped."""
    tokens = fold(name.replace("’", "").replace("'", "")).split()
    folded = []
    for token in tokens:
        for old, new in _VARIANTS:
            token = token.replace(old, new)
        folded.append(re.sub(r"(.)\1", r"\1", token))  # Hassan/Khasan, Masadykov/Massadykov
    # a patronymic is one of three or more words: of two, a word ending so is a surname ("Grinevich")
    given = ([t for t in folded if not t.endswith(_PATRONYMIC_ENDINGS)] if len(folded) > 2 else []) or folded
    if len(given) > 2:
        given = [given[0], given[-1]]
    return " ".join(sorted(given))


def same_person(found: str, label: LabelPerson) -> bool:
    """A found name is the labelled person when the loose keys agree, or an initial stands for the
    first name ("S. Ordabayev")."""
    got = name_key(found)
    targets = {name_key(label.name), name_key(label.key)}
    if got in targets:
        return True
    initials = {p for p in got.split() if len(p) == 1}
    rest = [p for p in got.split() if len(p) > 1]
    return (
        len(rest) == 1
        and bool(initials)
        and any(
            rest[0] in t.split() and any(w[0] in initials for w in t.split() if w != rest[0]) for t in targets
        )
    )


def title_key(title: str) -> str:
    """A title compared word by word, case and punctuation aside; Cyrillic words by their lemma, since
    the bot stores a Russian title brought to the nominative ("начальник Объединенного штаба") and a
    label keeps it as written ("начальника Объединенного штаба")."""
    if _CYRILLIC_WORD.search(title):
        title = _CYRILLIC_WORD.sub(lambda m: _lemma(m.group()), title)
    key = fold(title)
    return key.removeprefix("the ")


_CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+(?:-[\u0400-\u04ff]+)*")


def _lemma(word: str) -> str:
    """The dictionary form pymorphy3 reads first (the bot's own analyzer): "секретаря" -> "секретарь"."""
    from bot.corpus.people_ru_morph import analyzer  # the dictionary loads only for Cyrillic titles

    parses = analyzer().parse(word.casefold())
    return str(parses[0].normal_form) if parses else word


def operation_key(name: str) -> str:
    """Letters only: quotes, hyphens, years and the word 'operation' aside (Channel-2019 -> channel)."""
    key = fold(name)
    key = re.sub(r"\b(operation|operatsiia|operatsii|operatsiiu|antinarkoticheskaia)\b", " ", key)
    return re.sub(r"[^a-z]", "", key)


def same_operation(found: str, label: LabelOperation) -> bool:
    got = operation_key(found)
    if not got:
        return False
    targets = {operation_key(n) for n in (*label.names, label.key)} - {""}
    return got in targets or any(got.startswith(t) for t in targets)


# ------------------------------------------------------------------------------- what the bot read


@dataclass(frozen=True, slots=True)
class FoundItem:
    headline: str
    date: dt.date | None
    text: str  # headline, summary and body together: where a labelled item is looked for
    people: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (canonical name, titles in this item)
    operations: tuple[str, ...] = ()  # operation names as the store gives them
    item_id: int = 0  # the stored item: one item may be found on several pages (a shared sidebar)


@dataclass(frozen=True, slots=True)
class FoundOperation:
    name: str
    aliases: tuple[str, ...]
    purpose: str | None


@dataclass(slots=True)
class Found:
    """What the store holds after loading the labelled pages: items per page, every person row
    (name, aliases) and every operation row."""

    pages: dict[str, list[FoundItem]] = field(default_factory=dict)
    person_rows: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    operation_rows: list[FoundOperation] = field(default_factory=list)


def flat_name(file: str) -> str:
    return file.replace("/", "-")


async def read_store(store: Store, files: Sequence[str]) -> Found:
    """Items (with their sources), people with the titles of their mentions, and operations, through the
    Store's query methods only."""
    by_source = {flat_name(f): f for f in files}
    total = (await store.stats()).items
    details: list[ItemDetail] = []
    next_id, tried = 1, 0
    while len(details) < total and tried < 50 * max(total, 1):
        ids = list(range(next_id, next_id + 500))
        next_id += 500
        tried += 500
        for summary in await store.items_by_ids(ids):
            detail = await store.item(summary.id)
            if detail is not None:
                details.append(detail)
    titles: dict[tuple[str, int], set[str]] = defaultdict(set)
    found = Found()
    for person in await store.person_names():
        found.person_rows.append((person.name, tuple(person.aliases)))
        profile = await store.person(person.id, latest=10**6)
        if profile is None:
            continue
        for mention in profile.latest:
            if mention.title:
                titles[(person.name, mention.item_id)].add(mention.title)
        for held in profile.titles:
            titles[(person.name, held.item_id)].add(held.title)
    for operation in await store.operations():
        spelled = await store.operation(operation.id)
        aliases = tuple(spelled.aliases) if spelled is not None else ()
        found.operation_rows.append(FoundOperation(operation.name, aliases, operation.purpose))
    for detail in details:
        item = FoundItem(
            headline=detail.headline,
            date=detail.date,
            text=f"{detail.headline} {detail.summary} {detail.body}",
            people=tuple((p, tuple(sorted(titles.get((p, detail.id), ())))) for p in detail.people),
            operations=tuple(detail.operations),
            item_id=detail.id,
        )
        for source in detail.sources:
            page = by_source.get(source.name)
            if page is not None:
                found.pages.setdefault(page, []).append(item)
    return found


def _copy_manifest(corpus: Path, files: Sequence[str], folder: Path) -> None:
    """The corpus's MANIFEST.tsv rows of these files, under their flat names; nothing when it has none."""
    from bot.corpus_files import MANIFEST_NAME, parse_manifest

    source = corpus / MANIFEST_NAME
    if not source.is_file():
        return
    addresses, _ = parse_manifest(source.read_bytes())
    rows = [f"{flat_name(f)}\t{addresses[f]}" for f in files if f in addresses]
    (folder / MANIFEST_NAME).write_text("file\turl\n" + "".join(r + "\n" for r in rows), encoding="utf-8")


async def load_found(corpus: Path, files: Sequence[str], work: Path) -> Found:
    """Copy the labelled files into a flat temporary corpus (with their MANIFEST.tsv rows, as a user's
    folder would hold them), load it with the real Loader into a temporary Store, and read back what
    the bot made of it."""
    from bot.lexicon import load_lexicon
    from bot.loader import Loader
    from bot.store import Store

    folder = work / "corpus"
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copyfile(corpus / file, folder / flat_name(file))
    _copy_manifest(corpus, files, folder)
    store = await Store.open(work / "quality.sqlite3")
    try:
        await Loader(store, folder, load_lexicon()).load(queue_alerts=False)
        return await read_store(store, files)
    finally:
        await store.close()


# ----------------------------------------------------------------------------------------- metrics


@dataclass(slots=True)
class Scores:
    """Counts; the ratios are derived when printed (so they sum across languages)."""

    pages: int = 0
    people_labelled: int = 0
    people_found_true: int = 0
    people_found_false: int = 0
    titles_checked: int = 0
    titles_right: int = 0
    items_labelled: int = 0
    items_lost: int = 0  # a labelled item found in no parsed item
    items_duplicated: int = 0  # found in more than one parsed item
    items_merged: int = 0  # sharing its one parsed item with another labelled item
    items_extra: int = 0  # parsed items holding no labelled item (split fragments, debris)
    headlines_checked: int = 0
    headlines_right: int = 0
    dated_checked: int = 0
    dated_right: int = 0
    undated_checked: int = 0
    undated_invented: int = 0
    operations_labelled: int = 0
    operations_found: int = 0
    operations_false: int = 0  # found names matching no labelled operation
    exercises_as_operations: int = 0  # found as operations but labelled exercises
    purposes_stated: int = 0  # labelled operations whose page states a purpose
    purposes_found: int = 0  # of those, found with a purpose
    errors: list[str] = field(default_factory=list)  # one line per error, for reading

    def add(self, other: Scores) -> None:
        for name in self.__dataclass_fields__:
            value = getattr(other, name)
            setattr(self, name, getattr(self, name) + value)


INSIDE = "… "  # a locator that starts further into the headline (two items of the page start alike)
INSIDE_WORDS = 12  # ... within this many words of its start


def _headline_holds(found: str | None, locator: str) -> bool:
    if locator.startswith(INSIDE):
        return _contains(words(found or "")[:INSIDE_WORDS], words(locator[len(INSIDE) :]))
    return words(found or "")[: len(words(locator))] == words(locator)


def _opens(headline: str | None, needle: Sequence[str]) -> bool:
    return bool(headline) and words(headline or "")[: len(needle)] == list(needle)


def _contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == list(needle) for i in range(len(haystack) - n + 1))


def label_spellings(pages: Iterable[LabelPage]) -> dict[str, list[LabelPerson]]:
    """Every labelled spelling of each person (by key): a key is one identity across pages and scripts."""
    spellings: dict[str, list[LabelPerson]] = defaultdict(list)
    for page in pages:
        for person in page.people:
            spellings[person.key].append(person)
    return spellings


def score_people(
    page: LabelPage,
    items: Sequence[FoundItem],
    scores: Scores,
    spellings: Mapping[str, Sequence[LabelPerson]] | None = None,
) -> None:
    """A found name is a labelled person of the page when it is any spelling the labels give that
    person (on any page): the store may name a person by the spelling of another page."""

    def is_person(name: str, person: LabelPerson) -> bool:
        others = spellings.get(person.key, ()) if spellings else ()
        return any(same_person(name, p) for p in (person, *others))

    found_titles: dict[str, set[str]] = {}
    for item in items:
        for name, titles in item.people:
            found_titles.setdefault(name, set()).update(titles)
    matched: set[int] = set()
    for name, titles_found in found_titles.items():
        index = next((i for i, p in enumerate(page.people) if is_person(name, p)), None)
        if index is None:
            scores.people_found_false += 1
            scores.errors.append(f"{page.file}: person not on the page: {name!r} {sorted(titles_found)}")
            continue
        if index in matched:
            continue  # a second row for the same person on this page: counted by rows per individual
        matched.add(index)
        label = page.people[index]
        scores.titles_checked += 1
        want = {title_key(t) for t in label.titles}
        got = {title_key(t) for t in titles_found}
        if (got and got <= want) or (not got and not want):
            scores.titles_right += 1
        else:
            scores.errors.append(
                f"{page.file}: title of {label.key}: {sorted(titles_found)} != {list(label.titles)}"
            )
    scores.people_labelled += len(page.people)
    scores.people_found_true += len(matched)
    for i, person in enumerate(page.people):
        if i not in matched:
            scores.errors.append(f"{page.file}: person missed: {person.name!r} {list(person.titles)}")


def holders(page: LabelPage, items: Sequence[FoundItem]) -> list[list[int]]:
    """Per labelled item of the page: the parsed items holding it (indices into `items`)."""
    texts = [words(i.text) for i in items]
    out: list[list[int]] = []
    for label in page.items:
        needle = words(label.headline)
        held = [j for j, text in enumerate(texts) if _contains(text, needle)]
        # A locator is a few words: where an item opens with them, another item quoting them later
        # does not hold this one.
        opening = [j for j in held if texts[j][: len(needle)] == needle or _opens(items[j].headline, needle)]
        out.append(opening or held)
    return out


def labelled_dates(
    labels: Mapping[str, LabelPage], pages: Mapping[str, Sequence[FoundItem]]
) -> dict[int, set]:
    """Per stored item, the dates its labels give on every page that holds it. One item shared by
    several pages has one date in the store, and each page's reader may have seen a different one (a
    date line on one, only the lead's date, or none, on another): any of them is the item's date."""
    dates: dict[int, set] = defaultdict(set)
    for file, page in labels.items():
        items = pages.get(file, [])
        for label, held in zip(page.items, holders(page, items), strict=True):
            if len(held) == 1:
                dates[items[held[0]].item_id].add(label.date)
    return dates


def score_items(
    page: LabelPage, items: Sequence[FoundItem], scores: Scores, item_dates: Mapping[int, set] | None = None
) -> None:
    """Items lost, split, merged or extra; headlines; dates (`item_dates`: labelled_dates)."""
    holders_of = holders(page, items)
    labels_per_item: dict[int, int] = defaultdict(int)
    for held in holders_of:
        for j in held:
            labels_per_item[j] += 1
    scores.items_labelled += len(page.items)
    scores.items_extra += sum(1 for j in range(len(items)) if labels_per_item[j] == 0)
    for j in range(len(items)):
        if labels_per_item[j] == 0:
            scores.errors.append(f"{page.file}: extra item: {items[j].headline[:70]!r}")
    for label, held in zip(page.items, holders_of, strict=True):
        if not held:
            scores.items_lost += 1
            scores.errors.append(f"{page.file}: item lost: {label.headline!r}")
            continue
        if len(held) > 1:
            scores.items_duplicated += 1
            scores.errors.append(f"{page.file}: item in {len(held)} parsed items: {label.headline!r}")
        elif labels_per_item[held[0]] > 1:
            scores.items_merged += 1
            scores.errors.append(f"{page.file}: item merged with another: {label.headline!r}")
        item = items[held[0]]
        scores.headlines_checked += 1
        if _headline_holds(item.headline, label.headline):
            scores.headlines_right += 1
        else:
            scores.errors.append(f"{page.file}: headline {item.headline[:70]!r} for {label.headline!r}")
        stated_elsewhere = item.date is not None and item.date in (item_dates or {}).get(item.item_id, ())
        if label.date is None:
            scores.undated_checked += 1
            if item.date is not None and not stated_elsewhere:
                scores.undated_invented += 1
                scores.errors.append(f"{page.file}: date invented {item.date} for {label.headline!r}")
        else:
            scores.dated_checked += 1
            if item.date == label.date or stated_elsewhere:
                scores.dated_right += 1
            else:
                scores.errors.append(f"{page.file}: date {item.date} != {label.date} for {label.headline!r}")


def score_operations(
    page: LabelPage, items: Sequence[FoundItem], rows: Sequence[FoundOperation], scores: Scores
) -> None:
    def row_of(name: str) -> FoundOperation | None:
        return next((r for r in rows if name == r.name or name in r.aliases), None)

    names = list(dict.fromkeys(n for item in items for n in item.operations))
    operations = [o for o in page.operations if o.kind == "operation"]
    exercises = [o for o in page.operations if o.kind != "operation"]
    hit: set[int] = set()
    for name in names:
        index = next((i for i, o in enumerate(operations) if same_operation(name, o)), None)
        if index is None:
            scores.operations_false += 1
            if any(same_operation(name, e) for e in exercises):
                scores.exercises_as_operations += 1
                scores.errors.append(f"{page.file}: exercise taken for an operation: {name!r}")
            else:
                scores.errors.append(f"{page.file}: false operation: {name!r}")
            continue
        if index in hit:
            continue
        hit.add(index)
        label = operations[index]
        if label.purpose:
            scores.purposes_stated += 1
            row = row_of(name)
            if row is not None and row.purpose:
                scores.purposes_found += 1
            else:
                scores.errors.append(f"{page.file}: no purpose for {name!r} (page: {label.purpose!r})")
    scores.operations_labelled += len(operations)
    scores.operations_found += len(hit)
    for i, label in enumerate(operations):
        if i not in hit:
            scores.errors.append(f"{page.file}: operation missed: {list(label.names)}")
            if label.purpose:
                scores.purposes_stated += 1


def score_page(
    page: LabelPage,
    items: Sequence[FoundItem],
    rows: Sequence[FoundOperation] = (),
    item_dates: Mapping[int, set] | None = None,
    spellings: Mapping[str, Sequence[LabelPerson]] | None = None,
) -> Scores:
    scores = Scores(pages=1)
    score_people(page, items, scores, spellings)
    score_items(page, items, scores, item_dates)
    score_operations(page, items, rows, scores)
    return scores


def rows_per_individual(
    pages: Iterable[LabelPage], person_rows: Sequence[tuple[str, tuple[str, ...]]]
) -> dict[str, Any]:
    """How many person rows of the store stand for each labelled individual (one is right): a row is
    theirs when its name or one of its aliases is a spelling of theirs."""
    spellings = label_spellings(pages)
    rows: dict[str, list[str]] = defaultdict(list)
    for name, aliases in person_rows:
        for key, variants in spellings.items():
            if any(same_person(n, v) for n in (name, *aliases) for v in variants):
                rows[key].append(name)
                break
    split = {k: v for k, v in rows.items() if len(v) > 1}
    individuals = len(rows)
    return {
        "individuals_found": individuals,
        "rows": sum(len(v) for v in rows.values()),
        "rows_per_individual": round(sum(len(v) for v in rows.values()) / individuals, 3)
        if individuals
        else None,
        "split": dict(sorted(split.items())),
    }


def operation_rows_per_operation(
    pages: Iterable[LabelPage], rows: Sequence[FoundOperation]
) -> dict[str, Any]:
    """How many operation rows stand for each labelled operation (every spelling merged is one)."""
    labels: dict[str, list[LabelOperation]] = defaultdict(list)
    for page in pages:
        for op in page.operations:
            labels[op.key].append(op)
    per_key: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for key, variants in labels.items():
            if any(same_operation(n, v) for n in (row.name, *row.aliases) for v in variants):
                per_key[key].append(row.name)
                break
    return {"operations_found": len(per_key), "rows": sum(len(v) for v in per_key.values()),
            "split": {k: v for k, v in sorted(per_key.items()) if len(v) > 1}}  # fmt: skip


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def figures(scores: Scores) -> dict[str, Any]:
    """The figures of one set of pages: ratios, with the counts they come from."""
    s = scores
    found = s.people_found_true + s.people_found_false
    wrong = s.items_lost + s.items_duplicated + s.items_merged + s.items_extra
    return {
        "pages": s.pages,
        "people_precision": _ratio(s.people_found_true, found),
        "people_recall": _ratio(s.people_found_true, s.people_labelled),
        "titles_exact": _ratio(s.titles_right, s.titles_checked),
        "dated_right": _ratio(s.dated_right, s.dated_checked),
        "undated_invented": s.undated_invented,
        "items_split_or_merged": _ratio(wrong, s.items_labelled),
        "headlines_right": _ratio(s.headlines_right, s.headlines_checked),
        "operations_recall": _ratio(s.operations_found, s.operations_labelled),
        "operations_false": s.operations_false,
        "exercises_as_operations": s.exercises_as_operations,
        "purpose_found": _ratio(s.purposes_found, s.purposes_stated),
        "counts": {k: v for k, v in asdict(s).items() if k != "errors"},
    }


def evaluate(labels: Mapping[str, LabelPage], found: Found) -> dict[str, Any]:
    """Figures per language and over all labelled pages, with every error listed."""
    per_lang: dict[str, Scores] = {}
    overall = Scores()
    item_dates = labelled_dates(labels, found.pages)
    spellings = label_spellings(labels.values())
    for file, page in sorted(labels.items()):
        scores = score_page(page, found.pages.get(file, []), found.operation_rows, item_dates, spellings)
        per_lang.setdefault(page.lang, Scores()).add(scores)
        overall.add(scores)
    result: dict[str, Any] = {lang: figures(s) for lang, s in sorted(per_lang.items())}
    result["all"] = figures(overall)
    result["all"]["people_rows"] = rows_per_individual(labels.values(), found.person_rows)
    result["all"]["operation_rows"] = operation_rows_per_operation(labels.values(), found.operation_rows)
    result["errors"] = overall.errors
    return result


# ------------------------------------------------------------------------------------------ output

ROWS = (
    ("pages", "pages labelled", "{}"),
    ("people_precision", "people precision", "{:.1%}"),
    ("people_recall", "people recall", "{:.1%}"),
    ("titles_exact", "titles exact (found true people)", "{:.1%}"),
    ("dated_right", "dated items dated right", "{:.1%}"),
    ("undated_invented", "undated items given a date", "{}"),
    ("items_split_or_merged", "items lost/split/merged/extra", "{:.1%}"),
    ("headlines_right", "headlines right", "{:.1%}"),
    ("operations_recall", "operations found", "{:.1%}"),
    ("operations_false", "false operations", "{}"),
    ("exercises_as_operations", "exercises taken for operations", "{}"),
    ("purpose_found", "purpose found (where stated)", "{:.1%}"),
)


def table(result: Mapping[str, Any]) -> str:
    langs = [k for k in (*LANGUAGES, "all") if k in result]
    lines = [f"{'figure':<34}" + "".join(f"{lang:>10}" for lang in langs)]
    for key, label, fmt in ROWS:
        cells = []
        for lang in langs:
            value = result[lang][key]
            cells.append(f"{'-' if value is None else fmt.format(value):>10}")
        lines.append(f"{label:<34}" + "".join(cells))
    people = result["all"]["people_rows"]
    lines.append(
        f"person rows per individual: {people['rows']} rows for {people['individuals_found']} people"
        f" ({people['rows_per_individual']}); split: {people['split'] or 'none'}"
    )
    ops = result["all"]["operation_rows"]
    lines.append(
        f"operation rows: {ops['rows']} for {ops['operations_found']} operations; split: {ops['split'] or 'none'}"
    )
    return "\n".join(lines)


def label_files(truth: Path | None, lang: str) -> list[Path]:
    if truth is not None:
        return [truth]
    wanted = LANGUAGES if lang == "all" else (lang,)
    # en.yaml, then any en_*.yaml (labels added by another labeller: a page is labelled in one file only)
    return [
        path
        for code in wanted
        for path in sorted(LABELS_DIR.glob(f"{code}*.yaml"))
        if path.stem.split("_")[0] == code
    ]


def run(truth: Path | None = None, corpus: Path | None = None, lang: str = "all") -> dict[str, Any] | None:
    """Load and score; None when the real pages are not there."""
    corpus = corpus or default_corpus()
    if corpus is None or not corpus.is_dir():
        return None
    labels = load_labels(label_files(truth, lang))
    if lang != "all":
        labels = {k: v for k, v in labels.items() if v.lang == lang}
    missing = sorted(f for f in labels if not (corpus / f).is_file())
    labels = {k: v for k, v in labels.items() if k not in missing}
    with tempfile.TemporaryDirectory(prefix="csto-quality-") as work:
        found = asyncio.run(load_found(corpus, sorted(labels), Path(work)))
    result = evaluate(labels, found)
    result["missing_pages"] = missing
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n\n")[0])
    parser.add_argument("--truth", type=Path, help="a labels YAML (default: bench/quality_labels/*.yaml)")
    parser.add_argument("--corpus", type=Path, help="the real pages folder (default: ../shared/real-pages)")
    parser.add_argument("--lang", choices=(*LANGUAGES, "all"), default="all")
    parser.add_argument("--out", type=Path, default=OUT_FILE)
    parser.add_argument("--errors", action="store_true", help="list every error found")
    args = parser.parse_args(argv)
    result = run(args.truth, args.corpus, args.lang)
    if result is None:
        print("bench.quality: no real pages (../shared/real-pages or --corpus): nothing to measure")
        return 0
    print(table(result))
    if args.errors:
        print("\n".join(result["errors"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
