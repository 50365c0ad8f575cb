"""parse_page: a decoded page in, its items (with dates, people and operations) out."""

from __future__ import annotations

import datetime as dt
import re
from collections import ChainMap
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import NamedTuple

from .clean import as_the_page_means, clean_lines_with_gaps
from .dates import (
    dateline,
    dateline_prefix_end,
    event_date,
    first_date,
    in_lead_year,
    lead_day_month,
    mistyped_year,
    opening_dateline,
    period_day_month,
    with_year_near,
)
from .keys import item_key
from .model import DATE_IN_TEXT, DATE_LINE, DATE_NONE, Lexicon, OperationMention, ParsedItem, ParsedPage
from .name_keys import has_cyrillic, has_initials, is_cyrillic, is_full_key, row_key, surname_of
from .operation_names import may_name_operations_or_exercises
from .operations import find_operations
from .operations_unquoted import may_name_known_family
from .people import PeopleCap, item_people, resolve
from .people_known import NameIndex, build_index
from .people_runs import capitalised_words, find_addressed, sentence_runs, titled_in_runs
from .people_tokens import Found
from .people_untitled import untitled_people
from .sentences import RULE_SENTENCE_MAX_CHARS, ends_sentence, split_sentences
from .split import Block, opens_dated, split_page
from .summary import HEADLINE_MAX, SUMMARY_MAX, article_summary, is_salutation_sentence, lead_sentence, trim
from .vocab import Vocab, vocab_for
from .years import address_date, dateline_date


@dataclass(slots=True)
class _Known:
    """known_names prepared for lookups: key -> store spelling, and an index of full names and surnames."""

    names: set[str]  # the names prepared so far (a private copy)
    by_key: dict[str, str]  # name_keys.row_key -> store spelling
    index: NameIndex
    by_surname: dict[str, set[str]] = field(default_factory=dict)  # folded surname -> full keys
    last: object = None  # the frozenset last seen holding exactly `names`
    names_hash: int | None = None  # hash(frozenset(names)), when known

    def remember(self, current: frozenset[str] | set[str]) -> None:
        """Note what was just prepared, so the same content passed again is recognised cheaply."""
        if isinstance(current, frozenset):
            self.last, self.names_hash = current, hash(current)
        else:
            self.last, self.names_hash = None, None

    def extend(self, names: Iterable[str]) -> None:
        """Add names; of two spellings with one key the smaller wins, whatever the order they come in
        (a set's order follows the hash seed: the first seen would make a load's result vary)."""
        for raw in names:
            name = " ".join(raw.split())
            if name:
                key = row_key(name)
                held = self.by_key.get(key)
                if held is None or name < held:
                    self.by_key[key] = name
                self.index.add(name, name)
                if is_full_key(key):
                    self.by_surname.setdefault(key.rpartition(" ")[2], set()).add(key)


def _prepare_known(names: set[str], vocab: Vocab) -> _Known:
    index = build_index(
        pair
        for alias, canonical in vocab.alias_pairs
        for pair in ((alias, canonical), (canonical, canonical))
    )
    known = _Known(names, {}, index)
    known.extend(names)
    return known


# One prepared set of known names per lexicon. The loader passes a set that only grows as pages name new
# people (often a new frozenset object per batch), so a call usually costs an identity or a size-and-hash
# comparison, and new names are added incrementally.
_KNOWN_CACHE: dict[int, tuple[Vocab, _Known]] = {}
_KNOWN_CACHE_SIZE = 8


def _known_for(names: Iterable[str], vocab: Vocab) -> _Known:
    hit = _KNOWN_CACHE.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        known = hit[1]
        if names is known.last:
            return known
        if isinstance(names, frozenset):
            if len(names) == len(known.names) and hash(names) == known.names_hash:
                known.last = names
                return known
            current: frozenset[str] | set[str] = names
        else:
            current = names if isinstance(names, set) else set(names)
            if len(current) == len(known.names) and current == known.names:
                return known
        added = current - known.names
        if len(known.names) + len(added) == len(current):  # nothing was removed: extend in place
            known.extend(added)
            known.names.update(added)
            known.remember(current)
            return known
    else:
        current = names if isinstance(names, frozenset | set) else set(names)
    known = _prepare_known(set(current), vocab)
    known.remember(current)
    if len(_KNOWN_CACHE) >= _KNOWN_CACHE_SIZE:
        _KNOWN_CACHE.clear()
    _KNOWN_CACHE[id(vocab)] = (vocab, known)
    return known


