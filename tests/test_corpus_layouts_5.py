"""Layouts of one article that looked like a list: a title written as a sentence over its date line or
dated lede, a title over its standfirst over an agency's dateline, who else took part in the meeting at
the end of a long first sentence, and a news site's rubric between a date line and the headline. Lists of
stories in the same shapes stay lists."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from bot.corpus.split import continues_story, split_page
from tests.corpus_fixtures import bare_items

_items = bare_items


# ------------------------------------------------- a title written as a sentence over its dated lede

SPEECH_BODY = (
    "Allow me to thank the presidency of the Assembly for the invitation to speak on the work of the "
    "regional organizations.\n\n"
    "I am convinced that today's discussion will help to build new ways of working together in the "
    "region.\n\n"
    "The Council regards the Assembly as its main partner and supports its work on the basis of the "
    "Charter.\n\n"
    "In an environment of instability, old conflicts enter a hot phase. Their number is growing, and "
    "the region needs"
)


@pytest.mark.parametrize(
    ("title", "between"),
    [
        (
            "Remarks by Council Secretary General Olga Smirnova at the session of the Assembly on "
            "cooperation between regional organizations.",
            "Must read\n\n",
        ),
        ("Remarks by Council Secretary General Olga Smirnova at the session of the Assembly.", ""),
        (
            "Remarks by Council Secretary General Olga Smirnova at the session of the Assembly.",
            "By Anna Petrova\n",
        ),
        ("What will the regional organizations bring to the security of the continent?", ""),
    ],
)
def test_a_title_ending_with_a_full_stop_over_its_date_line_heads_one_article(
    title: str, between: str
) -> None:
    """A speech: title, (a label or byline), the one date line of the page, paragraphs. One item, headed
    by the title and dated by the line, not one teaser per paragraph."""
    page = f"{title}\n\n{between}March 12, 2031\n\n{SPEECH_BODY}\n"
    [item] = _items(page)
    assert item.kind == "article"
    assert item.headline.startswith(title[:60])
    assert item.date == dt.date(2031, 3, 12)
    assert "I am convinced" in item.body and "old conflicts" in item.body


SIDEBAR = (
    "Olga Smirnova, the Council Secretary General, told a news agency whether the alliance sought new "
    "members and what role the northern region plays in its work.\n\n\n"
    "From 17 to 28 June 2031, a two-week training course for senior staff of the member states was held "
    "at the Academy of the Ministry of the Interior.\n\n\n"
    "The Chairman of the Coordination Council, Deputy Minister of the Interior Ivan Petrov, summed up the "
    "results of the regional anti-drug operation in the north.\n"
)
TWO_SENTENCE_TITLE = (
    'The results of the international anti-drug operation "Channel North" were summed up in Samara. More '
    "than 5 tons of drugs were seized."
)
STORY = (
    f"{TWO_SENTENCE_TITLE}\n\n"
    'In the period from February 26 to March 1, 2031, the international anti-drug operation "Channel-North" '
    "was conducted in the member states.\n"
    "In the interests of collective security, the competent authorities worked to curb the channels of entry "
    "of synthetic drugs into the member states and their illegal distribution"
)


def test_a_two_sentence_title_over_a_lede_opening_with_its_date_heads_the_story_below_the_teasers() -> None:
    """Teasers of other news, then the page's story: a title of two short sentences over a lede that
    opens with the story's dates. The story is one item under its title, dated by its lede."""
    items = _items(f"{SIDEBAR}\n{STORY}\n")
    assert [i.kind for i in items] == ["teaser", "teaser", "teaser", "article"]
    story = items[-1]
    assert story.headline == TWO_SENTENCE_TITLE
    assert story.date == dt.date(2031, 2, 26)
    assert "curb the channels" in story.body
    assert not any(i.headline.startswith(("In the period", "In the interests")) for i in items)


def test_a_title_with_a_full_stop_over_an_agency_dateline_heads_the_story() -> None:
    page = (
        "Allied envoys agree on the plan of joint drills for next year.\n\n"
        "Must read\n\n"
        "MOSCOW, May 25. /NEWSWIRE/. Envoys of the member states agreed on the plan of joint drills for the "
        "coming year at a session in Moscow.\n\n"
        "The drills will be held in three countries of the alliance.\n\n"
        "The plan will be approved by the ministers in the autumn.\n"
    )
    [item] = _items(page)
    assert item.headline.startswith("Allied envoys agree on the plan")
    assert "three countries" in item.body


# ------------------------------------------------------------------- the same shapes, lists of stories


