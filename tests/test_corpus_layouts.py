"""Page layouts of the CSTO's sites, on small made-up pages in their shape: which lines become items,
which line heads each, and how each item is dated."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.corpus.dates import date_line, first_date, lead_day_month, with_year_near
from bot.corpus.page import parse_page
from tests.corpus_fixtures import lexicon


def _items(text: str) -> list[tuple[str, str, dt.date | None]]:
    return [(i.kind, i.headline, i.date) for i in parse_page(text, lexicon()).items]


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Minsk, 3 Mar., 2011", dt.date(2011, 3, 3)),
        ("Yerevan, 9-10 Nov 2012", dt.date(2012, 11, 9)),
        ("(Yerevan, 9-10 November 2012)", dt.date(2012, 11, 9)),
        ("April 2, 2021, Dushanbe", dt.date(2021, 4, 2)),
        ("14.03.2022 (10:30)", dt.date(2022, 3, 14)),
        ("3/21/2018 09:15:02", dt.date(2018, 3, 21)),
        ("21 / 3 / 2018", dt.date(2018, 3, 21)),
        ("12 марта 2020, 14:05", dt.date(2020, 3, 12)),
    ],
)
def test_datelines_with_a_place_or_a_time_date_the_item(line: str, day: dt.date) -> None:
    assert date_line(line) == day


@pytest.mark.parametrize(
    "line", ["4/5/2019", "we met them, 12 May 2020", "signed at the meeting 5 May 2011 in Minsk"]
)
def test_ambiguous_or_sentence_lines_are_no_date_lines(line: str) -> None:
    assert date_line(line) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("From March 2 to 5, 2019, the officers trained in Minsk.", dt.date(2019, 3, 2)),
        ("From June 29 to July 3, 2016, the staff exercise ran.", dt.date(2016, 6, 29)),
        ("In the period from 12 to 15 May 2021, the course was held.", dt.date(2021, 5, 12)),
        ("В период с 3 по 6 мая 2021 года прошли учения.", dt.date(2021, 5, 3)),
        ("On 21–24 April 2022, the council met.", dt.date(2022, 4, 21)),
    ],
)
def test_a_date_range_dates_by_its_start(text: str, day: dt.date) -> None:
    assert first_date(text) == day


def test_a_lead_without_year_names_its_day_and_month() -> None:
    assert lead_day_month("On 4 March, the delegation visited the training centre.") == (3, 4)
    assert lead_day_month("On October 2, the ministers met in Minsk to talk.") == (10, 2)
    assert lead_day_month("March 4") is None  # a cut line, no lead
    assert lead_day_month("In 2003, the treaty became an organisation.") is None
    # the year that puts it nearest the reference: across a new year's day
    assert with_year_near(12, 30, dt.date(2021, 1, 10)) == dt.date(2020, 12, 30)


MARCH_1, FEB_28 = dt.date(2021, 3, 1), dt.date(2021, 2, 28)


def test_one_story_per_line_keeps_each_teaser_and_finds_the_article_whose_lead_tells_it() -> None:
    text = (
        "On 2 March 2021, the defence ministers met in Minsk.\n"
        "The Deputy Secretary General met the ambassador of a partner state in Moscow\n"
        "On 1-3 March, officers of the staff trained at the academy in the capital.\n"
        "The Council of Defence Ministers discussed joint exercises in Minsk\n"
        "On 28 February 2021, the Council of Defence Ministers discussed joint exercises in Minsk. More"
        " came later.\n"
        "The next day the ministers laid wreaths at the memori"
    )
    assert _items(text) == [
        ("teaser", "On 2 March 2021, the defence ministers met in Minsk.", dt.date(2021, 3, 2)),
        ("teaser", "The Deputy Secretary General met the ambassador of a partner state in Moscow", None),
        # no year of its own: the nearest dated teaser's
        ("teaser", "On 1-3 March, officers of the staff trained at the academy in the capital.", MARCH_1),
        ("article", "The Council of Defence Ministers discussed joint exercises in Minsk", FEB_28),
    ]


def test_title_and_title_with_date_header_wins_over_earlier_title_lines() -> None:
    text = (
        "05.05.2021\n"
        "The Secretary General took part in a seminar of the academy\n"
        "The council of the assembly gathered in Yerevan to hear reports\n"
        "The Joint Staff held talks on the autumn exercise\n"
        "The Joint Staff held talks on the autumn exercise 14.06.2021\n"
        "Officers of the member states planned the exercise in detail."
    )
    items = _items(text)
    headline = "The Joint Staff held talks on the autumn exercise"
    assert items[-1] == ("article", headline, dt.date(2021, 6, 14))
    assert [k for k, _, _ in items] == ["teaser", "teaser", "article"]


def test_a_date_line_dates_the_teaser_below_it_and_a_dated_page_without_headline_keeps_its_stories() -> None:
    text = (
        "11.05.2022\n"
        "On 10 May, the ministers met in Dushanbe.\n"
        "10.05.2022\n"
        "The envoy spoke on security in the region.\n"
        "Today the trainings began at the range near the ci"
    )
    assert [(h, d) for _, h, d in _items(text)] == [
        ("On 10 May, the ministers met in Dushanbe.", dt.date(2022, 5, 11)),
        ("The envoy spoke on security in the region.", dt.date(2022, 5, 10)),
        ("Today the trainings began at the range near the ci", None),  # cut by the excerpt: its own item
    ]
    no_cut_line = text.rsplit("\n", 1)[0]  # no headline at all: the dated stories stay apart
    assert [d for _, _, d in _items(no_cut_line)] == [dt.date(2022, 5, 11), dt.date(2022, 5, 10)]


def test_a_section_index_page_gives_one_item_per_story_under_its_own_lead() -> None:
    text = (
        "All Statements\n"
        "Sessions of the Defence Council\n"
        "On March 3, a session of the Defence Council was held in the capital of the chair\n"
        "The ministers discussed the exercises of the year.\n"
        "Exercises of Joint Forces\n"
        "In the mountains of the south, the active phase of the exercise took place.\n"
        "Units of the member states worked together."
    )
    heads = [h for _, h, _ in _items(text)]
    assert heads == [
        "On March 3, a session of the Defence Council was held in the capital of the chair",
        "In the mountains of the south, the active phase of the exercise took place.",
    ]
    assert all(d is None for _, _, d in _items(text))  # no dated neighbour: no year is guessed


def test_a_list_after_a_colon_line_stays_in_its_item() -> None:
    text = (
        "Defence Council\n"
        "3/21/2018 09:15:02\n"
        "The list of measures for the border was approved at the session.\n"
        "The Council is the highest body of the Organization and meets every year.\n"
        "Members of the Council:\n"
        "President of the First Republic Ivan Ivanovich Petrov\n"
        "President of the Second Republic Pyotr Sidorov\n"
        "Card image cap\n"
    )
    items = _items(text)
    assert [(k, d) for k, _, d in items] == [("teaser", dt.date(2018, 3, 21)), ("teaser", None)]
    assert "Pyotr Sidorov" in parse_page(text, lexicon()).items[1].body


def test_old_site_header_debris_is_dropped_and_the_dateline_dates_the_statement() -> None:
    text = (
        "ÑÎÎÁÙÅÍÈÅ ÄËß\n"
        "Non official translation\n"
        "Statement by the Secretary General of the Organization at the forum\n"
        "Mr. A. Petrov\n"
        "Yerevan, 9-10 Nov 2012\n"
        "I would like to thank the chair of the forum."
    )
    headline = "Statement by the Secretary General of the Organization at the forum"
    assert _items(text) == [("article", headline, dt.date(2012, 11, 9))]


def test_news_site_credits_and_story_pointers_are_not_items() -> None:
    text = (
        "Учения прошли в горах на юге страны\n"
        "© Фото: пресс-служба\n"
        "Военные отработали совместные действия подразделений на полигоне.\n"
        "Подробнее в сюжете: Учения союзников\n"
    )
    items = parse_page(text, lexicon()).items
    assert len(items) == 1
    assert "©" not in items[0].body and "сюжете" not in items[0].body


SPEECH = (
    "Allow me to thank the presidency of the Council for the invitation to take part in the debate on "
    "regional organizations."
)
SPEECH_MORE = (
    "I am convinced that today's debate will contribute to new mechanisms of cooperation between the "
    "organizations of the region."
)
MEETING = (
    "The Secretary General took part in the debate on cooperation with regional organizations held in July."
)
ARTICLE = (
    "The Working Group met in Moscow on Afghanistan\nThe Working Group met in Moscow on Afghanistan 15.12.2015\n"
    "The Working Group on Afghanistan met in Moscow to discuss the situation on the border."
)
INTERVIEW = (
    "The Secretary General told a news agency whether the Organization sought a new role in the region."
)


def test_a_dated_teaser_continued_by_a_second_paragraph_is_one_item() -> None:
    page = f"19.07.2024\n\n{SPEECH}\n\n{SPEECH_MORE}\n\n19.07.2024\n\n{MEETING}\n\n01.07.2024\n\n{INTERVIEW}"
    items = parse_page(page, lexicon()).items
    assert [(i.headline[:20], i.date) for i in items] == [
        (SPEECH[:20], dt.date(2024, 7, 19)),
        (MEETING[:20], dt.date(2024, 7, 19)),
        (INTERVIEW[:20], dt.date(2024, 7, 1)),
    ]
    assert SPEECH_MORE in items[0].body


def test_where_two_blank_lines_part_the_teasers_one_blank_line_parts_a_teasers_paragraphs() -> None:
    zone = f"{SPEECH}\n\n{SPEECH_MORE}\n\n\n{MEETING}\n\n\n{INTERVIEW}\n\n\nThe May of Victory is ahead!"
    items = parse_page(f"{zone}\n\n{ARTICLE}", lexicon()).items
    assert [i.headline[:20] for i in items] == [
        SPEECH[:20],
        MEETING[:20],
        INTERVIEW[:20],
        "The May of Victory i",
        "The Working Group me",
    ]
    assert SPEECH_MORE in items[0].body


def test_where_one_blank_line_parts_the_teasers_each_paragraph_stays_a_story() -> None:
    page = f"{SPEECH}\n\n\n{MEETING}\n\n{INTERVIEW}\n\n{SPEECH_MORE}\n\n{ARTICLE}"
    assert len(parse_page(page, lexicon()).items) == 5


def test_an_untitled_article_whose_last_line_is_cut_is_one_article_dated_by_its_own_year() -> None:
    page = (
        "News\nВся лента\n"
        "В Ереване 26 мая председатель Координационного совета подвел итоги операции «Канал».\n"
        "Операция проводилась в период с 22 по 26 мая 2023 года на территории государств.\n"
        "Международный штаб по управлению операцией был развернут в Ереване.\n"
        "В результате слаженных действий на территории государств изъято более"
    )
    items = parse_page(page, lexicon()).items
    assert len(items) == 1
    assert items[0].headline.startswith("В Ереване 26 мая")
    assert items[0].date == dt.date(2023, 5, 26)


def test_a_list_of_stories_each_dated_by_its_lead_keeps_its_stories_above_a_cut_last_line() -> None:
    page = (
        "14 августа 2023 года Генеральный секретарь встретился с министрами обороны государств.\n"
        "В период с 25 по 27 июля на базе Объединенного штаба прошло совещание.\n"
        "Генеральный секретарь в Лондоне примет участие в конференции по безопасности"
    )
    assert len(parse_page(page, lexicon()).items) == 3
