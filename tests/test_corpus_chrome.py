"""Page chrome: the weather, login, search, text-size and "follow us" widgets, breadcrumb trails, page-update
stamps, a weekday without its year, markup left by a scraper, an agency's boilerplate and a story's tag line
never become a headline or an item; the headlines and sentences they look like read on."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from corpus_fixtures import lexicon

from bench import quality
from bot.corpus import parse_page
from bot.corpus.clean import as_the_page_means, clean_lines, clean_lines_with_gaps, is_chrome, is_debris
from bot.corpus.vocab import vocab_for

REAL = quality.default_corpus()  # ../shared/real-pages, when present

LEAD = (
    "Командующий коллективными силами генерал-полковник Иван Петров провёл совещание с офицерами штаба "
    "и поставил задачи на весенний период обучения."
)
EN_LEAD = (
    "The Council of Defence Ministers met in Minsk on Tuesday and approved the plan of joint training "
    "of the rapid reaction forces for the coming year."
)


def _lines(text: str) -> list[str]:
    return clean_lines(text, vocab_for(lexicon()))


CHROME = [
    # weather widgets
    "Нижний Город Сплошная облачность +5°C",
    "В Заречье:   +6 °C",
    "Springfield +12°C",
    "Overcast -3 °C",
    "+5°C Облачно",
    # login, search, text-size and "follow us" widgets
    "Размер текста: - o +",
    "Font size: A- A A+",
    "+ ↺ − 16 px",  # a text-size control with no label
    "A- 100% A+",
    "Войти в почту",
    "Войти в личный кабинет",
    "Личный кабинет",
    "Версия для слабовидящих",
    "Sign in",
    "log in or register",
    "To participate in the discussion",
    "Поиск по сайту",
    "Search the site",
    "Читайте и смотрите нас в",
    "Следите за нами в соцсетях, Дзене и Телеграме",
    "Follow us on Telegram",
    # breadcrumbs
    "Вечерние Известия → Армия",
    "Главная » Новости » Политика",
    "Home > News > World",
    "Главная / Новости",
    # a weekday with a day and no year; a clock stamp with its zone
    "вторник, апрель 30",
    "Friday, 12 May",
    "June 3, 09:15 UTC+3 MINSK",
    # an agency's boilerplate
    "2 pages in this article",
    "Must read",
    "Newsfeed",
    "Фото из архива",
    "Фото пресс-службы Объединенного штаба",  # a photo credit with no colon
    "Photo courtesy of the Joint Staff",
    "Теги: ОДКБ, учения, Минск",
    "17:14Госдума приняла в первом чтении закон о семьях",  # a news ticker's row, its time glued on
    # raw markup
    '<script async custom-element="amp-video" src="https://cdn.example.org/v0/amp-video.js"></script>',
    '<div class="banner"></div>',
    "<!-- banner -->",
    '<iframe src="https://example.org/embed" width="600"',
    # update stamps
    "Обновлено в 13:12",
    "Последнее обновление: 21.10.2023 09:41",
    "Last updated: 14 May 2021, 10:05 GMT",
    "МнениеПолитикаОбновлено в 17:45",
    "Изменено: 12.03.2024 10:15",
]


@pytest.mark.parametrize("line", CHROME)
def test_chrome_lines_are_dropped(line: str) -> None:
    assert _lines(f"{LEAD}\n{line}\n{EN_LEAD}") == [LEAD, EN_LEAD]


LOOKALIKES = [
    # a temperature in a story or a headline
    "Морозы до -30°C ожидаются на севере страны",
    "В Минске днём до +5°C, сообщили синоптики.",
    "Temperatures drop to -30°C across the northern regions",
    # a score, a search, a login in a story
    "Счёт: 2 - 1",
    "Итог матча: +5 в пользу хозяев",
    "Поиск пропавших альпинистов продолжается в горах",
    "Search for missing climbers continues in the mountains",
    "Войти в историю: как учения изменили армию",
    "Russia will not let us down, the minister said in Minsk.",
    # arrows and slashes that are no trail
    "«Москва → Пекин»: новый маршрут открыт",
    "Учения «Кобальт» » начались",
    "CSTO exercises begin in the south | Agency",
    "Армения / Азербайджан",
    "30 / 4 / 2024",
    # a weekday with its year is the page's date; "updated" in a sentence
    "Понедельник, 23 Февраля, 2026 года",
    "The list was updated on 12 March 2024 to include the new members.",
    "Обновлено 5 положений устава",
    "The rules were modified on 12 March 2024 by the council.",
]


@pytest.mark.parametrize("line", LOOKALIKES)
def test_look_alike_headlines_and_sentences_are_kept(line: str) -> None:
    assert _lines(f"{LEAD}\n{line}\n{EN_LEAD}") == [LEAD, line, EN_LEAD]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ('<p class="lead">Учения прошли в горах.</p>', "Учения прошли в горах."),
        ("Учения прошли <b>в горах</b> на юге.", "Учения прошли в горах на юге."),
        ("<script>var x = 1;</script>Учения прошли в горах.", "Учения прошли в горах."),
        ("Итоги года <ОДКБ> и планы", "Итоги года <ОДКБ> и планы"),  # no Latin tag name: no markup
        ("Опубликовано: 20.10.2023 10:00 Обновлено: 21.10.2023 09:41", "Опубликовано: 20.10.2023 10:00"),
        (
            "IMG-20190301-WA0012.jpgIn the period from 26 February the operation ran.",
            "In the period from 26 February the operation ran.",
        ),
        ("Tекст: Иван Сидоров", None),  # a byline with a Latin "T" is a byline
    ],
)
def test_markup_stamps_and_file_names_leave_the_text(line: str, kept: str | None) -> None:
    assert _lines(line) == ([kept] if kept is not None else [])


def test_a_weather_widget_is_not_the_headline() -> None:
    page = f"Город Сплошная облачность +5°C\n29 марта 2024, 11:32\n\nУчения прошли в горах Памира\n\n{LEAD}\n"
    (item,) = parse_page(page, lexicon()).items
    assert item.headline == "Учения прошли в горах Памира"
    assert item.date == dt.date(2024, 3, 29)


def test_the_sites_clock_beside_its_weather_dates_no_story() -> None:
    page = (
        "Понедельник, 23 Февраля, 2026 года\n|\nВ Заречье: +6 °C\n\n"
        "Штаб провёл учения в горах\n\nШтаб провёл учения в горах\n\n"
        f"{LEAD} Совещание прошло 14 февраля 2023 года.\n"
    )
    (item,) = parse_page(page, lexicon()).items
    assert item.headline == "Штаб провёл учения в горах"
    assert item.date != dt.date(2026, 2, 23)


@pytest.mark.parametrize(
    "chrome",
    [
        "Размер текста: - o +",
        "Вечерние Известия → Армия",
        '<script async src="https://example.org/a.js"></script>',
    ],
)
def test_a_widget_trail_or_tag_over_the_title_is_not_the_headline(chrome: str) -> None:
    page = f"{chrome}\n\nШтаб провёл учения в горах\n\n{LEAD}\n\n{LEAD}\n"
    (item,) = parse_page(page, lexicon()).items
    assert item.headline == "Штаб провёл учения в горах"


@pytest.mark.parametrize(
    "chrome", ["Войти в почту", "Поиск по сайту", "вторник, апрель 30", "Обновлено в 13:12"]
)
def test_a_widget_above_the_story_is_no_item(chrome: str) -> None:
    page = f"{chrome}\n\nШтаб провёл учения в горах\n\n{LEAD}\n"
    items = parse_page(page, lexicon()).items
    assert [item.headline for item in items] == ["Штаб провёл учения в горах"]


def test_the_sites_header_above_its_search_or_login_button_is_no_item() -> None:
    page = (
        "RUS\nВзгляд на мир из окна нашего института\nRUS\nПоиск по сайту\nПубликации\n\n"
        f"Итоги председательства в организации за год\n\n4 декабря 2023\n\n{LEAD}\n"
    )
    (item,) = parse_page(page, lexicon()).items
    assert item.headline == "Итоги председательства в организации за год"
    assert item.date == dt.date(2023, 12, 4)


def test_a_story_above_a_search_button_reads_on() -> None:
    page = f"Штаб провёл учения в горах\n\n{LEAD}\n\nПоиск по сайту\n\nИтоги года в организации\n\n{LEAD}\n"
    headlines = [item.headline for item in parse_page(page, lexicon()).items]
    assert headlines[0] == "Штаб провёл учения в горах"


def test_an_update_stamp_dates_no_item() -> None:
    page = f"Последнее обновление: 23.11.2024 14:59\n\nШтаб провёл учения в горах\n\n{LEAD}\n"
    items = parse_page(page, lexicon()).items
    assert [(item.headline, item.date) for item in items] == [("Штаб провёл учения в горах", None)]


def test_a_clock_stamp_with_its_zone_heads_no_story() -> None:
    page = (
        "Ministers approve the joint training plan\n\nPolitics & Defence\n"
        "June 3, 09:15 UTC+3 MINSK\n2 pages in this article\n\n"
        f"MINSK, June 3. /Agency/. {EN_LEAD}\n\n{EN_LEAD}\n"
    )
    (item,) = parse_page(page, lexicon()).items
    assert item.headline == "Ministers approve the joint training plan"
    assert "UTC" not in item.body and "pages in this article" not in item.body


def _page_lines(text: str) -> list[str]:
    return as_the_page_means(*clean_lines_with_gaps(text, vocab_for(lexicon())))[0]


def test_a_tag_line_under_the_last_paragraph_is_dropped() -> None:
    assert _page_lines(f"Ministers approve the plan\n\n{EN_LEAD}\n\nCyber security\n") == [
        "Ministers approve the plan",
        EN_LEAD,
    ]


@pytest.mark.parametrize(
    ("lead", "last"),
    [
        (EN_LEAD, "The Russian Defence Ministry"),
        (EN_LEAD, "During t"),
        (EN_LEAD, "Ministers approve the plan."),
        (LEAD, "Одновременно ведётся"),  # a Russian paragraph the excerpt cut: Russian tags are labelled
    ],
)
def test_a_cut_headline_or_sentence_at_the_end_is_kept(lead: str, last: str) -> None:
    assert _page_lines(f"Ministers approve the plan\n\n{lead}\n\n{last}\n")[-1] == last


def test_chrome_rules_stay_linear_on_hostile_lines() -> None:
    hostile = "\n".join(
        [
            "<a " + "x" * 50_000,
            "<b>" * 20_000,
            "Обновлено 1" + " 1" * 20_000,
            "Главная » " * 5_000,
            "+5°C " * 10_000,
        ]
    )
    started = time.perf_counter()
    _lines(hostile)
    assert time.perf_counter() - started < 5.0


# ---------------------------------------------------------------------------- real pages


def _real_pages() -> list[tuple[str, str]]:
    if REAL is None:
        return []
    return [
        (f"{lang}/{path.name}", path.read_text(encoding="utf-8", errors="replace"))
        for lang in ("en", "ru")
        for path in sorted((REAL / lang).glob("*.txt"))
    ]


def test_real_pages_have_no_chrome_headline_or_item() -> None:
    pages = _real_pages()
    if not pages:
        pytest.skip("../shared/real-pages is absent")
    for name, text in pages:
        for item in parse_page(text, lexicon()).items:
            assert not is_chrome(item.headline), (name, item.headline)
            assert not any(is_chrome(line) for line in item.body.split("\n") if line), name


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("- Ирина Ковалева", True),  # a byline set off by a dash
        ("Ирина Ковалева 38 0", True),  # before the counters of reads and comments
        ("Ирина Ковалева (редактор отдела «Мир»)", True),  # with the author's role
        ("Павел Орлов Автор: Павел Орлов Редактор сайта", True),  # a byline card: name, then the label
        ("Indestructible Brotherhood 2024", False),  # an exercise and its year
        ("Vladimir Putin (President of Russia)", False),  # a person of the story, with his office
        ("- Иванов Иван Иванович, министр обороны", False),  # a list entry with its office
    ],
)
def test_a_byline_of_a_name_alone_is_dropped(line: str, expected: bool) -> None:
    assert is_debris(line) is expected


def test_a_byline_card_that_writes_the_name_twice_names_no_person() -> None:
    page = (
        "Министры обороны проведут учения осенью\n"
        "Ирина Ковалева\n"
        "Ирина Ковалева (редактор отдела «Мир»)\n"
        "Министры обороны стран договорились провести учения осенью следующего года, сообщили в штабе.\n"
    )
    lines, _ = clean_lines_with_gaps(page, vocab_for(lexicon()))
    assert not any("Ковалева" in line for line in lines)