def test_a_list_of_teasers_with_full_stop_titles_and_their_date_lines_stays_a_list() -> None:
    page = (
        "Envoys of the member states met in Samara.\n"
        "12.03.2031\n"
        "The envoys discussed the plan of joint drills for the coming year and agreed on the venues.\n"
        "Ministers agreed on the budget of the Council.\n"
        "11.03.2031\n"
        "The ministers approved the budget of the Council for the coming year at a session in Minsk.\n"
    )
    items = _items(page)
    assert len(items) > 2
    dated = {i.headline[:20]: i.date for i in items if i.date is not None}
    assert dated == {
        "The envoys discussed": dt.date(2031, 3, 12),
        "The ministers approv": dt.date(2031, 3, 11),
    }


def test_teasers_parted_by_two_blank_lines_stay_apart_under_a_dated_lead() -> None:
    """An undated teaser, two blank lines, then another story's dated lead and more teasers: no title."""
    page = (
        "In an interview with a news site, the Council Secretary General spoke about the progress of the "
        "talks.\n\n\n"
        "On June 6, 2031, in Samara, a meeting of the Committee of Secretaries of Security Councils was held "
        "under the chairmanship of the host.\n\n"
        "A news agency reports that the foreign minister said he had good relations with the Secretary "
        "General.\n\n"
        "In Aktau, the relay race of memory passed at the monument to the soldiers of the war.\n"
    )
    items = _items(page)
    assert len(items) == 4
    assert items[1].headline.startswith("On June 6, 2031") and items[1].date == dt.date(2031, 6, 6)


def test_a_teaser_over_another_storys_dated_lead_stays_a_teaser() -> None:
    """One blank line everywhere, but the full-stop line tells another story than the dated lead below."""
    page = (
        "The Secretary General received the ambassador of a partner state at the headquarters.\n\n"
        "On June 6, 2031, in Samara, border guards of the member states finished a week of joint drills in "
        "the mountains.\n\n"
        "The drills were watched by observers from the neighbouring states and the press.\n"
    )
    items = _items(page)
    assert items[0].headline.startswith("The Secretary General received")
    assert items[0].date is None
    assert any(i.headline.startswith("On June 6, 2031") for i in items)


def test_a_list_with_one_date_line_among_its_teasers_stays_a_list() -> None:
    """Undated teasers, then one date line over another story: the teaser above the date line is no title
    of the stories below it (it tells another story)."""
    page = (
        "The Secretary General received the ambassador of a partner state at the headquarters.\n\n"
        "Border guards of the member states met in Samara to discuss the plan of joint patrols.\n\n"
        "12.03.2031\n\n"
        "The ministers approved the budget of the Council for the coming year at a session in Minsk.\n\n"
        "Rescue teams of the alliance finished their winter training in the mountains of the north.\n"
    )
    items = _items(page)
    assert len(items) == 4
    assert [i.date for i in items if i.headline.startswith("The ministers")] == [dt.date(2031, 3, 12)]


# ------------------------------------------------------ a title over a standfirst over an agency dateline


STANDFIRST_LEDE = (
    "YEREVAN, September 30. /NEWSWIRE/. The joint exercise of the allied peacekeeping forces codenamed "
    "Unbreakable Friendship is beginning in Armenia on Wednesday."
)


@pytest.mark.parametrize(
    ("standfirst", "lede"),
    [
        (
            "The drills are codenamed Unbreakable Friendship and train the peacekeeping forces for missions "
            "in the Caucasus",
            STANDFIRST_LEDE,
        ),
        (  # a quote and its speaker, whom the lede names
            "“The peacekeepers of the alliance are ready for any mission in the region, and the drills will "
            "show it,”\nCommander of the peacekeeping forces Colonel General Pavel Orlov",
            "YEREVAN, September 30. /NEWSWIRE/. Commander of the peacekeeping forces Colonel General Pavel "
            "Orlov opened the joint exercise in Armenia on Wednesday.",
        ),
    ],
)
def test_a_title_over_its_standfirst_over_the_agency_dateline_stays_the_headline(
    standfirst: str, lede: str
) -> None:
    page = (
        "All news\n\n"
        "Allied peacekeeping drills kick off in Armenia\n\n"
        f"{standfirst}\n\n{lede}\n\n"
        "The drills are held in accordance with the decision of the Council of Defense Ministers adopted in "
        "December.\n\n"
        "The exercise will involve units of the armed forces of the member states.\n"
    )
    [item] = _items(page)
    assert item.headline == "Allied peacekeeping drills kick off in Armenia"
    assert standfirst.splitlines()[0][:40] in item.body
    assert "units of the armed forces" in item.body


def test_a_link_above_the_headline_that_tells_another_story_is_no_title() -> None:
    page = (
        "Ministers of finance discuss the budget of the alliance in Minsk\n\n"
        "Allied peacekeeping drills kick off in Armenia\n\n"
        f"{STANDFIRST_LEDE}\n\n"
        "The exercise will involve units of the armed forces of the member states.\n"
    )
    assert _items(page)[-1].headline == "Allied peacekeeping drills kick off in Armenia"


# ------------------------------------------------------------- who else took part, after a long list

