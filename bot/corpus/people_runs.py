"""People in one sentence, found by its capitalised runs: titled mentions in both orders ("the CSTO
Secretary General Imangali Tasmagambetov", "Denis Manturov, Chairman of ...", "Title, R.T. Zhakupov,",
"Title - Semerikov Valeriy Anatolyevich", "Title: Name"), addressed persons ("Dear Sergey
Kuzhugetovich!") and staff lists under a title heading.

Kept apart from people_tokens (what one run's words are) and people_known (later mentions of names
already found): this module cuts a sentence into runs, caches what each run says, and joins runs into one
title where the page writes it in parts: joined by a comma or a dash ("Deputy Prime Minister – Minister
of ..."), around a quoted name ("of the magazine “National Defense”"), a lower-case word ("deputy",
"country's") or a listed object ("on CIS Affairs, Eurasian Integration and Relations with Compatriots").
A title is kept as a span of the sentence until a name takes it, so joining parts stays linear."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence
from typing import NamedTuple, cast

from .name_keys import fold_word
from .people_tokens import (
    ACRONYM,
    CONN,
    CONNECTOR_SET,
    CONNECTORS,
    FUNC,
    NAME,
    PAREN,
    POSS,
    RANK_WORDS,
    Found,
    cached_kind,
    ends_with_date_word,
    is_patronymic,
    name_shaped,
    name_span,
    opening_title,
    shouted_surnames,
    titled_before,
    trailing_title,
)
from .vocab import Vocab

_UP = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u0400-\u042f"
_CAPWORD = rf"[{_UP}][\w'\u2019]*(?:-[\w'\u2019]+)*"
_PAREN = rf"\([{_UP}][\w-]{{0,15}}\)"
# A run of capitalised words, joined by single spaces and the connectors that organisation names use.
# Not inside a word ("aPetrov" holds no "Petrov"). The lookbehind sits after the first character, which it
# re-reads: a pattern that opens with a character class lets the regex engine skip ahead fast.
_NOT_AFTER_WORD = "(?<![\\w'\u2019-].)"
_CAPWORD_TAIL = r"[\w'\u2019]*(?:-[\w'\u2019]+)*"
# Initials ("T.S.", "A.", "Sh.") are a run's word when a capitalised word follows them: "R.T. Zhakupov".
_INITIALS_TAIL = rf"[hua]?\.(?:[{_UP}][hua]?\.)*+(?= [{_UP}])"
# An abbreviated rank is a run's word too, when a capitalised word follows it: "Lt. Gen.", "Col.-Gen.".
_RANK_TAIL = (
    r"(?:(?<=C)ol|(?<=G)en|(?<=L)t|(?<=M)aj|(?<=B)rig|(?<=A)dm)\.(?:-(?:Col|Gen|Lt|Maj)\.)?"
    rf"(?= [{_UP}])"
)
_DOTTED_TAIL = rf"(?:{_INITIALS_TAIL}|{_RANK_TAIL})"
# The same, each abbreviation's letters read before the lookbehind that checks its capital: the regex
# engine then turns away an ordinary word at its first letter (a lookbehind first is run for every word).
_RANK_TAIL_FAST = (
    r"(?:ol(?<=Col)|en(?<=Gen)|t(?<=Lt)|aj(?<=Maj)|rig(?<=Brig)|dm(?<=Adm))\.(?:-(?:Col|Gen|Lt|Maj)\.)?"
    rf"(?= [{_UP}])"
)
_DOTTED_TAIL_FAST = rf"(?:{_INITIALS_TAIL}|{_RANK_TAIL_FAST})"
# Possessive repeats (*+): the regex never needs to give back part of a word, a connector or an item (what
# follows each is a space or a capital, or nothing), and refusing to backtrack makes the scan faster.
_CAPWORD_TAIL_FAST = r"[\w'\u2019]*+(?:-[\w'\u2019]+)*+"
_FIRST_ITEM = (
    rf"(?:[{_UP}]{_NOT_AFTER_WORD}(?:{_DOTTED_TAIL}|{_CAPWORD_TAIL})"
    rf"|\({_NOT_AFTER_WORD}[{_UP}][\w-]{{0,15}}\))"
)
# The same, opening with one character class: the regex engine then skips to the next capital or bracket
# at C speed, where an alternation is tried at every position of the sentence. What the class took is
# told apart by a lookbehind (the tests compare it with _FIRST_ITEM).
_FIRST_ITEM_FAST = (
    rf"[{_UP}(]{_NOT_AFTER_WORD}"
    rf"(?:(?<=\()[{_UP}][\w-]{{0,15}}\)|(?<!\()(?:{_DOTTED_TAIL_FAST}|{_CAPWORD_TAIL_FAST}))"
)
_ITEM = rf"(?:[{_UP}]{_DOTTED_TAIL}|{_CAPWORD}|{_PAREN})"  # as _RUN once spelled it (see _ITEM_FAST; the tests compare both)
_ITEM_FAST = rf"(?:[{_UP}](?:{_DOTTED_TAIL_FAST}|{_CAPWORD_TAIL_FAST})|{_PAREN})"
_RUN = re.compile(rf"{_FIRST_ITEM_FAST}(?: (?:(?:{'|'.join(CONNECTORS)}) )*+{_ITEM_FAST})*+")
_CAPWORD_RE = re.compile(rf"[{_UP}]{_NOT_AFTER_WORD}{_CAPWORD_TAIL}")
_TITLE_AFTER_GAP = re.compile(r"^, (?:the )?$")
_DEAR = re.compile(
    rf"\b(?:Dear|Уважаем\w*)\s+({_CAPWORD})\s+({_CAPWORD})(?:\s+({_CAPWORD}))?\s*[!,]",
)
_PLACE_PREPOSITIONS = frozenset(
    ["the", "in", "at", "from", "to", "into", "near", "across", "within", "throughout", "towards"]
)


def capitalised_words(sentence: str) -> set[str]:
    """The distinct capitalised words of a sentence: the cheap prefilter for titles and known names."""
    return set(_CAPWORD_RE.findall(sentence))


class Run(NamedTuple):  # a tuple, not a frozen dataclass: several are made per page, and faster
    """What one capitalised run says on its own (a pure function of its text and the vocab, so cached)."""

    tokens: tuple[str, ...]
    inner: tuple[tuple[int, str, str | None], ...]  # titled_before(tokens)
    title_after: str | None  # opening_title(tokens): the run opens with a title phrase
    trailing: str | None  # trailing_title(...): the run ends with "and the <title>" after its last find
    tail: tuple[int, str] | None  # the name the run ends with: (first token index, name)
    # the same when a title follows it ("Alexander Grinevich, Permanent Representative ..."): a surname
    # shaped like a patronymic is a surname then, as after a title
    titled_tail: tuple[int, str] | None
    offsets: tuple[int, ...]  # where each token starts, relative to the run
    words: tuple[str, ...]  # its capitalised words, as capitalised_words() finds them, each once


def _run_info(text: str, vocab: Vocab) -> Run:
    info = vocab.run_cache.get(text)
    if info is not None:
        return info
    toks = text.split(" ")
    known_kinds = vocab.kind_cache
    seen_kinds = list(map(known_kinds.get, toks))
    # every token's kind is usually cached already; classify them all only when one is not
    kinds = [cached_kind(t, vocab) for t in toks] if None in seen_kinds else cast("list[int]", seen_kinds)
    if ACRONYM in kinds and NAME in kinds:
        kinds = shouted_surnames(toks, kinds)
    j = len(toks) - (2 if ends_with_date_word(toks) else 0)  # "... Vladimir Zainetdinov on Monday"
    # a name ending in a possessive ("Sergey Lavrov's") is the name without it (name_span drops it)
    i = j - 1 if j and kinds[j - 1] == POSS else j
    while i > 0 and kinds[i - 1] == NAME:
        i -= 1
    inner = tuple(titled_before(toks, kinds))
    tail = name_span(toks, i, j)
    info = Run(
        tuple(toks),
        inner,
        opening_title(toks, kinds),
        trailing_title(toks, kinds, inner[-1][0]) if inner else None,
        tail,
        tail if tail is not None or i == j else name_span(toks, i, j, titled=True),
        # each token starts one past the end of the one before it: C-level maps, no Python loop
        tuple(itertools.accumulate(map(_ONE_MORE, map(len, toks[:-1])), initial=0)),
        _run_words(toks, kinds, "." in text),
    )
    return vocab.run_cache.put(text, info)


_ONE_MORE = (1).__add__


def _run_words(tokens: Sequence[str], kinds: Sequence[int], dotted: bool) -> tuple[str, ...]:
    """What _CAPWORD_RE finds in a run (each once), read off its tokens: every token but a connector is
    one capitalised word, except a bracketed one ("(CSTO)"), which is searched, and one with a dot
    (initials; `dotted`: some token has one). A tuple, not a frozenset: a tuple of strings drops out of
    the garbage collector's sight, and the run cache holds thousands."""
    if PAREN not in kinds and not dotted:
        return tuple(dict.fromkeys(itertools.filterfalse(CONNECTOR_SET.__contains__, tokens)))
    words: list[str] = []
    for token, kind in zip(tokens, kinds, strict=True):
        if kind == PAREN or "." in token:
            words += _CAPWORD_RE.findall(token)
        elif kind != CONN:
            words.append(token)
    return tuple(dict.fromkeys(words))