class _Draft(NamedTuple):  # a tuple, not a frozen dataclass: cheaper to make
    """What a block says on its own: everything about an item except its position and its people's
    canonical names (those depend on the rest of the page and on the known names)."""

    block: Block
    sentences: tuple[str, ...]  # the item's sentences; an article's headline line comes first
    body_sentences: tuple[str, ...]
    found: tuple[tuple[Found, ...], ...]  # titled/addressed persons per sentence
    names: tuple[str, ...]  # the names of `found`, each once, in order
    words: tuple[tuple[str, ...], ...]  # capitalised words per sentence, each once
    body: str
    key: str
    headline: str
    summary: str
    date: dt.date | None
    day_month: tuple[int, int] | None  # (month, day) of an undated lead that names them: year from context
    operations: tuple[OperationMention, ...]
    later_date: dt.date | None  # an article's first full date below such a lead: the year's best source


# What one page may cost and create, whatever its text (real pages stay far below: a few dozen each).
MAX_CANDIDATES_PER_PAGE = 1_000  # titled or addressed persons read off one page, in text order
MAX_PEOPLE_PER_PAGE = 500  # distinct people one page mentions

# Drafts of recently seen blocks: a site repeats its teasers and salutations on neighbouring pages, so a
# block met again costs one lookup. Keyed on the block's full content, bounded by characters (see vocab).


def _draft(block: Block, vocab: Vocab) -> _Draft:
    cache = vocab.block_cache
    hit = cache.get(block)
    if hit is not None:
        return hit
    body_sentences = [s for p in block.paragraphs for s in split_sentences(p)]
    sentences = [block.headline_line, *body_sentences] if block.headline_line else body_sentences
    found: list[tuple[Found, ...]] = []
    words: list[tuple[str, ...]] = []
    sentence_cache = vocab.sentence_cache
    candidates = 0
    for s in sentences:
        if candidates >= MAX_CANDIDATES_PER_PAGE:  # the page keeps no more: only known names are looked up
            found.append(())
            words.append(_capitalised_words(s))
            continue
        facts = sentence_cache.get(s)
        if facts is None:
            facts = sentence_cache.put(s, _sentence_facts(s, vocab))
        found.append(facts[0])
        words.append(facts[1])
        candidates += len(facts[0])
    if _has_cyrillic_run(sentences):
        found = _with_russian_people(sentences, found)
    body = "\n\n".join(block.paragraphs)
    key_text, headline, summary, date, lead = _texts(block, body, body_sentences)
    # a kind word or a quote, or a known family with its year (Cobalt-2024 written without quotes)
    named = may_name_operations_or_exercises(key_text) or may_name_known_family(key_text, vocab.families)
    operations = find_operations(sentences, vocab.families) if named else ()
    agency = opening_dateline(block.paragraphs[0]) if block.paragraphs else None
    later = None
    if agency is not None:
        # An agency's dateline ("МОСКВА, 24 ноя - РИА Новости.") dates the story: the dates its text names
        # are other events' ("с 1 января 2026 года"), and the year comes from the page's date line or
        # context (its other stories) only.
        date = block.date or agency[2]
        day_month = agency[:2] if date is None else None
        if day_month is not None:
            later = dateline_date(key_text + "\n" + body, *day_month)
    else:
        day_month = (lead_day_month(lead) or period_day_month(lead)) if date is None else None
        later = first_date(body) if day_month is not None and block.kind == "article" else None
        if later is None and day_month is not None and block.kind == "article":
            later = in_lead_year(lead, *day_month) or mistyped_year(lead, *day_month, key_text)
    if date is None and day_month is None and block.kind == "article":
        date = _opening_date(block.paragraphs)
    draft = _Draft(
        block,
        tuple(sentences),
        tuple(body_sentences),
        tuple(found),
        tuple(dict.fromkeys([f.name for hits in found for f in hits])),
        tuple(words),
        body,
        item_key(key_text),
        headline,
        summary,
        date,
        day_month,
        operations,
        later,
    )
    return cache.put(block, draft)


