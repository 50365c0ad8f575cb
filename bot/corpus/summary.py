"""Headlines and one-sentence extractive summaries."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from .dates import first_date

HEADLINE_MAX = 150
SUMMARY_MAX = 200
MIN_SUMMARY_CHARS = 40
ELLIPSIS = "\u2026"
_WORDS = re.compile(r"[^\W\d_][\w'\u2019-]*")
_SALUTATION_SENTENCE = re.compile(
    r"^(?:Dear|Distinguished|Esteemed|Ladies|Уважаем\w*|Дорог\w*)\b[^.?]{0,80}!$", re.IGNORECASE
)
_OPEN_QUOTES = "\"\u201c\u00ab\u201e'"
_CLOSE_QUOTES = "\"\u201d\u00bb\u201c'"
# fmt: off
_STOPWORDS = frozenset((
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "from", "with",
    "without", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does",
    "did", "it", "its", "this", "that", "these", "those", "there", "their", "they", "them", "he", "his",
    "she", "her", "we", "our", "us", "you", "your", "i", "me", "my", "not", "no", "nor", "so", "than",
    "then", "too", "very", "can", "could", "will", "would", "shall", "should", "may", "might", "must",
    "also", "which", "who", "whom", "whose", "what", "when", "where", "why", "how", "all", "any", "both",
    "each", "few", "more", "most", "other", "some", "such", "only", "own", "same", "into", "over", "under",
    "about", "against", "between", "through", "during", "before", "after", "above", "below", "up", "down",
    "out", "off", "again", "further", "once", "here", "well", "just", "even", "while", "within", "among",
    "upon", "per", "via", "including", "и", "в", "во", "на", "с", "со", "по", "к", "ко", "о", "об", "от",
    "до", "за", "из", "у", "не", "что", "как", "это", "для", "его", "ее", "их", "а", "но", "или", "же",
    "ли", "бы"
))
# fmt: on
_LEAD_OVERLAP = 2  # shared content words with the headline that make the lead sentence the summary
_LONG_PENALTY = 0.85
_POSITION_BONUS = 0.5


def trim(text: str, limit: int) -> str:
    """Cut text to at most limit characters on a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013\u2014(") + ELLIPSIS


def is_salutation_sentence(sentence: str) -> bool:
    return _SALUTATION_SENTENCE.match(sentence) is not None


def _is_quoted_title(sentence: str) -> bool:
    """A line that is only a quoted title: "Effective Partnership Against Terrorism"."""
    s = sentence.rstrip(".")
    return len(s) > 2 and s[0] in _OPEN_QUOTES and s[-1] in _CLOSE_QUOTES


def _is_aside(sentence: str) -> bool:
    """A bracketed aside: "(video format)", "(Vienna, September 14-15, 2020)"."""
    return sentence.startswith("(") and sentence.rstrip(".").endswith(")")


def is_candidate(sentence: str) -> bool:
    """Can this sentence stand alone as a summary?"""
    return not (
        len(sentence) < MIN_SUMMARY_CHARS
        or is_salutation_sentence(sentence)
        or _is_quoted_title(sentence)
        or _is_aside(sentence)
        or sentence.endswith("?")
    )


def content_words(text: str) -> list[str]:
    return [w for w in _WORDS.findall(text.casefold()) if len(w) > 2 and w not in _STOPWORDS]


def lead_sentence(sentences: Sequence[str]) -> str | None:
    """The first sentence that is body text proper (not an address, a quoted title or an aside)."""
    for s in sentences:
        if not (is_salutation_sentence(s) or _is_quoted_title(s) or _is_aside(s)):
            return s
    return None


def _luhn(candidates: Sequence[str]) -> str:
    """The candidate densest in the body's frequent content words, nudged towards the top."""
    bags = [content_words(s) for s in candidates]
    freq = Counter(w for bag in bags for w in set(bag))
    significant = {w for w, c in freq.most_common(30) if c >= 2}
    best, best_score = candidates[0], -1.0
    n = len(candidates)
    for idx, (sentence, bag) in enumerate(zip(candidates, bags, strict=True)):
        if not bag:
            continue
        hits = sum(1 for w in bag if w in significant)
        score = hits * hits / len(bag)
        score *= 1.0 + _POSITION_BONUS * (1.0 - idx / n)
        if len(sentence) > SUMMARY_MAX:
            score *= _LONG_PENALTY
        if score > best_score:
            best, best_score = sentence, score
    return best


def article_summary(headline: str, sentences: Sequence[str]) -> str:
    """The most informative body sentence: the lead when it is dated or echoes the headline, else Luhn."""
    candidates = [s for s in sentences if is_candidate(s)]
    if not candidates:
        fallback = lead_sentence(sentences) or (sentences[0] if sentences else headline)
        return trim(fallback, SUMMARY_MAX)
    lead = candidates[0]
    overlap = set(content_words(lead)) & set(content_words(headline))
    if first_date(lead) is not None or len(overlap) >= _LEAD_OVERLAP:
        return trim(lead, SUMMARY_MAX)
    return trim(_luhn(candidates), SUMMARY_MAX)