RunAt = tuple[int, int, Run]  # (start, end, run) in a sentence


def sentence_runs(sentence: str, vocab: Vocab) -> tuple[list[RunAt], set[str]]:
    """The capitalised runs of a sentence, and its capitalised words (every one lies in some run)."""
    cached = vocab.run_cache.get
    runs: list[RunAt] = []
    words: set[str] = set()
    for m in _RUN.finditer(sentence):
        text = m.group()
        run = cached(text) or _run_info(text, vocab)
        start, end = m.span()
        runs.append((start, end, run))
        words.update(run.words)
    return runs, words


def titled_in_runs(sentence: str, runs: Sequence[RunAt], words: Collection[str], vocab: Vocab) -> list[Found]:
    """Titled persons in one sentence already cut into runs (see sentence_runs): "Title Name", "Name,
    Title,", "Title, Name," and "Title - Name". A title written in parts joined by a comma or a dash
    ("Deputy Prime Minister – Minister of Foreign Affairs ... Murat Nurtleu") is kept whole."""
    if not any(
        run.inner
        or run.title_after is not None
        or (run.tail and run.tail[0])
        or sentence.endswith(_OBJECT_ENDS, 0, at)
        or (run.tail is not None and _lower_case_before(sentence, at))
        for at, _, run in runs
    ):
        return []  # no title word, and no run a lower-case title may precede
    out: list[Found] = []
    used: set[int] = set()  # runs that are the title of a name before them (or part of one)
    # Where the title parts just before this run are written (start, end): kept as a span, not a string,
    # so that a long chain of parts is never copied part by part.
    chain: Span | None = None
    state = _PLAIN  # how the chain ends: a title, a quoted name, a listed object
    appositive_chain = False  # the chain is the title of a name before it ("Ivan Petrovich, Minister ...")
    named_after = "named after " in sentence  # read at each run only when the sentence holds it
    for r, (start, end, run) in enumerate(runs):
        # a title from its first word, and where it starts with lower-case title words before it
        whole = run.title_after is not None and len(run.title_after) == end - start
        lead = whole and _may_lead(sentence, start)
        title_start = _lowercase_lead(sentence, start, vocab) if lead else start
        prefix: Span | None = None
        if chain is not None:
            prefix, grown, after = _chain_step(sentence, chain, state, (title_start, end, run))
            if grown is not None:
                chain, state = grown, after
                continue
            if (
                after == _LISTED and prefix is not None
            ):  # "... on CIS Affairs, Eurasian ... with Compatriots Name"
                found = _object_and_name(sentence, prefix, runs[r])
                if found is not None:
                    out.append(found)
                    chain, state = None, _PLAIN
                    continue
                prefix = None
        chain, state = None, _PLAIN
        after_name, appositive_chain = appositive_chain, False
        # "University named after Professor M.A. Bonch-Bruevich": a name in an institution's name
        if r in used or (named_after and sentence.endswith("named after ", max(0, start - 12), start)):
            continue
        opening = title_start if prefix is None or not whole else prefix[0]
        if run.inner and opening == start:  # the usual case: nothing written before the run joins it
            out += [Found(name, title, start + run.offsets[idx]) for idx, name, title in run.inner]
            if _title_opens_run(run) and _may_lead(sentence, start):
                out[-len(run.inner)] = _with_lowercase_lead(sentence, start, out[-len(run.inner)], vocab)
            chain = (end - len(run.trailing), end) if run.trailing is not None else None
            _add_title_after(sentence, runs, r, used, out, vocab)
        elif run.inner:
            out += _inner_finds(sentence, run, start, opening)
            chain = (end - len(run.trailing), end) if run.trailing is not None else None
            _add_title_after(sentence, runs, r, used, out, vocab)
        elif run.title_after is not None:  # a title alone: its name (or its next part) follows
            chain = (opening if whole else end - len(run.title_after), end)
            appositive_chain = (
                after_name if prefix is not None and whole else _follows_a_name(sentence, runs, r)
            )
        elif run.titled_tail is not None:  # the run ends with a name (or one if a title follows)
            found, through = _name_run_find(sentence, runs, r, None if after_name else prefix, vocab)
            if found is not None:
                out.append(found)
                used.update(range(r + 1, through + 1))
        elif (  # "Plenipotentiary representative of the <run>", when a name or title part follows it
            sentence.endswith(_OBJECT_ENDS, 0, start)
            and r + 1 < len(runs)
            and sentence.startswith(
                _JOIN_GAPS, end
            )  # a comma, a dash or a colon: the name or part may follow
        ):
            chain = _lowercase_title_run(sentence, runs, r, prefix, vocab)
    return [_without_own_name(f) for f in out]