# Per-sentence facts of recently seen sentences (template phrases and quoted passages recur across pages)
# are kept in vocab.sentence_cache.


_CYRILLIC_RUN = re.compile("[\u0400-\u04ff]{3}")


def _has_cyrillic_run(sentences: Sequence[str]) -> bool:
    """Three Cyrillic letters in a row in some sentence: a block the morphology may need to read. Cheap
    tests first: ASCII sentences hold none, and most other English ones hold no Cyrillic at all."""
    text = "\n".join([s for s in sentences if not s.isascii()])
    return has_cyrillic(text) and _CYRILLIC_RUN.search(text) is not None


def _with_russian_people(sentences: Sequence[str], found: list[tuple[Found, ...]]) -> list[tuple[Found, ...]]:
    """Add the people of Russian sentences (people_ru: names and titles in the nominative) to what the
    English rules found. The analyzer loads on the first Russian block a process meets."""
    if not is_cyrillic(" ".join(sentences)):
        return found
    from .people_ru import find_people_ru_page  # pymorphy3 only in processes that read Russian

    per_sentence = find_people_ru_page(sentences)
    return [
        hits + tuple(Found(f.name, f.title_nominative, f.offset) for f in ru) if ru else hits
        for hits, ru in zip(found, per_sentence, strict=True)
    ]


def _capitalised_words(sentence: str) -> tuple[str, ...]:
    """The capitalised words _sentence_facts would give, without looking for titled persons."""
    return () if len(sentence) > RULE_SENTENCE_MAX_CHARS else tuple(capitalised_words(sentence))


def _sentence_facts(sentence: str, vocab: Vocab) -> tuple[tuple[Found, ...], tuple[str, ...]]:
    """(titled and addressed persons, capitalised words) of one sentence. Tuples, as the sentence cache
    holds thousands: tuples of strings and numbers drop out of the garbage collector's sight."""
    if len(sentence) > RULE_SENTENCE_MAX_CHARS:
        return (), ()
    runs, words = sentence_runs(sentence, vocab)
    hits = titled_in_runs(sentence, runs, words, vocab)
    if "Dear" in sentence or "Уважаем" in sentence:
        hits += find_addressed(sentence)
    hits += untitled_people(sentence, runs, hits, vocab)
    return tuple(hits), tuple(words)


PUBLISHED_NEAR_DAYS = 45  # a story published on a day tells of days within weeks of it, else of another time
AFTER_PUBLISHED_DAYS = 2  # a page's article dated later than its address's day by more: not the story's date
OPENING_PARAGRAPHS = 2  # an article's subtitle or one-line lede may stand above the paragraph that dates it


def _opening_date(paragraphs: Sequence[str]) -> dt.date | None:
    """An undated lead's article dated by the opening sentence of its first paragraphs ("In the course of
    Operation X, ... seized. / ..., from 9 to 13 October 2017, the authorities conducted ...")."""
    for i, paragraph in enumerate(paragraphs[:OPENING_PARAGRAPHS]):
        if i and ends_sentence(paragraphs[0]) and opens_dated(paragraph):
            return None  # a paragraph opening with its own date under a full one: another story's lead
        opening = split_sentences(paragraph)
        date = event_date(opening[0]) if opening else None
        if date is not None:
            return date
    return None


