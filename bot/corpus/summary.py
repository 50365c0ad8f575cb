"""Headlines and one-sentence extractive summaries."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import chain, filterfalse

from .caches import memo_text
from .dates import DATELINE_MAX_CHARS, dateline, first_date

HEADLINE_MAX = 150
SUMMARY_MAX = 200
MIN_SUMMARY_CHARS = 40
ELLIPSIS = "\u2026"
# Words of three or more characters: shorter ones are never content words, so they are not even matched.
_CONTENT_WORDS = re.compile(r"[^\W\d_][\w'\u2019-]{2,}")
_SALUTATION_SENTENCE = re.compile(
    r"^(?:Dear|Distinguished|Esteemed|Ladies|Уважаем\w*|Дорог\w*)\b[^.?]{0,80}!$", re.IGNORECASE
)
# Courtesy, not content: a speech's welcome and thanks tell an analyst nothing about what was said.
_CEREMONIAL = re.compile(
    r"^(?:(?:I|We)\s+(?:(?:would|should)\s+like\s+to\s+)?(?:welcome|thank|wish|greet|congratulate)\b"
    r"|(?:I|We)\s+(?:am|are)\s+(?:very\s+|deeply\s+|sincerely\s+)?(?:grateful|pleased|glad|happy|honou?red)\b"
    r"|(?:Let|Allow)\s+me\s+(?:to\s+)?(?:thank|welcome|greet|express)\b"
    r"|Thank\s+you\b|It\s+is\s+(?:a\s+)?(?:great\s+)?(?:pleasure|honou?r)\b"
    r"|(?:I|We)\s+(?:would\s+like\s+to\s+)?express\s+(?:my|our)\s+(?:gratitude|thanks|appreciation)\b)",
    re.IGNORECASE,
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
_IS_STOPWORD = _STOPWORDS.__contains__
_LEAD_OVERLAP = 2  # shared content words with the headline that make the lead sentence the summary
_LONG_PENALTY = 0.85
_SIGNIFICANT_WORDS = 30
_POSITION_BONUS = 0.5


def _collapse_spaces(text: str) -> str:
    """text with each run of whitespace as one space, and none at the ends."""
    # Sentences of cleaned lines are usually already so; printable means no whitespace but " ".
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    return " ".join(text.split())


def trim(text: str, limit: int) -> str:
    """Cut text to at most limit characters on a word boundary, marking the cut with an ellipsis."""
    text = _collapse_spaces(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013\u2014(") + ELLIPSIS


def is_salutation_sentence(sentence: str) -> bool:
    # The pattern ends with "!$" ("$" also matches before a final newline): most sentences fail here.
    return sentence.endswith(("!", "!\n")) and _SALUTATION_SENTENCE.match(sentence) is not None


def _is_quoted_title(sentence: str) -> bool:
    """A line that is only a quoted title: "Effective Partnership Against Terrorism"."""
    if sentence[:1] not in _OPEN_QUOTES:  # most sentences: no copy made
        return False
    s = sentence.rstrip(".")
    return len(s) > 2 and s[0] in _OPEN_QUOTES and s[-1] in _CLOSE_QUOTES


def _is_aside(sentence: str) -> bool:
    """A bracketed aside: "(video format)", "(Vienna, September 14-15, 2020)", or a news agency's
    dateline ("МОСКВА, 24 ноя - РИА Новости.")."""
    if sentence.startswith("(") and sentence.rstrip(".").endswith(")"):
        return True
    return len(sentence) <= DATELINE_MAX_CHARS and dateline(sentence) is not None


def is_candidate(sentence: str) -> bool:
    """Can this sentence stand alone as a summary?"""
    return not (  # cheapest tests first
        len(sentence) < MIN_SUMMARY_CHARS
        or sentence.endswith("?")
        or _is_aside(sentence)
        or _is_quoted_title(sentence)
        or is_salutation_sentence(sentence)
    )


@memo_text(500_000, 2_000)
def _content_bag(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the text's content words, the same without repeats, in order of first use), cached: template
    sentences recur from page to page."""
    bag = tuple(filterfalse(_IS_STOPWORD, _CONTENT_WORDS.findall(text.casefold())))
    return bag, tuple(dict.fromkeys(bag))


def lead_sentence(sentences: Sequence[str]) -> str | None:
    """The first sentence that is body text proper (not an address, a quoted title or an aside)."""
    for s in sentences:
        if not (is_salutation_sentence(s) or _is_quoted_title(s) or _is_aside(s)):
            return s
    return None


def _luhn(candidates: Sequence[str], bags: Sequence[tuple[Sequence[str], Sequence[str]]]) -> str:
    """The candidate densest in the body's frequent content words, nudged towards the top.

    bags: per candidate, its content words, and the same without repeats (in order of first use).
    """
    # Sentences using each word (once per sentence); ties rank in order of first use.
    freq = Counter(chain.from_iterable([distinct for _, distinct in bags]))
    # The 30 most frequent of the words used twice or more (a stable sort, like Counter.most_common).
    # Those used twice or more rank before the rest, so they are what is left of the 30 most frequent
    # words once the others are dropped; only when more than 30 are used twice is there a sort to do.
    used_twice = [w for w, n in freq.items() if n >= 2]
    if len(used_twice) > _SIGNIFICANT_WORDS:
        used_twice = sorted(used_twice, key=freq.__getitem__, reverse=True)[:_SIGNIFICANT_WORDS]
    significant = set(used_twice)
    best, best_score = candidates[0], -1.0
    n = len(candidates)
    in_significant = significant.__contains__
    for idx, (sentence, (bag, _)) in enumerate(zip(candidates, bags, strict=True)):
        if not bag:
            continue
        hits = sum(map(in_significant, bag))
        score = hits * hits / len(bag)
        score *= 1.0 + _POSITION_BONUS * (1.0 - idx / n)
        if len(sentence) > SUMMARY_MAX:
            score *= _LONG_PENALTY
        if score > best_score:
            best, best_score = sentence, score
    return best


def is_ceremonial(sentence: str) -> bool:
    """Welcome, thanks and good wishes: true of every speech, informative about none."""
    return _CEREMONIAL.match(sentence) is not None


def article_summary(headline: str, sentences: Sequence[str]) -> str:
    """The most informative body sentence: the lead when it is dated or echoes the headline, else Luhn.

    Courtesy sentences are passed over unless the body has nothing else.
    """
    at = next((i for i, s in enumerate(sentences) if is_candidate(s) and not is_ceremonial(s)), None)
    if at is None:
        at = next((i for i, s in enumerate(sentences) if is_candidate(s)), None)
    if at is None:
        fallback = lead_sentence(sentences) or (sentences[0] if sentences else headline)
        return trim(fallback, SUMMARY_MAX)
    lead = sentences[at]
    if first_date(lead) is not None:
        return trim(lead, SUMMARY_MAX)
    lead_bag = _content_bag(lead)
    if len(set(lead_bag[1]).intersection(_content_bag(headline)[0])) >= _LEAD_OVERLAP:
        return trim(lead, SUMMARY_MAX)
    candidates = [lead, *filter(is_candidate, sentences[at + 1 :])]
    bags = [lead_bag, *map(_content_bag, candidates[1:])]
    return trim(_luhn(candidates, bags), SUMMARY_MAX)