def _without_own_name(found: Found) -> Found:
    """The find with its title cut before the first word of the person's own name: a page's tooltip
    repeats a name ("Chairman Vyacheslav Volodin Volodin Vyacheslav Victorovich Volodin"), and the
    title ran over it to the last spelling."""
    title = found.title
    if title is None:
        return found
    words = title.split(" ")
    own = {fold_word(w) for w in found.name.split(" ") if len(w) > 2}  # "Viacheslav" is "Vyacheslav"
    cut = next((k for k, w in enumerate(words) if w[:1].isupper() and fold_word(w) in own), None)
    if cut is None:
        return found
    kept = " ".join(words[:cut]).rstrip(" ,-\u2013\u2014")
    return found._replace(title=kept or None)


def _add_title_after(
    sentence: str, runs: Sequence[RunAt], r: int, used: set[int], out: list[Found], vocab: Vocab
) -> None:
    """ "Colonel General Andrei Serdyukov, Chief of the Joint Staff, said": a name under a rank that ends
    its run and has an office after a comma holds both, as written ("Colonel General, Chief of the Joint
    Staff"); the runs that office takes are used."""
    start, _, run = runs[r]
    index, name, _ = run.inner[-1]
    if r + 1 >= len(runs) or run.tail != (index, name) or not out or out[-1].name != name:
        return
    if runs[r + 1][2].inner or not _is_rank(out[-1].title):  # another's title, or an office before
        return
    appositive = _appositive(sentence, runs, r)
    if appositive is None:
        title = lowercase_office_after(sentence, runs[r][1], vocab)
        if title is None:
            return
    else:
        title, through = appositive
        used.update(range(r + 1, through + 1))
    out[-1] = out[-1]._replace(title=f"{out[-1].title}, {title}" if out[-1].title else title)