MINISTERS = (
    "The defense ministers of Belarus (Lieutenant General Ivan Petrov), of Kazakhstan (Colonel General "
    "Arman Bekov), of Kyrgyzstan (Lieutenant General Azamat Usenov), of Russia (Army General Oleg Marin), "
    "of Tajikistan (Colonel General Rustam Saidov), as well as the Council Secretary General Olga Smirnova "
    "and the Head of the Joint Staff Colonel General Pavel Orlov participated in the meeting."
)


def test_who_else_took_part_after_a_long_list_goes_on_with_the_dated_teaser_above() -> None:
    page = (
        "On May 24, 2031, under the chairmanship of the Minister of Defense of Armenia Aram Sargsyan, a "
        "meeting of the Council of Defense Ministers was held via videoconferencing.\n\n"
        f"{MINISTERS}\n\n"
        "The heads of the special police units of the member states held a training gathering in Samara as "
        'part of the exercise "Unbreakable Friendship-2031"\n\n'
        "On October 31, 2031, in Samara, a training gathering was held for commanders of special police "
        "units of the member states.\n"
    )
    items = _items(page)
    meeting = items[0]
    assert meeting.date == dt.date(2031, 5, 24)
    assert "participated in the meeting" in meeting.body
    assert not any(i.headline.startswith("The defense ministers") for i in items)


@pytest.mark.parametrize(
    ("line", "joins"),
    [
        (MINISTERS, True),
        ("The foreign ministers of the member states attended the meeting.", True),
        ("В заседании также приняли участие представители Секретариата.", True),
        ("Министры обороны государств приняли участие в совещании по видеосвязи.", True),
        ("В заседании Совета министров обороны приняли участие министры государств.", False),
        ("The ministers attended the meeting of the Council of Ministers in Minsk.", False),
        (MINISTERS.replace("in the meeting.", "in the meeting of the Council in Minsk."), False),
        (f"The Council met in Samara. {MINISTERS}", False),  # not the paragraph's first sentence
    ],
)
def test_took_part_in_the_meeting_points_back_in_a_long_first_sentence(line: str, joins: bool) -> None:
    assert continues_story(line) is joins


# ------------------------------------------------------------------ a rubric under a news site's date


@pytest.mark.parametrize("rubric", ["Власть", "В мире"])
def test_a_rubric_between_the_date_line_and_the_headline_keeps_the_date(rubric: str) -> None:
    page = (
        "20.03.2031 19:58\n"
        f"{rubric}\n\n"
        "Страны союза проведут совместную операцию\n\n"
        "Страны союза проведут совместную операцию\n"
        "В нынешнем году страны союза проведут масштабную операцию против наемников, сообщил заместитель "
        "генерального секретаря.\n\n"
        "Точные сроки операции он называть не стал, но уточнил, что к ней все готово.\n"
    )
    [item] = _items(page)
    assert item.headline == "Страны союза проведут совместную операцию"
    assert item.date == dt.date(2031, 3, 20)


# -------------------------------------------------------------------------------------------- speed


def test_the_title_rules_stay_linear_on_a_long_page_of_sentences() -> None:
    """Thousands of title-sized sentences, one date line among them and a lead dated by its day near the
    end: each rule reads each line a bounded number of times."""
    lines = [f"Envoys of the member states met in the city number {n} of the region." for n in range(10_000)]
    lines[5_000] = "12.03.2031"
    lines[-2] = "On June 6, in Samara, envoys of the member states met again in the city of the region."
    start = time.perf_counter()
    blocks = split_page(lines, [1] * len(lines))
    assert time.perf_counter() - start < 10.0
    assert blocks[-1].headline_line == lines[4_999]  # the title over the page's one date line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("He spoke about new laws against foreign interference in elections", True),
        ("They agreed to meet again in the autumn", True),
        ("Он рассказал о новых законах", True),
        ("Heads of state met in the capital", False),  # no pronoun
        ("Her Majesty's envoy arrived in Minsk", False),  # a title, not a pronoun for someone above
    ],
)
def test_a_line_whose_subject_is_a_pronoun_goes_on_with_the_story_above(line: str, expected: bool) -> None:
    """In a list of stories one a line, "He informed ..." tells more of the story above: no story opens so."""
    assert continues_story(line) is expected


def test_a_date_line_under_a_standfirst_dates_the_story_not_the_dates_it_names() -> None:
    page = (
        "Министерство прокомментировало предстоящие учения\n"
        "Страна примет участие в учениях на территории соседней республики с 12 по 16 октября 2031 года.\n"
        "14:41 16.09.2031\n"
        "«Учения не связаны с политической ситуацией», — заявили в министерстве.\n"
        "В этом году в них примут участие несколько наблюдателей от страны.\n"
    )
    [item] = _items(page)
    assert item.headline == "Министерство прокомментировало предстоящие учения"
    assert item.date == dt.date(2031, 9, 16)
    assert "16.09.2031" not in item.body and item.body.startswith("Страна примет участие")