def _texts(block: Block, body: str, sents: list[str]) -> tuple[str, str, str, dt.date | None, str]:
    """(key text, headline, summary, date, lead sentence) of a block."""
    if block.kind == "article" and block.headline_line:
        headline_line = block.headline_line
        summary = article_summary(headline_line, sents) if sents else trim(headline_line, SUMMARY_MAX)
        lead = lead_sentence(sents) or ""
        date = block.date or event_date(lead) or event_date(headline_line)
        return f"{headline_line}\n\n{body}", trim(headline_line, HEADLINE_MAX), summary, date, lead
    if block.kind == "article":  # no headline line: the first sentence of body text heads it
        story = _after_dateline(block, sents)
        first = lead_sentence(story) or (story[0] if story else body)
        rest = [s for s in story if s is not first]
        summary = article_summary(first, rest) if rest else trim(first, SUMMARY_MAX)
        return body, trim(first, HEADLINE_MAX), summary, block.date or event_date(first), first
    if block.kind == "salutation":
        first = next((s for s in sents if not is_salutation_sentence(s)), sents[0] if sents else body)
    elif len(sents) > 1 and dateline(sents[0]) is not None:
        first = sents[1]  # an agency's dateline ("ДУШАНБЕ, 28 ноя — Sputnik.") heads no story
    else:
        story = _after_dateline(block, sents)
        first = story[0] if story else body
    date = block.date or event_date(first)
    return body, trim(first, HEADLINE_MAX), trim(first, SUMMARY_MAX), date, first


def _after_dateline(block: Block, sents: list[str]) -> list[str]:
    """The block's sentences with the agency's dateline that opens it taken off ("MOSCOW. AGENCY – The
    council met ...": the story starts at "The"); the sentences as they are when it opens with none."""
    cut = dateline_prefix_end(block.paragraphs[0]) if block.paragraphs else 0
    if not cut:
        return sents
    opening = block.paragraphs[0]
    return split_sentences(opening[cut:]) + sents[len(split_sentences(opening)) :]


def _dates_in_context(drafts: Sequence[_Draft], published: dt.date | None) -> list[dt.date | None]:
    """Each draft's date; a lead that names a day and month without the year takes the year from the
    nearest teaser dated by its own date line or lead (the one before it when two are as near), in the
    year that puts it closest to that date; with no dated teaser, from the page's article. An article
    takes it from its own first full date further down ("26 May ... from 22 to 26 May 2023"), else from
    another article, never from teasers (a sidebar is news of another time). No reference: undated.
    The day the page's address names (published) comes first for its articles and last for teasers,
    when the day and month fall within PUBLISHED_NEAR_DAYS of it."""
    dates = [d.date for d in drafts]
    if all(d.day_month is None for d in drafts):
        return dates
    teasers = [(i, d) for i, d in enumerate(dates) if d is not None and drafts[i].block.kind != "article"]
    articles = [(i, d) for i, d in enumerate(dates) if d is not None and drafts[i].block.kind == "article"]
    out = list(dates)
    for i, draft in enumerate(drafts):
        if draft.date is not None or draft.day_month is None:
            continue
        own = articles if draft.block.kind == "article" else teasers or articles
        near = _near_published(draft.day_month, published)
        if near is not None and (draft.block.kind == "article" or not own):
            out[i] = near
        elif draft.later_date is not None:  # the article names the year further down
            out[i] = with_year_near(*draft.day_month, draft.later_date)
        elif own:
            reference = min(own, key=lambda pair: (abs(pair[0] - i), pair[0] > i))[1]
            out[i] = with_year_near(*draft.day_month, reference)
    return out


def _date_page_article(drafts: Sequence[_Draft], dates: list[dt.date | None], published: dt.date) -> None:
    """The page's article, left undated by its text, is dated by the day its address names: a news
    site publishes a story on the day it tells of (teasers of other news are not the page's story).
    A date after that day is no date of the story: the site's clock in its header ("Суббота, 20 апреля
    2024" over a story published in 2016) or a later edit."""
    for i, draft in enumerate(drafts):
        if draft.block.kind == "article":
            date = dates[i]
            if date is None or date > published + dt.timedelta(days=AFTER_PUBLISHED_DAYS):
                dates[i] = published
            return


def _near_published(day_month: tuple[int, int], published: dt.date | None) -> dt.date | None:
    """The day and month in the year that puts it nearest the page's published day, when near it."""
    if published is None:
        return None
    date = with_year_near(*day_month, published)
    return date if date is not None and abs((date - published).days) <= PUBLISHED_NEAR_DAYS else None


def _date_evidence(draft: _Draft, date: dt.date | None) -> int:
    """Where the item's date came from: its own date line or header, else its text (or context)."""
    if date is None:
        return DATE_NONE
    return DATE_LINE if draft.block.date is not None and date == draft.block.date else DATE_IN_TEXT


