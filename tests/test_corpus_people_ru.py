"""people_ru: Russian people with titles, names in the nominative. Sentences are made up in the shape of
the site's text; the real pages are read by bench (they are third-party text)."""

from __future__ import annotations

import pytest

from bot.corpus.name_keys import person_key
from bot.corpus.people_ru import (
    PAGE_PEOPLE_MAX,
    SENTENCE_MAX_CHARS,
    find_people_ru,
    find_people_ru_page,
)
from bot.corpus.people_ru_morph import surname_nominative, title_nominative


def people(sentence: str) -> list[tuple[str, str | None]]:
    return [(f.name, f.title) for f in find_people_ru(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Генеральный секретарь ОДКБ Имангали Тасмагамбетов открыл совещание.",
            [("Имангали Тасмагамбетов", "Генеральный секретарь ОДКБ")],
        ),
        (
            "Доклад начальника Объединенного штаба ОДКБ Андрея Сердюкова заслушали члены совета.",
            [("Андрей Сердюков", "начальника Объединенного штаба ОДКБ")],
        ),
        (
            "Делегацию встретил с начальником Объединенного штаба ОДКБ Андреем Сердюковым.",
            [("Андрей Сердюков", "начальником Объединенного штаба ОДКБ")],
        ),
        (
            "Сегодня Генеральный секретарь ОДКБ И.Тасмагамбетов посетил выставку.",
            [("И.Тасмагамбетов", "Генеральный секретарь ОДКБ")],
        ),
        (
            "Генеральный секретарь ОДКБ Н.Бордюжа выступил с докладом.",
            [("Н.Бордюжа", "Генеральный секретарь ОДКБ")],
        ),
        (
            "Вчера министр беседовал с Генеральным секретарем ОДКБ Станиславом Засем.",
            [("Станислав Зась", "Генеральным секретарем ОДКБ")],
        ),
        (
            "Министр обороны России Сергей Шойгу проверил готовность войск.",
            [("Сергей Шойгу", "Министр обороны России")],
        ),
        ("На совещание прибыл Андрей Николаевич Сердюков.", [("Андрей Сердюков", None)]),
        ("Семериков Валерий Анатольевич назначен заместителем.", [("Валерий Семериков", None)]),
        (
            "Об итогах рассказал Олег Ветров, бывший генеральный секретарь ОДКБ.",
            [("Олег Ветров", "бывший генеральный секретарь ОДКБ")],
        ),
        (
            "Слово взял исполняющий обязанности генсека ОДКБ Павел Ветров.",
            [("Павел Ветров", "исполняющий обязанности генсека ОДКБ")],
        ),
        (
            "На брифинге выступил пресс-секретарь МИД Туркмении Хазар Ибрагим.",
            [("Хазар Ибрагим", "пресс-секретарь МИД Туркмении")],
        ),
    ],
)
def test_people_with_titles_in_the_nominative(sentence: str, expected: list[tuple[str, str | None]]) -> None:
    assert people(sentence) == expected


def test_a_title_is_carried_along_a_list_of_countries() -> None:
    found = find_people_ru(
        "Секретарь принял участие в форуме вместе с министрами обороны Армении А.Петросяном, "
        "Таджикистана Р.Каримовым и Узбекистана Б.Юсуповым."
    )
    assert [(f.name, f.title) for f in found] == [
        ("А.Петросян", "министрами обороны Армении"),
        ("Р.Каримов", "министр обороны Таджикистана"),
        ("Б.Юсупов", "министр обороны Узбекистана"),
    ]


def test_names_of_bodies_after_a_title_are_not_people() -> None:
    assert people("Утром в зал вошёл Генеральный секретарь Организации Договора о совместной обороне.") == []
    assert people("Делегаты обсудили итоги года.") == []


def test_a_woman_keeps_her_feminine_surname_and_a_genitive_man_is_not_read_as_a_woman() -> None:
    assert people("На встрече выступила Анна Иванова.") == [("Анна Иванова", None)]
    assert people("Доклад Анны Ивановой одобрен.") == [("Анна Иванова", None)]
    assert people("Приезд Станислава Зася ожидается.") == [("Станислав Зась", None)]


def test_the_found_record_locates_the_name_and_gives_the_nominative_title() -> None:
    sentence = "Встреча с начальником Объединенного штаба ОДКБ Андреем Сердюковым прошла в Москве."
    (found,) = find_people_ru(sentence)
    assert sentence[found.offset : found.end] == "Андреем Сердюковым" == found.written
    assert found.title_nominative == "начальник Объединенного штаба ОДКБ"
    # the first three fields are people_tokens.Found's (name, title, offset)
    assert found[:3] == (found.name, found.title, found.offset)


@pytest.mark.parametrize(
    ("written", "case", "gender", "nominative"),
    [
        ("Сердюкова", "gent", "masc", "Сердюков"),
        ("Засем", "ablt", "masc", "Зась"),
        ("Зася", "gent", "masc", "Зась"),
        ("Макеем", "ablt", "masc", "Макей"),
        ("Бордюжи", "gent", "masc", "Бордюжа"),
        ("Асряном", "ablt", "masc", "Асрян"),
        ("Тасмагамбетову", "datv", "masc", "Тасмагамбетов"),
        ("Вишневского", "gent", "masc", "Вишневский"),
        ("Шойгу", "datv", "masc", "Шойгу"),
        ("Ивановой", "ablt", "femn", "Иванова"),
        ("Тасмагамбетов", "nomn", "masc", "Тасмагамбетов"),
    ],
)
def test_surname_nominative(written: str, case: str, gender: str, nominative: str) -> None:
    assert surname_nominative(written, case, gender) == nominative


def test_title_nominative() -> None:
    assert title_nominative("Генерального секретаря ОДКБ") == "Генеральный секретарь ОДКБ"
    assert title_nominative("министрами обороны Беларуси") == "министр обороны Беларуси"
    assert title_nominative("Организации Договора") == "Организации Договора"  # no title head


def test_initials_in_an_unshown_case_take_the_surname_the_page_writes_in_full() -> None:
    page = find_people_ru_page(["Станислав Зась прибыл в Ереван.", "Визит С. Зася завершен."])
    assert [f.name for finds in page for f in finds] == ["Станислав Зась", "С.Зась"]


def test_one_person_one_key_across_cases_and_scripts() -> None:
    names = [
        f.name
        for s in ("Андрей Сердюков прибыл.", "Приезд Андрея Сердюкова.", "С Андреем Сердюковым.")
        for f in find_people_ru(s)
    ]
    assert {person_key(n) for n in names} == {person_key("Andrey Serdyukov")}


def test_caps_bound_a_long_sentence_and_a_page() -> None:
    long_sentence = "слово " * (SENTENCE_MAX_CHARS // 6) + "Министр обороны России Сергей Шойгу прибыл."
    assert find_people_ru(long_sentence) == []
    page = find_people_ru_page(["Министр обороны России Сергей Шойгу прибыл."] * (PAGE_PEOPLE_MAX + 5))
    assert sum(len(f) for f in page) == PAGE_PEOPLE_MAX
