"""Layouts of lists of stories: who else "took part in the event" and "The <noun> ..." go on with the story
above, a period without its year dates its lead by its start, a signing date does not date an entry into
force, Cyrillic look-alike letters of an English line read as Latin, a Russian page's slashed date reads
day first, and a mistyped year is read from the one year its story names."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bench import quality
from bot.corpus.clean import as_the_page_means, clean_lines, clean_lines_with_gaps, fold_lookalikes, is_debris
from bot.corpus.dates import date_line, event_date, mistyped_year, period_day_month
from bot.corpus.model import Lexicon, ParsedItem
from bot.corpus.split import continues_story
from bot.corpus.vocab import vocab_for
from tests.corpus_fixtures import bare_items, real_page

LEX = Lexicon()
REAL = quality.default_corpus()  # ../shared/real-pages, when present


_real = real_page
_items = bare_items


# ---------------------------------------------------------------------------- made-up text, same shapes

STORIES = (
    "The Council Secretary General Olga Smirnova opened the winter training of rescue teams in the north.\n"
    "Staff officers are planning the use of the joint forces in the period from 3 to 4 September at a "
    "session of the Joint Staff in Samara.\n"
    "On September 3, 2024 in Samara, envoys of the member states held consultations on the coming summit.\n"
    "The Chief of the Joint Staff Ivan Petrov has today given a briefing on the readiness of the forces.\n"
    "Representatives of the press services of the ministries took part in the event via videoconferencing.\n"
    "The ministers have discussed the situation on the southern border"
)


def test_who_else_took_part_in_the_event_goes_on_with_the_story_above() -> None:
    items = _items(STORIES)
    assert not any(i.headline.startswith("Representatives") for i in items)
    briefing = next(i for i in items if i.headline.startswith("The Chief of the Joint Staff"))
    assert "videoconferencing" in briefing.body


def test_a_period_without_its_year_dates_the_lead_by_its_start_year_from_its_neighbours() -> None:
    planning = next(i for i in _items(STORIES) if i.headline.startswith("Staff officers"))
    assert planning.date == dt.date(2024, 9, 3)


@pytest.mark.parametrize(
    ("line", "joins"),
    [
        ("Representatives of the ministries took part in the event via videoconferencing.", True),
        ("Members of the Council also took part in the meeting.", True),
        ("В мероприятии приняли участие представители министерств обороны.", True),
        ("The delegation took part in the conference “Security in the region” in Samara.", False),
        ("The envoys took part in the meeting of the Council of Ministers in Samara.", False),
        ("The Council met in Samara. Its envoys took part in the event via video.", False),  # not its lead
    ],
)
def test_took_part_in_the_event_points_back_only_without_saying_which(line: str, joins: bool) -> None:
    assert continues_story(line) is joins


@pytest.mark.parametrize(
    ("sentence", "day_month"),
    [
        ("Plans get drafted in the period from 3 to 4 September at a session", (9, 3)),
        ("A raid took place from 11 to 15 September, this year, in order to", (9, 11)),
        ("Учения пройдут в период с 12 по 14 мая на полигоне под Самарой", (5, 12)),
        ("An operation was carried out from 11 to 15 September 2023 in the region", None),  # a full date
        ("The Council will meet on 5 May in Samara to discuss the plan", None),  # no period
    ],
)
def test_a_period_without_its_year(sentence: str, day_month: tuple[int, int] | None) -> None:
    assert period_day_month(sentence) == day_month


def test_the_signing_date_of_a_document_entering_into_force_dates_nothing() -> None:
    text = (
        "On March 28, 2023, the Council of Envoys met in Samara under the chairmanship of Olga Smirnova.\n\n"
        "In the period from 27 to 30 March 2031, officers of the allied states are trained in Samara.\n\n"
        "The Treaty on mutual aid of the allies entered into force, having been signed by the heads of "
        "state in Samara on September 16, 2021.\n\n"
        "The ministers have discussed the situation on the southern border"
    )
    treaty = next(i for i in _items(text) if i.headline.startswith("The Treaty"))
    assert treaty.date is None


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("The Treaty entered into force, having been signed by the heads of state on May 5, 2031.", None),
        ("Договор, подписанный в Самаре 5 мая 2019 года, вступил в силу.", None),
        ("The Treaty, signed on 5 May 2019, entered into force on 1 July 2020.", dt.date(2020, 7, 1)),
        ("On 1 July 2020 the Treaty signed in Samara entered into force.", dt.date(2020, 7, 1)),
    ],
)
def test_entry_into_force_is_not_dated_by_the_signing(sentence: str, date: dt.date | None) -> None:
    assert event_date(sentence) == date


def test_the_definite_noun_of_the_story_above_goes_on_with_it() -> None:
    text = (
        "In Samara, at the memorial, the relay race of memory of the victory passed through the city.\n\n\n"
        "The relay flame was lit first in the capital. The banner went to the garrison of the city.\n\n"
        "During the event, the guests remembered the soldiers who had fallen.\n\n\n"
        "On June 6, 2024, in Samara, the Council of Envoys met under the chairmanship of Olga Smirnova."
    )
    items = _items(text)
    assert [i.headline[:20] for i in items] == ["In Samara, at the me", "On June 6, 2024, in "]
    assert "relay flame" in items[0].body


def test_a_story_naming_its_own_subject_stays_apart() -> None:
    text = (
        "The Council of Envoys discussed the joint meeting plan in Samara with the member states.\n\n\n"
        "The joint meeting of the Councils of Ministers was held in Samara under Olga Smirnova.\n\n\n"
        "On June 6, 2024, in Samara, the Council of Envoys met under the chairmanship of Ivan Petrov."
    )
    assert len(_items(text)) == 3


# Cyrillic letters a reader takes for Latin ones (written as escapes: they look like the Latin ones).
CYR_XX = "\u0425\u0425"  # "ХХ", a Roman numeral typed with Cyrillic letters
CYR_O = "\u043e"  # "о"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (f"The {CYR_XX} session of the Council will be held", "The XX session of the Council will be held"),
        (f"POSITION {CYR_O} the Council of Envoys", "POSITION o the Council of Envoys"),
        ("The \u0425I session of the Council", "The XI session of the Council"),
        ("S\u0435rgey Petrov met the envoys", "Sergey Petrov met the envoys"),  # a Cyrillic "е" inside
        ("Заседание Совета ОДКБ прошло в Самаре", "Заседание Совета ОДКБ прошло в Самаре"),  # Russian: as is
    ],
)
def test_cyrillic_lookalikes_read_as_latin_in_english_text(text: str, read: str) -> None:
    assert fold_lookalikes(text) == read


def test_a_roman_numeral_in_cyrillic_letters_stays_in_the_headline() -> None:
    text = (
        "The Council Secretary General Olga Smirnova held an expert meeting with the envoys of the region.\n"
        f"The {CYR_XX} session of the Council of Envoys will be held on October 19 in Samara\n\n"
        f"On 19 October, this year, in Samara, the {CYR_XX} meeting of the Council of Envoys will be held. "
        "The meeting will take place within the programme of the exhibition.\n"
        "The draft agenda of the meeting includes the results of the Council's last meeting in Samara."
    )
    items = _items(text)
    assert [i.headline[:22] for i in items] == ["The Council Secretary ", "The XX session of the "]


def test_a_document_kind_in_capitals_over_its_lower_case_title_is_one_headline() -> None:
    text = (
        f"POSITION\n{CYR_O} the Council of Envoys of the Member States of the Organization\n"
        "1. General provisions\n"
        "1.1. These Rules set out the legal status, tasks and functions of the Council of Envoys.\n"
        "The envoys of the allied states are named in the annex, which forms part of these Rules."
    )
    items = _items(text)
    assert items[0].headline.startswith("POSITION o the Council of Envoys")
    russian = "ПОЛОЖЕНИЕ\nо Совете послов государств-членов Организации\n1. Общие положения"
    lines, gaps = as_the_page_means(*clean_lines_with_gaps(russian, vocab_for(LEX)))
    assert lines[0] == "ПОЛОЖЕНИЕ о Совете послов государств-членов Организации" and len(gaps) == len(lines)


RU_SLASHED = (
    "20-24 апреля в Самаре пройдут учения штабов\n"
    "09:24.02/03/2010, news.example.com\n"
    "Источник: Агентство Вестник\n"
    "20-24 апреля в Самаре пройдут совместные командно-штабные учения штабов округа. Об этом сообщил "
    "начальник штаба Иван Петров."
)


def test_a_slashed_date_on_a_russian_page_reads_day_first() -> None:
    [item] = _items(RU_SLASHED)
    assert item.date == dt.date(2010, 3, 2)


def test_an_ambiguous_slashed_date_on_an_english_page_dates_nothing() -> None:
    text = (
        "Staff exercises will be held in Samara in April\n"
        "09:24 02/03/2010, news.example.com\n"
        "Joint staff exercises of the district will be held in Samara. The chief of staff Ivan Petrov said so."
    )
    assert all(i.date is None for i in _items(text))


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("09:24.02.03.2010, news.example.com", dt.date(2010, 3, 2)),
        ("17.03.2016, ria.example.ru", dt.date(2016, 3, 17)),
        ("17.03.2016, Samara", dt.date(2016, 3, 17)),
        ("17.03.2016 the envoys met in Samara", None),
    ],
)
def test_date_lines_with_a_glued_time_or_a_site(line: str, date: dt.date | None) -> None:
    assert date_line(line) == date


def test_a_mistyped_year_is_the_one_year_the_story_names_that_fits() -> None:
    text = (
        "On 25 July 2024, staff of the Council met with graduates of the universities of the region.\n\n"
        "In the north, a command-staff exercise began with the contingents of the joint forces "
        "“Winter-2018”\n\n\n\n"
        "October 10, 20`8 in the north at the training ground of the training centre the exercise began"
    )
    items = _items(text)
    assert items[-1].date == dt.date(2018, 10, 10)
    assert mistyped_year("October 10, 20`8 in", 10, 10, "Winter-2018 and Summer-2008") is None  # two fit


def test_cyrillic_folding_stays_linear_on_a_hostile_line() -> None:
    hostile = ("a" * 5_000 + "\u0435 ") * 20 + "x" * 100_000
    start = time.perf_counter()
    fold_lookalikes(hostile)
    clean_lines(hostile, vocab_for(LEX))
    assert time.perf_counter() - start < 5.0


# ---------------------------------------------------------------------------------------- real pages


def _labelled(name: str) -> list[tuple[str, dt.date | None]]:
    labels = quality.load_labels(quality.label_files(None, name.split("/")[0]))
    return [(item.headline, item.date) for item in labels[name].items]


def _holder(items: list[ParsedItem], locator: str) -> ParsedItem:
    return next(i for i in items if quality._headline_holds(i.headline, locator))


@pytest.mark.parametrize("name", ["en/034.txt", "en/035.txt", "en/046.txt", "en/052.txt", "en/038.txt"])
def test_real_pages_periods_and_who_else_took_part(name: str) -> None:
    items = _items(_real(name))
    for locator, date in _labelled(name):
        assert _holder(items, locator).date == date, locator
    assert len(items) == len(_labelled(name))


@pytest.mark.parametrize(
    "name", ["en/004.txt", "en/005.txt", "en/032.txt", "en/047.txt", "en/068.txt", "ru/045.txt"]
)
def test_real_pages_read_as_labelled(name: str) -> None:
    items = _items(_real(name))
    labelled = _labelled(name)
    assert len(items) == len(labelled)
    for locator, date in labelled:
        assert _holder(items, locator).date == date, locator


# ------------------------------------------------------------- unseen news layouts (the scout's kinds)


def test_a_dash_before_a_news_sites_time_and_date_stamp_makes_it_a_date_line() -> None:
    assert date_line("- 10:46, 14 октября 2031") == dt.date(2031, 10, 14)
    assert date_line("\u2014 14 октября 2031") == dt.date(2031, 10, 14)
    assert date_line("- 2031 was a year of drills") is None


def test_a_stamp_set_off_by_a_dash_heads_no_story_and_dates_it() -> None:
    page = (
        "- 10:46, 14 октября 2031\n"
        "Городок (Вестник) - В столице 13 октября состоялась встреча секретаря совета с делегацией соседей.\n"
    )
    [item] = _items(page)
    assert item.headline.startswith("Городок (Вестник)") and item.date == dt.date(2031, 10, 14)


def test_the_windows_title_line_kept_by_a_scraper_is_no_item() -> None:
    page = (
        "Allies to hold drills in 2031 / News / News agency Example\n\n"
        "Allies to hold drills in 2031\n\n"
        "The allies agreed to hold joint drills in the mountains next year, the press office said.\n"
    )
    assert [item.headline for item in _items(page)] == ["Allies to hold drills in 2031"]


@pytest.mark.parametrize(
    ("line", "debris"),
    [
        ("The chief of the General Staff Army General Oleg Marin NEWSWIRE/Ivan Kim", True),
        ("Секретарь совета Олег Марин ВЕСТНИК/Иван Ким", True),
        ("The CSTO/UN meeting was held in New York", False),
        ("The talks continued in Minsk and Moscow.", False),
    ],
)
def test_a_photo_caption_closed_by_its_credit_is_debris(line: str, debris: bool) -> None:
    assert is_debris(line) is debris


# A made-up agency story: its dateline opens the page, and a link to another story (a title-like line,
# no final stop) stands between its paragraphs, as news sites place "see also" links.
AGENCY_STORY = (
    "ОМСК, 12 мар — Вестник. Совет министров обороны соберется в апреле для обсуждения учений, "
    "сообщил пресс-секретарь ведомства.\n"
    "Инженеры округа провели смотр новой техники\n"
    "Заседание пройдет под председательством министра обороны Армении.\n"
    "В повестку включено девять вопросов, среди них план совместной подготовки.\n"
    "Ранее стороны обсудили график учений на осень."
)


def test_a_story_opened_by_its_dateline_is_one_item_whatever_links_stand_in_it() -> None:
    """The title-like line below the dateline is a link to another story, not the headline of a second
    item: the page holds one story, whose lead is the dateline's paragraph."""
    [item] = _items(AGENCY_STORY)
    assert item.kind == "article"
    assert item.headline.startswith("Совет министров обороны соберется")
    assert "девять вопросов" in item.body


def test_a_page_of_its_own_without_a_dateline_keeps_its_headline() -> None:
    """The same page with no dateline: the title-like line over the paragraphs is the article's headline."""
    page = AGENCY_STORY.replace("ОМСК, 12 мар — Вестник. ", "")
    assert _items(page)[-1].headline == "Инженеры округа провели смотр новой техники"


def test_the_agency_story_of_a_real_page_is_one_item() -> None:
    """ru/028: a dateline, then two links to other stories among the paragraphs: one item."""
    assert len(_items(_real("ru/028.txt"))) == 1
