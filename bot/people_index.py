"""Typo-tolerant person lookup for /who and person: filters (rapidfuzz over names and aliases).

Matching is on folded text (case and accents removed), so "tasmagambetow", "TASMAGAMBETOV",
"Sergey Kuzhugetovich" and a surname alone all find their person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.corpus.keys import fold_words
from bot.records import PersonName

MATCH_CUTOFF = 72.0  # below this a candidate is "nearest", not a match
CLOSE_MARGIN = 4.0  # two candidates this close are offered as buttons
# A longer name is refused (the scorers' cost grows with the query's length times each name's).
MAX_NAME_QUERY = 80  # characters
# rapidfuzz's extract holds the GIL for its whole call: names are scored this many at a time, so a lookup
# run in a thread lets the event loop in between.
SCORE_CHUNK = 1024


fold = fold_words  # matching is on folded text: case, accents and punctuation do not count


def best_scored(
    query: str, choices: Sequence[str], scorer: Callable[..., float], limit: int, cutoff: float = 0.0
) -> list[tuple[float, int]]:
    """The `limit` best (score, position) of `choices` for `query` (folded), best first, ties by
    position: process.extract's answer, computed SCORE_CHUNK choices at a time."""
    found: list[tuple[float, int]] = []
    for start in range(0, len(choices), SCORE_CHUNK):
        chunk = choices[start : start + SCORE_CHUNK]
        scored = process.extract(query, chunk, scorer=scorer, limit=limit, processor=None, score_cutoff=cutoff)
        found += [(float(score), start + position) for _choice, score, position in scored]
    found.sort(key=lambda sp: (-sp[0], sp[1]))
    return found[:limit]


@dataclass(frozen=True, slots=True)
class PersonMatch:
    person: PersonName
    score: float


class PeopleIndex:
    """Folded choices built once per corpus version; a lookup is one or two rapidfuzz extracts in C."""

    def __init__(self, people: Sequence[PersonName]) -> None:
        self.people = list(people)
        self._by_id = {p.id: p for p in self.people}
        self._choices: list[str] = []  # every full name and alias, folded
        self._owner: list[int] = []
        # Every distinct word of those, for a surname typed alone. Names share words (5,790 people have
        # 752 distinct words in the 10k benchmark corpus), so each word is scored once for all its owners.
        owners_by_word: dict[str, list[int]] = {}
        owners_by_name: dict[str, set[int]] = {}  # a name or alias exactly as typed (folded)
        for index, person in enumerate(self.people):
            for written in (person.name, *person.aliases):
                folded = fold(written)
                self._choices.append(folded)
                self._owner.append(index)
                owners_by_name.setdefault(folded, set()).add(index)
                for word in folded.split():
                    owners = owners_by_word.setdefault(word, [])
                    if not owners or owners[-1] != index:
                        owners.append(index)
        self._words = list(owners_by_word)
        self._word_owners = list(owners_by_word.values())
        # A name, or a lone word, that belongs to one person only: the scorers would give that person
        # 100 and anyone else less than the 99.5 a sure match needs (an inexact name scores at most ~98),
        # so the answer is known without them.
        for word, owners in owners_by_word.items():
            owners_by_name.setdefault(word, set()).update(owners)
        self._sole_owner = {name: next(iter(o)) for name, o in owners_by_name.items() if len(o) == 1}

    def lookup(self, query: str, limit: int = 5) -> list[PersonMatch]:
        """Best candidates, one per person, best first (scores 0-100). Seconds of C at 100k people for
        a long query: call it off the event loop (asyncio.to_thread), it lets the GIL go between chunks."""
        wanted = fold(query)[:MAX_NAME_QUERY]
        if not wanted or not self._choices:
            return []
        best: dict[int, float] = {}
        for score, position in best_scored(wanted, self._choices, fuzz.WRatio, limit * 3):
            owner = self._owner[position]
            best[owner] = max(best.get(owner, 0.0), score)
        if " " not in wanted:  # one word: compare it with single words too (a surname with a typo)
            for score, position in best_scored(wanted, self._words, fuzz.ratio, limit):
                for owner in self._word_owners[position]:
                    best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], -self.people[kv[0]].mention_count))
        return [PersonMatch(self.people[i], s) for i, s in ranked[:limit]]

    def resolve(self, query: str) -> tuple[PersonName | None, list[PersonMatch]]:
        """One clear person, or None with the candidates to offer (close ones, or the nearest)."""
        sole = self._sole_owner.get(fold(query)[:MAX_NAME_QUERY])
        if sole is not None:
            return self.people[sole], [PersonMatch(self.people[sole], 100.0)]
        matches = self.lookup(query)
        good = [m for m in matches if m.score >= MATCH_CUTOFF]
        if not good:
            return None, matches[:3]
        close = [m for m in good if good[0].score - m.score <= CLOSE_MARGIN]
        if len(close) == 1 or good[0].score >= 99.5 > close[1].score:
            return good[0].person, good
        return None, close

    def get(self, person_id: int) -> PersonName | None:
        """The person with this store id, if the corpus this index was built from has them."""
        return self._by_id.get(person_id)

    def most_mentioned(self, n: int = 8) -> list[PersonName]:
        return sorted(self.people, key=lambda p: (-p.mention_count, p.name))[:n]
