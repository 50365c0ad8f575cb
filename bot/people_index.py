"""Typo-tolerant person lookup for /who: bot.matching's rule over every person's names and aliases.

Matching is on folded text (case, accents and punctuation removed), so "tasmagambetow", "TASMAGAMBETOV",
"Sergey Kuzhugetovich" and a surname alone all find their person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.corpus.name_keys import has_initials, name_parts, person_key
from bot.matching import (
    CLOSE_MARGIN,
    MAX_NAME_QUERY,
    PERSON_CUTOFF,
    SURE_MATCH,
    SURNAME_TYPO_CUTOFF,
    fold,
    name_scores,
)
from bot.records import PersonName


@dataclass(frozen=True, slots=True)
class PersonMatch:
    person: PersonName
    score: float


class PeopleIndex:
    """Folded choices built once per corpus version; a lookup is one or two rapidfuzz extracts in C."""

    def __init__(self, people: Sequence[PersonName]) -> None:
        self.people = list(people)
        self._by_id = {p.id: p for p in self.people}
        self._position = {p.id: i for i, p in enumerate(self.people)}
        self._choices: list[str] = []  # every full name and alias, folded
        self._owner: list[int] = []
        # Every distinct word of those, for a surname typed alone. Names share words (a corpus has far fewer
        # distinct name words than people), so each word is scored once for all its owners.
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
        # 100 and anyone else less than the SURE_MATCH a sure match needs (an inexact name scores at most ~98),
        # so the answer is known without them.
        for word, owners in owners_by_word.items():
            owners_by_name.setdefault(word, set()).update(owners)
        self._sole_owner = {name: next(iter(o)) for name, o in owners_by_name.items() if len(o) == 1}
        # One key per person across spellings and scripts (name_keys): "Сердюков" and "Serdyukov" meet.
        self._by_key: dict[str, set[int]] = {}
        self._surnames: list[set[str]] = []  # per person: the folded surnames of their spellings
        self._givens: list[set[str]] = []  # per person: the folded given names of their spellings
        for index, person in enumerate(self.people):
            surnames: set[str] = set()
            givens: set[str] = set()
            for written in (person.name, *person.aliases):
                parts = name_parts(written)
                if parts.given:
                    givens.add(parts.given)
                key = person_key(written)
                if " " in key and not has_initials(written):
                    self._by_key.setdefault(key, set()).add(index)
                surname = name_parts(written).surname
                if surname:
                    surnames.add(surname)
                    self._by_key.setdefault(surname, set()).add(index)
            self._surnames.append(surnames)
            self._givens.append(givens)

    def lookup(self, query: str, limit: int = 5) -> list[PersonMatch]:
        """Best candidates, one per person, best first (scores 0-100). Slow on a big corpus with a long
        query: call it off the event loop (asyncio.to_thread), it lets the GIL go between chunks."""
        wanted = fold(query)[:MAX_NAME_QUERY]
        if not wanted or not self._choices:
            return []
        best: dict[int, float] = {}
        by_name, by_word = name_scores(wanted, self._choices, self._words, limit)
        for score, position in by_name:
            owner = self._owner[position]
            best[owner] = max(best.get(owner, 0.0), score)
        for score, position in by_word:
            for owner in self._word_owners[position]:
                best[owner] = max(best.get(owner, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], -self.people[kv[0]].mention_count))
        return [PersonMatch(self.people[i], s) for i, s in ranked[:limit]]

    def resolve(self, query: str) -> tuple[PersonName | None, list[PersonMatch]]:
        """One clear person, or None with the candidates to offer (close ones, or the nearest).

        A fuzzy match answers only when the surname agrees (exactly or by a typo): "/who Viktor Ivanov"
        never answers Viktor Zinoviev; such a candidate is offered below PERSON_CUTOFF, as "closest"."""
        sole = self._sole_owner.get(fold(query)[:MAX_NAME_QUERY])
        if sole is not None:
            return self.people[sole], [PersonMatch(self.people[sole], 100.0)]
        keyed = self._by_key.get(person_key(query[:MAX_NAME_QUERY]))
        if keyed:
            found = [PersonMatch(self.people[i], 100.0) for i in sorted(keyed, key=self._by_mentions)]
            return (found[0].person, found) if len(found) == 1 else (None, found)
        matches = [self._weighed(query, m) for m in self.lookup(query)]
        matches.sort(key=lambda m: (-m.score, -m.person.mention_count))
        good = [m for m in matches if m.score >= PERSON_CUTOFF]
        if not good:
            return None, matches[:3]
        close = [m for m in good if good[0].score - m.score <= CLOSE_MARGIN]
        if len(close) == 1 or good[0].score >= SURE_MATCH > close[1].score:
            return good[0].person, good
        return None, close

    def _by_mentions(self, index: int) -> tuple[int, str]:
        return -self.people[index].mention_count, self.people[index].name

    def _weighed(self, query: str, match: PersonMatch) -> PersonMatch:
        """A fuzzy match kept as it scored when the query's surname and given name are the person's (a
        typo at most), or the query's one word is (or opens) one of the person's names; else below
        PERSON_CUTOFF: "Ivanov" scores 72 against "Vladimir Zaynetdinov" on a shared "inov" alone."""
        parts = name_parts(query)
        index = self._position[match.person.id]
        if parts.surname is None or parts.given is None:  # one word: a given name or a surname alone
            word = parts.surname or parts.given
            if word is None or any(
                fuzz.ratio(word, w) >= SURNAME_TYPO_CUTOFF or w.startswith(word)
                for w in (*self._surnames[index], *self._givens[index])
            ):
                return match  # that word is one of theirs (a typo at most), or opens one ("Tasmag")
            return PersonMatch(match.person, min(match.score, PERSON_CUTOFF - 1))
        surname_agrees = any(
            fuzz.ratio(parts.surname, s) >= SURNAME_TYPO_CUTOFF for s in self._surnames[index]
        )
        given_agrees = not self._givens[index] or any(
            fuzz.ratio(parts.given, g) >= SURNAME_TYPO_CUTOFF for g in self._givens[index]
        )
        if surname_agrees and given_agrees:
            return match
        return PersonMatch(match.person, min(match.score, PERSON_CUTOFF - 1))

    def get(self, person_id: int) -> PersonName | None:
        """The person with this store id, if the corpus this index was built from has them."""
        return self._by_id.get(person_id)

    def most_mentioned(self, n: int = 8) -> list[PersonName]:
        return sorted(self.people, key=lambda p: (-p.mention_count, p.name))[:n]
