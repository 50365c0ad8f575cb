"""Layouts of news pages: bylines and a dateline's reporter are no people, a lead repeated in the body or
a teaser closed by "read more" is one story, and no date comes from a quotation or a site's clock."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bench import quality
from bot.corpus.clean import clean_lines
from bot.corpus.dates import event_date
from bot.corpus.model import Lexicon, ParsedItem
from bot.corpus.page import parse_page
from bot.corpus.vocab import vocab_for
from tests.corpus_fixtures import bare_items, real_page

LEX = Lexicon()
REAL = quality.default_corpus()  # ../shared/real-pages, when present


_real = real_page
_items = bare_items


def _people(items: list[ParsedItem]) -> set[str]:
    return {p.name for item in items for p in item.people}


@pytest.mark.parametrize(
    "byline",
    [
        "Автор: Ольга Смирнова",
        "Автор текста: Ольга Смирнова",
        "Author: Olga Smirnova, columnist of a weekly journal.",
    ],
)
def test_a_byline_is_no_person_of_the_story(byline: str) -> None:
    text = (
        "Генеральный секретарь ОДКБ Пётр Сидоров провёл встречу с делегацией соседнего государства.\n"
        "Стороны обсудили подготовку совместных учений штабов в горах и на равнине.\n"
        f"{byline}"
    )
    items = _items(text)
    assert len(items) == 1
    assert "Пётр Сидоров" in _people(items)
    assert not {"Ольга Смирнова", "Olga Smirnova"} & _people(items)
    assert "Смирнова" not in items[0].body and "Smirnova" not in items[0].body


@pytest.mark.parametrize(
    ("opening", "agency"),
    [
        ("Самара, 5 мая. (Агентство «Вестник», Ольга Смирнова). — ", "(Агентство «Вестник»)"),
        ("5 мая, Самара /Ольга Смирнова - ВЕСТНИК/. ", "/ВЕСТНИК/"),
    ],
)
def test_the_reporter_of_an_agency_dateline_is_no_person_of_the_story(opening: str, agency: str) -> None:
    text = (
        "ШТАБЫ ПОДВЕЛИ ИТОГИ ГОДА\n"
        f"{opening}Генеральный секретарь ОДКБ Пётр Сидоров рассказал о проведённых за год учениях штабов."
    )
    items = _items(text)
    assert "Пётр Сидоров" in _people(items)
    assert "Ольга Смирнова" not in _people(items)
    assert agency in items[-1].body  # the agency stays in the story's text


def test_a_dateline_credit_of_names_only_is_left_as_written() -> None:
    line = "Самара, 5 мая. (Ольга Смирнова, Иван Петров). — Штабы подвели итоги года."
    assert clean_lines(line, vocab_for(LEX)) == [line]


def test_a_body_paragraph_repeating_a_sentence_of_the_lead_is_the_same_story() -> None:
    repeated = "Учения штабов проходили с 3 по 7 июня текущего года на полигонах трёх государств."
    text = (
        "05.07.2024\n"
        f"Начальник штаба подвёл итоги совместных учений в горах. {repeated} В учениях участвовали "
        "подразделения пограничных войск, органов безопасности и внутренних дел, а также наблюдатели от "
        "соседних государств и международных организаций, приглашённые штабом. На итоговом совещании "
        "руководители делегаций отметили слаженность действий подразделений и высокий уровень\n"
        f"{repeated} Для руководства учениями был развёрнут пункт управления, на который прибыли офицеры "
        "штабов всех государств, а также представители министерств обороны и пограничных ведомств. "
        "Офицеры отработали вопросы планирования и управления силами в ходе совместной операции, а "
        "также взаимодействия с органами"
    )
    [only] = _items(text)
    assert only.date == dt.date(2024, 7, 5)
    assert only.headline.startswith("Начальник штаба подвёл итоги")


def test_two_paragraphs_of_a_teaser_closed_by_read_more_are_one_story() -> None:
    text = (
        "2019-2-4 11:05 |\n"
        "31 января 2019 года завершился срок полномочий председателя совета штабов, назначенного "
        "решением совета от 20 декабря 2017 года.\n"
        "Как сообщила пресс-служба, исполнение обязанностей председателя с 1 февраля 2019 года возложено "
        "на его заместителя … Читать далее →."
    )
    [only] = _items(text)
    assert only.date == dt.date(2019, 2, 4)
    assert only.headline.startswith("31 января 2019 года завершился")
    assert "Читать далее" not in only.body


def test_a_date_inside_a_quotation_never_dates_the_item() -> None:
    text = (
        "Председатель совета пригласил министров обороны государств Организации на учения штабов.\n"
        '"Мы ждём вас на полигоне 14 августа 2025 года и покажем слаженность подразделений", - сказал '
        "председатель на встрече с министрами.\n"
        "Министры поддержали предложение провести учения в горах."
    )
    [only] = _items(text)
    assert only.date is None


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        (
            "He said: “we will meet again on 9 May 2025”, and on 3 May 2025 the talks ended.",
            dt.date(2025, 5, 3),
        ),
        ("«Встретимся 9 мая 2025 года», — сказал он 3 мая 2025 года.", dt.date(2025, 5, 3)),
        ('"We meet on 9 May 2025 in the capital.', None),  # a quoted speech that goes on
        ("The «Shield-2025» exercise ended on 9 May 2025.", dt.date(2025, 5, 9)),  # a name in quotes
    ],
)
def test_event_dates_skip_quoted_words(sentence: str, date: dt.date | None) -> None:
    assert event_date(sentence) == date


def test_a_clock_widget_shown_twice_dates_no_story_but_a_doubled_date_line_does() -> None:
    story = (
        "Учения штабов пройдут в два этапа в горах и на равнине, сообщили в штабе Организации.\n"
        "На первом этапе штабы отработают управление силами на удалении от пунктов базирования.\n"
        "На втором этапе подразделения выполнят стрельбы на полигоне"
    )
    [widget] = _items(f"Самара\n5 мая 2026 / 07:15\nСамара\n5 мая 2026 / 07:15\n{story}")
    assert widget.date is None
    [header] = _items(f"05.05.2024\n05.05.2024\n{story}")
    assert header.date == dt.date(2024, 5, 5)


def test_a_title_ending_with_a_full_stop_over_a_doubled_date_line_heads_its_story() -> None:
    text = (
        "12.04.2024\n\n"
        "On 12 April 2024, the staffs of the member states held a meeting on the results of the exercise.\n\n\n"
        "Cooperation of the staffs: results of the year. The interview of the Chief of Staff to a journal.\n\n"
        "07.02.2019\n\n07.02.2019\n\n"
        "Author: Olga Smirnova, columnist of a weekly journal.\n\n\n"
        "The staffs of the member states met several times in the year to plan their joint exercises.\n\n"
        "The first of them took place in the mountains, the second in the plains near the border, where "
        "the units\n\n"
        "In the course of the exercise the units practised the defence of"
    )
    items = _items(text)
    assert [(i.kind, i.date) for i in items] == [
        ("teaser", dt.date(2024, 4, 12)),
        ("article", dt.date(2019, 2, 7)),
    ]
    assert items[1].headline.startswith("Cooperation of the staffs: results of the year.")
    assert "07.02.2019" not in items[1].body and "Smirnova" not in items[1].body


def test_the_new_line_rules_stay_linear() -> None:
    hostile = "\n".join(
        [
            "Самара, 5 мая. (" + "Ольга Смирнова, " * 5_000 + ")",
            "Автор: " + "Ольга " * 10_000,
            "Читать далее " * 10_000 + "→",
            "\u00ab" * 20_000 + " 9 мая 2025 года" + "\u201c" * 20_000,
            '"' * 40_000 + " 9 мая 2025 года.",
            ("Повтор одного и того же предложения в тексте. " * 3_000),
            ("Повтор одного и того же предложения в тексте. " * 3_000),
            "05.05.2024\nСамара\n" * 2_000,
        ]
    )
    start = time.perf_counter()
    parse_page(hostile, LEX)
    assert time.perf_counter() - start < 5.0


def test_real_pages_bylines_reporters_repeats_and_quoted_dates() -> None:
    ru055 = _real("ru/055.txt")
    author = ru055.rsplit("Автор:", 1)[1].strip()
    assert author and author not in _people(_items(ru055))
    ru058 = _real("ru/058.txt")
    reporter = ru058.split("(", 1)[1].split(")", 1)[0].rsplit(",", 1)[1].strip()
    assert reporter and reporter not in _people(_items(ru058))
    for name in ("ru/027.txt", "ru/037.txt"):  # "<day month>, <city> /<reporter> - <agency>/."
        raw = _real(name)
        reporter = raw.split("/", 1)[1].split(" - ", 1)[0].strip()
        assert reporter and reporter not in _people(_items(raw)), name
    [ru052] = _items(_real("ru/052.txt"))
    assert ru052.date == dt.date(2024, 7, 2)
    [ru057] = _items(_real("ru/057.txt"))
    assert ru057.date == dt.date(2017, 1, 3)
    [ru051] = _items(_real("ru/051.txt"))
    assert ru051.date is None
    [ru040] = _items(_real("ru/040.txt"))
    assert ru040.date is None


def test_real_page_title_over_a_doubled_date_line() -> None:
    items = _items(_real("en/029.txt"))
    assert len(items) == 3
    assert items[-1].headline.startswith("UN-CSTO") and items[-1].date == dt.date(2019, 2, 7)


def test_a_list_of_office_holders_and_links_is_one_block_under_no_headline_of_its_own() -> None:
    text = (
        "Delegation of the Northern Assembly to the Council consists of 7 deputies of the lower house and 4 "
        "members of the upper house.\n"
        "Plenipotentiary representative of the Northern Assembly: Olga Smirnova\n"
        "Website of the Northern Assembly: https://assembly.example.org/\n"
        "Delegation of the Southern Assembly to the Council consists of 6 deputies.\n"
        "Plenipotentiary representative of the Southern Assembly: Ivan Petrov\n"
        "Website of the Southern Assembly: www.south.example.org\n"
        "The Council Secretary General: Tensions on the borders will ease after the winter"
    )
    items = _items(text)
    assert [i.headline[:30] for i in items] == [
        "Delegation of the Northern Ass",
        "The Council Secretary General:",
    ]
    assert "Olga Smirnova" in items[0].body and "Ivan Petrov" in items[0].body


def test_real_pages_lists_of_delegations_then_the_cut_title() -> None:
    for name in ("en/073.txt", "en/074.txt", "en/076.txt"):
        items = _items(_real(name))
        assert len(items) == 2, name
        assert items[0].headline.startswith("Delegation") and not items[1].headline.startswith(
            "Plenipotentiary"
        )
