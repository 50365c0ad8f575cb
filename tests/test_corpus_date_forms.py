"""Date headers in the forms news sites write that the rules did not read: a day, month and year with
hyphens ("21-06-2017 10:42"), a two-digit year ("18.05.22", also in an agency's dateline), a Russian
month before its day ("Фев. 9, 2026", "Ноябрь 4, 2016 10:23"), and a time, label or credit around the
date ("at 7:19 p.m.", "года, 13:18", "| TASS"). Each is read on a line that is only a date; the
near misses (scores, phone numbers, versions, a date quoted in a sentence, a day to come) stay no date."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bot.corpus.dates import date_line, dateline, find_dates, first_date, opening_dateline
from bot.corpus.model import DATE_LINE, Lexicon, ParsedItem
from bot.corpus.page import parse_page

LEX = Lexicon()
GUARD_S = 5.0  # a linear pass over the hostile text below takes a few hundredths of a second


def _items(text: str) -> list[ParsedItem]:
    return list(parse_page(text, LEX).items)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # day-month-year with hyphens, maybe a time or a byline before it
        ("21-06-2017", dt.date(2017, 6, 21)),
        ("03-11-2025 10:42", dt.date(2025, 11, 3)),
        ("Иван Петров 24-10-2019 01:28:15", dt.date(2019, 10, 24)),
        # a two-digit year, alone or in an agency's dateline
        ("18.05.22", dt.date(2022, 5, 18)),
        ("08.05.22, 14:10", dt.date(2022, 5, 8)),
        ("Бишкек, 18.05.22. /Кабар/.", dt.date(2022, 5, 18)),
        # a Russian month first: cut short or in full, nominative or genitive, a time on either side
        ("Фев. 9, 2026", dt.date(2026, 2, 9)),
        ("19:19 Фев. 9, 2026", dt.date(2026, 2, 9)),
        ("Ноябрь 4, 2016 10:23", dt.date(2016, 11, 4)),
        ("сентября 30, 2021", dt.date(2021, 9, 30)),
        ("Вторник, Мар 3, 2020", dt.date(2020, 3, 3)),
        ("9 фев. 2026, 10:30", dt.date(2026, 2, 9)),
        # the year word, "в"/"at", a dash or a.m./p.m. before the time; a label; a credit
        ("Среда, 15 Марта, 2023 года, 09:05", dt.date(2023, 3, 15)),
        ("12 сентября 2008 в 14:51", dt.date(2008, 9, 12)),
        ("9 февраля 2026 г., 10:30", dt.date(2026, 2, 9)),
        ("February 9, 2026 at 7:19 p.m.", dt.date(2026, 2, 9)),
        ("9 February 2026 - 10:30", dt.date(2026, 2, 9)),
        ("Published: 9 February 2026", dt.date(2026, 2, 9)),
        ("Опубликовано: 18.05.22", dt.date(2022, 5, 18)),
        ("February 9, 2026 | TASS", dt.date(2026, 2, 9)),
        ("14 декабря 2024, 08:24 [ «Новая газета» ]", dt.date(2024, 12, 14)),
        # a range still dates by its start
        ("21-23 June 2017", dt.date(2017, 6, 21)),
        # a stamp with its time and the count of its reads
        ("28.05.2025, 14:26 45981", dt.date(2025, 5, 28)),
        ("28.05.2025 14:26 | 1203", dt.date(2025, 5, 28)),
    ],
)
def test_a_date_header_form_is_read(line: str, expected: dt.date) -> None:
    assert date_line(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "2-1",  # a score
        "Счёт 2-1-2020",  # nor a date without its zero-padded day and month
        "698-77-75",  # a phone number
        "12-10-24",  # hyphens and a two-digit year: as likely a phone number
        "31.02.22",  # no such day
        "18.13.22",  # no such month
        "18.05.99",  # a day to come is no page's date; 1999 would be a guess
        "8.5.22",  # unpadded: a version or a section number
        "Версия 10.05.22",  # a header's own form after a word
        "1.18.05.22",
        "18.05.22.1",
        "Фев. 9, 20261",
        "Ноябрь 4",  # no year
        "Last update: February 21, 2024 19:34",  # when it changed, not when it was published
    ],
)
def test_a_near_miss_is_no_date_line(line: str) -> None:
    assert date_line(line) is None


def test_header_forms_in_a_sentence_date_nothing() -> None:
    sentence = "Совещание, назначенное на Ноябрь 4, 2016, перенесли, сообщил источник 18.05.22 в беседе."
    assert date_line(sentence) is None
    assert first_date(sentence) is None
    assert find_dates("The score was 2-1-0 and the phone 8-10-22-33.") == []


def test_hyphenated_day_first_dates_are_read_in_text_too() -> None:
    assert find_dates("Приказ от 21-06-2017 и решение 2017-06-22.") == [
        dt.date(2017, 6, 21),
        dt.date(2017, 6, 22),
    ]


def test_an_agency_dateline_with_a_two_digit_year_dates_the_story() -> None:
    opening = "Бишкек, 18.05.22. /Кабар/. С 18 по 20 мая в городе проходят штабные переговоры."
    assert opening_dateline(opening) == (5, 18, dt.date(2022, 5, 18))
    assert dateline("Бишкек, 18.05.22. /Кабар/.") == (5, 18)
    assert dateline("Бишкек, 18.05.2022 - Кабар.") == (5, 18)
    # a bare date and a dash open an ordinary sentence, not a dateline
    assert dateline("18.05.2022 – В Бишкеке прошли переговоры.") is None
    assert dateline("Бишкек, 31.02.22. /Кабар/.") is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("19:19 Фев. 9, 2026", dt.date(2026, 2, 9)),
        ("Ноябрь 4, 2016 10:23", dt.date(2016, 11, 4)),
        ("21-06-2017", dt.date(2017, 6, 21)),
        ("Пётр Сидоров 24-10-2019 01:28:15", dt.date(2019, 10, 24)),
        ("18.05.22", dt.date(2022, 5, 18)),
    ],
)
def test_an_article_under_such_a_header_takes_its_date(header: str, expected: dt.date) -> None:
    text = (
        "Министры обороны обсудили подготовку совместного учения\n\n"
        f"{header}\n\n"
        "Министры обороны государств обсудили в столице подготовку совместного учения. Стороны "
        "договорились провести его осенью на полигоне под Ошем."
    )
    [only] = _items(text)
    assert only.headline.startswith("Министры обороны обсудили")
    assert only.date == expected
    assert only.date_evidence == DATE_LINE


def test_an_english_article_under_a_time_and_credit_header_takes_its_date() -> None:
    text = (
        "Defence ministers discuss a joint exercise\n\n"
        "February 9, 2026 at 7:19 p.m. | TASS\n\n"
        "The defence ministers of the member states discussed the preparation of a joint exercise. "
        "They agreed to hold it in the autumn at a training ground."
    )
    [only] = _items(text)
    assert only.date == dt.date(2026, 2, 9)
    assert only.date_evidence == DATE_LINE


def test_an_agency_dateline_with_figures_dates_the_article_under_its_headline() -> None:
    text = (
        "В столице проходят штабные переговоры по подготовке учения\n\n"
        "Бишкек, 18.05.22. /Кабар/. С 18 по 20 мая 2022 года в столице проходят штабные переговоры по "
        "подготовке учения. Об этом сообщили в пресс-службе министерства."
    )
    [only] = _items(text)
    assert only.date == dt.date(2022, 5, 18)


def test_the_new_date_forms_are_read_in_linear_time() -> None:
    hostile = [
        "1-" * 50_000,
        "12-12-" * 20_000,
        "2017-10-" * 15_000,
        "18.05." * 20_000,
        "Фев. 9, " * 15_000 + "2026",
        "9 фев " * 20_000,
    ]
    started = time.perf_counter()
    for text in hostile:
        find_dates(text)
        date_line(text[:60])
        opening_dateline("Бишкек, " + text)
    assert time.perf_counter() - started < GUARD_S
