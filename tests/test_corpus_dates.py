"""Explicit dates: every form the site uses, and the near-misses that are not dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.corpus.dates import date_line, find_dates, first_date, trailing_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On October 31, 2025, in Astana, the leaders met.", dt.date(2025, 10, 31)),
        ("June 6, 2024", dt.date(2024, 6, 6)),
        ("On 8 November 2023, in Moscow, the meeting was held.", dt.date(2023, 11, 8)),
        ("07.07.2025", dt.date(2025, 7, 7)),
        ("Speech at the conference 14.09.2020", dt.date(2020, 9, 14)),
        ("(Vienna, September 14-15, 2020)", dt.date(2020, 9, 14)),
        ("held on 2025-10-31 in Minsk", dt.date(2025, 10, 31)),
        ("31 октября 2025 года в Астане состоялась встреча", dt.date(2025, 10, 31)),
        ("Oct. 3, 2022 was a Monday", dt.date(2022, 10, 3)),
        ("on the 1st of March, 2021", dt.date(2021, 3, 1)),
    ],
)
def test_explicit_date_forms(text: str, expected: dt.date) -> None:
    assert first_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In September 2025, the thirteenth meeting was held.",
        "The President received the ministers on June 30.",
        "The 11th meeting of the Secretaries took place in 2023.",
        "UN Security Council resolutions (2178, 2396).",
        "31.02.2025 is not a day",
        "Version 1.2.2025b of the software",
        "",
    ],
)
def test_month_year_or_day_without_year_is_not_a_date(text: str) -> None:
    assert first_date(text) is None


def test_dates_are_returned_in_text_order() -> None:
    text = "Planned for 2025-12-01, after the talks of June 6, 2024 and 07.07.2025."
    assert find_dates(text) == [dt.date(2025, 12, 1), dt.date(2024, 6, 6), dt.date(2025, 7, 7)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("07.07.2025", dt.date(2025, 7, 7)),
        ("29.10.2025", dt.date(2025, 10, 29)),
        ("June 6, 2024.", dt.date(2024, 6, 6)),
        ("31 октября 2025 г.", dt.date(2025, 10, 31)),
        ("On June 6, 2024, in Almaty, a meeting was held.", None),
        ("Speech at the 2020 conference", None),
    ],
)
def test_date_lines(line: str, expected: dt.date | None) -> None:
    assert date_line(line) == expected


def test_trailing_date_splits_a_repeated_headline() -> None:
    line = "Speech by the Deputy Secretary General at the 2020 Conference on September 14, 2020 14.09.2020"
    assert trailing_date(line) == (
        "Speech by the Deputy Secretary General at the 2020 Conference on September 14, 2020",
        dt.date(2020, 9, 14),
    )
    assert trailing_date("A headline without any date at its end") is None


def test_a_month_name_only_matched_ignoring_case_is_no_date_and_no_error() -> None:
    # "Aprıl" (dotless ı) matches "april" ignoring case but is no key of the month table
    assert find_dates("On Aprıl 5, 2025 the Council met; on 8 November 2023 too.") == [dt.date(2023, 11, 8)]
