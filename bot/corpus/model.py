"""Plain data produced by the corpus rules: what one page says, before it reaches the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Curated word lists the rules consult; loaded from config/corpus.yaml, never hard-coded to pages.

    The names themselves always come from the text: the lexicon only says which words are titles,
    which capitalised words belong to organisations and places, which lines are navigation debris,
    and which aliases a curator wants merged.
    """

    navigation_lines: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()
    non_name_words: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)  # alias as written -> canonical full name
    # Known operation and exercise families: canonical English name -> other spellings (both scripts).
    operation_families: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exercise_families: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A person named in an item: canonical full name, the title as written (if any), and its sentence."""

    name: str
    title: str | None
    sentence: str
    # the spelling the page used ("Andrey Serdyukov", "S. Ordabayev"); "" = name. Not part of equality:
    # two mentions of one person in one sentence are the same mention however it was spelled.
    written: str = field(default="", compare=False)

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        """Pickled as its fields in order: a parsing process sends thousands a batch, and the default
        pickling of a slots dataclass calls fields() for each (one tuple of fields is cheaper to send)."""
        return PersonMention, (self.name, self.title, self.sentence, self.written)


@dataclass(frozen=True, slots=True)
class OperationMention:
    """A named operation or exercise in an item, with the purpose the text gives for it.

    name is the spelling as written ("Канал-Аракс"); family the one operation it belongs to ("Channel",
    the lexicon's canonical name, else the name without its instance); instance the year or phase
    ("Аракс", "2019"); kind "operation" or "exercise".
    purpose_quality: 2 = stated for this operation alone, 1 = a goal shared by a list of operations,
    0 = none stated (purpose is then None, or only the kind of goal its name gives: "anti-drug operation").
    """

    name: str
    purpose: str | None
    purpose_quality: int
    sentence: str
    family: str = ""
    instance: str | None = None
    kind: str = "operation"

    @property
    def family_name(self) -> str:
        """The family, or the name itself for a mention made without one."""
        return self.family or self.name

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        fields = (self.name, self.purpose, self.purpose_quality, self.sentence)
        return OperationMention, (*fields, self.family, self.instance, self.kind)


# Where an item's date came from, weakest first: the store keeps the date of the strongest evidence when
# one item (one content key) is found on several pages, dated on each in its own way.
DATE_NONE = 0
DATE_IN_TEXT = 1  # read in the item's lead or text, or its year taken from the page's other items
DATE_LINE = 2  # the item's own date line or header ("26.07.2024" above a teaser; "Title DD.MM.YYYY")


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One news entry of a page: a teaser, a salutation block or the page's main article."""

    key: str  # stable content hash: the same teaser on two pages has the same key
    kind: str  # "teaser" | "salutation" | "article"
    headline: str
    summary: str
    body: str
    date: dt.date | None
    position: int
    people: tuple[PersonMention, ...] = ()
    operations: tuple[OperationMention, ...] = ()
    date_evidence: int = DATE_NONE  # DATE_LINE, DATE_IN_TEXT or DATE_NONE: where `date` came from
    # The search stems of headline and body (stems.stem_text), made where the page is parsed so the
    # store's writer only inserts them; None: the store makes them.
    headline_stems: str | None = None
    body_stems: str | None = None

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        fields = (self.key, self.kind, self.headline, self.summary, self.body, self.date, self.position)
        stems = (self.headline_stems, self.body_stems)
        return ParsedItem, (*fields, self.people, self.operations, self.date_evidence, *stems)


@dataclass(frozen=True, slots=True)
class ParsedPage:
    items: tuple[ParsedItem, ...]
