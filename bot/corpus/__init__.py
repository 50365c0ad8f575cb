"""Corpus rules: pure functions from a page's bytes/text to items, dates, people and operations.

Nothing here does I/O or imports the rest of the project, so every rule is testable on plain strings.
"""

from __future__ import annotations

from .decode import UndecodableError, decode_page
from .keys import item_key, operation_key, person_key
from .model import Lexicon, OperationMention, ParsedItem, ParsedPage, PersonMention
from .page import parse_page

__all__ = [
    "Lexicon",
    "OperationMention",
    "ParsedItem",
    "ParsedPage",
    "PersonMention",
    "UndecodableError",
    "decode_page",
    "item_key",
    "operation_key",
    "parse_page",
    "person_key",
]
