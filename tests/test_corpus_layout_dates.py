"""Layouts and dates of real CSTO and Russian news pages: which lines are one story, which date is the
item's own, and which date the store keeps for an item met on several pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bench import quality
from bot.corpus.dates import event_date, first_date
from bot.corpus.model import DATE_IN_TEXT, DATE_LINE, Lexicon, ParsedItem
from bot.corpus.page import parse_page
from bot.store import DocumentChange, Store

REAL = quality.default_corpus()  # ../shared/real-pages, when present
LEX = Lexicon()


def _items(text: str) -> list[ParsedItem]:
    return list(parse_page(text, LEX).items)


def test_russian_date_with_a_comma_before_the_year() -> None:
    assert first_date("Ереван, 3 марта, 2011, 14:05 — агентство сообщает.") == dt.date(2011, 3, 3)


def test_a_date_naming_a_decision_does_not_date_the_item() -> None:
    lead = "The Council of experts was set up by the decision of the Council of 12 May 2006."
    assert event_date(lead) is None
    assert event_date("dated March 03, 2004") == dt.date(2004, 3, 3)  # a document's own header
    [only] = _items(lead)
    assert only.date is None


def test_an_article_dated_deeper_in_its_opening_paragraph() -> None:
    text = (
        "In the course of the exercise Shield, many units trained together in the mountains.\n\n"
        "To test the joint command of the member states, from 4 to 8 June 2012, the forces of three "
        "states held the exercise at the training ground near the border.\n\n"
        "The exercise ended with a review of the troops by the commanders of the three states."
    )
    [only] = _items(text)
    assert only.date == dt.date(2012, 6, 4)
    assert only.date_evidence == DATE_IN_TEXT


def test_a_lead_day_and_month_take_the_year_the_lead_states() -> None:
    text = (
        "О выпуске слушателей учебного центра\n"
        "12 марта в учебном центре состоялся первый в 2015 году выпуск слушателей из государств "
        "Организации, прошедших курс обучения."
    )
    [only] = _items(text)
    assert only.date == dt.date(2015, 3, 12)


def test_the_sides_exchanged_views_stays_with_its_story() -> None:
    text = (
        "10.05.2022\n"
        "10 мая 2022 года в Москве прошла встреча делегаций двух министерств по вопросам сотрудничества.\n"
        "Стороны обменялись мнениями по вопросам сотрудничества в рамках Организации. Особое\n"
        "09.05.2022\n"
        "9 мая 2022 года в Минске состоялось заседание рабочей группы по вопросам миграции."
    )
    items = _items(text)
    assert [i.date for i in items] == [dt.date(2022, 5, 10), dt.date(2022, 5, 9)]
    assert "Стороны обменялись" in items[0].body


def test_a_headline_and_caption_shown_again_in_the_article_are_one_item() -> None:
    title = "«Щит» над горами: учения завершены"
    caption = "Подразделения на полигоне в горах."
    text = (
        f"{title}\n{caption}\n\n{title}\n\nИтоги учений подведены в штабе\n4 апреля 2021, 10:15\n"
        f"{title}\n{caption}\n\nУчения подразделений государств прошли на горном полигоне, "
        "командиры подвели итоги и отметили слаженность действий."
    )
    items = _items(text)
    assert len(items) == 1
    assert items[0].headline == title and items[0].date == dt.date(2021, 4, 4)
    assert items[0].date_evidence == DATE_LINE


def test_an_image_file_name_is_no_part_of_the_headline() -> None:
    [only] = _items("щит.png The Council of commanders met to discuss training plans for the year.")
    assert only.headline.startswith("The Council of commanders")


def test_teasers_without_date_lines_part_where_a_paragraph_opens_with_a_full_date() -> None:
    text = (
        "In an interview with a news agency, the Secretary General spoke about the talks.\n\n"
        "On March 3, 2022, in Bishkek, a meeting of the Council of Ministers was held under the "
        "chairmanship of the Kyrgyz Republic, and the ministers adopted a statement.\n\n"
        "A news agency reports that the minister praised the cooperation with the Organization."
    )
    items = _items(text)
    assert len(items) == 3
    assert [i.date for i in items] == [None, dt.date(2022, 3, 3), None]


def _item(date: dt.date | None, evidence: int) -> ParsedItem:
    text = "On 4 May 2023, staff of the Secretariat met students of the school of diplomacy."
    return ParsedItem("k-one", "teaser", text[:40], text, text, date, 0, date_evidence=evidence)


async def _stored_date(
    tmp_path: Path, first: ParsedItem, second: ParsedItem, one_batch: bool
) -> dt.date | None:
    """The date the store keeps for one item met on two pages, read together or one after the other
    (and the first page read once more, changed)."""
    a, b = DocumentChange("a.txt", 1, 1, "a", [first]), DocumentChange("b.txt", 1, 1, "b", [second])
    store = await Store.open(tmp_path / "s.sqlite3")
    try:
        if one_batch:
            await store.apply_changes([a, b], [], queue_alerts=False)
        else:
            await store.apply_changes([a], [], queue_alerts=False)
            await store.apply_changes([b], [], queue_alerts=False)
            await store.apply_changes([dataclasses.replace(a, sha256="a2")], [], queue_alerts=False)
        detail = await store.item(1)
        assert detail is not None
        return detail.date
    finally:
        await store.close()


@pytest.mark.parametrize("one_batch", [True, False])
async def test_the_store_keeps_a_date_line_over_a_lead_date(tmp_path: Path, one_batch: bool) -> None:
    """A teaser under a date line (5 May) on one page and dated only by its lead (4 May) on another."""
    lead, line = _item(dt.date(2023, 5, 4), DATE_IN_TEXT), _item(dt.date(2023, 5, 5), DATE_LINE)
    assert await _stored_date(tmp_path, lead, line, one_batch) == dt.date(2023, 5, 5)


@pytest.mark.parametrize("one_batch", [True, False])
async def test_an_item_one_page_leaves_undated_takes_the_date_another_page_gives(
    tmp_path: Path, one_batch: bool
) -> None:
    """A teaser with no date on one page and dated by its lead on another: the item has that date,
    whichever page is read first, and a page without a date never takes it away again."""
    bare, dated = _item(None, DATE_IN_TEXT), _item(dt.date(2023, 5, 4), DATE_IN_TEXT)
    assert await _stored_date(tmp_path, bare, dated, one_batch) == dt.date(2023, 5, 4)


def _real(name: str) -> str:
    path = REAL / name if REAL is not None else None
    if path is None or not path.is_file():
        pytest.skip(f"{path} absent")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["ru/003.txt", "ru/004.txt", "ru/005.txt"])
def test_real_russian_lists_keep_a_story_one_item(name: str) -> None:
    for item in _items(_real(name)):
        assert not item.headline.startswith("Стороны обменялись")


def test_real_russian_story_shown_with_its_header_twice_is_one_item() -> None:
    items = _items(_real("ru/014.txt"))
    assert len(items) == 1 and items[0].date == dt.date(2019, 1, 25)


def test_real_operation_report_dated_in_its_opening() -> None:
    [only] = _items(_real("en/069.txt"))
    assert only.date == dt.date(2017, 10, 9)