# An office in lower case after a name and a comma, as agencies write it: ", a spokesman for the CSTO
# Joint Staff", ", chief of the CSTO Joint Staff", ", leader of the A Just Russia Party", or the office a
# name was elected or appointed to (", was elected chairman of the Permanent Council"): up to three
# lower-case words (one a title word, the first a title word or "former", "acting", ...), a preposition
# and a capitalised object.
_LOWERCASE_OFFICE = re.compile(
    r",? (?:(?:was |has been )?(?:elected|appointed|named) )?(?:the |an? )?"
    r"((?:[a-z][a-z'\-]* ){1,3}(?:of|for|at|to|in) (?:the )?"
    r"[A-Z][\w'\u2019\-]*(?: (?:(?:of|the|for|and|on|in) )*[A-Z(][\w'\u2019)\-]*)*)"
)


def lowercase_office_after(sentence: str, end: int, vocab: Vocab) -> str | None:
    """The office written in lower case after the name that ends at `end` (see _LOWERCASE_OFFICE), or
    None."""
    if not sentence.startswith((", ", " was ", " has been ", " elected ", " appointed ", " named "), end):
        return None
    m = _LOWERCASE_OFFICE.match(sentence, end)
    if m is None:
        return None
    words = m.group(1).split(" ")
    leading = words[: next(i for i, w in enumerate(words) if w in ("of", "for", "at", "to", "in"))]
    if not leading or not (vocab.is_title_word(leading[0]) or leading[0] in _OFFICE_LEADS):
        return None  # "..., who arrived in Minsk", "..., speaking at the forum"
    if not any(map(vocab.is_title_word, leading)):
        return None
    tokens = m.group(1).split(" ")  # "... of the Permanent Council on Monday": the day is no part of it
    return " ".join(tokens[:-2]) if ends_with_date_word(tokens) else m.group(1)


# The words of a military or police rank ("Colonel General", "Lieutenant General of Police", "Lt. Gen.")
_RANK_TITLE_WORDS = RANK_WORDS | frozenset(
    "army police justice internal service colonel lieutenant general admiral vice rear captain marshal "
    "colonel-general lieutenant-general major-general of the".split()
)


def _is_rank(title: str | None) -> bool:
    """Is the title a rank alone, no office ("Colonel General")? Then an office written after the name
    joins it."""
    return title is not None and all(word in _RANK_TITLE_WORDS for word in title.casefold().split())


def _follows_a_name(sentence: str, runs: Sequence[RunAt], r: int) -> bool:
    """Does title run r follow ", " after a run with no title (a name the rules could not read, "Alexander
    Grinevich, Permanent Representative ...")? Then it is that run's title, not the next name's."""
    if r == 0:
        return False
    _, previous_end, previous = runs[r - 1]
    return sentence[previous_end : runs[r][0]] == ", " and previous.title_after is None and not previous.inner


def _has_appositive(sentence: str, runs: Sequence[RunAt], r: int) -> bool:
    """Is name run r followed by ", (the) <title>": its own title after it?"""
    if r + 1 >= len(runs):
        return False
    nxt_start, _, nxt = runs[r + 1]
    return (
        nxt.title_after is not None and _TITLE_AFTER_GAP.match(sentence[runs[r][1] : nxt_start]) is not None
    )


def _lowercase_title_run(
    sentence: str, runs: Sequence[RunAt], r: int, prefix: Span | None, vocab: Vocab
) -> Span | None:
    """A run of no title and no name that is the object of a lower-case title ("Plenipotentiary
    representative of the National Assembly of the Republic of Belarus"): the title's span, taking a run
    of title adjectives right before it and title parts joined before that."""
    start, end, _ = runs[r]
    previous_end = runs[r - 1][1] if r > 0 else 0
    lower = _lowercase_title(sentence[previous_end:start], vocab)
    if lower is None:
        return None
    title_start = start - len(lower)
    if r > 0 and previous_end == title_start - 1:
        before_start, _, before = runs[r - 1]
        if before.tail is None and not before.inner and before.title_after is None:
            title_start = before_start  # "Plenipotentiary"
    return (prefix[0] if prefix is not None else title_start), end


Span = tuple[int, int]  # (start, end) in a sentence


_PLAIN, _QUOTED, _LISTED = range(3)
_POSSESSIVE_GAP = re.compile(r"(?: of(?: the)?)? [a-z]+['\u2019]s ")  # " of the country's "
# Words that often stand before a title run and are never part of it: no lead looked for after them.
_NO_LEAD = (
    " the ",
    " of ",
    " and ",
    " with ",
    " by ",
    " to ",
    " a ",
    " in ",
    " at ",
    " for ",
    " on ",
    " from ",
)
_NO_STEP: tuple[None, None, int] = (None, None, _PLAIN)


def _may_lead(sentence: str, start: int) -> bool:
    """May lower-case title words stand right before a run at start (a lower-case word ends there, and
    no "the", "of", ... that would begin a phrase of its own)?"""
    return start > 1 and sentence[start - 2].islower() and not sentence.endswith(_NO_LEAD, 0, start)


def _title_opens_run(run: Run) -> bool:
    """Does the run's first title start at its first word ("Secretary General of the CSTO Name")?"""
    title = run.inner[0][2]
    return title is not None and title.startswith(run.tokens[0])


