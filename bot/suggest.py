""""Did you mean": nearest indexed words for search terms that found nothing."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from bot.store import Store

SUGGEST_CUTOFF = 75.0
SHORT_WORD = 4  # a word this short is one letter away from too many others ("near" -> "bear")
SHORT_CUTOFF = 85.0


async def did_you_mean(store: Store, terms: Sequence[str], limit: int = 3) -> list[str]:
    """For each term the index does not hold, the closest corpus word as written (at most `limit`)."""
    vocabulary = await store.vocabulary()
    if not vocabulary:
        return []
    known = set(vocabulary)
    suggestions: list[str] = []
    for term in terms[:5]:
        word = term.casefold()
        if len(word) < 3 or word in known:
            continue
        cutoff = SHORT_CUTOFF if len(word) <= SHORT_WORD else SUGGEST_CUTOFF
        best = process.extractOne(word[:64], vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff)
        if best is None:
            continue
        surface = await store.surface_form(best[0])
        if surface and surface != word and surface not in suggestions:
            suggestions.append(surface)
        if len(suggestions) >= limit:
            break
    return suggestions
