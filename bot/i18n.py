"""Replies in the user's language: gettext catalogs (Babel) for fixed strings, Babel for dates and numbers.

English is the source language (the msgids); Russian comes from bot/locale/ru/LC_MESSAGES/messages.mo,
compiled from the .po beside it and committed (the wheel carries both; tests check the .mo matches
the .po and that every msgid is translated). Pure: no store, no Telegram; a `Lang` is passed to
bot.render by the handlers, who choose it (the chat's /language setting, else the user's Telegram
language).

    lang = translator("ru-RU")
    lang._("No results for <b>{query}</b>.").format(query=...)
    lang.ngettext("{count} item", "{count} items", n)        # "3 items", "3 материала" ({count} filled)
    lang.date(day)                     # "12 ноября 2026" / "12 Nov 2026"

Strings defined before a language is known (command descriptions, handler constants) are marked with
`N_` so extraction finds them, and translated where they are used: `lang._(TOO_LONG)`.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT = "en"
LANGUAGES = ("en", "ru")  # the default first; each other one has a catalog in LOCALE_DIR
# A day as each language writes it in a reply: "31 Oct 2025", "12 ноября 2026".
_DATE_PATTERNS = {"en": "d MMM y", "ru": "d MMMM y"}
_MONTH_PATTERNS = {"en": "MMM y", "ru": "LLLL y"}


def N_(message: str) -> str:
    """Marks a string for extraction without translating it (it is translated where it is shown)."""
    return message


@dataclass(frozen=True, eq=False)
class Lang:
    """One language's translations, dates and numbers; what bot.render takes to speak it."""

    code: str
    translations: gettext.NullTranslations
    locale: Locale

    def _(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """The form for ``count`` with ``{count}`` filled in as this language writes numbers (other
        placeholders are left for the caller's ``.format``)."""
        return self.translations.ngettext(singular, plural, count).replace("{count}", self.number(count))

    def date(self, day: dt.date) -> str:
        return format_date(day, _DATE_PATTERNS.get(self.code, _DATE_PATTERNS[DEFAULT]), locale=self.locale)

    def language_name(self, code: str) -> str:
        """A language's name in this language: "Russian", "русский"."""
        return Locale.parse(code).get_display_name(self.locale) or code

    def month(self, day: dt.date) -> str:
        """``Nov 2023`` / ``ноябрь 2023``: a month as this language names it in a reply."""
        return format_date(day, _MONTH_PATTERNS.get(self.code, _MONTH_PATTERNS[DEFAULT]), locale=self.locale)

    def number(self, value: int) -> str:
        """1,234 in English, 1 234 in Russian."""
        return format_decimal(value, locale=self.locale)


def language_code(code: str | None) -> str:
    """The supported language a Telegram language_code ("ru", "ru-RU", "en-GB", None) asks for."""
    base = (code or "").strip().replace("_", "-").split("-", 1)[0].casefold()
    return base if base in LANGUAGES else DEFAULT


def translator(code: str | None = DEFAULT) -> Lang:
    """The Lang for a Telegram language_code; English for anything without a catalog."""
    return _load(language_code(code))


@cache
def _load(chosen: str) -> Lang:
    """Each supported language is read once (the cache holds at most len(LANGUAGES) entries)."""
    if chosen == DEFAULT:
        translations: gettext.NullTranslations = gettext.NullTranslations()
    else:
        translations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[chosen])
    return Lang(chosen, translations, Locale.parse(chosen))


ENGLISH = translator(DEFAULT)