def _with_lowercase_lead(sentence: str, start: int, found: Found, vocab: Vocab) -> Found:
    """The person found with the lower-case title words right before the run joined to the title that
    opens it ("the acting Secretary General of the CSTO Name")."""
    lead = _lowercase_lead(sentence, start, vocab)
    if lead == start or found.title is None:
        return found
    return found._replace(title=f"{sentence[lead:start]}{found.title}")


# Lower-case words that make another office of a title ("the acting Secretary General" is not the
# Secretary General): part of the title as written, never a title on their own.
_OFFICE_MODIFIERS = frozenset(("acting", "interim"))
# ... and those that say when it was held ("outgoing secretary general of ...", "former chairman of
# ..."), which open a lower-case title as well; "first deputy head", "senior adviser" too.
_LOWERCASE_TITLE_MODIFIERS = _OFFICE_MODIFIERS | frozenset(("outgoing", "incoming", "former", "new", "then"))
_OFFICE_LEADS = _LOWERCASE_TITLE_MODIFIERS | frozenset(("deputy", "first", "senior", "vice"))


def _lowercase_lead(sentence: str, start: int, vocab: Vocab) -> int:
    """Where a title run's title starts when lower-case title words ("deputy Executive Secretary of
    ...") or an office's modifier ("acting") stand right before it: up to two of them; else the run's
    start."""
    lead = start
    for _ in range(2):
        if lead < 2 or sentence[lead - 1] != " ":
            break
        word_start = sentence.rfind(" ", max(0, lead - 30), lead - 1) + 1
        word = sentence[word_start : lead - 1]
        if not (
            word.isalpha() and word.islower() and (word in _OFFICE_MODIFIERS or vocab.is_title_word(word))
        ):
            break
        lead = word_start
    return lead


def _chain_step(
    sentence: str, chain: Span, state: int, run_at: RunAt
) -> tuple[Span | None, Span | None, int]:
    """How pending title parts meet the next run: (the title the run's own title or name continues, the
    chain grown by the run, the state it ends in). It grows by a quoted name ("… of the magazine “National
    Defense”") or by a listed object of the title ("… on CIS Affairs, Eurasian Integration and Relations"),
    after which only " with " and the object's last words before a name may follow."""
    start, end, run = run_at
    gap = sentence[chain[1] : start]
    if state == _LISTED:
        return (chain, None, _LISTED) if gap == " with " else (None, None, _PLAIN)
    if _POSSESSIVE_GAP.fullmatch(gap):  # "the Secretary of the country's Security Council <Name>"
        return chain, None, _LISTED
    if gap == ": ":  # "Title: Name", as staff pages list them
        return (
            (chain, None, _PLAIN)
            if run.titled_tail is not None and not run.inner and run.title_after is None
            else _NO_STEP
        )
    if gap in _CHAIN_GAPS or (state == _QUOTED and gap == " "):
        if gap == ", " and run.title_after is None and run.titled_tail is None and not run.inner:
            return None, (chain[0], end), _LISTED
        return chain, None, _PLAIN
    if _QUOTED_OBJECT.fullmatch(gap) and sentence.startswith(_CLOSING_QUOTES, end):
        return None, (chain[0], end + 1), _QUOTED
    if _LOWERCASE_OBJECT.fullmatch(gap) and not run.inner and run.title_after is None and run.tail:
        # "the President of the country Kasym-Zhomart Tokayev", "of the Post-Soviet security bloc Name"
        return (chain[0], start - 1), None, _PLAIN
    if gap in _PLACE_GAPS and not run.inner and run.title_after is None and run.titled_tail is None:
        # "Commander of the Peacekeeping Forces in the Republic of Kazakhstan, ...": where the office is
        return None, (chain[0], end), _PLAIN
    return None, None, _PLAIN


# A title's object written in lower case between the title and the name: a generic noun for a state or
# an organisation, not a verb or a clause ("... spoke with Name" is no title).
_LOWERCASE_OBJECT = re.compile(
    r" (?:of (?:the )?)?(?:(?:security|military|defen[cs]e|political) )?"
    r"(?:country|republic|state|organi[sz]ation|bloc|alliance|interior|government|parliament|union) "
)
_PLACE_GAPS = frozenset((" in the ", " in ", " to the ", " to "))


def _object_and_name(sentence: str, title: Span, run_at: RunAt) -> Found | None:
    """The name a listed title object ends with: "… Relations with Compatriots Umakhan UMAKHANOV"."""
    start, _, run = run_at
    if run.tail is None or run.inner or run.title_after is not None:
        return None
    first, name = run.tail
    if first == 0 or run.tokens[first - 1] in CONNECTOR_SET:
        return None
    at = start + run.offsets[first]
    return Found(name, sentence[title[0] : at - 1], at)


def _inner_finds(sentence: str, run: Run, start: int, opening: int) -> list[Found]:
    """The titled names inside one run; the first takes the title parts written before the run (from
    `opening`), if any."""
    out: list[Found] = []
    for n, (idx, name, title) in enumerate(run.inner):
        if n == 0 and opening < start and title is not None and _opens_run(run, title):
            title = sentence[opening : start + len(title)]
        out.append(Found(name, title, start + run.offsets[idx]))
    return out


