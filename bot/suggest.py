""" "Did you mean": nearest indexed words for search terms that found nothing."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import process

from bot.matching import WORD_SCORER, fold, suggestion_cutoff
from bot.store import Store


async def did_you_mean(store: Store, terms: Sequence[str], limit: int = 3) -> list[str]:
    """For each term the index does not hold, the closest corpus word as written (at most `limit`)."""
    vocabulary = await store.vocabulary()
    if not vocabulary:
        return []
    known = set(vocabulary)
    suggestions: list[str] = []
    for term in terms[:5]:
        word = fold(term)
        if len(word) < 3 or word in known:
            continue
        cutoff = suggestion_cutoff(word)
        best = process.extractOne(word[:64], vocabulary, scorer=WORD_SCORER, score_cutoff=cutoff)
        if best is None:
            continue
        surface = await store.surface_form(best[0])
        if surface and surface != word and surface not in suggestions:
            suggestions.append(surface)
        if len(suggestions) >= limit:
            break
    return suggestions