def _capped_found(drafts: Sequence[_Draft]) -> list[tuple[tuple[Found, ...], ...]] | None:
    """The drafts' titled/addressed persons, the first MAX_CANDIDATES_PER_PAGE of the page kept, or None
    when the page has no more than that (the usual case: the drafts' own tuples are used)."""
    if sum(len(hits) for d in drafts for hits in d.found) <= MAX_CANDIDATES_PER_PAGE:
        return None
    budget = MAX_CANDIDATES_PER_PAGE
    out: list[tuple[tuple[Found, ...], ...]] = []
    for d in drafts:
        kept: list[tuple[Found, ...]] = []
        for hits in d.found:
            kept.append(hits[:budget])
            budget -= len(kept[-1])
        out.append(tuple(kept))
    return out


def _canonical_names(names: Iterable[str], vocab: Vocab, known: _Known) -> dict[str, str]:
    """Each name the page found -> its canonical name. Full names first: initials ("S. Ordabayev") then
    resolve against the store's people and the page's own full names (exactly one must fit)."""
    ordered = sorted(names, key=has_initials)  # stable: full names keep their text order
    out: dict[str, str] = {}
    page_by_key: dict[str, str] = {}
    page_by_surname: dict[str, set[str]] = {}
    by_key: Mapping[str, str] = known.by_key
    by_surname: Mapping[str, Collection[str]] = known.by_surname
    for name in ordered:
        if has_initials(name) and page_by_key:
            by_key = ChainMap(page_by_key, known.by_key)
            surname = surname_of(name) or ""
            by_surname = {surname: page_by_surname.get(surname, set()) | known.by_surname.get(surname, set())}
        canonical = resolve(name, vocab, by_key, by_surname)
        out[name] = canonical
        key = row_key(canonical)
        if is_full_key(key) and key not in known.by_key:
            page_by_key.setdefault(key, canonical)
            page_by_surname.setdefault(key.rpartition(" ")[2], set()).add(key)
    return out


def parse_page(
    text: str, lexicon: Lexicon, known_names: Iterable[str] = (), address: str | None = None
) -> ParsedPage:
    """Split a page into items and extract each item's date, headline, summary, people and operations.

    address is the page's web address, when known: a news site's address often names the day it was
    published, which gives a dateline ("13 янв") or a lead ("On 13 January") its year.

    known_names are canonical names already in the store, so a page naming a known person without a
    title still yields a mention. They are prepared once per lexicon and extended as the collection
    grows, so passing the same growing set for every page is cheap.
    """
    vocab = vocab_for(lexicon)
    known = _known_for(known_names, vocab)
    drafts = [_draft(b, vocab) for b in split_page(*as_the_page_means(*clean_lines_with_gaps(text, vocab)))]
    found = _capped_found(drafts)
    # dicts, not sets: the index is then built in text order, whatever the hash seed
    if found is None:
        names: Iterable[str] = dict.fromkeys(chain.from_iterable([d.names for d in drafts]))
        found = [d.found for d in drafts]
    else:
        names = dict.fromkeys([f.name for item_found in found for hits in item_found for f in hits])
    canonical_of = _canonical_names(names, vocab, known)
    page_index = NameIndex()
    for name, canonical in canonical_of.items():
        page_index.add(name, canonical)
        if canonical != name:
            page_index.add(canonical, canonical)
    indexes: Sequence[NameIndex] = (page_index, known.index)
    items: list[ParsedItem] = []
    published = address_date(address) if address else None
    dates = _dates_in_context(drafts, published)
    if published is not None:
        _date_page_article(drafts, dates, published)
    cap = PeopleCap(MAX_PEOPLE_PER_PAGE)
    for position, draft in enumerate(drafts):
        items.append(
            ParsedItem(
                key=draft.key,
                kind=draft.block.kind,
                headline=draft.headline,
                summary=draft.summary,
                body=draft.body,
                date=dates[position],
                position=position,
                people=item_people(
                    draft.sentences, found[position], draft.words, vocab, canonical_of, indexes, cap
                ),
                operations=draft.operations,
                date_evidence=_date_evidence(draft, dates[position]),
            )
        )
    return ParsedPage(items=tuple(items))