def _name_run_find(
    sentence: str, runs: Sequence[RunAt], r: int, prefix: Span | None, vocab: Vocab
) -> tuple[Found | None, int]:
    """A run that ends with a name and holds no title: the name takes the title before it ("Title, Name",
    "Title - Name", a lower-case title) or the one after it ("Name, the Title"). (find, last run used)."""
    start, end, run = runs[r]
    if run.tail is None:  # a surname shaped like a patronymic: a name only with a title before or after it
        if run.titled_tail is None or (prefix is None and not _has_appositive(sentence, runs, r)):
            return None, r
        run = run._replace(tail=run.titled_tail)
        runs = [*runs[:r], (start, end, run), *runs[r + 1 :]]  # rare: the title may run over parts after it
    assert run.tail is not None
    first, name = run.tail
    if prefix is not None and _bare_name(run) and not _has_appositive(sentence, runs, r):
        return Found(name, sentence[prefix[0] : prefix[1]], start + run.offsets[first]), r
    previous_end = runs[r - 1][1] if r > 0 else 0
    if first > 0 and sentence.endswith(_OBJECT_ENDS, 0, start) and run.tokens[first - 1] not in CONNECTOR_SET:
        lower = _lowercase_title(sentence[previous_end:start], vocab)
        if lower is not None:
            return Found(name, lower + " ".join(run.tokens[:first]), start + run.offsets[first]), r
    if first == 0 and prefix is None and r > 0:
        between = _title_between(sentence, runs[r - 1], start, vocab)
        if between is not None:
            return Found(name, between, start), r
    if first == 0 and prefix is None:
        lower = _lowercase_title_before(sentence, start, vocab)
        if lower is not None:
            return Found(name, lower, start), r
    if r + 1 >= len(runs) or runs[r + 1][2].title_after is None:
        return None, r
    appositive = _appositive(sentence, runs, r)
    if appositive is None:
        return None, r
    title, through = appositive
    return Found(name, title, start + run.offsets[first]), through


# What joins two parts of one title ("Deputy Prime Minister – Minister of ..."), or a title and the name
# after it ("Acting Secretary General of the CSTO - Semerikov Valeriy Anatolyevich").
_CHAIN_GAPS = frozenset((", ", " - ", " \u2013 ", " \u2014 "))
_JOIN_GAPS = (*_CHAIN_GAPS, ": ")


# A title's object that is a quoted name: "Editor-in-Chief of the magazine “National Defense” Igor ...".
_QUOTED_OBJECT = re.compile(r" (?:of |at |for )?(?:the )?[a-z]+(?: [a-z]+)? [\u201c\u00ab\"]")
_OBJECT_ENDS = (" of ", " at ", " for ", " of the ", " at the ", " for the ")
_CLOSING_QUOTES = ("\u201d", "\u00bb", '"')


def _lowercase_title(before: str, vocab: Vocab) -> str | None:
    """A title in lower case right before a run that holds an organisation and a name ("..., chief
    psychiatrist-narcologist of the Russian Ministry of Health E.A. Brun"): up to three lower-case words,
    the first a title word, then "of"/"at"/"for" (and "the"). The title as written, with a trailing space."""
    words = before[-80:].split(" ")
    if len(words) < 3 or words[-1] != "":
        return None
    k = len(words) - 1
    while k > 0 and words[k - 1] == "the":
        k -= 1
    if k == 0 or words[k - 1] not in ("of", "at", "for"):
        return None
    object_at = k - 1
    k = object_at
    while (
        k > 0 and object_at - k < 3 and words[k - 1][:1].islower() and words[k - 1].replace("-", "").isalpha()
    ):
        k -= 1
    while k < object_at and not vocab.is_title_word(words[k]):  # "the", "met": no part of the title
        k += 1
    while k > 0 and words[k - 1] in _LOWERCASE_TITLE_MODIFIERS:  # "outgoing secretary general of ..."
        k -= 1
    if k == object_at or (
        k > 0 and words[k - 1].replace("-", "").isalpha() and not _may_precede(words[k - 1])
    ):
        return None  # a word of a longer phrase stands before: the title may start earlier
    return " ".join(words[k:])


_LOWER_TITLE_WINDOW = 100  # characters before a name read for a lower-case title
_LOWER_OBJECT_WORDS = 3  # "chief of the general staff", "head of the press service"
_LOWER_ADJECTIVES = 2  # "foreign minister", "first deputy defence minister"
_NOT_A_TITLE_ADJECTIVE = frozenset(
    ("a", "an", "of", "and", "or", "in", "on", "at", "as", "is", "was", "his", "her")
)


def _lowercase_title_before(sentence: str, start: int, vocab: Vocab) -> str | None:
    """A title all in lower case right before a bare name, as news agencies write it: "According to
    foreign minister Sergei Lavrov", "The chief of the general staff Valery Gerasimov": up to two words
    before a title word, which may take "of (the)" and up to three lower-case words, with an article, a
    preposition, a verb or the sentence's start before it all. The title as written."""
    before = sentence[max(0, start - _LOWER_TITLE_WINDOW) : start]
    if not before.endswith(" ") or not before[-2:-1].islower():
        return None
    words = before[:-1].split(" ")
    head = len(words) - 1  # the title word: the last word, or the one before "of (the) ..."
    if not vocab.is_title_word(words[head]):
        of = next(
            (k for k in range(head - 1, max(head - _LOWER_OBJECT_WORDS - 2, 0), -1) if words[k] == "of"), None
        )
        if of is None or of < 1 or not vocab.is_title_word(words[of - 1]):
            return None
        if not all(w.isalpha() and w.islower() for w in words[of + 1 :]):
            return None
        head = of - 1
    if not (words[head].isalpha() and words[head].islower()):
        return None
    first = head
    while (
        first > 0
        and head - first < _LOWER_ADJECTIVES
        and words[first - 1].isalpha()
        and words[first - 1].islower()
        and not _may_precede(words[first - 1])
        and words[first - 1] not in _NOT_A_TITLE_ADJECTIVE
    ):
        first -= 1
    if first > 0 and not (_may_precede(words[first - 1].casefold()) or words[first - 1][-1:] in ",(:"):
        return None  # a word of a longer phrase: "the meeting's chairman ..." is left alone
    return " ".join(words[first:])


