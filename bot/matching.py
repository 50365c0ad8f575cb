"""Fuzzy matching, one rule for every place a typed name meets the corpus's names.

/who, /operations, person:/op: alert filters and "did you mean" all compare folded text (case, accents
and punctuation do not count) with rapidfuzz scorers, against the named cutoffs below. A name's score
is `name_scores`: WRatio against each full name, and for a one-word query also plain ratio against each
single word of the names (a surname typed alone, with a typo).

rapidfuzz's extract holds the GIL for its whole call, so every scorer here runs `best_scored`, which
scores SCORE_CHUNK choices at a time: a lookup run in a thread lets the event loop in between.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz import fuzz, process

from bot.corpus.keys import fold_words, operation_key

# /who: a person scoring this is a match; below it a candidate is only offered as "nearest".
PERSON_CUTOFF = 72.0
# /who: a typed surname this near a person's surname is theirs with a typo ("Ivanow"); "Ivanov" and
# "Zinoviev" score far below it.
SURNAME_TYPO_CUTOFF = 80.0
# /who: two matches this close are both offered as buttons.
CLOSE_MARGIN = 4.0
# /who: a match this sure wins over any other below it.
SURE_MATCH = 99.5
# /operations: the nearest operation scoring this is the one meant.
OPERATION_CUTOFF = 70.0
# person:/op: filters see only the names of the new items, never everyone /who and /operations choose
# among, so a name must be this near on its own (a near neighbour, "Ivan Orlov" for "Ivan Belov", scores 80).
FILTER_CUTOFF = 85.0
# "Did you mean": a corpus word this near a search term that found nothing is offered...
SUGGEST_CUTOFF = 75.0
# ...but a word this short is one letter away from too many others ("near" -> "bear"): it must be nearer.
SHORT_WORD = 4
SHORT_WORD_CUTOFF = 85.0
# A longer name is refused (the scorers' cost grows with the query's length times each name's).
MAX_NAME_QUERY = 80  # characters
SCORE_CHUNK = 1024

fold = fold_words  # the one fold: casefolded, accents dropped, anything but letters and digits a space

NAME_SCORER: Callable[..., float] = fuzz.WRatio  # a query against a full name
WORD_SCORER: Callable[..., float] = fuzz.ratio  # one word against one word


def best_scored(
    query: str, choices: Sequence[str], scorer: Callable[..., float], limit: int | None, cutoff: float = 0.0
) -> list[tuple[float, int]]:
    """The `limit` (None: all) best (score, position) of `choices` for `query` (folded), best first, ties
    by position: process.extract's answer, computed SCORE_CHUNK choices at a time."""
    found: list[tuple[float, int]] = []
    for start in range(0, len(choices), SCORE_CHUNK):
        chunk = choices[start : start + SCORE_CHUNK]
        scored = process.extract(
            query, chunk, scorer=scorer, limit=limit, processor=None, score_cutoff=cutoff
        )
        found += [(float(score), start + position) for _choice, score, position in scored]
    found.sort(key=lambda sp: (-sp[0], sp[1]))
    return found[:limit]


def name_scores(
    query: str, names: Sequence[str], words: Sequence[str], limit: int | None, cutoff: float = 0.0
) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    """(score, position) in `names` (folded full names) and in `words` (their distinct single words) for
    a folded `query`: the rule /who and person: filters share. Words are compared for a one-word query
    only: a surname typed alone, perhaps with a typo. `limit` is per person: names get three times as
    many places, since one person has several names."""
    by_name = best_scored(query, names, NAME_SCORER, limit * 3 if limit else None, cutoff)
    by_word = best_scored(query, words, WORD_SCORER, limit, cutoff) if " " not in query else []
    return by_name, by_word


def best_operation(query: str, names: Sequence[str]) -> int | None:
    """The position in `names` (operation names as written) of the one `query` means, if any scores
    OPERATION_CUTOFF: the /operations rule. Run it off the event loop (asyncio.to_thread)."""
    found = best_scored(fold(query), [fold(name) for name in names], NAME_SCORER, 1, OPERATION_CUTOFF)
    return found[0][1] if found else None


SPELLING_PREFIX_MIN = 4  # a query this long may stand for a spelling it begins ("rubej" in "rubej2025")


def operation_by_spelling(query: str, spellings: Sequence[tuple[int, str]]) -> int | None:
    """The operation id whose spellings as pages wrote them, keyed across scripts (keys.operation_key),
    equal the query's key or begin with it («рубеж» = Rubezh-2025, «канал» = Канал-2004); the one most
    spellings point to; None if none. Run it off the event loop (asyncio.to_thread)."""
    query_key = operation_key(query)
    if len(query_key) < SPELLING_PREFIX_MIN:
        return None
    votes: dict[int, int] = {}
    for op_id, written in spellings:
        key = operation_key(written)
        if key.startswith(query_key):
            votes[op_id] = votes.get(op_id, 0) + 1
    return max(votes, key=lambda op: (votes[op], -op)) if votes else None


def near_operations(query: str, names: Sequence[str]) -> list[int]:
    """Positions in `names` (folded operation names) an op: filter means: the /operations scorer, each
    name on its own at FILTER_CUTOFF."""
    return [position for _, position in best_scored(fold(query), names, NAME_SCORER, None, FILTER_CUTOFF)]


def suggestion_cutoff(word: str) -> float:
    """How near a corpus word must be to a search term of this length to be offered."""
    return SHORT_WORD_CUTOFF if len(word) <= SHORT_WORD else SUGGEST_CUTOFF
