"""Operations and exercises as news agencies and the CSTO's sites write them on pages no rule was tuned
on: known exercise names without quotes ("the Cobalt-2025 special exercise", "Grom 2022", "the Rubezh
joint exercise", «Нерушимое братство-2026» in brackets), purposes in more phrasings, one mention per
operation in an item, and training grounds listed in quotes never taken for exercises.

The sentences are made up in the sites' shape; the lexicon is the shipped one."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.corpus import parse_page
from bot.corpus.model import OperationMention
from bot.corpus.operations import find_operations
from bot.corpus.sentences import split_sentences
from bot.corpus.vocab import vocab_for
from tests.corpus_fixtures import lexicon
from tests.rig import BotRig, running_bot, shown, single


def mentions(text: str) -> tuple[OperationMention, ...]:
    return find_operations(split_sentences(text), vocab_for(lexicon()).families)


def named(text: str) -> list[tuple[str, str, str | None, str]]:
    """(as written, family, instance, kind) of every mention."""
    return [(o.name, o.family_name, o.instance, o.kind) for o in mentions(text)]


def purposes(text: str) -> dict[str, str | None]:
    return {o.name: o.purpose for o in mentions(text)}


# ------------------------------------------------------------------------------ names without quotes


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Member states will hold the special tactical drills Kobalt-2023 for their special operations "
            "forces in Tajikistan in early May.",
            [("Kobalt-2023", "Cobalt", "2023", "exercise")],  # "operations forces" makes it no operation
        ),
        (
            "The delegations agreed on the Cobalt-2025 special exercise and will hold it in the autumn.",
            [("Cobalt-2025", "Cobalt", "2025", "exercise")],
        ),
        (
            "Sappers of four states will train during Rubezh\u20132024 in the mountains of Kyrgyzstan.",
            [("Rubezh\u20132024", "Rubezh", "2024", "exercise")],
        ),
    ],
)
def test_a_known_exercise_with_a_year_is_found_without_quotes(
    sentence: str, expected: list[tuple[str, str, str | None, str]]
) -> None:
    assert named(sentence) == expected


def test_a_list_of_transliterated_names_with_the_year_after_a_space_needs_no_kind_word() -> None:
    text = (
        "Four exercises are planned. Those are Grom 2022 [Thunder] in Armenia, Poisk 2022 [Search] and "
        "Eshelon 2022 in Belarus, and Vzaimodeistviye 2022 and Nerushimoye Bratstvo 2022 in Kazakhstan."
    )
    assert named(text) == [
        ("Grom 2022", "Thunder", "2022", "exercise"),
        ("Poisk 2022", "Search", "2022", "exercise"),
        ("Eshelon 2022", "Echelon", "2022", "exercise"),
        ("Vzaimodeistviye 2022", "Interaction", "2022", "exercise"),
        ("Nerushimoye Bratstvo 2022", "Indestructible Brotherhood", "2022", "exercise"),
    ]


def test_a_bare_known_name_a_few_words_from_an_exercise_word() -> None:
    text = (
        "In September, Kazakhstan will host the Rubezh joint exercise, and in October the Interaction "
        "command and staff exercise will take place in Russia, with the Barrier specialized exercise in Belarus."
    )
    assert named(text) == [
        ("Rubezh", "Rubezh", None, "exercise"),
        ("Interaction", "Interaction", None, "exercise"),
        ("Barrier", "Barrier", None, "exercise"),
    ]


def test_a_russian_name_with_a_lower_case_word_in_brackets() -> None:
    text = "Маневры пройдут во второй декаде сентября («Рубеж-2026») и в середине октября («Нерушимое братство-2026»)."
    assert named(text) == [
        ("Рубеж-2026", "Rubezh", "2026", "exercise"),
        ("Нерушимое братство-2026", "Indestructible Brotherhood", "2026", "exercise"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Search teams of the rescue services worked during the exercise.",  # any word opens a sentence
        "The CSTO Holds Search And Rescue Exercise in Minsk",  # a headline in title case
        "Units practised interaction and search during the exercise.",  # common words
        "The troops were taken to the Rubezh training ground for the exercise.",  # a place
        "Учения прошли на полигоне Рубеж под Ошем.",
        "The Interaction Department reviewed the plan of the exercise.",  # a body
        "The drills Zarnitsa-2025 were held near Osh.",  # a name the lexicon does not know needs quotes
        "Рубеж 2000-х годов стал для организации переломным.",  # a common word before a decade
        "Поиск 2021 года показал, что учения нужны.",  # ... and before a date
    ],
)
def test_no_exercise_is_read_from_common_words_places_or_unknown_names(sentence: str) -> None:
    assert named(sentence) == []


def test_a_sentence_listing_hundreds_of_names_gives_a_bounded_number() -> None:
    listing = ", ".join(f"Cobalt-{year} exercise" for year in range(1901, 2100))
    found = named(f"The plan lists {listing} in turn.")
    assert 0 < len(found) <= 20
    assert {kind for _, _, _, kind in found} == {"exercise"}


# ------------------------------------------------------------------------------------ training grounds


@pytest.mark.parametrize(
    "sentence",
    [
        "Учения «Взаимодействие» и «Поиск» пройдут на полигонах «Дубрава» и «Северный».",
        'The exercises "Interaction" and "Search" will be held at the ranges "Dubrava" and "Severny".',
    ],
)
def test_training_grounds_listed_in_quotes_are_not_exercises(sentence: str) -> None:
    assert [family for _, family, _, _ in named(sentence)] == ["Interaction", "Search"]


@pytest.mark.parametrize(
    "sentence",
    [
        "На учениях «Взаимодействие» развернут пункт управления группировки «Восток».",
        'The "Interaction" exercise used the command post of the grouping "Vostok".',
    ],
)
def test_a_grouping_of_forces_in_quotes_is_no_exercise(sentence: str) -> None:
    assert [family for _, family, _, _ in named(sentence)] == ["Interaction"]


# ------------------------------------------------------------------------------------------ purposes


@pytest.mark.parametrize(
    ("text", "name", "purpose"),
    [
        (
            'Next year the agencies will take part in operation "Channel" conducted by the drug control '
            "services of the member states (CSTO) to fight heroin smuggling from Afghanistan.",
            "Channel",
            "to fight heroin smuggling from Afghanistan",
        ),
        (
            'The joint trainings \u201cCombat Brotherhood - 2022\u201d ("Boevoe Bratstvo - 2022") are intended '
            "to show the readiness of the allied forces.",
            "Combat Brotherhood - 2022",
            "intended to show the readiness of the allied forces",
        ),
        (
            "Совместное учение «Взаимодействие-2026» нацелено на отработку действий по разрешению кризиса.",
            "Взаимодействие-2026",
            "нацелено на отработку действий по разрешению кризиса",
        ),
        (
            "Специальное учение «Эшелон-2026» предусматривает отработку вопросов тылового обеспечения.",
            "Эшелон-2026",
            "предусматривает отработку вопросов тылового обеспечения",
        ),
        (
            "The command and staff exercise \u201cInteraction-2026\u201d provides for working out a joint operation.",
            "Interaction-2026",
            "provides for working out a joint operation",
        ),
        (
            "The Vzaimodeistviye 2026 [Interaction] exercise for the rapid reaction forces will be held to "
            "practise fighting against illegal armed bands.",
            "Vzaimodeistviye 2026",
            "to practise fighting against illegal armed bands",
        ),
        (
            "В ходе специального учения «Поиск-2026» будут отрабатываться вопросы ведения разведки.",
            "Поиск-2026",
            "будут отрабатываться вопросы ведения разведки",
        ),
        (
            "Search-2031 will focus on scouting; and Echelon-2031 will concentrate on supply convoys.",
            "Echelon-2031",
            "will concentrate on supply convoys",
        ),
        (
            "The forces held the Cobalt-2031 exercise, focusing on freeing hostages in a city.",
            "Cobalt-2031",
            "focusing on freeing hostages in a city",
        ),
    ],
)
def test_a_purpose_stated_right_after_the_name(text: str, name: str, purpose: str) -> None:
    assert purposes(text)[name] == purpose


RUSSIAN_RESULTS = (
    "В ходе операции «Канал-2009» из незаконного оборота изъято 12 тонн наркотиков. "
    "В том числе более 2 тонн героина. "
    "Изъято также 400 единиц оружия. "
    "По данным ведомства, основной целью операции было пресечение контрабанды наркотиков, "
    "создание поясов безопасности."
)


def test_a_goal_stated_for_the_operation_a_few_sentences_later() -> None:
    assert purposes(RUSSIAN_RESULTS) == {"Канал-2009": "пресечение контрабанды наркотиков"}
    exercise = (
        "The opening ceremony of the special exercise Cobalt-2026 was held in Novosibirsk on Monday. "
        "According to the organisers, participants in the exercise will practise freeing hostages."
    )
    assert purposes(exercise) == {"Cobalt-2026": "practise freeing hostages"}


@pytest.mark.parametrize(
    "goal",
    [
        "The main objectives of this exercise, in the Union's year at the helm, include freeing hostages.",
        "The exercise focuses on freeing hostages.",
    ],
)
def test_an_exercises_goal_in_a_later_sentence_of_its_own_words(goal: str) -> None:
    text = (
        f"The special exercise Cobalt-2031 opened in Novosibirsk on Monday with units of four states. {goal}"
    )
    assert purposes(text)["Cobalt-2031"].endswith("freeing hostages")


def test_a_later_goal_is_given_to_no_operation_when_the_item_names_two() -> None:
    two = RUSSIAN_RESULTS.replace("«Канал-2009»", "«Канал-2009» и «Нелегал-2009»")
    assert purposes(two) == {"Канал-2009": None, "Нелегал-2009": None}


# ---------------------------------------------------------------------------- one mention per operation


def test_an_operation_named_again_in_an_item_is_one_mention_with_the_purpose_stated() -> None:
    text = (
        'Operation "Channel" has begun in Central Asia. '
        'Like last year, operation "Channel" is conducted to cut the routes of heroin smuggling.'
    )
    assert [(o.name, o.purpose, o.purpose_quality) for o in mentions(text)] == [
        ("Channel", "to cut the routes of heroin smuggling", 2)
    ]


def test_a_bare_family_is_the_one_instance_the_item_names() -> None:
    text = (
        "The troops of the upcoming drills Search 2026 and Echelon 2026 will deploy to Belarus. "
        "The Echelon special exercise will focus on logistic support."
    )
    assert [(o.name, o.instance, o.purpose) for o in mentions(text)] == [
        ("Search 2026", "2026", None),
        ("Echelon 2026", "2026", "will focus on logistic support"),
    ]


def test_a_name_repeated_in_capitals_keeps_the_readable_spelling() -> None:
    text = 'Operation "PROXY" began in May. Operation "Proxy" was conducted to combat cybercrime.'
    assert [(o.name, o.purpose) for o in mentions(text)] == [("Proxy", "to combat cybercrime")]


def test_other_spellings_and_years_stay_apart_for_the_store_to_merge() -> None:
    text = (
        "Tajikistan will host the special-purpose training \u201cKobalt-2021\u201d. "
        'The training under the code name "Cobalt-2021" follows the exercise "Cobalt-2019".'
    )
    # One operation, one instance: the store shows the item once and keeps Cobalt-2021 as its alias.
    assert named(text) == [
        ("Kobalt-2021", "Cobalt", "2021", "exercise"),
        ("Cobalt-2021", "Cobalt", "2021", "exercise"),
        ("Cobalt-2019", "Cobalt", "2019", "exercise"),
    ]


# --------------------------------------------------------------------------------------- whole pages

AGENCY_PAGE = (
    "MOSCOW, May 3. /TASS/. Member states of the CSTO will hold the tactical drills Kobalt-2026 in "
    "Tajikistan in June, the organization said on its website.\n\n"
    "The plan of the year also names Grom 2026 in Armenia. The drills envisage a shooting competition.\n"
)


def test_an_agency_page_gives_its_item_the_unquoted_exercises() -> None:
    page = parse_page(AGENCY_PAGE, lexicon())
    found = {(o.family_name, o.instance, o.kind) for item in page.items for o in item.operations}
    assert found == {("Cobalt", "2026", "exercise"), ("Thunder", "2026", "exercise")}


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    corpus: Path = tmp_path_factory.mktemp("unseen-corpus")
    (corpus / "001.txt").write_text(AGENCY_PAGE, encoding="utf-8")
    async with running_bot(tmp_path_factory.mktemp("unseen"), corpus=corpus, polling=False) as rig:
        yield rig


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.timeout(60)
async def test_exercises_named_without_quotes_are_listed_by_the_bot(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/exercises")))
    assert text.startswith("Exercises in the corpus (2)")
    assert "Cobalt" in text and "Thunder" in text
    assert shown(single(await bot.handle("/operations"))).startswith("No operations")


def test_an_item_naming_a_known_family_with_its_year_and_no_kind_word_is_read() -> None:
    page = "12.05.2031\nThe partners agreed on the plan: Grom 2031 in the mountains and Kobalt 2031 near the lake.\n"
    found = {(m.family, m.instance) for item in parse_page(page, lexicon()).items for m in item.operations}
    assert ("Thunder", "2031") in found and ("Cobalt", "2031") in found