# What may stand right before a lower-case title: an article, a preposition, a verb of the sentence
# ("thanked outgoing secretary general of ...", "met with deputy head of ...")
_BEFORE_LOWERCASE_TITLE = frozenset(("the", "a", "by", "with", "to", "and", "from", "met", "said", "told"))


def _may_precede(word: str) -> bool:
    return word in _BEFORE_LOWERCASE_TITLE or (word.endswith("ed") and len(word) > 4)


def _lower_case_before(sentence: str, at: int) -> bool:
    """Does a lower-case word or a closing quote stand right before position `at` (a cheap prefilter for
    _title_between)?"""
    return (
        at > 1
        and sentence[at - 1] == " "
        and (sentence[at - 2].islower() or sentence[at - 2] in _CLOSING_QUOTES)
    )


# Lower-case words of a title between an organisation and a name: "CSTO spokesman", "CSTO press secretary"
_LOWER_TITLE_GAP = re.compile(r" ((?:[a-z]+-)?[a-z]+(?: [a-z]+){0,2}) ")
# A lower-case title whose object is a quoted name: "editor of the newspaper «Voennyi Vestnik»"
_QUOTED_TITLE = re.compile(
    r"(?:^|(?<=[\s,(]))((?:[a-z]+-)*[a-z]+) (?:of|at|for) (?:the )?[a-z]+(?: [a-z]+)? [\u201c\u00ab\"]$"
)
_QUOTED_TITLE_WINDOW = 80  # characters before the opening quote read for the title
_NOT_IN_LOWER_TITLE = frozenset(
    (*_PLACE_PREPOSITIONS, "of", "and", "by", "with", "for", "on", "a", "an", "said")
)


def _title_between(sentence: str, previous: RunAt, start: int, vocab: Vocab) -> str | None:
    """The title of a bare name run starting at `start` written in lower case after the run before it:
    "CSTO spokesman Vladimir Zainetdinov" (an abbreviation or a possessive, then up to three lower-case
    words ending with a title word), "editor of the newspaper «Voennyi Vestnik» Pavel Orlov"."""
    previous_start, previous_end, run = previous
    gap = sentence[previous_end:start]
    m = _LOWER_TITLE_GAP.fullmatch(gap)
    if m is not None:
        words = m.group(1).split(" ")
        last_kind = cached_kind(run.tokens[-1], vocab)
        if (
            vocab.is_title_word(words[-1])
            and not any(w in _NOT_IN_LOWER_TITLE for w in words)
            and run.tail is None
            and not run.inner
            and _names_a_body(run, last_kind, vocab)
        ):
            first_word = next(k for k, t in enumerate(run.tokens) if cached_kind(t, vocab) != FUNC)
            return sentence[previous_start + run.offsets[first_word] : start - 1]
        return None
    if gap[:1] not in _CLOSING_QUOTES or gap[1:] != " " or previous_start < 1:
        return None
    window_start = max(0, previous_start - _QUOTED_TITLE_WINDOW)
    q = _QUOTED_TITLE.search(sentence[window_start:previous_start])
    if q is None or not (vocab.is_title_word(q.group(1)) or _hyphen_title(q.group(1), vocab)):
        return None
    return sentence[window_start + q.start(1) : previous_end + 1]


def _names_a_body(run: Run, last_kind: int, vocab: Vocab) -> bool:
    """Can this run be the body a lower-case title after it belongs to: an abbreviation ("CSTO"), a
    possessive ("Russia's"), a body's name ("Russian Foreign Ministry", "CSTO Secretariat") or one
    capitalised word ("The Kremlin"; not a month: "In May")?"""
    last = run.tokens[-1]
    if last_kind in (ACRONYM, POSS) or vocab.is_non_name_word(last):
        return True
    words = sum(cached_kind(t, vocab) != FUNC for t in run.tokens)
    return words == 1 and last_kind == NAME and last.casefold() not in _MONTHS


_MONTHS = frozenset(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    )
)


def _hyphen_title(word: str, vocab: Vocab) -> bool:
    """ "editor-in-chief": a hyphenated lower-case word with a title part."""
    return "-" in word and any(vocab.is_title_word(part) for part in word.split("-") if len(part) > 2)


def _opens_run(run: Run, title: str) -> bool:
    """Does the run's first title start where the run does (no other words before it)?"""
    return run.title_after is not None and run.title_after.startswith(title)


def _bare_name(run: Run) -> bool:
    """Is the run a name and nothing else (after a form of address: "Mr A. Stubb")?"""
    assert run.tail is not None
    first = run.tail[0]
    return all(run.tokens[k].casefold() in _ADDRESS_WORDS for k in range(first))


