"""Layouts of CSTO and Russian news pages beyond the labelled ones: glued date lines and image names,
sidebar teasers above an article, a scraper's date stamp, time-first date lines, agency datelines,
site furniture, subtitles, exclaimed titles and list entries. The pages here are made up."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bench import quality
from bot.corpus import dates
from bot.corpus.clean import clean_lines
from bot.corpus.dates import date_line
from bot.corpus.model import DATE_LINE, Lexicon
from bot.corpus.page import parse_page
from bot.corpus.vocab import vocab_for
from tests.corpus_fixtures import bare_items, real_page

LEX = Lexicon()
REAL = quality.default_corpus()  # ../shared/real-pages, when present


_real = real_page
_items = bare_items


SIDEBAR_THEN_ARTICLE = (
    "News of the Organization\n\n"
    "04.02.2022\n"
    "On 4 February 2022, the Deputy Secretary General received the ambassador of a member state.\n\n"
    "11.01.2022On January 14, 2022, the Council of Ministers will meet by video link to discuss the "
    "situation on the southern borders.\n\n"
    'The results of the exercise "Mountain Shield" were discussed in Osh\n\n'
    "IMG-20210915-WA0007.jpgIn the period from September 13 to 16, 2021, the staffs of the member states "
    'discussed the results of the exercise "Mountain Shield" in the city of Osh.'
)


def test_sidebar_teasers_with_glued_date_lines_then_the_article() -> None:
    items = _items(SIDEBAR_THEN_ARTICLE)
    assert [(i.kind, i.date) for i in items] == [
        ("teaser", dt.date(2022, 2, 4)),
        ("teaser", dt.date(2022, 1, 11)),  # its date line, glued to it, not the meeting it announces
        ("article", dt.date(2021, 9, 13)),
    ]
    assert items[1].headline.startswith("On January 14, 2022")
    assert items[2].headline.startswith('The results of the exercise "Mountain Shield"')
    assert items[2].body.startswith("In the period from September 13")  # no image file name
    assert all("News of the Organization" not in i.headline for i in items)


NEWS_SITE_PAGE = (
    " date 2024-03-05 Рейтинг@Mail.ru\n"
    "Учения «Горный щит» завершились в Оше\n"
    "18:05 05.03.2024\n"
    "Учения «Горный щит» завершились в Оше\n"
    "ОШ, 5 мар - РИА Новости. Штабы государств Организации подвели итоги учений «Горный щит», "
    "сообщил представитель штаба.\n"
    "256\n"
    "0\n"
    "{{item.group_date}}\n"
    "Show more\n"
    "Поделиться\n"
    "Читайте также\n"
)


def test_a_russian_news_page_with_its_stamp_counters_and_repeated_headline_is_one_item() -> None:
    [only] = _items(NEWS_SITE_PAGE)
    assert only.headline == "Учения «Горный щит» завершились в Оше"
    assert only.date == dt.date(2024, 3, 5) and only.date_evidence == DATE_LINE
    assert only.body.startswith("ОШ, 5 мар - РИА Новости.")
    for debris in ("Рейтинг", "date 2024", "256", "{{", "Show more", "Поделиться", "Читайте"):
        assert debris not in only.body


def test_a_stamp_in_front_of_the_lead_dates_the_story_and_is_no_text_of_it() -> None:
    text = (
        " date 2024-06-11 На полигоне в горах началась активная фаза учений «Горный щит»\n\n"
        "Сценарий учений предполагает отражение нападения условного противника в горной местности.\n\n"
        "В церемонии открытия приняли участие командиры подразделений государств Организации.\n\n"
        "Командующий отметил, что главная цель учений - проверка слаженности действий штабов."
    )
    [only] = _items(text)
    assert only.headline.startswith("На полигоне в горах")
    assert only.date == dt.date(2024, 6, 11)
    assert "date" not in only.summary and "2024-06-11" not in only.body


def test_a_stamp_with_no_day_dates_nothing_and_is_no_text_of_the_lead() -> None:
    text = (
        " date 2024-06 На полигоне в горах началась активная фаза учений «Горный щит»\n\n"
        "Сценарий учений предполагает отражение нападения условного противника в горной местности.\n\n"
        "В церемонии открытия приняли участие командиры подразделений государств Организации."
    )
    [only] = _items(text)
    assert only.headline.startswith("На полигоне в горах")
    assert only.date is None and "2024-06" not in only.body


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("20:42 24.11.2025", dt.date(2025, 11, 24)),
        ("13 марта 2026 / 06:02", dt.date(2026, 3, 13)),
        (
            "11:20 12.02.2026 Источник: агентство новостей соседнего государства, отдел обороны",
            dt.date(2026, 2, 12),
        ),
        ("2017-1-3 18:25 |", dt.date(2017, 1, 3)),
    ],
)
def test_date_lines_of_news_sites(line: str, date: dt.date) -> None:
    assert date_line(line) == date


def test_bullet_dates_and_times_are_a_date_line_and_no_item() -> None:
    text = (
        "Штабы подвели итоги учений в горах\n"
        "• 24 ноября, 2025\n"
        "• 14:33\n"
        "Штабы государств Организации подвели итоги учений в горах и отметили слаженность действий."
    )
    [only] = _items(text)
    assert only.date == dt.date(2025, 11, 24)
    assert "14:33" not in only.body


def test_a_date_and_time_line_is_no_headline() -> None:
    text = (
        "Москва\n13 марта 2026 / 06:02\nМосква\n13 марта 2026 / 06:02\nКотировки\nUSD\n13/03\n79.0671\n"
        "Ежегодные учения штабов государств Организации пройдут в два этапа в горах и на равнине.\n"
        "На первом этапе штабы отработают управление силами на удалении от пунктов базирования.\n"
        "На втором этапе подразделения выполнят боевые стрельбы на полигоне в горах при поддержке авиации"
    )
    [only] = _items(text)
    assert only.headline.startswith("Ежегодные учения штабов")
    assert only.date is None  # the site's clock widget (shown twice) tells today's date, not the story's


@pytest.mark.parametrize(
    "sentence",
    [
        "МОСКВА, 24 ноя - РИА Новости.",
        "БИШКЕК, 3 сен — Sputnik.",
        "20 декабря, Москва /Иван Петров - БЕЛТА/.",
    ],
)
def test_agency_datelines_are_read(sentence: str) -> None:
    assert dates.dateline(sentence) is not None
    assert dates.dateline("3 May the team left.") is None


def test_an_agency_dateline_is_no_headline_and_takes_no_day_from_another_event() -> None:
    text = (
        "БИШКЕК, 13 янв - РИА Новости. Председателем постоянного совета Организации на 2026 год стал "
        "представитель соседнего государства, сообщила пресс-служба.\n"
        "Первое заседание совета в 2026 году пройдет в Москве, отметили в секретариате 2 февраля 2026 года.\n"
        "Совет рассмотрит план работы на год и вопросы подготовки сессии."
    )
    [only] = _items(text)
    assert only.headline.startswith("Председателем постоянного совета")
    # "2 февраля 2026" names a later event: the dateline's day, in the one year the story names
    assert only.date == dt.date(2026, 1, 13)


def test_site_furniture_lines_are_dropped() -> None:
    vocab = vocab_for(LEX)
    lines = [
        "{{item.group_date}}",
        "Show more",
        "Share",
        "Read also",
        "256",
        "0",
        "1 880",
        "20:17",
        "кнопка меню закрыть",
        '<image>data:image/s3,"s3://crabby-images/5ca8c/5ca8c4e2ad7a1fa7e4bd0d61d7cd1c0ff9e8b7f1" alt=""</image>',
        "![](photo.jpg)",
    ]
    assert clean_lines("\n".join([*lines, "The Council met in Minsk."]), vocab) == [
        "The Council met in Minsk."
    ]
    assert clean_lines("07.07.2025", vocab) == ["07.07.2025"]  # a date line is no counter


def test_a_title_over_its_subtitle_heads_the_article() -> None:
    text = (
        "The Secretary General received the ambassador of a member state in the Secretariat.\n\n"
        "Meeting of the Council of Defence Ministers March 3, 2016, Minsk\n\n"
        "On the results of the meeting of the Council of Defence Ministers in Minsk on March 3, 2016\n\n"
        "The Council of Defence Ministers, held in Minsk, completed its work and adopted decisions.\n\n"
        "The ministers discussed the training of the collective forces for the coming year."
    )
    items = _items(text)
    assert [i.headline for i in items][1].startswith("Meeting of the Council of Defence Ministers March 3")
    assert len(items) == 2 and items[1].date == dt.date(2016, 3, 3)


@pytest.mark.parametrize(
    "title", ["The Day of the Defender is near!", '"The Day of the Defender", that unites ...']
)
def test_a_short_exclaimed_title_heads_the_cut_story_below_it(title: str) -> None:
    text = (
        "The Secretary General received the ambassador of a member state in the Secretariat.\n\n"
        f"{title}\n\n"
        "At the headquarters of the Joint Staff, under the leadership of the chief of staff, a solemn meeting "
        "of the officers of the member states was held on the eve of the holida"
    )
    items = _items(text)
    assert [i.headline for i in items] == [
        "The Secretary General received the ambassador of a member state in the Secretariat.",
        title,
    ]
    assert items[1].body.startswith("At the headquarters")


def test_asides_numbered_entries_and_breadcrumbs_are_no_headlines() -> None:
    staff = (
        "The Secretariat is the permanent working body of the Organization and supports its bodies.\n\n"
        "The Secretariat includes the following units:\n\n"
        "1. Political cooperation. Head of Department Ivan Petrov (Republic of Belarus)\n\n"
        "2. Military cooperation. Head of Department Pavel Sidorov (Russian Federation)\n\n"
        "The number of posts is assigned to the member states in proportion to their contributions."
    )
    assert len(_items(staff)) == 1
    charter = (
        "dated May 14, 2004\n"
        "(as amended by the Protocol of May 14, 2004, signed on June 2, 2009)\n"
        "The member states of the Treaty, acting under the Charter of the United Nations,\n"
        "have agreed as follows:"
    )
    [only] = _items(charter)
    assert only.date == dt.date(2004, 5, 14) and not only.headline.startswith("(")
    trail = (
        "Домой Новости Штабы подвели итоги учений в горах\n\n"
        "Штабы подвели итоги учений в горах\n\n"
        "Штабы государств Организации подвели итоги учений в горах и отметили слаженность действий."
    )
    [only] = _items(trail)
    assert only.headline == "Штабы подвели итоги учений в горах"


def test_real_russian_stamped_pages_read_whole() -> None:
    for name in ("ru/042.txt", "ru/043.txt", "ru/046.txt"):
        items = _items(_real(name))
        assert len(items) == 1 and not items[0].headline.startswith("date"), name
    [only] = _items(_real("ru/040.txt"))
    assert not only.headline[:1].isdigit()


def test_glued_and_stamped_lines_stay_linear() -> None:
    """Long runs of what the new rules look at (a digit-and-dot run, stamps, image-name lookalikes,
    datelines) cost no more than linear time."""
    hostile = "\n".join(
        [
            "1." * 20_000 + "2020A",
            "date 2020-01-01 " * 5_000,
            "x" * 50_000 + ".jpgA",
            ("МОСКВА, 24 ноя - " * 5_000) + ".",
            "• " + "1" * 50_000,
        ]
    )
    start = time.perf_counter()
    parse_page(hostile, LEX)
    assert time.perf_counter() - start < 5.0


def test_a_title_ending_with_a_full_stop_repeated_with_its_date_heads_the_article() -> None:
    text = (
        "08.02.2023\n"
        "On 8 February 2023, the Secretariat hosted a seminar for the press services of the member states.\n"
        "Interview of the Secretary General to a news agency.\n"
        "Interview of the Secretary General to a news agency. 16.03.2023\n"
        "What the Organization has achieved in its first years\n"
        "— How do you assess the results of the Organization's work since the Treaty entered into force on "
        "20 April 1994?"
    )
    items = _items(text)
    assert [(i.kind, i.date) for i in items] == [
        ("teaser", dt.date(2023, 2, 8)),
        ("article", dt.date(2023, 3, 16)),
    ]
    assert items[1].headline == "Interview of the Secretary General to a news agency."


def test_the_first_line_of_a_page_heads_it_though_it_opens_like_a_back_reference() -> None:
    text = (
        "At the meeting of the Permanent Council, a plan was agreed to carry out the decisions of the session\n\n\n"
        "   March 3, this year. A meeting of the Permanent Council was held in Moscow under the chairmanship "
        "of the representative of the presiding state, to carry out the decisions of the session.\n\n"
        "   The draft plan was prepared by the Secretariat together with the member states.\n\n\n"
        "Press secretary Ivan Petrov"
    )
    [only] = _items(text)
    assert only.headline.startswith("At the meeting of the Permanent Council, a plan was agreed")


def test_a_quote_and_its_attribution_stay_in_the_story() -> None:
    text = (
        "В горах прошли антитеррористические учения, в которых приняла участие делегация штаба.\n"
        '"Делегация штаба по приглашению принимающей стороны наблюдала за ходом учений в горах"\n'
        "– пресс-служба штаба\n"
        "Учения проводились на полигоне в горах. В заключительной фазе участвовали спецподразделения.\n"
        '"За действиями подразделений наблюдали делегации государств и международных организаций"\n'
        "– штаб Организации\n"
        "Целью учений было укрепление сотрудничества в области безопасности и борьбы с терроризмом."
    )
    [only] = _items(text)
    assert only.headline.startswith("В горах прошли антитеррористические учения")


@pytest.mark.parametrize(
    ("dateline_text", "date"),
    [("ОШ, 5 мар - РИА Новости.", None), ("ОШ, 5 марта 2024 - РИА Новости.", dt.date(2024, 3, 5))],
)
def test_an_agency_story_is_dated_by_its_dateline_not_by_the_events_it_names(
    dateline_text: str, date: dt.date | None
) -> None:
    text = (
        f"{dateline_text} Исполнять обязанности председателя совета с 1 января 2025 года будет представитель "
        "соседнего государства, сообщили в секретариате.\n"
        "Штабы подвели итоги учений в горах\n"
        "Штабы государств Организации подвели итоги учений в горах и отметили слаженность действий."
    )
    first = _items(text)[0]
    assert first.headline.startswith("Исполнять обязанности председателя")
    assert first.date == date


def test_a_by_line_with_its_day_and_time_is_no_item_and_a_photo_credit_no_headline() -> None:
    text = (
        "Union forces hold a joint command-staff exercise. Image: union.example/Official\n\n"
        "By Anna Orlova \u2022 01 October 2031 \u2022 14:16\n\n"
        "The joint command-staff exercise of the union's rapid reaction forces began on Saturday at a "
        "training ground in the south, the ministry said.\n\n"
        "More than a thousand troops from four states take part in the exercise, the ministry added."
    )
    [only] = _items(text)
    assert only.headline == "Union forces hold a joint command-staff exercise."
    assert "Orlova" not in only.body and "Image" not in only.body