_ADDRESS_WORDS = frozenset(("mr", "mrs", "ms", "dr", "madam", "sir"))


def _appositive(sentence: str, runs: Sequence[RunAt], r: int) -> tuple[str, int] | None:
    """ "Ivan Petrov, the President of ...": the title of the name ending run r, and the last run it
    takes (a title in parts: "..., the Deputy Prime Minister of Russia - Minister of Industry ...")."""
    start, end, run = runs[r]
    nxt_start, nxt_end, nxt = runs[r + 1]
    if nxt.title_after is None or not _TITLE_AFTER_GAP.match(sentence[end:nxt_start]):
        return None
    if nxt.inner and not _inner_is_object(nxt):
        return None
    assert run.tail is not None
    first = run.tail[0]
    before = run.tokens[first - 1] if first > 0 else _previous_word(sentence, start)
    name_start = start + run.offsets[first]
    if (
        before.casefold() in _PLACE_PREPOSITIONS
        and not (  # "to Moscow, the capital of ...": a place
            sentence[max(0, name_start - 13) : name_start].casefold().endswith("according to ")
        )
    ):
        return None
    title_start, title_end, through = nxt_end - len(nxt.title_after), nxt_end, r + 1
    if not nxt.inner:
        for k in range(r + 2, len(runs)):  # further parts: pure title runs joined by a comma or a dash
            part_start, part_end, part = runs[k]
            gap = sentence[title_end:part_start]
            if gap == " in " and _abbreviated_place(part):
                title_end, through = part_end, k
                break
            whole = part.title_after is not None and len(part.title_after) == part_end - part_start
            if gap not in _CHAIN_GAPS or part.inner or not whole:
                break
            title_end, through = part_end, k
    return sentence[title_start:title_end], through


def _abbreviated_place(run: Run) -> bool:
    """ "Afghanistan (UNAMA)": a place and the bracketed abbreviation that closes a title ("Head of the UN
    Assistance Mission in Afghanistan (UNAMA)")."""
    return (
        run.title_after is None and not run.inner and len(run.tokens) <= 4 and run.tokens[-1].startswith("(")
    )


def _inner_is_object(run: Run) -> bool:
    """Does the name found inside a title run end it, with a lower-case word before its title word's
    object ("the President of the Federation of Combined Martial Arts")? Then the run is one title
    (of a name before it) and the "name" is the end of an organisation's name: its words follow a
    capitalised non-title word, not a title word or an acronym."""
    from .people_untitled import is_given_name  # it reads runs itself: imported here, when first needed

    idx = run.inner[-1][0]
    return (
        idx + 2 == len(run.tokens)
        and len(run.inner) == 1
        and idx > 0
        and run.tokens[idx - 1][:1].isupper()
        and (run.tokens[idx - 1] not in CONNECTOR_SET)
        and not is_given_name(run.tokens[idx])  # "... Committee Leonid Kalashnikov": a person after all
    )


_PREV_WORD = re.compile(r"(\S+)\s*$")


def _previous_word(sentence: str, start: int) -> str:
    m = _PREV_WORD.search(sentence, max(0, start - 40), start)
    return m.group(1) if m else ""


_LIST_MARK = re.compile(r"[-\u2013\u2014\u2022*] ")


def listed_under_heading(sentences: Sequence[str], vocab: Vocab) -> dict[int, list[Found]]:
    """Staff lists: a heading that is a title ("CSTO Deputy Secretary Generals:") over lines that each
    open with a list mark and a name ("- Tikhonovsky Peter Nikolayevich - Republic of Belarus"). Each
    such name takes the heading as its title. Sentence index -> its finds."""
    out: dict[int, list[Found]] = {}
    title: str | None = None
    for s_idx, sentence in enumerate(sentences):
        if title is not None:
            mark = _LIST_MARK.match(sentence)
            found = _listed_name(sentence, mark.end(), vocab) if mark else None
            if found is not None:
                out[s_idx] = [Found(found[1], title, found[0])]
                continue
        title = _heading_title(sentence, vocab) if sentence.endswith(":") else None
    return out


def _heading_title(sentence: str, vocab: Vocab) -> str | None:
    """The title a heading line is ("CSTO Deputy Secretary Generals:"), or None."""
    m = _RUN.match(sentence)
    if m is None or m.end() != len(sentence) - 1:
        return None
    run = _run_info(m.group(), vocab)
    return run.title_after if not run.inner else None


def _listed_name(sentence: str, at: int, vocab: Vocab) -> tuple[int, str] | None:
    """(offset, name) of the name a list line opens with, when its first run is a name and nothing else."""
    m = _RUN.match(sentence, at)
    if m is None:
        return None
    run = _run_info(m.group(), vocab)
    if run.tail is None or run.tail[0] != 0 or run.title_after is not None or run.inner:
        return None
    return at, run.tail[1]


def find_addressed(sentence: str) -> list[Found]:
    """ "Dear <first name> <patronymic>!" addresses: the person is named by first name and patronymic."""
    out: list[Found] = []
    for m in _DEAR.finditer(sentence):
        first, second, third = m.group(1), m.group(2), m.group(3)
        if not is_patronymic(second) or not name_shaped(first):
            continue
        name = f"{first} {third}" if third and name_shaped(third) else f"{first} {second}"
        out.append(Found(name, None, m.start(1)))
    return out
